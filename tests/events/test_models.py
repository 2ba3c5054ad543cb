import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.choices import DatePrecision, Status
from events.models import Authority, Event, Heartbeat, Platform, StatusChange
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    PlatformFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]


def error_fields(event: Event) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return set(caught.value.message_dict)


def test_a_complete_event_is_valid():
    EventFactory().full_clean()


@pytest.mark.parametrize("target", ["", "   ", "\n\t"])
def test_clean_refuses_an_empty_target(target):
    event = EventFactory.build(platform=PlatformFactory(), authority=None)
    event.target = target
    assert "target" in error_fields(event)


def test_clean_refuses_a_day_end_before_a_day_start():
    event = EventFactory(date=dt.date(2018, 8, 21))
    event.ended_on = dt.date(2018, 8, 20)
    assert error_fields(event) == {"ended_on"}


def test_clean_accepts_an_end_on_the_start_day():
    event = EventFactory(date=dt.date(2018, 8, 21))
    event.ended_on = dt.date(2018, 8, 21)
    event.full_clean()


def test_clean_accepts_an_end_month_that_contains_the_start_day():
    event = EventFactory(date=dt.date(2018, 8, 21))
    event.ended_on = dt.date(2018, 8, 1)
    event.ended_on_precision = DatePrecision.MONTH
    event.full_clean()


def test_clean_refuses_an_end_year_before_the_start_day():
    event = EventFactory(date=dt.date(2018, 4, 16))
    event.ended_on = dt.date(2017, 1, 1)
    event.ended_on_precision = DatePrecision.YEAR
    assert error_fields(event) == {"ended_on"}


def test_clean_refuses_an_end_month_before_the_start_month():
    event = EventFactory(date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH)
    event.ended_on = dt.date(2018, 7, 1)
    event.ended_on_precision = DatePrecision.MONTH
    assert error_fields(event) == {"ended_on"}


def test_clean_explains_an_end_before_the_start():
    event = EventFactory(date=dt.date(2018, 8, 21))
    event.ended_on = dt.date(2018, 8, 20)
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert caught.value.message_dict["ended_on"] == [
        "The end date is before the start date."
    ]


def test_clean_refuses_a_day_at_month_precision():
    event = EventFactory()
    event.date = dt.date(2018, 8, 15)
    event.date_precision = DatePrecision.MONTH
    assert error_fields(event) == {"date"}


def test_clean_refuses_a_month_at_year_precision():
    event = EventFactory()
    event.date = dt.date(2018, 8, 1)
    event.date_precision = DatePrecision.YEAR
    assert error_fields(event) == {"date"}


def test_clean_refuses_an_end_day_at_month_precision():
    event = EventFactory(date=dt.date(2018, 8, 1))
    event.ended_on = dt.date(2018, 9, 15)
    event.ended_on_precision = DatePrecision.MONTH
    assert error_fields(event) == {"ended_on"}


def test_clean_refuses_an_unknown_country():
    event = EventFactory()
    event.country = "XX"
    assert error_fields(event) == {"country"}


def test_clean_refuses_an_unknown_action():
    event = EventFactory()
    event.action = "banned"
    assert error_fields(event) == {"action"}


def test_clean_refuses_a_notice_language_that_is_not_a_language_tag():
    event = EventFactory()
    event.notice_language = "Chinese"
    assert error_fields(event) == {"notice_language"}


def test_database_refuses_a_month_precision_date_on_the_15th():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date=dt.date(2018, 8, 15), date_precision=DatePrecision.MONTH)


def test_database_refuses_a_year_precision_date_after_january_1st():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date=dt.date(2018, 3, 1), date_precision=DatePrecision.YEAR)


def test_database_refuses_a_month_precision_end_on_the_15th():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(
            date=dt.date(2018, 8, 1),
            ended_on=dt.date(2018, 9, 15),
            ended_on_precision=DatePrecision.MONTH,
        )


def test_database_refuses_a_day_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date=dt.date(2018, 8, 21), ended_on=dt.date(2018, 8, 20))


def test_database_accepts_a_month_end_containing_the_start_day():
    EventFactory(
        date=dt.date(2018, 8, 21),
        ended_on=dt.date(2018, 8, 1),
        ended_on_precision=DatePrecision.MONTH,
    )
    assert Event.objects.count() == 1


def test_database_refuses_an_empty_target():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(target="")


def test_database_refuses_a_second_authority_of_that_name_in_that_country():
    Authority.objects.create(name="Cyberspace Administration", slug="a", country="CN")
    with pytest.raises(IntegrityError), transaction.atomic():
        Authority.objects.create(
            name="Cyberspace Administration", slug="b", country="CN"
        )


