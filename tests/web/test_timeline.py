import re

import pytest
from django.urls import reverse

from tests.web.conftest import CHINESE_NOTICE

pytestmark = pytest.mark.django_db

HOME = reverse("public:timeline")


def page(client, query: str = "") -> str:
    response = client.get(HOME + query)
    assert response.status_code == 200
    return response.content.decode()


def entry_titles(html: str) -> list[str]:
    return re.findall(r'class="entry-title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def test_timeline_lists_published_events_newest_first(client, record):
    titles = entry_titles(page(client))

    assert titles == [
        "Account &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
        "&lt;script&gt;window.__xss=1&lt;/script&gt;",
        "Huobi official account",
        "OKEx official account",
        "Telegram",
        "Telegram channels",
    ]


def test_timeline_never_shows_unpublished_events(client, record):
    html = page(client)

    assert "Unpublished" not in html
    assert "WeChat draft" not in html
    assert "Secretapp" not in html
    assert "Hidden Office" not in html


def test_summary_counts_only_published_events(client, record):
    html = page(client)

    assert re.search(r'class="total-number">5<', html)
    assert re.search(r'class="total-number">2<', page(client, "?platform=wechat"))


def test_dates_are_shown_at_their_precision(client, record):
    html = page(client)

    assert ">Aug 2018</time>" in html
    assert ">1 Aug 2018" not in html
    assert ">21 Aug 2018</time>" in html
    assert ">2016</time>" in html
    assert "Jan 2016" not in html


def test_events_are_grouped_by_year_then_month(client, record):
    html = page(client)

    headings = re.findall(r'class="(?:year|month)-title"[^>]*>([^<]+)<', html)
    assert headings == [
        "2020",
        "February 2020",
        "2018",
        "August 2018",
        "April 2018",
        "2016",
        "2016, month not known",
    ]


def test_entry_shows_platform_country_name_authority_and_state(client, record):
    html = page(client, "?platform=telegram")

    assert ">Iran</a>" in html
    assert ">Judiciary of Iran</a>" in html
    assert "Ended 2019" in html
    assert "Authority not known" in html


def test_ongoing_events_say_so(client, record):
    assert "Ongoing" in page(client, "?platform=wechat")


def test_filter_by_platform_narrows_the_timeline(client, record):
    titles = entry_titles(page(client, "?platform=wechat"))

    assert titles == ["Huobi official account", "OKEx official account"]


def test_filter_by_country_accepts_lower_case(client, record):
    assert entry_titles(page(client, "?country=ir")) == ["Telegram"]


def test_filter_by_authority(client, record):
    titles = entry_titles(page(client, f"?authority={record.judiciary.slug}"))

    assert titles == ["Telegram"]


def test_filter_by_action(client, record):
    assert entry_titles(page(client, "?action=suspended")) == ["Huobi official account"]


def test_filter_by_year(client, record):
    titles = entry_titles(page(client, "?year=2018"))

    assert titles == ["Huobi official account", "OKEx official account", "Telegram"]


def test_filters_combine(client, record):
    titles = entry_titles(page(client, "?platform=wechat&action=blocked&year=2018"))

    assert titles == ["OKEx official account"]


def test_search_finds_a_chinese_notice(client, record):
    titles = entry_titles(page(client, "?q=违反相关法律"))

    assert titles == ["OKEx official account"]
    assert CHINESE_NOTICE in page(client, "?q=违反相关法律")


def test_search_never_finds_unpublished_events(client, record):
    assert entry_titles(page(client, "?q=Unpublished")) == []


@pytest.mark.parametrize(
    "query", ["?platform=no-such-platform", "?platform=secretapp", "?authority=nobody"]
)
def test_unknown_or_unpublished_entity_filter_is_404(client, record, query):
    assert client.get(HOME + query).status_code == 404


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("?country=XX", "“XX” is not a country code."),
        ("?country=China", "“China” is not a country code."),
        ("?action=banned", "“banned” is not an action."),
        ("?year=20x8", "“20x8” is not a year."),
        ("?year=0000", "“0000” is not a year."),
        ("?year=9999", "“9999” is not a year."),
        ("?year=２０１８", "“２０１８” is not a year."),
        ("?before=yesterday", "“yesterday” is not a page of this list."),
        ("?q=%00", "The query contains a NUL character."),
    ],
)
def test_invalid_filter_values_are_400_with_a_reason(client, record, query, reason):
    response = client.get(HOME + query)

    assert response.status_code == 400
    assert reason in response.content.decode()


def test_unknown_parameters_are_ignored(client, record):
    assert len(entry_titles(page(client, "?utm_source=newsletter"))) == 5


def test_active_filters_are_chips_that_remove_themselves(client, record):
    html = page(client, "?platform=wechat&year=2018")

    assert 'Platform:</span> <span class="chip-value">WeChat</span>' in html
    assert 'href="/?year=2018" aria-label="Remove filter Platform: WeChat"' in html
    assert 'href="/?platform=wechat" aria-label="Remove filter Year: 2018"' in html


def test_country_chip_shows_the_country_name(client, record):
    assert '<span class="chip-value">China</span>' in page(client, "?country=CN")


def test_no_chips_without_filters(client, record):
    assert "chip-remove" not in page(client)


def test_filter_form_offers_only_published_values(client, record):
    html = page(client)

    assert '<option value="wechat">WeChat</option>' in html
    assert '<option value="IR">Iran</option>' in html
    assert '<option value="2016">2016</option>' in html
    assert 'value="secretapp"' not in html
    assert 'value="KP"' not in html


def test_filter_form_keeps_the_current_choice(client, record):
    html = page(client, "?platform=wechat&q=OKEx")

    assert '<option value="wechat" selected>WeChat</option>' in html
    assert 'name="q" value="OKEx"' in html


def test_filtered_page_links_its_atom_feed(client, record):
    html = page(client, "?platform=wechat&country=CN")

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Published events matching these filters (Atom)" '
        'href="/feed/?platform=wechat&amp;country=CN">'
    ) in html


def test_action_counts_link_to_the_narrowed_timeline(client, record):
    html = page(client, "?platform=wechat")

    assert 'href="/?platform=wechat&amp;action=suspended"' in html


def test_pages_carry_a_content_security_policy(client, record):
    response = client.get(HOME)

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client, record):
    html = page(client)

    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_html_language_and_direction_follow_the_active_language(client, record):
    assert '<html lang="en" dir="ltr">' in page(client)


def test_a_search_the_engine_refuses_is_400(client, record):
    response = client.get(HOME + "?q=" + "+".join("abcdefghijkl"))

    assert response.status_code == 400
    assert "This search cannot be run" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?platform=%E5%BE%AE%E4%BF%A1",
        "?platform=" + "x" * 500,
        "?country=%C3%87N",
        "?authority=%00",
        "?q=%22",
        "?q=%F0%9F%94%92+%D8%A7%DB%8C%D8%B1%D8%A7%D9%86",
        "?q=%25_%5C",
        "?before=2018-01-01.99999999999999999999",
        "?before=2018-01-01.9223372036854775808",
        "?after=9999-12-31.9223372036854775807",
        "?year=2018&year=garbage",
    ],
)
def test_odd_queries_never_fail_the_server(client, record, query):
    assert client.get(HOME + query).status_code in {200, 400, 404}
    assert client.get("/feed/" + query).status_code in {200, 400, 404}
    assert client.get("/platforms/wechat/" + query).status_code in {200, 400, 404}
