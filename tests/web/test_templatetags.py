import datetime as dt

import pytest

from events.templatetags.public import country_name, partial_date, text_dir, web_url


@pytest.mark.parametrize(
    ("precision", "shown"),
    [("day", "21 Aug 2018"), ("month", "Aug 2018"), ("year", "2018")],
)
def test_partial_date_never_invents_a_day(precision, shown):
    first = {"day": dt.date(2018, 8, 21), "month": dt.date(2018, 8, 1)}
    value = first.get(precision, dt.date(2018, 1, 1))

    assert partial_date(value, precision) == shown


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        ("fa", "rtl"),
        ("ar", "rtl"),
        ("he", "rtl"),
        ("ur", "rtl"),
        ("ckb", "rtl"),
        ("az-Arab", "rtl"),
        ("zh", "auto"),
        ("ru", "auto"),
        ("", "auto"),
    ],
)
def test_text_dir(language, direction):
    assert text_dir(language) == direction


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org/", "http://example.org/"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//example.org/", ""),
        ("http://[::1", ""),
        ("", ""),
    ],
)
def test_web_url_links_only_http(url, linked):
    assert web_url(url) == linked


def test_country_name():
    assert country_name("IR") == "Iran"
    assert country_name("") == ""
