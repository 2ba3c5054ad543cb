"""The notice registry in the admin, and curators' decisions about an event's
notice match, through the real admin pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.choices import NoticeKind, NoticeMatch, Status
from events.models import Event, Notice, NoticeVariant
from events.services.notices import events_match_notices
from events.tasks import rematch_notices
from tests.events.admin_support import (
    add_url,
    change_url,
    changelist_url,
    form_data,
)
from tests.events.notice_support import WECHAT_ZH, make_notice
from tests.factories import EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(wechat, okex_notice):
    return make_notice(okex_notice, platform=wechat, title="WeChat: account blocked")


@pytest.fixture
def matched(wechat, notice):
    """A draft whose Chinese notice text was matched automatically."""
    event = EventFactory(
        platform=wechat,
        notice_text="此帐号已被屏蔽,内容无法查看",
        notice_language="zh",
    )
    make_notice(WECHAT_ZH, platform=wechat, language="zh", title="WeChat (zh)")
    events_match_notices(event_ids=[event.pk])
    event.refresh_from_db()
    assert event.notice_match == NoticeMatch.AUTO
    return event


def decide_url(event: Event) -> str:
    return reverse("admin:events_event_notice", args=[event.pk])


def last_history(event: Event):
    return event.history.order_by("-history_id").first()


# --- The registry -------------------------------------------------------------


def test_curators_list_search_and_filter_notices(client, curator, notice):
    make_notice("A national blockpage.", kind=NoticeKind.BLOCKPAGE)
    client.force_login(curator)
    listed = client.get(changelist_url("notice"), {"kind": NoticeKind.PLATFORM})
    assert list(listed.context["cl"].result_list) == [notice]
    found = client.get(changelist_url("notice"), {"q": "users’ complaints"})
    assert list(found.context["cl"].result_list) == [notice]
    by_platform = client.get(
        changelist_url("notice"), {"platform__id__exact": notice.platform_id}
    )
    assert list(by_platform.context["cl"].result_list) == [notice]


def test_an_editor_adds_a_notice_with_a_variant(client, editor, wechat):
    client.force_login(editor)
    data = form_data(client.get(add_url("notice")), "notice_form")
    data.update(
        kind=NoticeKind.PLATFORM,
        title="WeChat: content violation",
        platform=wechat.pk,
        countries="cn, HK",
        canonical_text="此内容因违规无法查看",
        language="zh",
        **{
            "variants-0-text": "This content cannot be viewed",
            "variants-0-language": "en",
        },
    )
    response = client.post(add_url("notice"), data)
    assert response.status_code == 302, response.context["errors"]
    notice = Notice.objects.get(title="WeChat: content violation")
    assert notice.countries == ["CN", "HK"]
    assert notice.fingerprint == "此内容因违规无法查看"
    assert notice.history.get().history_user == editor
    variant = notice.variants.get()
    assert (variant.language, variant.fingerprint) == (
        "en",
        "this content cannot be viewed",
    )
    assert variant.history.get().history_user == editor


def test_a_wording_the_notice_has_is_refused(client, editor, notice):
    client.force_login(editor)
    data = form_data(client.get(change_url(notice, "notice")), "notice_form")
    data.update(
        **{
            "variants-0-text": f"“{notice.canonical_text.upper()}”",
            "variants-0-language": "en",
        }
    )
    response = client.post(change_url(notice, "notice"), data)
    assert response.status_code == 200
    assert "already has this wording" in response.content.decode()
    assert not NoticeVariant.objects.exists()


def test_a_saved_notice_schedules_matching_every_event_again(
    client, editor, notice, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    data = form_data(client.get(change_url(notice, "notice")), "notice_form")
    data.update(title="WeChat: account blocked after complaints")
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(change_url(notice, "notice"), data).status_code == 302
    assert [c.func.__name__ for c in callbacks] == ["enqueue"]
    assert callbacks[0].args == (rematch_notices,)


def test_the_rematch_task_links_events_to_a_new_notice(wechat, okex_notice):
    event = EventFactory(platform=wechat, notice_text=okex_notice)
    notice = make_notice(okex_notice, platform=wechat)
    assert rematch_notices() == 1
    assert rematch_notices() == 0
    event.refresh_from_db()
    assert event.notice == notice


def test_a_seeded_notice_is_read_only_but_takes_variants(client, editor, wechat):
    seeded = make_notice(
        "Seeded wording of a notice.", platform=wechat, origin="seed:x"
    )
    client.force_login(editor)
    page = client.get(change_url(seeded, "notice"))
    assert 'name="canonical_text"' not in page.content.decode()
    data = form_data(page, "notice_form")
    data.update(**{"variants-0-text": "Other wording", "variants-0-language": "en"})
    assert client.post(change_url(seeded, "notice"), data).status_code == 302
    seeded.refresh_from_db()
    assert seeded.canonical_text == "Seeded wording of a notice."
    assert seeded.variants.get().text == "Other wording"


def test_the_notice_page_lists_the_events_that_carried_it(client, curator, matched):
    client.force_login(curator)
    content = client.get(change_url(matched.notice, "notice")).content.decode()
    assert change_url(matched) in content
    every = client.get(
        changelist_url(), {"notice__id__exact": matched.notice_id, "status": "all"}
    )
    assert list(every.context["cl"].result_list) == [matched]


def test_an_editor_deletes_a_notice_and_its_events_are_matched_again(
    client, editor, matched, notice
):
    zh_notice = matched.notice
    client.force_login(editor)
    response = client.post(
        reverse("admin:events_notice_delete", args=[zh_notice.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    matched.refresh_from_db()
    assert matched.notice is None and matched.notice_match == NoticeMatch.NONE
    assert not Notice.objects.filter(pk=zh_notice.pk).exists()


# --- Decisions on an event ------------------------------------------------------


def test_the_event_page_shows_the_match_and_its_score(client, curator, matched):
    client.force_login(curator)
    content = client.get(change_url(matched)).content.decode()
    assert "WeChat (zh)" in content
    assert f"{matched.notice_match_score:.1f}% similar" in content
    assert decide_url(matched) in content


def test_a_curator_confirms_the_match(client, curator, matched):
    client.force_login(curator)
    page = client.get(decide_url(matched))
    assert page.status_code == 200 and "此帐号已被屏蔽" in page.content.decode()
    response = client.post(decide_url(matched), {"decision": "confirm"})
    assert response.status_code == 302
    matched.refresh_from_db()
    assert matched.notice_match == NoticeMatch.CONFIRMED
    assert last_history(matched).history_user == curator
    assert "confirmed" in last_history(matched).history_change_reason
    # The new wording is a variant now, in the event's language.
    variant = matched.notice.variants.get()
    assert (variant.text, variant.language) == (matched.notice_text, "zh")


def test_a_curator_corrects_the_match(client, curator, matched, notice):
    client.force_login(curator)
    response = client.post(
        decide_url(matched), {"decision": "other", "notice": notice.pk}
    )
    assert response.status_code == 302
    matched.refresh_from_db()
    assert (matched.notice, matched.notice_match) == (notice, NoticeMatch.CONFIRMED)
    assert "corrected" in last_history(matched).history_change_reason
    assert notice.variants.filter(text=matched.notice_text).exists()


def test_choosing_another_notice_needs_one(client, curator, matched):
    client.force_login(curator)
    response = client.post(decide_url(matched), {"decision": "other"})
    assert response.status_code == 200
    assert "Choose the notice it is." in response.content.decode()


def test_a_curator_rejects_the_match_and_matching_keeps_off(client, curator, matched):
    client.force_login(curator)
    assert client.post(decide_url(matched), {"decision": "reject"}).status_code == 302
    matched.refresh_from_db()
    assert (matched.notice, matched.notice_match) == (None, NoticeMatch.REJECTED)
    assert last_history(matched).history_user == curator
    events_match_notices(event_ids=[matched.pk])
    matched.refresh_from_db()
    assert matched.notice is None


def test_a_decision_can_be_undone(client, curator, matched):
    client.force_login(curator)
    client.post(decide_url(matched), {"decision": "reject"})
    assert (
        client.post(decide_url(matched), {"decision": "automatic"}).status_code == 302
    )
    matched.refresh_from_db()
    assert matched.notice_match == NoticeMatch.AUTO and matched.notice is not None


def test_only_editors_decide_about_a_published_event(client, curator, editor, notice):
    event = EventFactory(
        platform=notice.platform,
        notice_text=notice.canonical_text,
        status=Status.PUBLISHED,
    )
    SourceFactory(event=event)
    events_match_notices(event_ids=[event.pk])
    client.force_login(curator)
    assert client.post(decide_url(event), {"decision": "confirm"}).status_code == 403
    client.force_login(editor)
    assert client.post(decide_url(event), {"decision": "confirm"}).status_code == 302
    event.refresh_from_db()
    notice.refresh_from_db()
    assert event.notice_match == NoticeMatch.CONFIRMED
    assert notice.first_seen == notice.last_seen == event.date


def test_confirming_without_a_match_says_what_to_do(client, curator, wechat):
    event = EventFactory(platform=wechat, notice_text="Nothing known.")
    client.force_login(curator)
    response = client.post(decide_url(event), {"decision": "confirm"}, follow=True)
    assert "no matched notice" in response.content.decode()
    event.refresh_from_db()
    assert event.notice_match == NoticeMatch.NONE


def test_the_other_notice_is_found_by_autocomplete(client, curator, matched, notice):
    client.force_login(curator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "event",
            "field_name": "notice",
            "term": "complaints",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(notice.pk)]


def test_curators_read_the_registry_but_do_not_change_it(client, curator, notice):
    client.force_login(curator)

    page = client.get(f"/admin/events/notice/{notice.pk}/change/")
    add = client.get("/admin/events/notice/add/")
    changed = client.post(
        f"/admin/events/notice/{notice.pk}/change/",
        {"title": "Changed by a curator", "canonical_text": "x", "kind": notice.kind},
    )

    notice.refresh_from_db()
    assert page.status_code == 200
    assert add.status_code == 403
    assert changed.status_code == 403
    assert notice.title != "Changed by a curator"


def test_the_registry_services_refuse_a_curator(curator, notice):
    from events.exceptions import NotPermitted
    from events.models import NoticeVariant
    from events.services.notice_curation import notices_delete
    from events.services.notices import (
        notice_save,
        notice_variant_delete,
        notice_variant_save,
    )

    notice.title = "Renamed by a curator"
    variant = NoticeVariant(notice=notice, text="Another wording", language="en")

    for attempt in (
        lambda: notice_save(notice=notice, user=curator),
        lambda: notice_variant_save(variant=variant, user=curator),
        lambda: notices_delete(notices=[notice], user=curator),
    ):
        with pytest.raises(NotPermitted):
            attempt()
    saved = notice_variant_save(variant=variant, user=None)
    with pytest.raises(NotPermitted):
        notice_variant_delete(variant=saved, user=curator)
