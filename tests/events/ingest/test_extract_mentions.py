"""Extraction: names in text, targets and the feed's hints."""

from __future__ import annotations

import datetime as dt

import pytest

from events.ingest.extract import extract
from events.ingest.gazetteer import seed_snapshot
from events.ingest.types import Hints
from tests.events.ingest.test_extract import run, value


@pytest.fixture(scope="module")
def gazetteer():
    return seed_snapshot()


def test_latin_names_match_on_word_boundaries(gazetteer):
    candidate = run(
        gazetteer,
        "Signals of a crackdown: regulator blocks Xbox Live in the country",
        "The regulator blocked Xboxes and Signals.",
    )
    assert value(candidate.platform) is None


def test_chinese_names_match_as_substrings(gazetteer):
    candidate = run(gazetteer, "微信公众号被封", "中国的微信公众号被封。")
    assert value(candidate.platform) == "WeChat"


def test_a_blocked_domain_is_a_website_target(gazetteer):
    candidate = run(
        gazetteer,
        "Malaysia blocks news website",
        "Malaysia's regulator blocked the website sarawakreport.org on Sunday.",
    )
    assert (value(candidate.platform), value(candidate.target_type)) == (
        "sarawakreport.org",
        "website",
    )


def test_removal_from_an_app_store_makes_the_store_the_platform(gazetteer):
    candidate = run(
        gazetteer,
        "Apple removes WhatsApp from China App Store",
        "Apple removed WhatsApp from its App Store in China on government orders.",
    )
    assert (value(candidate.platform), value(candidate.target)) == (
        "Apple App Store",
        "WhatsApp app",
    )


def test_hints_fill_a_missing_platform_and_country(gazetteer):
    candidate = extract(
        title="Service blocked again",
        text="The regulator blocked the service on Monday.",
        published_at=dt.datetime(2024, 8, 9, tzinfo=dt.UTC),
        gazetteer=gazetteer,
        hints=Hints(platform="Telegram", country="IR"),
    )
    assert (value(candidate.platform), value(candidate.country)) == ("Telegram", "IR")
