"""Editing events, platforms and authorities through the admin's forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from events.admin.forms import precision_conflict
from events.choices import DatePrecision, Status
from events.dates import parse_partial_date
from events.languages import text_direction
from events.models import Authority, Event, Platform
from tests.events.admin_support import (
    add_url,
    change_url,
    changelist_url,
    form_data,
)
from tests.factories import EventFactory, PlatformFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]


def edit(client, event, **changes):
    """Post the event's change form as rendered, with `changes` typed in."""
    data = form_data(client.get(change_url(event)))
    data.update(changes)
    return client.post(change_url(event), data)


def field_errors(response, name: str) -> list[str]:
    return response.context["adminform"].form.errors.get(name, [])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"target": ""}, "target", "This field is required"),
        ({"target": "   "}, "target", "This field is required"),
        ({"date": "21 August 2018"}, "date", "is not a date"),
        ({"date": "2018-02-30"}, "date", "is not a valid date"),
        (
            {"date": "2018-08-21", "date_precision": "month"},
            "date",
            "A day is given but the precision is month",
        ),
        (
            {"date": "2018-08", "date_precision": "day"},
            "date",
            "The source gave no day: use month precision or give the day",
        ),
        (
            {"ended_on": "2018-08-20", "ended_on_precision": ""},
            "ended_on",
            "The end date is before the start date",
        ),
        ({"notice_language": "Persian!"}, "notice_language", "BCP 47"),
    ],
)
def test_invalid_input_is_shown_in_the_form(
    client, curator, draft, changes, field, message
):
    client.force_login(curator)

    response = edit(client, draft, **changes)

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field))
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.date == dt.date(2018, 8, 21)
    assert draft.target.startswith("Target account")


@pytest.mark.parametrize(
    ("text", "chosen", "conflict"),
    [
        ("2018-08-21", "day", False),
        ("2018-08-21", "month", True),
        ("2018-08-01", "month", False),
        ("2018-08-01", "year", True),
        ("2018-01-01", "year", False),
        ("2018-08", "day", True),
        ("2018", "month", True),
        ("2018", "year", False),
    ],
)
def test_precision_may_be_coarser_than_typed_but_never_finer(text, chosen, conflict):
    value, typed = parse_partial_date(text)

    assert bool(precision_conflict(value, typed, chosen)) is conflict


@pytest.mark.parametrize(
    ("language", "direction"),
    [("fa", "rtl"), ("ar-EG", "rtl"), ("az-Arab", "rtl"), ("ur", "rtl")]
    + [("he", "rtl"), ("zh-Hans", "auto"), ("ru", "auto"), ("", "auto")]
    + [("fa-Latn", "auto")],
)
def test_notice_direction_follows_the_language_tag(language, direction):
    assert text_direction(language) == direction


def test_month_given_with_blank_precision_is_saved_at_month_precision(
    client, curator, draft
):
    client.force_login(curator)

    response = edit(client, draft, date="2018-08", date_precision="")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.date, draft.date_precision) == (dt.date(2018, 8, 1), "month")


def test_partial_dates_render_at_their_precision(client, curator):
    event = EventFactory(
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        ended_on=dt.date(2019, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
    )
    client.force_login(curator)

    data = form_data(client.get(change_url(event)))

    assert (data["date"], data["date_precision"]) == ("2018-08", "month")
    assert (data["ended_on"], data["ended_on_precision"]) == ("2019", "year")


def test_unchanged_partial_dates_save_unchanged(client, curator):
    event = EventFactory(date=dt.date(2018, 1, 1), date_precision=DatePrecision.YEAR)
    client.force_login(curator)

    response = edit(client, event, summary="Reported in two outlets.")

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.date_display, event.summary) == ("2018", "Reported in two outlets.")


def test_clearing_the_end_date_makes_the_event_ongoing(client, curator):
    event = EventFactory(ended_on=dt.date(2019, 5, 1), ended_on_precision="month")
    client.force_login(curator)

    edit(client, event, ended_on="")

    event.refresh_from_db()
    assert event.ended_on is None
    assert event.is_ongoing


def test_add_form_takes_the_precision_from_the_date_as_typed(client, curator):
    platform = PlatformFactory()
    client.force_login(curator)
    data = form_data(client.get(add_url()))
    data.update(
        platform=platform.pk,
        target="@navalny",
        target_type="account",
        country="RU",
        action="blocked",
        date="2018",
        **{"sources-0-url": "https://meduza.example/navalny"},
    )

    response = client.post(add_url(), data)

    assert response.status_code == 302
    event = Event.objects.get(target="@navalny")
    assert (event.date_display, event.status) == ("2018", Status.DRAFT)
    assert event.sources.get().url == "https://meduza.example/navalny"
    created = event.status_changes.get()
    assert (created.from_status, created.to_status, created.user) == (
        "",
        Status.DRAFT,
        curator,
    )


NOTICE = (
    "  该账号因违反《互联网用户账号名称管理规定》\n"
    "已被封禁。\n\n"
    "  این  حساب   مسدود شده است.  \n"
    "\tThe account is  blocked.  "
)


