"""The public pages in a real browser: Debian's Chromium, headless, driven by
Playwright against a live server (the fixtures are in conftest.py).
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml import ElementTree
from playwright.sync_api import Page

from tests.web.conftest import (
    CHINESE_NOTICE,
    PERSIAN_NOTICE,
    XSS_PAYLOAD,
    build_record,
    screenshot,
)

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(live_server):
    """The live server's origin, with the test record published on it."""
    record = build_record()
    record.origin = live_server.url
    return record


def entry_titles(page: Page) -> list[str]:
    return page.locator(".entries .entry-title").all_inner_texts()


def test_timeline_renders_the_published_record(page, site):
    response = page.goto(site.origin + "/")

    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("h1").inner_text() == "Blocking and censorship events"
    assert len(entry_titles(page)) == len(site.published)
    assert page.locator("main svg.chart-svg").is_visible()
    assert page.get_by_text("Aug 2018", exact=True).is_visible()
    screenshot(page, "timeline")


def test_filter_link_narrows_the_timeline_and_changes_the_url(page, site):
    page.goto(site.origin + "/")

    page.locator(".quick-filters").get_by_role("link", name="WeChat").click()

    page.wait_for_url(lambda url: url == site.origin + "/?platform=wechat")
    assert entry_titles(page) == ["Huobi official account", "OKEx official account"]
    assert page.locator(".chip-value").all_inner_texts() == ["WeChat"]


def test_filter_form_narrows_the_timeline(page, site):
    page.goto(site.origin + "/")

    page.get_by_label("Country").select_option("IR")
    page.get_by_role("button", name="Show events").click()

    page.wait_for_url(lambda url: url == site.origin + "/?country=IR")
    assert entry_titles(page) == ["Telegram"]
    page.get_by_role("link", name="Remove filter Country: Iran").click()
    page.wait_for_url(site.origin + "/")
    assert len(entry_titles(page)) == len(site.published)


def test_search_finds_a_chinese_notice(page, site):
    page.goto(site.origin + "/")

    page.get_by_label("Search the record").fill("违反相关法律")
    page.get_by_label("Search the record").press("Enter")

    page.wait_for_url(lambda url: "?q=" in url)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["违反相关法律"]
    assert entry_titles(page) == ["OKEx official account"]
    assert page.locator(".entry-notice").inner_text() == CHINESE_NOTICE


def test_event_page_shows_its_notice_and_sources(page, site):
    page.goto(f"{site.origin}/events/{site.okex.public_id}/")

    notice = page.locator("blockquote.notice-text")
    assert notice.inner_text() == CHINESE_NOTICE
    assert notice.get_attribute("lang") == "zh"
    sources = page.locator(".sources .source")
    assert sources.count() == 1
    assert "CoinDesk" in sources.inner_text()
    assert sources.get_by_role("link", name="Archived copy").is_visible()
    assert site.okex.public_id.hex[:8] in page.locator("#citation").inner_text()
    screenshot(page, "event")


def test_persian_notice_is_laid_out_right_to_left(page, site):
    page.goto(f"{site.origin}/events/{site.persian.public_id}/")

    notice = page.locator("blockquote.notice-text")
    assert notice.inner_text() == PERSIAN_NOTICE
    assert notice.evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_entity_page_shows_counts_chart_and_timeline(page, site):
    page.goto(f"{site.origin}/platforms/wechat/")

    assert page.locator("h1").inner_text() == "WeChat"
    assert page.locator(".total-number").inner_text() == "2"
    assert page.get_by_role("img", name="Published events per year").is_visible()
    assert len(entry_titles(page)) == 2
    screenshot(page, "platform")


def test_atom_feed_is_xml_with_the_right_entries(page, site):
    response = page.request.get(site.origin + "/feed/?platform=wechat&country=CN")

    assert response.ok
    feed = ElementTree.fromstring(response.body())
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert ids == [site.huobi.public_id.urn, site.okex.public_id.urn]


def test_script_injection_never_runs(page, site):
    for path in ["/", "/platforms/hostile/", f"/events/{site.xss.public_id}/"]:
        page.goto(site.origin + path)
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[src='x']").count() == 0, path
        assert page.locator("a[href^='javascript:' i]").count() == 0, path
    # The payload is there, as text.
    assert "<script>window.__xss=1</script>" in page.locator("h1").inner_text()
    assert page.locator("blockquote.notice-text").inner_text() == XSS_PAYLOAD


def test_phone_sized_pages_do_not_scroll_sideways(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    paths = {
        "timeline-phone": "/",
        "event-phone": f"/events/{site.okex.public_id}/",
        None: f"/events/{site.xss.public_id}/",
        "platform-phone": "/platforms/telegram/",
    }
    for name, path in paths.items():
        page.goto(site.origin + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        if name:
            screenshot(page, name)
    context.close()


def test_pages_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.origin + "/")

    page.get_by_label("Platform", exact=True).select_option("telegram")
    page.get_by_role("button", name="Show events").click()

    page.wait_for_url(lambda url: url == site.origin + "/?platform=telegram")
    assert entry_titles(page) == ["Telegram", "Telegram channels"]
    context.close()
