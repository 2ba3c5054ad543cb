"""Lumen Database notices (https://lumendatabase.org), as its API returns a
search page: {"notices": [...], "meta": {...}}.

Each notice becomes one candidate: the recipient (e.g. Twitter) is the
platform, the sender or principal the authority, the first infringing URL the
target (all of them are listed in the summary), date_received (else
date_sent) the day. A copyright or trademark notice is a private party's
claim, so its candidate has a low confidence: curators decide whether it is
censorship. A court order or government request naming one jurisdiction is
content withheld in that country; anything else taken down is removed. A
notice whose recipient took no action, and a counter-notice, are kept as
non-events with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from events.choices import Action, DatePrecision, FeedFormat, TargetType
from events.ingest.parse.guards import warn
from events.ingest.parse.text import clean_text, one_line, to_jsonable
from events.ingest.types import Candidate, Guess, ParsedItem, ParseError, ParseResult

NOTICE_URL = "https://lumendatabase.org/notices/{id}"
# Notice types sent by the state, and types that are no takedown at all.
_STATE_TYPES = {"courtorder", "governmentrequest", "lawenforcementrequest"}
_REPLIES = {"counternotice", "counter notice"}
_NO_ACTION = {"no"}
_PLACEHOLDERS = {"", "-", "n/a", "unknown", "private"}
_COMPANY_SUFFIX = re.compile(r"[,\s]+(inc|llc|ltd|corp|corporation)\.?$", re.I)
_SUMMARY_URLS = 60  # a notice may list thousands; the rest are counted


class LumenNoticeError(ValueError):
    """A notice that gives no usable candidate; the message says why."""


def is_lumen_search(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("notices"), list)


def parse_lumen(value: Any) -> ParseResult:
    """Candidates of a Lumen search page; a bad notice is a warning naming
    its position ("notice 3") and the others are kept."""
    if not is_lumen_search(value):
        raise ParseError("not a Lumen notices search page: no 'notices' list")
    result = ParseResult(format=FeedFormat.LUMEN, title="Lumen notices")
    for number, notice in enumerate(value["notices"], start=1):
        try:
            result.items.append(lumen_item(notice))
        except LumenNoticeError as exc:
            warn(result, None, f"notice {number}: {exc}")
    return result


def lumen_item(notice: Any) -> ParsedItem:
    """The candidate of one notice (a dict as the API gives it)."""
    if not isinstance(notice, dict):
        raise LumenNoticeError(f"a JSON {type(notice).__name__}, not an object")
    notice_id = _notice_id(notice)
    received = _datetime(notice, "date_received")
    sent = _datetime(notice, "date_sent")
    kind = _text(notice, "type") or "unknown"
    urls = _infringing_urls(notice)
    platform = _COMPANY_SUFFIX.sub("", _text(notice, "recipient_name"))
    candidate = _candidate(notice, notice_id, kind, urls, platform, received or sent)
    acted = candidate.is_event and candidate.action is not None
    verb = candidate.action.value.replace("_", " ") if acted else "named"
    count = f"{len(urls)} URL{'' if len(urls) == 1 else 's'}"
    return ParsedItem(
        guid=f"lumen:{notice_id}",
        link=NOTICE_URL.format(id=notice_id),
        title=one_line(
            f"Lumen {kind} notice {notice_id} to {platform or 'an unnamed recipient'}:"
            f" {count} {verb}"
        ),
        text=candidate.summary.value if candidate.summary else "",
        published_at=received or sent,
        raw=to_jsonable(notice),
        candidate=candidate,
    )


def _candidate(
    notice: dict[str, Any],
    notice_id: str,
    kind: str,
    urls: list[str],
    platform: str,
    when: dt.datetime | None,
) -> Candidate:
    country = _country(notice)
    by_state = kind.casefold() in _STATE_TYPES
    withheld = by_state and country is not None
    taken = _text(notice, "action_taken")
    is_event, reason = _verdict(kind, taken, by_state)
    sender = _first_known(notice, "principal_name", "sender_name")
    body = notice.get("body")
    language = _text(notice, "language")
    return Candidate(
        is_event=is_event,
        confidence=(0.8 if by_state else 0.5) if is_event else 0.0,
        platform=Guess(platform, 1.0) if platform else None,
        target=Guess(urls[0], 1.0 if len(urls) == 1 else 0.6) if urls else None,
        target_type=Guess(str(TargetType.CONTENT_ITEM), 0.9),
        target_url=Guess(urls[0], 1.0) if urls else None,
        authority=Guess(sender, 1.0) if sender else None,
        country=country,
        action=Guess(
            str(Action.WITHHELD if withheld else Action.REMOVED),
            0.9 if taken.casefold() in ("yes", "partial") else 0.5,
        ),
        date=Guess((when.date(), str(DatePrecision.DAY)), 1.0) if when else None,
        notice_text=Guess(clean_text(body), 1.0)
        if isinstance(body, str) and body.strip()
        else None,
        notice_language=Guess(language, 1.0) if language else None,
        summary=Guess(_summary(notice, notice_id, kind, urls, platform), 1.0),
        reason=reason,
    )


def _verdict(kind: str, taken: str, by_state: bool) -> tuple[bool, str]:
    if kind.casefold() in _REPLIES:
        return False, "a Lumen counter-notice: a reply, not a takedown"
    if taken.casefold() in _NO_ACTION:
        return False, "a Lumen notice on which the recipient took no action"
    if by_state:
        return True, f"a Lumen {kind} notice: a takedown the state asked for"
    return True, (
        f"a Lumen {kind} notice: a private party's takedown claim, censorship "
        "only if a curator finds it so"
    )


def _notice_id(notice: dict[str, Any]) -> str:
    value = notice.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise LumenNoticeError("no notice id")
    text = str(value).strip()
    if not text.isdigit():
        raise LumenNoticeError(f"notice id {text!r} is not a number")
    return text


def _text(notice: dict[str, Any], key: str) -> str:
    value = notice.get(key)
    return one_line(value) if isinstance(value, str) else ""


def _first_known(notice: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = _text(notice, key)
        if value.casefold() not in _PLACEHOLDERS and value.strip(" -"):
            return value
    return ""


def _datetime(notice: dict[str, Any], key: str) -> dt.datetime | None:
    value = notice.get(key)
    if value is None or value == "":
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise LumenNoticeError(f"{key} {value!r} is not an ISO 8601 date") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)  # Lumen's API gives UTC
    return parsed.astimezone(dt.UTC)


def _country(notice: dict[str, Any]) -> Guess | None:
    """The one jurisdiction the notice names (ISO code), if it names one."""
    given = notice.get("jurisdictions")
    codes = {
        code.strip().upper()
        for code in (given if isinstance(given, list) else [])
        if isinstance(code, str)
    }
    single = _text(notice, "country_code").upper()
    if single:
        codes.add(single)
    codes = {code for code in codes if re.fullmatch(r"[A-Z]{2}", code)}
    return Guess(codes.pop(), 0.8) if len(codes) == 1 else None


def _infringing_urls(notice: dict[str, Any]) -> list[str]:
    works = notice.get("works")
    urls: list[str] = []
    for work in works if isinstance(works, list) else []:
        listed = work.get("infringing_urls") if isinstance(work, dict) else None
        for entry in listed if isinstance(listed, list) else []:
            url = entry.get("url") if isinstance(entry, dict) else entry
            if isinstance(url, str) and one_line(url) and one_line(url) not in urls:
                urls.append(one_line(url))
    return urls


def _summary(
    notice: dict[str, Any], notice_id: str, kind: str, urls: list[str], platform: str
) -> str:
    facts = (
        ("Notice", _text(notice, "title")),
        ("Type", kind),
        ("Sender", _text(notice, "sender_name").strip(" -")),
        ("Principal", _text(notice, "principal_name")),
        ("Recipient", platform),
        ("Action taken", _text(notice, "action_taken")),
        ("Received", _text(notice, "date_received")),
        ("Sent", _text(notice, "date_sent")),
    )
    lines = [f"{label}: {value}" for label, value in facts if value]
    if urls:
        lines.append(f"Infringing URLs ({len(urls)}):")
        lines += [f"- {url}" for url in urls[:_SUMMARY_URLS]]
        if len(urls) > _SUMMARY_URLS:
            lines.append(f"- and {len(urls) - _SUMMARY_URLS} more (see the notice)")
    else:
        lines.append("Infringing URLs: none listed")
    lines.append(f"Source: Lumen notice {NOTICE_URL.format(id=notice_id)}")
    return clean_text("\n".join(lines))