def test_notice_text_round_trips_exactly(client, curator, draft):
    client.force_login(curator)

    # Browsers send textarea line breaks as CRLF.
    edit(client, draft, notice_text=NOTICE.replace("\n", "\r\n"))
    draft.refresh_from_db()
    rendered = form_data(client.get(change_url(draft)))

    assert draft.notice_text == NOTICE
    assert rendered["notice_text"] == NOTICE


def test_resaving_keeps_the_notice_text(client, curator):
    event = EventFactory(notice_text=NOTICE, notice_language="fa")
    client.force_login(curator)

    edit(client, event, summary="Checked.")

    event.refresh_from_db()
    assert event.notice_text == NOTICE


def test_status_posted_in_the_change_form_is_ignored(client, curator, draft):
    client.force_login(curator)

    response = edit(client, draft, status="published", published_at="2024-01-01")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


def test_curator_sees_a_published_event_read_only(client, curator, published):
    client.force_login(curator)

    content = client.get(change_url(published)).content.decode()

    assert 'name="target"' not in content
    assert 'name="sources-0-url"' not in content
    assert 'name="_save"' not in content
    assert "2018-08-21" in content


def test_curator_cannot_post_changes_to_a_published_event(client, curator, published):
    client.force_login(curator)
    data = form_data(client.get(change_url(published)))
    data.update(target="Something else")

    response = client.post(change_url(published), data)

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.target != "Something else"


def test_editor_may_correct_a_published_event(client, editor, published):
    client.force_login(editor)

    response = edit(client, published, summary="Corrected the date.")

    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.summary, published.status) == ("Corrected the date.", "published")


def test_curator_cannot_delete_events(client, curator, draft):
    client.force_login(curator)

    url = reverse("admin:events_event_delete", args=[draft.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Event.objects.filter(pk=draft.pk).exists()


def test_platform_aliases_are_edited_one_per_line(client, curator):
    client.force_login(curator)
    data = form_data(client.get(add_url("platform")), "platform_form")
    data.update(
        name="WeChat", slug="wechat", aliases="微信\r\n  Weixin \r\n\r\n微信\r\n"
    )

    client.post(add_url("platform"), data)
    platform = Platform.objects.get(slug="wechat")
    rendered = form_data(client.get(change_url(platform, "platform")), "platform_form")

    assert platform.aliases == ["微信", "Weixin"]
    assert rendered["aliases"] == "微信\nWeixin"


def test_platform_search_finds_aliases_in_any_script(client, curator):
    wechat = PlatformFactory(name="WeChat", slug="wechat", aliases=["微信", "Weixin"])
    PlatformFactory(name="Telegram", slug="telegram")
    client.force_login(curator)

    response = client.get(changelist_url("platform"), {"q": "微信"})

    assert list(response.context["cl"].result_list) == [wechat]


def test_authority_aliases_are_edited_one_per_line(client, curator):
    client.force_login(curator)
    data = form_data(client.get(add_url("authority")), "authority_form")
    data.update(
        name="Roskomnadzor",
        slug="roskomnadzor-ru",
        country="RU",
        kind="regulator",
        aliases="Роскомнадзор\nRKN",
    )

    response = client.post(add_url("authority"), data)

    assert response.status_code == 302
    authority = Authority.objects.get(slug="roskomnadzor-ru")
    assert authority.aliases == ["Роскомнадзор", "RKN"]


def _publish_while_loading(monkeypatch, editor):
    """Simulate an editor publishing the event after the admin loaded it for a
    POST and before the form is saved (the window of a concurrent edit)."""
    from events.admin.event import EventAdmin
    from events.services import event_publish

    loaded = EventAdmin.get_object

    def get_object(self, request, object_id, from_field=None):
        event = loaded(self, request, object_id, from_field)
        if request.method == "POST" and event is not None:
            event_publish(event=Event.objects.get(pk=event.pk), user=editor)
        return event

    monkeypatch.setattr(EventAdmin, "get_object", get_object)


def test_saving_a_stale_form_keeps_a_publication_made_meanwhile(
    client, editor, in_review, monkeypatch
):
    client.force_login(editor)
    data = form_data(client.get(change_url(in_review)))
    data.update(summary="Typo fixed.")
    _publish_while_loading(monkeypatch, editor)

    response = client.post(change_url(in_review), data)

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert (in_review.status, in_review.summary) == ("published", "Typo fixed.")
    assert in_review.published_at is not None
    assert in_review.history.first().status == "published"


def test_curator_edit_is_refused_when_the_event_was_published_meanwhile(
    client, curator, editor, in_review, monkeypatch
):
    client.force_login(curator)
    data = form_data(client.get(change_url(in_review)))
    data.update(summary="Curator's late change.")
    _publish_while_loading(monkeypatch, editor)

    response = client.post(change_url(in_review), data)

    # The simulated publication ran inside the refused request's transaction,
    # so it is rolled back with it; what matters is that the edit was refused.
    assert response.status_code == 403
    assert b"you may no longer edit it" in response.content
    in_review.refresh_from_db()
    assert in_review.summary != "Curator's late change."
