"""The pre-filter: one alternation of every blocking verb. It must let through
every text in which some verb pattern matches (in any language and script),
and an item it stops must get from the pipeline what extract() would say."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.extraction_quality import load_items
from events.ingest.extract import extract, no_verb_reason, verbs
from events.ingest.extract.alternation import finditer_at
from events.ingest.extract.prefilter import may_report_action, verb_starts
from events.ingest.gazetteer import seed_snapshot
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from tests.events.ingest.corpus import FEEDS

MULTILINGUAL = [
    "Twitter was BLOCKED in Turkey; the roadblocked road was reopened.",
    "Wikipedia'ya erişim engellendi. TWİTTER KAPATILDI, ENGELLENDİ.",
    "Роскомнадзор заблокировал Telegram; ЗАБЛОКИРОВАН и недоступен.",
    "微信公众号被封，暂停服务。抖音下架。",
    "تلگرام فیلتر شد و اینستاگرام مسدود شده است",
    "حجبت السلطات المصرية تطبيق سيجنال وتحجب المواقع",
    "सरकार ने टिकटॉक पर प्रतिबंध लगा दिया। ऐप ब्लॉक कर दिया गया।",
    "The ſuspended account; a Kelvin-sign ban: \u212aNOCKED OFFLINE.",
]
NO_VERB = [
    "Sunny weekend ahead: forecasters expect a warm and sunny weekend.",
    "Apple unveils a new iPhone with a faster chip and a brighter screen.",
]


@pytest.fixture(scope="module")
def labelled():
    return load_items()


def joined(item):
    title, text = item.get("title", "").strip(), item.get("text", "").strip()
    return f"{title}\n\n{text}" if title and text else title or text


def brute_force_starts(text):
    return [
        offset
        for offset in range(len(text))
        if any(p.regex.match(text, offset) for p in verbs.VERB_PATTERNS)
    ]


def test_every_labelled_event_passes_the_prefilter(labelled):
    events = [item for item in labelled if item["gold"]["is_event"]]
    assert events
    assert all(may_report_action(joined(item)) for item in events)


@pytest.mark.parametrize("text", MULTILINGUAL)
def test_verbs_of_every_script_pass_the_prefilter(text):
    assert may_report_action(text)


@pytest.mark.parametrize("text", NO_VERB)
def test_texts_without_a_blocking_verb_are_stopped(text):
    assert not may_report_action(text)


@pytest.mark.parametrize("text", MULTILINGUAL + NO_VERB)
def test_verb_starts_are_every_offset_where_some_verb_matches(text):
    assert list(verb_starts(text)) == brute_force_starts(text)


def test_no_verb_pattern_matches_the_empty_string():
    assert not any(
        p.regex.search("") or p.regex.search(" ") for p in verbs.VERB_PATTERNS
    )


def test_each_verb_is_found_as_finditer_finds_it(labelled):
    texts = [joined(item) for item in labelled] + MULTILINGUAL
    for text in texts:
        starts = verb_starts(text)
        for pattern in verbs.VERB_PATTERNS:
            found = [m.span() for m in finditer_at(pattern.regex, text, starts)]
            assert found == [m.span() for m in pattern.regex.finditer(text)]


def corpus_items():
    for path in sorted(FEEDS.iterdir()):
        if path.name == "MANIFEST.tsv":
            continue
        try:
            yield from parse_document(path.read_bytes()).items
        except ParseError:
            continue


@pytest.fixture(scope="module")
def news(labelled):
    items = [(i.title, i.text, i.published_at) for i in corpus_items()]
    for item in labelled:
        published = item.get("published_at")
        when = dt.datetime.fromisoformat(published) if published else None
        items.append((item.get("title", ""), item.get("text", ""), when))
    return items


def test_an_item_the_prefilter_stops_is_a_non_event_for_the_same_reason(news):
    gazetteer = seed_snapshot()
    stopped = 0
    for title, text, published in news:
        reason = no_verb_reason(title=title, text=text)
        candidate = extract(
            title=title, text=text, published_at=published, gazetteer=gazetteer
        )
        if reason:
            stopped += 1
            assert (candidate.is_event, candidate.reason) == (False, reason)
        else:
            assert may_report_action(f"{title.strip()}\n\n{text.strip()}")
    assert stopped > len(news) // 2
