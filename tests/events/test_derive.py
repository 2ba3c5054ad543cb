"""Derived state is computed before an event's one save: its target, mask
and notice match are in its first row and its first history row, and the
hook that follows every write finds nothing to repair."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.choices import NoticeMatch
from events.models import Event
from events.services import event_create, event_update
from events.services.masking import target_mask
from tests.events.notice_support import WECHAT_EN, make_notice
from tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def repairs(queries) -> list[str]:
    """UPDATEs of events, other than the save of the whole row, that set a
    target, a mask or a notice: repairs after the save."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith('UPDATE "events_event" SET')
        and not q["sql"].startswith('UPDATE "events_event" SET "public_id"')
        and any(
            c in q["sql"] for c in ('"target_ref_id"', '"masked_as"', '"notice_id"')
        )
    ]


def data(platform, **changes):
    return {
        "platform": platform,
        "target": "OKEx",
        "target_type": "account",
        "country": "CN",
        "action": "blocked",
        "date": "2018-08-21",
        "notice_text": WECHAT_EN,
        "notice_language": "en",
        **changes,
    }


def test_a_new_event_is_saved_once_with_its_target_and_notice(curator):
    platform = PlatformFactory(name="WeChat", slug="wechat")
    notice = make_notice(WECHAT_EN, platform=platform, title="WeChat block")

    with CaptureQueriesContext(connection) as queries:
        event = event_create(user=curator, data=data(platform))

    first = event.history.earliest("history_id")
    assert repairs(queries.captured_queries) == []
    assert event.target_ref.name == "OKEx"
    assert (first.target_ref_id, first.notice_id) == (event.target_ref_id, notice.pk)
    assert first.notice_match == NoticeMatch.AUTO
    assert event.history.count() == 1


def test_an_edit_moves_the_event_to_its_new_target_in_the_same_save(curator, editor):
    platform = PlatformFactory(name="WeChat", slug="wechat")
    event = event_create(user=curator, data=data(platform))
    other = event_create(user=curator, data=data(platform, target="Huobi"))
    target_mask(target=other.target_ref, user=curator, pseudonym="Account H")

    with CaptureQueriesContext(connection) as queries:
        event_update(event=event, user=curator, data={"target": "Huobi"})

    event = Event.objects.get(pk=event.pk)
    assert repairs(queries.captured_queries) == []
    assert (event.target_ref_id, event.masked_as) == (other.target_ref_id, "Account H")
    assert event.history.latest("history_id").masked_as == "Account H"


def test_an_imported_batch_is_written_with_its_targets_and_notices():
    from tests.events.import_support import import_text, jsonl, row

    platform = PlatformFactory(name="WeChat", slug="wechat")
    notice = make_notice(WECHAT_EN, platform=platform, title="WeChat block")
    rows = [row(name, notice_text=WECHAT_EN) for name in ("OKEx", "Huobi", "OKEx")]

    with CaptureQueriesContext(connection) as queries:
        report = import_text(jsonl(*rows))

    assert report.failed == 0
    assert repairs(queries.captured_queries) == []
    for event in Event.objects.all():
        first = event.history.earliest("history_id")
        assert first.target_ref_id == event.target_ref_id is not None
        assert (first.notice_id, event.notice_id) == (notice.pk, notice.pk)
