"""Pages of a platform, a country and an authority: a summary, counts by
action, events per year and their timeline. Each is a 404 until the entity has
a published event, so a draft never reveals what it is about."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries.fields import Country

from events.selectors.cached import record_version, summary_of
from events.selectors.keyset import keyset_page
from events.selectors.public import (
    EventFilters,
    filtered_events,
    is_country_code,
    public_authority,
    public_platform,
)
from events.views.params import parse_cursors, rejects_invalid_queries
from events.views.timeline import PAGE_SIZE, paged_list, summary_context


def _entity_page(
    request: HttpRequest,
    filters: EventFilters,
    context: dict[str, object],
    feed_param: tuple[str, str],
) -> HttpResponse:
    before, after = parse_cursors(request.GET)
    summary = summary_of(filters, version=record_version())
    if not summary.total:
        raise Http404(_("Nothing is published about this yet."))
    events = filtered_events(filters)
    page = keyset_page(events, size=PAGE_SIZE, before=before, after=after)
    selection = QueryDict(mutable=True)
    selection[feed_param[0]] = feed_param[1]
    context = {
        **context,
        **paged_list(request, page, []),
        **summary_context(selection, summary),
        "feed_query": "?" + selection.urlencode(),
        "timeline_url": reverse("public:timeline") + "?" + selection.urlencode(),
    }
    return render(request, "public/entity.html", context)


@rejects_invalid_queries
def platform_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        platform = public_platform(slug)
    except ObjectDoesNotExist as exc:
        raise Http404(slug) from exc
    context = {"kind": _("Platform"), "name": platform.name, "platform": platform}
    filters = EventFilters(platform=platform)
    return _entity_page(request, filters, context, ("platform", platform.slug))


@rejects_invalid_queries
def authority_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        authority = public_authority(slug)
    except ObjectDoesNotExist as exc:
        raise Http404(slug) from exc
    context = {"kind": _("Authority"), "name": authority.name, "authority": authority}
    filters = EventFilters(authority=authority)
    return _entity_page(request, filters, context, ("authority", authority.slug))


@rejects_invalid_queries
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper() and is_country_code(code.upper()):
        return redirect("public:country", code=code.upper(), permanent=True)
    if not is_country_code(code):
        raise Http404(code)
    country = Country(code=code)
    context = {"kind": _("Country"), "name": country.name, "country": country}
    filters = EventFilters(country=code)
    return _entity_page(request, filters, context, ("country", code))
