"""Hypothesis properties of every parser and the extractor: on any input they
either return or raise their own documented error, never anything else, and
what they return holds no NUL or other control characters."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.dates import PartialDateError, parse_partial_date
from events.ingest.extract import extract
from events.ingest.gazetteer import seed_snapshot
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from events.interchange import COLUMNS, RowError, parse_row

FUZZ = settings(
    max_examples=150,
    deadline=None,  # no timing thresholds in tests: bounded by example count
    suppress_health_check=[HealthCheck.too_slow],
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SNAPSHOT = seed_snapshot()

words = st.sampled_from(
    [
        "blocked",
        "Roskomnadzor",
        "Telegram",
        "WeChat",
        "微信",
        "屏蔽",
        "заблокировал",
        "Россия",
        "ایران",
        "فیلتر",
        "engellendi",
        "Türkiye",
        "on 16 April 2018",
        "2018年8月21日",
        "“The account is blocked.”",
        "reads:",
        "\x00",
        "\u202e",
        "&amp;",
    ]
)
texty = st.one_of(
    st.text(), st.lists(st.one_of(words, st.text(max_size=8))).map(" ".join)
)


def clean(text: str) -> bool:
    return CONTROL.search(text) is None


def feed_xml(title: str, body: str) -> bytes:
    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;")

    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>t</title><item><title>{esc(title)}</title>"
        f"<description>{esc(body)}</description><link>https://e.org/1</link>"
        "</item></channel></rss>"
    ).encode("utf-8", "surrogatepass")


def check_result(body: bytes) -> None:
    try:
        result = parse_document(body)
    except ParseError:
        return
    for item in result.items:
        assert clean(item.title) and clean(item.text)
        json.dumps(item.raw)


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes_parse_or_are_refused(body):
    check_result(body)


@FUZZ
@given(texty, texty)
def test_any_rss_item_parses_to_clean_text(title, body):
    check_result(feed_xml(title, body))


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=30,
    )
)
def test_any_json_parses_or_is_refused(value):
    check_result(json.dumps(value).encode())


@FUZZ
@given(texty, texty, st.none() | st.datetimes(timezones=st.just(dt.UTC)))
def test_extract_never_fails_and_stays_in_bounds(title, text, published):
    candidate = extract(
        title=title, text=text, published_at=published, gazetteer=SNAPSHOT
    )
    assert 0 <= candidate.confidence <= 1
    for name in ("platform", "target", "country", "action", "notice_text", "summary"):
        guess = getattr(candidate, name)
        if guess is not None:
            assert 0 <= guess.confidence <= 1
            assert clean(str(guess.value))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from([*COLUMNS, "bogus"]),
        st.none()
        | st.text()
        | st.integers()
        | st.lists(
            st.dictionaries(st.text(max_size=5), st.text(max_size=5)), max_size=2
        ),
    )
)
def test_any_interchange_row_parses_or_is_a_row_error(raw):
    with contextlib.suppress(RowError):
        parse_row(1, raw)


@FUZZ
@given(st.text(max_size=20))
def test_any_text_is_a_partial_date_or_a_partial_date_error(text):
    with contextlib.suppress(PartialDateError):
        parse_partial_date(text)
