"""The page of a target (its lifecycle) and the list of targets blocked now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from events.choices import Action, TargetType
from events.models import Platform, Target
from events.selectors.cached import choices as cached_choices
from events.selectors.cached import record_version
from events.selectors.keyset import keyset_page
from events.selectors.public import public_platform
from events.selectors.targets import (
    BLOCKED,
    RESTORED,
    Lifecycle,
    Period,
    TargetFilters,
    filter_targets,
    lifecycle,
    public_target,
    public_url,
    target_events,
    target_lifecycles,
)
from events.templatetags.public import partial_date
from events.views.params import (
    InvalidQuery,
    country_value,
    parse_cursors,
    query_values,
    rejects_invalid_queries,
)
from events.views.timeline import PAGE_SIZE, country_choices

BLOCKED_NOW_FILTERS = ("platform", "country", "target_type")
# The bar timeline's drawing box (SVG user units); the stylesheet scales it.
TIMELINE_WIDTH = 600
TIMELINE_HEIGHT = 28
MIN_BAR_WIDTH = 2.0


@dataclass(frozen=True)
class Bar:
    period: Period
    x: float
    width: float

    @property
    def label(self) -> str:
        """What the bar stands for, as its tooltip says it."""
        period = self.period
        if period.state == BLOCKED and period.action != Action.BLOCKED:
            state = _("Blocked (%(action)s)") % {"action": Action(period.action).label}
        else:
            state = {BLOCKED: _("Blocked"), RESTORED: _("Restored")}.get(
                period.state, _("Block ended")
            )
        start = partial_date(period.start, period.start_precision)
        end = (
            partial_date(period.end, period.end_precision)
            if period.end
            else _("ongoing")
        )
        return f"{state}: {start} – {end}"


def timeline_bars(periods: list[Period], today: dt.date) -> list[Bar]:
    """Each period as a bar on a time axis from the first start to today (or
    the last end, if later); an open period runs to that end."""
    first = periods[0].start
    last = max([today, *(p.end for p in periods if p.end)])
    span = max((last - first).days, 1)

    def position(day: dt.date) -> float:
        return TIMELINE_WIDTH * (day - first).days / span

    bars = []
    for period in periods:
        x = position(period.start)
        width = max(position(period.end or last) - x, MIN_BAR_WIDTH)
        bars.append(Bar(period, round(x, 2), round(width, 2)))
    return bars


def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        target = public_target(pk)
    except Target.DoesNotExist as exc:
        raise Http404(_("No published event is about this target.")) from exc
    if target.merged_into_id is not None:
        return redirect("public:target", pk=target.merged_into_id, permanent=True)
    events = target_events(target)
    cycle: Lifecycle = lifecycle(events)
    today = timezone.localdate()
    context = {
        "target": target,
        "lifecycle": cycle,
        "target_url": public_url(target, cycle),
        "events": events,
        "countries": sorted({str(e.country.name) for e in events}),
        "bars": timeline_bars(cycle.periods, today),
        "today": today,
        "timeline_width": TIMELINE_WIDTH,
        "timeline_height": TIMELINE_HEIGHT,
    }
    return render(request, "public/target.html", context)


def parse_blocked_now_filters(query: QueryDict) -> TargetFilters:
    """The filters of /blocked-now/: an unknown platform is a 404, as its page
    would be; a value that cannot be a country or a target type is a 400."""
    values = query_values(query, BLOCKED_NOW_FILTERS)
    country = country_value(values["country"])
    kind = values["target_type"]
    if kind and kind not in TargetType.values:
        raise InvalidQuery(_("“%(value)s” is not a type of target.") % {"value": kind})
    platforms: tuple[Platform, ...] = ()
    if values["platform"]:
        try:
            platforms = (public_platform(values["platform"]),)
        except (ValueError, Platform.DoesNotExist) as exc:
            raise Http404(values["platform"]) from exc
    return TargetFilters(
        platforms=platforms,
        country=(country,) if country else (),
        target_type=(kind,) if kind else (),
        blocked_now=True,
    )


@rejects_invalid_queries
def blocked_now(request: HttpRequest) -> HttpResponse:
    if any(
        name in request.GET and not request.GET[name].strip()
        for name in BLOCKED_NOW_FILTERS
    ):
        # The form sends every field; the shareable address names only the
        # filters in force.
        kept = [
            (name, value)
            for name, value in request.GET.items()
            if name not in BLOCKED_NOW_FILTERS or value.strip()
        ]
        return redirect(request.path + ("?" + urlencode(kept) if kept else ""))
    filters = parse_blocked_now_filters(request.GET)
    before, after = parse_cursors(request.GET)
    page = keyset_page(
        filter_targets(filters), size=PAGE_SIZE, before=before, after=after
    )
    cycles = target_lifecycles([event.target_ref_id for event in page.events])
    rows = [(event, cycles[event.target_ref_id]) for event in page.events]
    pairs = [
        (name, request.GET[name].strip())
        for name in BLOCKED_NOW_FILTERS
        if request.GET.get(name, "").strip()
    ]

    def link(name: str, cursor: object) -> str:
        return request.path + "?" + urlencode([*pairs, (name, str(cursor))])

    choices = cached_choices(version=record_version())
    context = {
        "rows": rows,
        "filters": filters,
        "selected": dict(pairs),
        "platforms": choices.platforms,
        "countries": country_choices(choices.countries),
        "target_types": TargetType.choices,
        "older_url": link("before", page.older) if page.older else "",
        "newer_url": link("after", page.newer) if page.newer else "",
        "newest_url": request.path + ("?" + urlencode(pairs) if pairs else ""),
        "paged": bool(before or after),
    }
    return render(request, "public/blocked_now.html", context)
