"""OONI measurements: a block is an event only when a fingerprint confirms it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import (
    Fingerprints,
    default_fingerprints,
    load_fingerprints,
    parse_document,
)
from events.ingest.types import Candidate, ParsedItem
from tests.events.ingest.corpus import dataset

IR_FACEBOOK = "ooni-webconnectivity-IR-facebook-dns-2022-08-15.json"
IR_WIKIPEDIA = "ooni-webconnectivity-IR-fa-wikipedia-dns-2020-03-02.json"
ID_ARCHIVE = "ooni-webconnectivity-ID-archive-org-blockpage-redirect-2025-05-27.json"
CN_EFINDLOVE = "ooni-webconnectivity-CN-efindlove-dns-2017-05-16.json"
AU_FEMINIST = "ooni-webconnectivity-AU-feminist-org-http-failure-2017.json"
NL_WIKIPEDIA = "ooni-webconnectivity-NL-fa-wikipedia-http-failure-2020.json"
IR_YOOZ = "ooni-webconnectivity-IR-yooz-null-2022-08-15.json"
VANILLA_TOR = "ooni-vanilla-tor-CN-2022-08-02.json"
TELEGRAM = "ooni-telegram-IT-2019-12-03.json"
VERDICTS = {
    IR_FACEBOOK: True,
    IR_WIKIPEDIA: True,
    ID_ARCHIVE: True,
    CN_EFINDLOVE: False,
    AU_FEMINIST: False,
    NL_WIKIPEDIA: False,
    IR_YOOZ: False,
    VANILLA_TOR: False,
    TELEGRAM: False,
}


@pytest.fixture(scope="module")
def full_lists() -> Fingerprints:
    """The real OONI / Citizen Lab lists from the corpus."""
    return load_fingerprints(
        dataset("ooni-citizenlab-blocking-fingerprints-dns.json"),
        dataset("ooni-citizenlab-blocking-fingerprints-http.json"),
    )


def only_item(name: str, fingerprints: Fingerprints | None = None) -> ParsedItem:
    result = parse_document(dataset(name), fingerprints=fingerprints)
    assert result.format == FeedFormat.OONI
    assert result.warnings == []
    (item,) = result.items
    return item


def candidate_of(item: ParsedItem) -> Candidate:
    assert item.candidate is not None
    return item.candidate


@pytest.mark.parametrize(("name", "is_event"), VERDICTS.items())
def test_verdict_with_the_shipped_fingerprints(name: str, is_event: bool) -> None:
    candidate = candidate_of(only_item(name))
    assert candidate.is_event is is_event
    assert candidate.reason


@pytest.mark.parametrize(("name", "is_event"), VERDICTS.items())
def test_verdict_with_the_full_corpus_lists(
    name: str, is_event: bool, full_lists: Fingerprints
) -> None:
    assert candidate_of(only_item(name, full_lists)).is_event is is_event


def test_iran_dns_injection_candidate() -> None:
    item = only_item(IR_FACEBOOK)
    candidate = candidate_of(item)
    assert candidate.platform.value == "facebook.com"
    assert candidate.target.value == "facebook.com"
    assert candidate.target_type.value == "website"
    assert candidate.target_url.value == "https://www.facebook.com/"
    assert candidate.country.value == "IR"
    assert candidate.action.value == "blocked"
    assert candidate.date.value == (dt.date(2022, 8, 15), "day")
    assert candidate.authority is None
    assert "DNS injection" in candidate.summary.value
    assert "10.10.34.36" in candidate.summary.value
    assert "AS197207" in candidate.summary.value
    assert item.published_at == dt.datetime(2022, 8, 15, 19, 1, 30, tzinfo=dt.UTC)


def test_link_is_the_explorer_url_of_the_report_and_input() -> None:
    item = only_item(IR_FACEBOOK)
    assert item.link == (
        "https://explorer.ooni.org/measurement/"
        "20220815T190043Z_webconnectivity_IR_197207_n1_cCbffjGasS4tFgb2"
        "?input=https%3A%2F%2Fwww.facebook.com%2F"
    )
    assert item.guid.startswith("ooni:20220815T190043Z_webconnectivity_IR")


def test_link_uses_the_measurement_uid_when_there_is_one() -> None:
    item = only_item(CN_EFINDLOVE)
    assert item.link == (
        "https://explorer.ooni.org/m/01201705167c104b698173927d63aadf48fb2fa1"
    )


def test_indonesian_blockpage_redirect_is_confirmed_despite_the_probe() -> None:
    candidate = candidate_of(only_item(ID_ARCHIVE))
    assert candidate.target.value == "archive.org"
    assert candidate.country.value == "ID"
    assert "redirect to a blockpage" in candidate.summary.value
    assert "lamanlabuh.aduankonten.id" in candidate.summary.value


def test_unconfirmed_dns_anomaly_says_why() -> None:
    candidate = candidate_of(only_item(CN_EFINDLOVE))
    assert "anomaly (dns)" in candidate.reason
    assert candidate.country.value == "CN"


def test_commercial_filter_match_does_not_confirm(full_lists: Fingerprints) -> None:
    candidate = candidate_of(only_item(AU_FEMINIST, full_lists))
    assert "cl.prod_checkpoint_urlfilter_forward" in candidate.reason


def test_null_verdict_is_inconclusive() -> None:
    assert "inconclusive" in candidate_of(only_item(IR_YOOZ)).reason


def test_telegram_test_that_reached_telegram_is_not_blocked() -> None:
    candidate = candidate_of(only_item(TELEGRAM))
    assert candidate.platform.value == "Telegram"
    assert candidate.reason.startswith("not blocked")


def test_blocked_telegram_test_is_an_event() -> None:
    measurement = json.loads(dataset(TELEGRAM))
    measurement["test_keys"]["telegram_web_status"] = "blocked"
    result = parse_document(json.dumps(measurement).encode())
    candidate = candidate_of(result.items[0])
    assert candidate.is_event
    assert candidate.target_type.value == "whole_platform"


def test_other_tests_parse_and_are_not_events() -> None:
    item = only_item(VANILLA_TOR)
    assert "vanilla_tor" in item.title
    assert not candidate_of(item).is_event


def test_json_list_and_json_lines_of_measurements() -> None:
    first, second = json.loads(dataset(IR_FACEBOOK)), json.loads(dataset(IR_YOOZ))
    listed = parse_document(json.dumps([first, second]).encode())
    lines = parse_document(f"{json.dumps(first)}\n{json.dumps(second)}\n".encode())
    for result in (listed, lines):
        assert result.format == FeedFormat.OONI
        assert [candidate_of(item).is_event for item in result.items] == [True, False]


def test_bad_measurement_is_a_warning_and_the_others_stay() -> None:
    good = json.dumps(json.loads(dataset(IR_FACEBOOK)))
    bad = json.dumps({"test_keys": {}, "measurement_start_time": "soon"})
    result = parse_document(f"{good}\n{{oops\n{bad}\n".encode())
    assert len(result.items) == 1
    assert [message.split(":")[0] for _, message in result.warnings] == [
        "line 2",
        "line 3",
    ]


def test_shipped_list_is_small_and_loads() -> None:
    shipped = default_fingerprints()
    assert "10.10.34.36" in shipped.dns
    assert 0 < len(shipped.http) < 50


def test_full_lists_load(full_lists: Fingerprints) -> None:
    assert sum(len(entries) for entries in full_lists.dns.values()) == 150
    assert len(full_lists.http) == 1699
