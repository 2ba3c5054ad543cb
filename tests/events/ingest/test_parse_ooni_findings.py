"""OONI Findings: the incidents API's JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError, ParseResult
from tests.events.ingest.corpus import dataset

FINDINGS = "ooni-findings-incidents-api-sample.json"
MALAYSIA = "https://explorer.ooni.org/findings/178720534001"


@pytest.fixture(scope="module")
def findings() -> ParseResult:
    return parse_document(dataset(FINDINGS))


def test_one_candidate_per_country_and_domain(findings: ParseResult) -> None:
    assert findings.format == FeedFormat.OONI_FINDINGS
    assert findings.warnings == []
    # Indonesia: one domain; Malaysia: two domains, so two candidates.
    assert [item.guid for item in findings.items] == [
        "ooni-finding:8025203600:ID-archive.org",
        "ooni-finding:178720534001:MY-malaysianow.com",
        "ooni-finding:178720534001:MY-weechookeong.com",
    ]
    assert all(item.candidate.is_event for item in findings.items)


def test_the_indonesian_finding(findings: ParseResult) -> None:
    item = findings.items[0]
    candidate = item.candidate
    assert item.link == "https://explorer.ooni.org/findings/8025203600"
    assert item.title == (
        "Indonesia blocked access to the Internet Archive (archive.org in ID)"
    )
    assert item.published_at == dt.datetime(2025, 6, 13, 7, 35, 49, tzinfo=dt.UTC)
    assert candidate.country.value == "ID"
    assert (candidate.platform.value, candidate.target.value) == (
        "archive.org",
        "archive.org",
    )
    assert candidate.target_type.value == "website"
    assert candidate.target_url.value == "https://archive.org/"
    assert candidate.action.value == "blocked"
    assert candidate.date.value == (dt.date(2025, 5, 26), "day")
    assert candidate.ended_on.value == (dt.date(2025, 5, 29), "day")
    assert "Networks: AS23693, AS63859, AS24203" in candidate.summary.value


def test_candidates_of_one_finding_have_their_own_links(findings: ParseResult) -> None:
    now, former_mp = findings.items[1:]
    assert now.link == f"{MALAYSIA}#MY-malaysianow.com"
    assert former_mp.link == f"{MALAYSIA}#MY-weechookeong.com"
    assert now.candidate.target_url.value == "https://www.malaysianow.com/"
    assert now.candidate.target.value == "malaysianow.com"
    assert former_mp.candidate.ended_on.value == (dt.date(2024, 9, 7), "day")
    # The ASN listed twice upstream is named once.
    assert now.candidate.summary.value.count("AS4818") == 1


def incidents(*incidents: object) -> bytes:
    return json.dumps({"incidents": list(incidents)}).encode()


GOOD = {
    "id": "1",
    "title": "Telegram blocked",
    "start_time": "2024-01-02T00:00:00Z",
    "end_time": None,
    "CCs": ["RU", "BY"],
    "domains": [],
    "test_names": ["telegram", "web_connectivity"],
    "published": True,
}


def test_an_incident_in_two_countries_is_never_folded() -> None:
    result = parse_document(incidents(GOOD))
    assert [item.candidate.country.value for item in result.items] == ["RU", "BY"]
    assert {item.candidate.target_type.value for item in result.items} == {
        "whole_platform"
    }
    assert {item.candidate.platform.value for item in result.items} == {"Telegram"}
    assert len({item.link for item in result.items}) == 2
    assert all(item.candidate.ended_on is None for item in result.items)  # ongoing


def test_an_incident_naming_no_domain_or_app_leaves_the_platform_open() -> None:
    (item,) = parse_document(
        incidents({**GOOD, "CCs": ["IR"], "test_names": ["web_connectivity"]})
    ).items
    assert item.candidate.is_event and item.candidate.platform is None
    assert "a curator must choose the target" in item.candidate.reason
    assert item.link == "https://explorer.ooni.org/findings/1"


def test_bad_incidents_and_country_codes_are_warnings() -> None:
    result = parse_document(
        incidents(
            {**GOOD, "CCs": ["RU", "Russia"]},
            {**GOOD, "id": "2", "CCs": []},
            {**GOOD, "id": "3", "start_time": "soon"},
            [],
            {**GOOD, "id": "5", "published": False},
        ),
        declared_format=FeedFormat.OONI_FINDINGS,
    )
    assert [item.guid for item in result.items] == [
        "ooni-finding:1:RU-Telegram",
        "ooni-finding:5:RU-Telegram",
        "ooni-finding:5:BY-Telegram",
    ]
    assert not result.items[1].candidate.is_event  # unpublished
    assert [message for _, message in result.warnings] == [
        "incident 1: 'Russia' in CCs is not a country code; left out",
        "incident 2: lists no country (CCs)",
        "incident 3: start_time 'soon' is not an ISO 8601 time",
        "incident 4: a JSON list, not an object",
    ]


def test_a_single_incident_response_is_read() -> None:
    body = json.dumps({"incident": {**GOOD, "CCs": ["CN"]}}).encode()
    (item,) = parse_document(body).items
    assert item.guid == "ooni-finding:1:CN-Telegram"


def test_json_without_incidents_is_refused_as_findings() -> None:
    with pytest.raises(ParseError, match="not an OONI Findings response"):
        parse_document(b'{"results": []}', declared_format=FeedFormat.OONI_FINDINGS)
