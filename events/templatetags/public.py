"""Template filters and tags of the public pages (`{% load public %}`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils import dateformat
from django.utils.translation import pgettext_lazy
from django_countries.fields import Country

from events.charts import bar_chart
from events.choices import DatePrecision
from events.languages import text_direction

register = template.Library()

# Translators: Django date format codes (j: day, M: abbreviated month, Y: year).
DATE_FORMATS = {
    DatePrecision.DAY: pgettext_lazy("date known to the day", "j M Y"),
    DatePrecision.MONTH: pgettext_lazy("date known to the month", "M Y"),
    DatePrecision.YEAR: pgettext_lazy("date known to the year", "Y"),
}


@register.filter
def partial_date(value: dt.date | None, precision: str) -> str:
    """A date at its precision, for people: "21 Aug 2018", "Aug 2018", "2018".
    A month or a year never gains a day."""
    if value is None:
        return ""
    date_format = DATE_FORMATS.get(precision, DATE_FORMATS[DatePrecision.DAY])
    return dateformat.format(value, str(date_format))


@register.filter
def text_dir(language: str) -> str:
    """'rtl' for right-to-left languages (Persian, Arabic, Hebrew…), else 'auto'."""
    return text_direction(language)


@register.filter
def web_url(url: str) -> str:
    """The URL if it is http(s), else "": a javascript: or data: URL in the
    record never becomes a link."""
    try:
        scheme = urlsplit((url or "").strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in {"http", "https"} else ""


@register.filter
def country_name(code: str) -> str:
    """The country's name in the active language ("China" for "CN")."""
    return str(Country(code=code).name) if code else ""


@register.inclusion_tag("public/includes/year_chart.html")
def year_chart(by_year: list[tuple[int, int]], title: str) -> dict[str, object]:
    """A bar chart of events per year, with its data as a table."""
    return {"chart": bar_chart(by_year), "by_year": by_year, "title": title}


@register.inclusion_tag("public/includes/filter_select.html")
def filter_select(
    name: str,
    label: str,
    everything: str,
    options: Iterable[Any],
    selected: Any,
    *,
    field_id: str = "",
    capitalize: bool = False,
) -> dict[str, object]:
    """A filter form's <select> named `name`: `everything` (no filter) first,
    then `options` with the one whose value is `selected` chosen. An option
    is a (value, label) pair, a platform or authority (slug; name, and the
    authority's country), or a plain value (a year)."""
    return {
        "id": field_id or f"f-{name}",
        "name": name,
        "label": label,
        "everything": everything,
        "options": [_option(option) for option in options],
        "selected": "" if selected is None else str(selected),
        "capitalize": capitalize,
    }


def _option(option: Any) -> tuple[str, str]:
    if isinstance(option, tuple):
        value, text = option
        return str(value), text
    if hasattr(option, "slug"):
        country = getattr(option, "country", None)
        suffix = f" ({country.code})" if country else ""
        return option.slug, f"{option.name}{suffix}"
    return str(option), str(option)