def test_an_authority_of_that_name_may_exist_in_another_country():
    AuthorityFactory(name="Ministry of Communications", country="CN")
    AuthorityFactory(name="Ministry of Communications", country="IR")
    assert Authority.objects.filter(name="Ministry of Communications").count() == 2


def test_database_refuses_the_same_source_url_twice_for_an_event():
    event = EventFactory()
    SourceFactory(event=event, url="https://news.example.org/okex")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(event=event, url="https://news.example.org/okex")


@pytest.mark.parametrize(
    "text",
    [
        "  The account is   currently blocked.\n\nContent is not available.  ",
        "Line one\r\nLine two\rLine three\n",
        "\t\u00a0tab and no-break space\u2028line separator",
        "该账号已被屏蔽，内容无法查看。\n根据用户投诉，该平台可能违反了相关法律法规。",
        "Доступ к информационному ресурсу ограничен\nна основании Федерального закона",
        "این سایت بنا بر مقررات\u200cکشور قابل دسترسی نیست\nدر دسترس نیست",
    ],
)
def test_notice_text_is_stored_exactly(text):
    event = EventFactory(notice_text=text)
    assert Event.objects.get(pk=event.pk).notice_text == text


def test_platform_str_is_its_name():
    assert str(PlatformFactory(name="WeChat", slug="wechat")) == "WeChat"


def test_authority_str_names_its_country():
    authority = AuthorityFactory(name="Cyberspace Administration", country="CN")
    assert str(authority) == "Cyberspace Administration (CN)"


def test_authority_without_country_str_is_its_name():
    assert str(AuthorityFactory(name="Apple", country="")) == "Apple"


def test_event_str_names_platform_action_target_and_date():
    event = EventFactory(
        platform=PlatformFactory(name="WeChat", slug="wechat"),
        target="OKEx",
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
    )
    assert str(event) == "WeChat blocked OKEx (2018-08)"


def test_source_str_is_its_title():
    assert str(SourceFactory(title="WeChat blocks exchanges")) == (
        "WeChat blocks exchanges"
    )


def test_source_without_title_str_is_its_url():
    source = SourceFactory(title="", url="https://news.example.org/okex")
    assert str(source) == "https://news.example.org/okex"


def test_status_change_str_names_statuses_and_user():
    change = StatusChange.objects.create(
        event=EventFactory(),
        from_status=Status.DRAFT,
        to_status=Status.IN_REVIEW,
        user=UserFactory(username="mina"),
    )
    assert str(change) == "draft → in_review by mina"


def test_status_change_without_user_or_origin_str_says_system():
    change = StatusChange.objects.create(event=EventFactory(), to_status=Status.DRAFT)
    assert str(change) == "∅ → draft by system"


def test_heartbeat_str_names_component_and_time():
    beat = Heartbeat(
        name="worker", seen_at=dt.datetime(2018, 8, 21, 10, 5, 0, tzinfo=dt.UTC)
    )
    assert str(beat) == "worker at 2018-08-21 10:05:00"


def test_date_display_writes_the_date_at_its_precision():
    event = EventFactory.build(date=dt.date(2018, 1, 1), date_precision="year")
    assert event.date_display == "2018"


def test_ended_on_display_is_empty_while_ongoing():
    assert EventFactory.build(ended_on=None).ended_on_display == ""


def test_an_event_without_end_is_ongoing():
    assert EventFactory.build(ended_on=None).is_ongoing


def test_an_event_with_an_end_is_not_ongoing():
    assert not EventFactory.build(ended_on=dt.date(2018, 9, 1)).is_ongoing


def test_platform_match_keys_fold_case_and_spaces_of_name_slug_and_aliases():
    platform = PlatformFactory(
        name="We  Chat", slug="wechat", aliases=["微信", " Weixin "]
    )
    assert platform.match_keys() == {"we chat", "wechat", "微信", "weixin"}


def test_events_are_listed_newest_first():
    older = EventFactory(date=dt.date(2018, 1, 5))
    newer = EventFactory(date=dt.date(2018, 8, 21))
    assert list(Event.objects.all()) == [newer, older]


def test_published_selects_only_published_events():
    EventFactory(status=Status.DRAFT)
    published = EventFactory(status=Status.PUBLISHED)
    assert list(Event.objects.published()) == [published]


def test_awaiting_review_selects_drafts_and_events_in_review():
    draft = EventFactory(status=Status.DRAFT, date=dt.date(2018, 1, 1))
    in_review = EventFactory(status=Status.IN_REVIEW, date=dt.date(2018, 2, 1))
    EventFactory(status=Status.PUBLISHED)
    EventFactory(status=Status.REJECTED)
    assert list(Event.objects.awaiting_review()) == [in_review, draft]


def test_platform_history_records_creation():
    platform = Platform.objects.create(name="WeChat", slug="wechat")
    assert platform.history.count() == 1
