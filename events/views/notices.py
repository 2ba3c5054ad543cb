"""The notice registry's pages: every notice, and one notice with every
published event that showed it, in every language, over time."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_countries.fields import Country

from events.choices import NoticeKind
from events.models import Notice, Platform
from events.selectors.filters import FilterError
from events.selectors.keyset import keyset_page
from events.selectors.notices import (
    NoticeFilters,
    by_last_seen,
    notice_events,
    notices,
    parse_notice_filters,
    public_notice,
    published_counts,
)
from events.selectors.stats import summarise
from events.views.params import InvalidQuery, parse_cursors, rejects_invalid_queries
from events.views.timeline import PAGE_SIZE, paged_list

NOTICES_PER_PAGE = 50


def _filters(request: HttpRequest) -> NoticeFilters:
    try:
        return parse_notice_filters(dict(request.GET.lists()))
    except FilterError as exc:
        reasons = "; ".join(f"{name}: {why}" for name, why in exc.errors.items())
        raise InvalidQuery(
            _("Bad filter (%(reasons)s).") % {"reasons": reasons}
        ) from exc


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1").strip() or "1"
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and int(text) >= 1):
        raise InvalidQuery(_("“%(value)s” is not a page number.") % {"value": text})
    return int(text)


def _choices() -> dict[str, object]:
    """What the filter form offers: kinds, and the platforms and countries the
    registry names (two queries)."""
    rows = Notice.objects.values_list("countries", flat=True)
    codes = {code for countries in rows for code in countries}
    return {
        "kinds": NoticeKind.choices,
        "platforms": Platform.objects.filter(notices__isnull=False)
        .distinct()
        .order_by("name"),
        "countries": sorted(
            ((code, str(Country(code=code).name)) for code in codes),
            key=lambda pair: pair[1],
        ),
    }


@rejects_invalid_queries
def notice_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    paginator = Paginator(by_last_seen(notices(filters)), NOTICES_PER_PAGE)
    try:
        page = paginator.page(_page_number(request))
    except EmptyPage as exc:
        raise Http404(_("There is no such page of notices.")) from exc
    rows = list(page.object_list)
    counts = published_counts([notice.pk for notice in rows])
    pairs = filters.pairs()

    def link(number: int) -> str:
        return request.path + "?" + urlencode([*pairs, ("page", str(number))])

    context = {
        "filters": filters,
        "page": page,
        "rows": [(notice, counts.get(notice.pk, 0)) for notice in rows],
        "previous_url": link(page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
        **_choices(),
    }
    return render(request, "public/notices.html", context)


@rejects_invalid_queries
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notice = public_notice(pk)
    except Notice.DoesNotExist as exc:
        raise Http404(_("The registry has no notice with this number.")) from exc
    before, after = parse_cursors(request.GET)
    events = notice_events(notice)
    page = keyset_page(events, size=PAGE_SIZE, before=before, after=after)
    summary = summarise(events)
    variants = list(notice.variants.all())
    languages = sorted(({v.language for v in variants} | {notice.language}) - {""})
    context = {
        "notice": notice,
        "variants": variants,
        "languages": languages,
        "summary": summary,
        "year_rows": [(year, n) for year, n in summary.by_year],
        "api_url": f"/api/v1/notices/{notice.pk}/",
        **paged_list(request, page, []),
    }
    return render(request, "public/notice.html", context)
