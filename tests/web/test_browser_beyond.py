"""The notice registry, target lifecycles, dataset releases and merged events'
pages in a real browser (the fixtures are in conftest.py). The record is
written through the services, as editors write it, so the write hooks link
events to their targets and notices. Screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from events.choices import Action, ReleaseState, Status, TargetType
from events.models import Event
from events.selectors.releases import release_citation
from events.services.merges import events_merge
from events.services.releases import release_cut
from events.services.workflow import event_publish, event_unpublish
from events.tasks import cut_release
from tests.events.notice_support import make_notice
from tests.factories import EventFactory, PlatformFactory, SourceFactory
from tests.web.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TELEGRAM_EN = "This channel can't be displayed because it violated local laws."
TELEGRAM_FA = "این کانال به دلیل نقض قوانین محلی قابل نمایش نیست."
PHONE = {"width": 375, "height": 740}


def draft(**fields: object) -> Event:
    event = EventFactory(status=Status.DRAFT, **fields)
    SourceFactory(event=event)
    return event


def publish(editor, **fields: object) -> Event:
    """A draft with a source, published by an editor through the workflow
    (likely duplicates confirmed: the merge fixture makes one on purpose)."""
    return event_publish(event=draft(**fields), user=editor, confirm_duplicate=True)


def event_path(event: Event) -> str:
    return f"/events/{event.public_id}/"


def entry_titles(page: Page) -> list[str]:
    return page.locator(".entries .entry-title").all_inner_texts()


def direction(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).direction")


def sideways_overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


# --- The record --------------------------------------------------------------


@pytest.fixture
def registry(editor) -> SimpleNamespace:
    """A Telegram notice in English with a Persian wording; two published
    events showed it, one was published then withdrawn, one is a draft."""
    telegram = PlatformFactory(name="Telegram", slug="telegram")
    notice = make_notice(
        TELEGRAM_EN,
        platform=telegram,
        title="Telegram: channel blocked",
        countries=["IR", "RU"],
        variants=(("fa", TELEGRAM_FA),),
    )
    common = {"platform": telegram, "target_type": TargetType.ACCOUNT}
    shown = [
        publish(
            editor,
            **common,
            target="Channel in English",
            country="RU",
            date=dt.date(2018, 4, 16),
            notice_text=TELEGRAM_EN,
        ),
        publish(
            editor,
            **common,
            target="کانال خبری",
            country="IR",
            date=dt.date(2019, 6, 1),
            notice_text=TELEGRAM_FA,
            notice_language="fa",
        ),
    ]
    withdrawn = publish(editor, **common, target="Withdrawn", notice_text=TELEGRAM_EN)
    event_unpublish(event=withdrawn, user=editor, reason="not confirmed")
    hidden = draft(**common, target="Draft channel", notice_text=TELEGRAM_EN)
    return SimpleNamespace(notice=notice, shown=shown, hidden=[withdrawn, hidden])


@pytest.fixture
def lifecycles(editor) -> SimpleNamespace:
    """wikipedia.org in Turkey: blocked, restored, blocked again. An app in
    India was blocked then restored; an account in China is blocked."""
    wikipedia = {
        "platform": PlatformFactory(name="Wikipedia", slug="wikipedia"),
        "target": "wikipedia.org",
        "target_type": TargetType.WEBSITE,
        "target_url": "https://www.wikipedia.org/",
        "country": "TR",
    }
    periods = [
        publish(editor, **wikipedia, date=dt.date(2017, 4, 29)),
        publish(editor, **wikipedia, action=Action.RESTORED, date=dt.date(2020, 1, 15)),
        publish(editor, **wikipedia, date=dt.date(2022, 3, 1)),
    ]
    app = {"target": "Some app", "target_type": TargetType.APP, "country": "IN"}
    app["platform"] = publish(editor, **app, date=dt.date(2019, 5, 1)).platform
    publish(editor, **app, action=Action.RESTORED, date=dt.date(2021, 1, 1))
    publish(editor, target="@dissident", date=dt.date(2019, 5, 1))
    return SimpleNamespace(periods=periods)


@pytest.fixture
def releases(editor, settings, tmp_path, monkeypatch) -> SimpleNamespace:
    """Release 1, built by its task from two published events; release 2,
    cut but not built yet."""
    settings.RELEASES_ROOT = tmp_path / "releases"
    settings.SITE_URL = "https://tracker.example.org"
    queued: list[int] = []
    # The builds are run below, not sent to a worker of the shared broker.
    monkeypatch.setattr(cut_release, "delay", queued.append)
    publish(editor, target="Released account", country="CN")
    publish(editor, target="Another released account", country="IR")
    ready = release_cut(user=editor, title="Spring", notes="The first release.")
    cut_release(ready.pk)
    pending = release_cut(user=editor, title="Not built yet", notes="")
    assert queued == [ready.pk, pending.pk]
    ready.refresh_from_db()
    assert ready.state == ReleaseState.READY, ready.error
    return SimpleNamespace(ready=ready, pending=pending)


@pytest.fixture
def merged(editor) -> SimpleNamespace:
    """Two published reports of one block, the second merged into the first."""
    survivor = publish(editor, target="OKEx official account", date=dt.date(2018, 8, 1))
    duplicate = publish(
        editor,
        platform=survivor.platform,
        target="OKEx",
        date=dt.date(2018, 8, 1),
    )
    SourceFactory(
        event=duplicate,
        url="https://8btc.example/okex-blocked",
        title="Bitcoin news: OKEx blocked",
    )
    events_merge(survivor=survivor, absorbed=duplicate, user=editor, reason="same")
    return SimpleNamespace(survivor=survivor, duplicate=duplicate)


# --- The notice registry -----------------------------------------------------


def test_notice_list_leads_to_the_notice_page(page, live_server, registry):
    page.goto(live_server.url + "/notices/")

    entry = page.locator(".entries article", has_text="Telegram: channel blocked")
    assert "2 published events" in entry.inner_text()
    screenshot(page, "notices")
    entry.get_by_role("link", name="Telegram: channel blocked").click()

    page.wait_for_url(f"{live_server.url}/notices/{registry.notice.pk}/")
    assert page.locator("h1").inner_text() == "Telegram: channel blocked"


def test_notice_page_shows_each_wording_in_its_direction(page, live_server, registry):
    page.goto(f"{live_server.url}/notices/{registry.notice.pk}/")

    canonical, persian = page.locator("blockquote.notice-text").all()
    assert canonical.inner_text() == TELEGRAM_EN
    assert canonical.get_attribute("lang") == "en"
    assert direction(canonical) == "ltr"
    assert persian.inner_text() == TELEGRAM_FA
    assert persian.get_attribute("lang") == "fa"
    assert direction(persian) == "rtl"
    screenshot(page, "notice")


def test_notice_page_lists_only_the_published_events(page, live_server, registry):
    page.goto(f"{live_server.url}/notices/{registry.notice.pk}/")

    assert page.locator(".total-number").inner_text() == "2"
    assert entry_titles(page) == ["کانال خبری", "Channel in English"]
    for event in registry.hidden:
        assert page.locator(f"a[href='{event_path(event)}']").count() == 0
    assert "Withdrawn" not in page.locator("main").inner_text()
    assert "Draft channel" not in page.locator("main").inner_text()


# --- Target lifecycles -------------------------------------------------------


def test_target_page_shows_the_periods_in_order(page, live_server, lifecycles):
    page.goto(f"{live_server.url}/targets/{lifecycles.periods[0].target_ref_id}/")

    assert page.locator("h1").inner_text() == "wikipedia.org"
    assert page.locator(".target-state").inner_text() == "Blocked since 1 Mar 2022"
    rows = page.locator(".lifecycle-table tbody tr")
    assert [row.get_attribute("class") for row in rows.all()] == [
        "period-blocked",
        "period-restored",
        "period-blocked",
    ]
    cells = [row.locator("td").all_inner_texts() for row in rows.all()]
    assert [(c[0], c[1], c[2]) for c in cells] == [
        ("29 Apr 2017", "15 Jan 2020", "991 days"),
        ("15 Jan 2020", "1 Mar 2022", "776 days"),
        ("1 Mar 2022", "ongoing", "—"),
    ]
    assert page.locator(".lifecycle-svg rect.lifecycle-bar").count() == 3
    screenshot(page, "target")


def test_target_page_links_to_each_event(page, live_server, lifecycles):
    target = f"{live_server.url}/targets/{lifecycles.periods[0].target_ref_id}/"
    page.goto(target)

    for row, event in enumerate(lifecycles.periods):
        link = page.locator(".lifecycle-table tbody tr").nth(row).get_by_role("link")
        link.click()
        page.wait_for_url(live_server.url + event_path(event))
        assert page.locator("h1").inner_text().endswith("wikipedia.org")
        assert page.locator(f"time[datetime='{event.date.isoformat()}']").count()
        page.go_back()
        page.wait_for_url(target)


def blocked_targets(page: Page) -> list[str]:
    return page.locator(".blocked-now-table tbody th").all_inner_texts()


def test_blocked_now_lists_only_open_blocks(page, live_server, lifecycles):
    page.goto(live_server.url + "/blocked-now/")

    assert blocked_targets(page) == ["wikipedia.org", "@dissident"]
    assert "Some app" not in page.locator("main").inner_text()
    screenshot(page, "blocked-now")
    page.get_by_role("link", name="wikipedia.org").click()
    page.wait_for_url(
        f"{live_server.url}/targets/{lifecycles.periods[0].target_ref_id}/"
    )


def test_blocked_now_filter_form_narrows_the_list(page, live_server, lifecycles):
    page.goto(live_server.url + "/blocked-now/")

    page.get_by_label("Country").select_option("CN")
    page.get_by_role("button", name="Show targets").click()

    page.wait_for_url(lambda url: "country=CN" in url)
    assert parse_qs(urlsplit(page.url).query) == {"country": ["CN"]}
    assert blocked_targets(page) == ["@dissident"]
    page.get_by_label("Type of target").select_option("website")
    page.get_by_role("button", name="Show targets").click()
    page.wait_for_url(lambda url: "target_type=website" in url)
    assert page.locator(".blocked-now-table").count() == 0
    assert page.locator("p.empty").inner_text() == "No published target matches."


# --- Dataset releases --------------------------------------------------------


def test_release_list_offers_the_files_of_ready_releases(page, live_server, releases):
    page.goto(live_server.url + "/releases/")

    titles = page.locator(".releases .entry-title").all_inner_texts()
    assert titles == ["Release 1 · Spring"]
    csv_name = releases.ready.file_name("csv")
    row = page.locator("#release-1 tr", has=page.get_by_role("link", name=csv_name))
    shown_sha = row.locator("code").inner_text()
    screenshot(page, "releases")

    with page.expect_download() as download:
        row.get_by_role("link", name=csv_name).click()

    assert download.value.suggested_filename == csv_name
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == shown_sha == releases.ready.csv_sha256
    assert b"Released account" in data


def test_release_page_shows_its_citation(page, live_server, releases):
    page.goto(live_server.url + "/releases/")
    page.get_by_role("link", name="Release 1").click()

    page.wait_for_url(live_server.url + "/releases/1/")
    citation = page.locator("#citation")
    assert citation.is_visible()
    assert citation.inner_text().startswith("Censorship Tracker (")
    assert "https://tracker.example.org/releases/1/" in citation.inner_text()
    assert releases.ready.csv_sha256[:12] in citation.inner_text()
    assert page.locator("#bibtex").inner_text().startswith("@misc{")
    screenshot(page, "release")


def copy(page: Page, button: str) -> str:
    """Click a copy button, wait for its own status to say so; the clipboard."""
    clicked = page.get_by_role("button", name=button)
    clicked.click()
    status = clicked.locator("xpath=..").get_by_role("status")
    status.filter(has_text="Copied").wait_for()
    return page.evaluate("navigator.clipboard.readText()")


def test_release_copy_buttons_copy_the_citations(page, live_server, releases):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + "/releases/1/")
    citation = release_citation(releases.ready)

    assert copy(page, "Copy citation") == citation.text
    # The BibTeX wraps on a narrow screen; its copied lines are the same.
    assert copy(page, "Copy BibTeX") == citation.bibtex.strip()


def test_pending_release_has_no_page(page, live_server, releases):
    response = page.goto(f"{live_server.url}/releases/{releases.pending.number}/")

    assert response.status == 404


# --- Merged events -----------------------------------------------------------


def test_merged_event_url_lands_on_the_survivor(page, live_server, merged):
    response = page.goto(live_server.url + event_path(merged.duplicate))

    assert response.status == 200
    assert page.url == live_server.url + event_path(merged.survivor)
    assert page.locator("h1").inner_text().endswith("OKEx official account")
    # The duplicate's sources moved to the survivor.
    moved = page.locator(".sources a[href='https://8btc.example/okex-blocked']")
    assert moved.inner_text() == "Bitcoin news: OKEx blocked"
    screenshot(page, "merged-survivor")


# --- Phones ------------------------------------------------------------------


def test_pages_fit_a_phone_without_sideways_scrolling(
    page, live_server, registry, lifecycles, releases, merged
):
    page.set_viewport_size(PHONE)
    paths = {
        "notices-phone": "/notices/",
        "notice-phone": f"/notices/{registry.notice.pk}/",
        "target-phone": f"/targets/{lifecycles.periods[0].target_ref_id}/",
        "blocked-now-phone": "/blocked-now/",
        "releases-phone": "/releases/",
        "release-phone": "/releases/1/",
        "merged-survivor-phone": event_path(merged.duplicate),
    }
    overflowing = {}
    for name, path in paths.items():
        page.goto(live_server.url + path)
        overflowing[path] = sideways_overflow(page)
        screenshot(page, name)
    assert {path: px for path, px in overflowing.items() if px > 0} == {}
