"""Extraction: from a news item's title and text to candidate event fields.

`extract()` is a pure function of its arguments (no database, no network): it
decides whether the item reports a concrete blocking event that happened — a
named platform or site blocked, suspended, withheld, throttled, removed or
restored somewhere — and fills each field it can find with a confidence.
Proposals, threats, bills, "X may be banned", how-tos and product news are
not events.
"""

from __future__ import annotations

import datetime as dt
import re

from events.ingest.extract.actions import find_actions
from events.ingest.extract.assemble import NO_VERB, Found, candidate_from, title_refusal
from events.ingest.extract.choose import Layout, main_action
from events.ingest.extract.mentions import find_domains, find_mentions, index_for
from events.ingest.extract.prefilter import may_report_action
from events.ingest.extract.text import sentences, tokenise
from events.ingest.types import Candidate, GazetteerSnapshot, Hints

__all__ = ["extract", "no_verb_reason"]

NO_HINTS = Hints()  # frozen: one shared default is safe
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text


def extract(
    *,
    title: str,
    text: str,
    published_at: dt.datetime | None,
    gazetteer: GazetteerSnapshot,
    hints: Hints = NO_HINTS,
) -> Candidate:
    """Candidate event fields of one news item.

    Candidate.confidence is the confidence in the is_event decision itself
    (high for a clear event and for a clear non-event alike); each field's
    Guess carries its own confidence.
    """
    title, body, joined = _texts(title, text)
    layout = Layout(joined, sentences(joined), len(title))
    index = index_for(gazetteer)
    tokens = tokenise(joined)
    mentions = find_mentions(joined, index, tokens)
    actions = find_actions(joined, tokens, layout.spans)
    hit = main_action(actions, mentions, layout)
    published = published_at.date() if published_at else None
    # Hosts count only for an event, and there is none without a hit.
    found = Found(
        layout=layout,
        body=body,
        mentions=mentions,
        actions=actions,
        hit=hit,
        domains=find_domains(joined, index) if hit else [],
        published=published,
        hints=hints,
    )
    return candidate_from(found)


def no_verb_reason(*, title: str, text: str) -> str:
    """Why extract() calls an item that has no blocking verb of any language
    not an event ("no blocking verb", or what its title shows it is instead);
    "" when a verb occurs and the item needs extract().

    A cheap screen for the pipeline: it finds no names, so unlike extract() it
    gives no platform or summary, which nothing uses for a non-event.
    """
    title, _, joined = _texts(title, text)
    if may_report_action(joined):
        return ""
    return title_refusal(title) or NO_VERB


def _texts(title: str, text: str) -> tuple[str, str, str]:
    """The title, the body and the two joined, control characters made spaces
    (the parsers leave none; offsets stay as they were)."""
    title = _CONTROL.sub(" ", title or "").strip()
    body = _CONTROL.sub(" ", text or "").strip()
    return title, body, f"{title}\n\n{body}" if title and body else title or body
