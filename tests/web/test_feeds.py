import pytest
from defusedxml import ElementTree
from django.urls import reverse

from tests.web.conftest import XSS_PAYLOAD

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED = reverse("public:feed")


def atom(client, query: str = ""):
    response = client.get(FEED + query)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def entry_ids(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]


def test_feed_lists_every_published_event_and_nothing_else(client, record):
    feed = atom(client)

    assert sorted(entry_ids(feed)) == sorted(e.public_id.urn for e in record.published)


def test_feed_entries_link_to_event_pages(client, record):
    feed = atom(client, "?platform=wechat&action=blocked")

    (entry,) = feed.iter(f"{ATOM}entry")
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/events/{record.okex.public_id}/"
    assert (
        entry.findtext(f"{ATOM}title") == "WeChat blocked OKEx official account (China)"
    )


def test_feed_takes_the_timeline_filters(client, record):
    feed = atom(client, "?platform=wechat&country=CN")

    assert entry_ids(feed) == [record.huobi.public_id.urn, record.okex.public_id.urn]
    assert "Platform: WeChat, Country: China" in feed.findtext(f"{ATOM}title")


def test_feed_lists_newest_publications_first(client, record):
    record.old.published_at = record.xss.published_at.replace(year=2100)
    record.old.save()

    assert entry_ids(atom(client))[0] == record.old.public_id.urn


def test_feed_summary_is_escaped_html(client, record):
    feed = atom(client, "?platform=hostile")

    (entry,) = feed.iter(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # Once the XML is parsed, the HTML a reader renders must still be inert.
    assert XSS_PAYLOAD not in summary.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in summary.text


def test_feed_of_unknown_platform_is_404(client, record):
    assert client.get(FEED + "?platform=secretapp").status_code == 404


def test_feed_with_invalid_filter_is_400(client, record):
    assert client.get(FEED + "?action=banned").status_code == 400


def test_sitemap_index_lists_the_sections(client, record):
    response = client.get("/sitemap.xml")

    index = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-events.xml" in locations
    assert "http://testserver/sitemap-platforms.xml" in locations


def sitemap_locations(client, section: str) -> set[str]:
    response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    return {
        loc.text.removeprefix("http://testserver") for loc in tree.iter(f"{SITEMAP}loc")
    }


def test_sitemap_lists_published_events_only(client, record):
    expected = {f"/events/{e.public_id}/" for e in record.published}

    assert sitemap_locations(client, "events") == expected


def test_sitemap_lists_only_entities_with_published_events(client, record):
    platforms = sitemap_locations(client, "platforms")
    authorities = sitemap_locations(client, "authorities")
    countries = sitemap_locations(client, "countries")

    assert platforms == {
        "/platforms/wechat/",
        "/platforms/telegram/",
        "/platforms/hostile/",
    }
    assert authorities == {
        f"/authorities/{record.cac.slug}/",
        f"/authorities/{record.judiciary.slug}/",
        f"/authorities/{record.xss.authority.slug}/",
    }
    assert countries == {
        "/countries/CN/",
        "/countries/IR/",
        "/countries/RU/",
        "/countries/TR/",
    }
