"""Matching events' notice text to the registry: wordings, scripts, rules,
platforms, thresholds, the import path and what it costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from events.choices import NoticeKind, NoticeMatch, NoticePatternType, Status
from events.models import Event
from events.services.notice_matching import normalise
from events.services.notices import events_match_notices
from tests.events.import_support import import_text, jsonl, row
from tests.events.notice_support import (
    SAUDI_BLOCKPAGE,
    WECHAT_ZH,
    make_notice,
    saudi_blockpage,
)
from tests.factories import EventFactory, PlatformFactory

pytestmark = pytest.mark.django_db

ACCOUNT_WITHHELD = (
    "@ActualidadRT's account has been withheld in Belgium, Austria, Bulgaria, "
    "Sweden, Croatia, Spain, Slovenia, Cyprus, Slovakia, Czech Republic, Romania, "
    "Portugal, Poland, Denmark, Netherlands, Estonia, Malta, Luxembourg, Finland, "
    "France, Lithuania, Germany, Greece, Latvia, Hungary, Italy, Ireland, United "
    "Kingdom in response to a legal demand. Learn more."
)


def matched(event: Event) -> Event:
    events_match_notices(event_ids=[event.pk])
    event.refresh_from_db()
    return event


@pytest.fixture
def wechat_notice(wechat, okex_notice):
    return make_notice(
        okex_notice,
        platform=wechat,
        title="WeChat: account blocked",
        variants=(("zh", WECHAT_ZH),),
    )


def test_normalise_folds_case_width_punctuation_and_space():
    assert normalise("  “The  Account”\tis BLOCKED！ ") == "the account is blocked"
    assert normalise("ＡＢＣ，「中文」") == "abc 中文"


def test_the_seed_article_notice_matches_itself_exactly(wechat, wechat_notice):
    event = matched(
        EventFactory(platform=wechat, notice_text=wechat_notice.canonical_text)
    )
    assert event.notice == wechat_notice
    assert event.notice_match == NoticeMatch.AUTO
    assert event.notice_match_score == 100.0


def test_other_punctuation_and_quotes_still_match(wechat, wechat_notice, okex_notice):
    retyped = okex_notice.replace("’", "'").replace(",", "").upper() + "  "
    event = matched(EventFactory(platform=wechat, notice_text=f'"{retyped}"'))
    assert event.notice == wechat_notice
    assert event.notice_match_score == 100.0


def test_a_small_change_of_wording_matches_below_100(
    wechat, wechat_notice, okex_notice
):
    changed = okex_notice.replace("users’ complaints", "a user's complaint").replace(
        "and content is", "and its content is"
    )
    event = matched(EventFactory(platform=wechat, notice_text=changed))
    assert event.notice == wechat_notice
    assert 85 <= event.notice_match_score < 100


def test_a_notice_quoted_with_more_text_around_it_matches(
    wechat, wechat_notice, okex_notice
):
    quoted = f"Visitors now see: {okex_notice} Tap to go back."
    assert (
        matched(EventFactory(platform=wechat, notice_text=quoted)).notice
        == wechat_notice
    )


def test_chinese_is_compared_character_by_character(wechat, wechat_notice):
    # Another character for "account" (帐 for 账), ASCII punctuation, no space.
    event = matched(
        EventFactory(platform=wechat, notice_text="此帐号已被屏蔽,内容无法查看。")
    )
    assert event.notice == wechat_notice
    assert 85 <= event.notice_match_score < 100


def test_other_chinese_text_does_not_match(wechat, wechat_notice):
    event = matched(
        EventFactory(
            platform=wechat, notice_text="该账号因违反相关法律法规，已被封禁。"
        )
    )
    assert event.notice is None
    assert event.notice_match == NoticeMatch.NONE


def test_unrelated_text_does_not_match(wechat, wechat_notice):
    event = matched(
        EventFactory(platform=wechat, notice_text="Sorry, this page isn't available.")
    )
    assert event.notice is None and event.notice_match_score is None


def test_a_part_of_the_notice_is_not_the_notice(wechat, wechat_notice):
    # token_set_ratio would score this subset 100.
    part = "The account is currently blocked, and content is not available."
    assert matched(EventFactory(platform=wechat, notice_text=part)).notice is None


def test_a_platform_notice_matches_only_events_on_its_platform(
    wechat_notice, okex_notice
):
    telegram = PlatformFactory(slug="telegram", name="Telegram")
    assert (
        matched(EventFactory(platform=telegram, notice_text=okex_notice)).notice is None
    )


def test_a_blockpage_matches_events_on_any_platform():
    blockpage = make_notice(
        "This site has been blocked by order of the national regulator.",
        kind=NoticeKind.BLOCKPAGE,
    )
    text = "This site has been blocked by order of the national regulator!"
    assert matched(EventFactory(notice_text=text)).notice == blockpage


def test_a_pattern_matches_however_long_the_text_around_it():
    x = PlatformFactory(slug="x", name="X")
    account = make_notice(
        "@[username]'s account has been withheld in [country] in response to a "
        "legal demand.",
        platform=x,
        pattern="account has been withheld in",
        pattern_type=NoticePatternType.CONTAINS,
    )
    make_notice(
        "This Tweet from @[username] has been withheld in [country] in response "
        "to a legal demand.",
        platform=x,
        pattern="has been withheld in",
        pattern_type=NoticePatternType.CONTAINS,
    )
    event = matched(EventFactory(platform=x, notice_text=ACCOUNT_WITHHELD))
    assert event.notice == account
    assert event.notice_match_score == 100.0


def test_an_ooni_body_fingerprint_matches_the_blockpage_text_it_names():
    saudi = saudi_blockpage(title="", countries=[])
    text = f"عذراً، الموقع المطلوب محجوب. {SAUDI_BLOCKPAGE}: www.internet.gov.sa"
    event = matched(EventFactory(country="SA", notice_text=text, notice_language="ar"))
    assert event.notice == saudi
    assert event.notice_match_score == 100.0


def test_a_dns_fingerprint_matches_only_the_whole_address():
    poison = make_notice(
        "8.7.198.45",
        kind=NoticeKind.DNS,
        language="",
        pattern="8.7.198.45",
        pattern_type=NoticePatternType.FULL,
        location="dns",
    )
    hit = matched(EventFactory(notice_text="The resolver answered 8.7.198.45."))
    miss = matched(EventFactory(notice_text="The resolver answered 8.7.198.451."))
    assert hit.notice == poison
    assert miss.notice is None


def test_a_generic_short_pattern_is_not_a_rule():
    make_notice(
        "blokeret",
        kind=NoticeKind.BLOCKPAGE,
        language="",
        pattern="blokeret",
        pattern_type=NoticePatternType.CONTAINS,
        location="body",
    )
    assert (
        matched(EventFactory(notice_text="Siden er blokeret af politiet.")).notice
        is None
    )


def test_the_threshold_is_a_setting(settings, wechat, wechat_notice):
    event = EventFactory(platform=wechat, notice_text="此帐号已被屏蔽,内容无法查看。")
    settings.NOTICE_MATCH_THRESHOLD = 99
    assert matched(event).notice is None
    settings.NOTICE_MATCH_THRESHOLD = 85
    assert matched(event).notice == wechat_notice


def test_a_new_notice_is_used_by_the_next_batch(wechat, okex_notice):
    event = matched(EventFactory(platform=wechat, notice_text=okex_notice))
    assert event.notice is None
    notice = make_notice(okex_notice, platform=wechat)
    assert matched(event).notice == notice


def test_an_automatic_match_is_cleared_when_the_text_changes(wechat, wechat_notice):
    event = matched(EventFactory(platform=wechat, notice_text=WECHAT_ZH))
    assert event.notice == wechat_notice
    Event.objects.filter(pk=event.pk).update(notice_text="Completely different words.")
    event = matched(event)
    assert event.notice is None
    assert event.notice_match == NoticeMatch.NONE
    assert event.notice_match_score is None


@pytest.mark.parametrize("decision", [NoticeMatch.CONFIRMED, NoticeMatch.REJECTED])
def test_curator_decisions_are_never_overwritten(wechat, wechat_notice, decision):
    other = make_notice("Another notice altogether, about something else.")
    event = EventFactory(
        platform=wechat,
        notice_text=WECHAT_ZH,
        notice=other if decision == NoticeMatch.CONFIRMED else None,
        notice_match=decision,
    )
    matched(event)
    assert (event.notice, event.notice_match) == (
        other if decision == NoticeMatch.CONFIRMED else None,
        decision,
    )


def test_the_link_moves_updated_at_so_sync_clients_fetch_it_again(
    wechat, wechat_notice
):
    event = EventFactory(platform=wechat, notice_text=WECHAT_ZH)
    Event.objects.filter(pk=event.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=1)
    )
    before = Event.objects.get(pk=event.pk).updated_at
    assert matched(event).updated_at > before


def test_first_and_last_seen_are_the_dates_of_published_events(wechat, wechat_notice):
    dates = [dt.date(2018, 3, 1), dt.date(2019, 5, 2), dt.date(2021, 1, 1)]
    events = [
        EventFactory(
            platform=wechat, notice_text=WECHAT_ZH, date=day, status=Status.PUBLISHED
        )
        for day in dates
    ]
    EventFactory(
        platform=wechat, notice_text=WECHAT_ZH, date=dt.date(2024, 1, 1)
    )  # draft
    draft = Event.objects.get(status=Status.DRAFT)
    events_match_notices(event_ids=[*(e.pk for e in events), draft.pk])
    wechat_notice.refresh_from_db()
    assert (wechat_notice.first_seen, wechat_notice.last_seen) == (dates[0], dates[-1])


def test_import_matches_new_events_automatically(wechat, wechat_notice, okex_notice):
    report = import_text(
        jsonl(row("OKEx", notice_text=okex_notice), row("Huobi", notice_text=WECHAT_ZH))
    )
    assert report.created == 2
    assert set(Event.objects.values_list("notice", "notice_match")) == {
        (wechat_notice.pk, NoticeMatch.AUTO)
    }


def test_a_reimport_keeps_curator_decisions(wechat, wechat_notice, okex_notice):
    text = jsonl(row("OKEx", notice_text=okex_notice))
    import_text(text)
    Event.objects.update(notice=None, notice_match=NoticeMatch.REJECTED)
    import_text(
        jsonl(row("OKEx", notice_text=okex_notice, summary="Now with a summary."))
    )
    assert Event.objects.get().notice_match == NoticeMatch.REJECTED


def test_a_batch_costs_the_same_queries_for_10_or_300_events(
    wechat, wechat_notice, okex_notice, django_assert_max_num_queries
):
    texts = [okex_notice, WECHAT_ZH, "Unrelated words of a notice"]

    def batch(count: int) -> list[int]:
        return [
            EventFactory(platform=wechat, notice_text=texts[n % 3]).pk
            for n in range(count)
        ]

    small, large = batch(10), batch(300)
    events_match_notices(event_ids=[small[0]])  # compile the registry once
    # version, events, one update per outcome (one here), first/last seen
    with django_assert_max_num_queries(4):
        events_match_notices(event_ids=small)
    with django_assert_max_num_queries(4):
        events_match_notices(event_ids=large)
    assert Event.objects.filter(notice=wechat_notice).count() == 207


def test_a_batch_of_all_different_texts_is_one_bulk_update(
    wechat, wechat_notice, okex_notice, django_assert_max_num_queries
):
    # Shorter and shorter: each a different similarity, all above 85.
    ids = [
        EventFactory(platform=wechat, notice_text=okex_notice[: -1 - n]).pk
        for n in range(0, 40, 3)
    ]
    events_match_notices(event_ids=[])
    with django_assert_max_num_queries(4):
        changed = events_match_notices(event_ids=ids)
    scores = set(Event.objects.values_list("notice_match_score", flat=True))
    assert len(changed) == len(ids) and len(scores) == len(ids)


def test_without_notices_a_batch_costs_one_query(django_assert_num_queries):
    events = [EventFactory().pk for _ in range(20)]
    events_match_notices(event_ids=[])  # compile the (empty) registry
    with django_assert_num_queries(1):
        events_match_notices(event_ids=events)


def test_deleting_the_latest_sighting_in_the_admin_moves_last_seen_back(
    wechat, wechat_notice, admin_client
):
    from django.urls import reverse

    early, late = (
        EventFactory(
            platform=wechat, notice_text=WECHAT_ZH, date=day, status=Status.PUBLISHED
        )
        for day in (dt.date(2018, 3, 1), dt.date(2021, 1, 1))
    )
    events_match_notices(event_ids=[early.pk, late.pk])
    delete_url = reverse("admin:events_event_delete", args=[late.pk])

    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    wechat_notice.refresh_from_db()
    assert wechat_notice.last_seen == dt.date(2018, 3, 1)
