"""Giving website targets their category from a Citizen Lab test list.

A test list is a catalogue, not a record of blocking: it never creates an
event or a target. Each entry's URL is keyed as website targets are
(events.models.targets.website_host: no scheme, no "www."), and every
website target with that key, on any platform, takes the entry's category.
When several entries key to one host (lists of two countries), the first in
the file wins and the others are counted as conflicting if they disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from events.choices import TargetType
from events.ingest.parse.citizenlab import ListEntry
from events.models import Target, history_reason
from events.models.targets import website_host


@dataclass
class CategoryReport:
    """What an import did: entries whose host is a website target's key
    (matched) or none's (unmatched), and how many targets changed."""

    matched: int = 0
    unmatched: int = 0
    conflicting: int = 0  # matched entries that disagree with an earlier one
    targets_updated: int = 0
    targets_unchanged: int = 0
    unmatched_hosts: list[str] = field(default_factory=list)


def targets_categorise(*, entries: list[ListEntry]) -> CategoryReport:
    """Set `category` and `category_description` of the website targets the
    entries name; idempotent (a target already so categorised is left alone,
    with no history row)."""
    report = CategoryReport()
    by_host: dict[str, list[ListEntry]] = defaultdict(list)
    for entry in entries:
        by_host[website_host(entry.url)].append(entry)
    targets: dict[str, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(
        target_type=TargetType.WEBSITE, key__in=[host for host in by_host if host]
    ).order_by("pk"):
        targets[target.key].append(target)
    with transaction.atomic():
        for host, listed in by_host.items():
            found = targets.get(host, []) if host else []
            if not found:
                report.unmatched += len(listed)
                report.unmatched_hosts.append(host or listed[0].url)
                continue
            first = listed[0]
            report.matched += len(listed)
            report.conflicting += sum(
                1 for e in listed[1:] if e.category_code != first.category_code
            )
            for target in found:
                _apply(target, first, report)
    return report


def _apply(target: Target, entry: ListEntry, report: CategoryReport) -> None:
    wanted = (entry.category_code, entry.category_description)
    if (target.category, target.category_description) == wanted:
        report.targets_unchanged += 1
        return
    target.category, target.category_description = wanted
    target._change_reason = history_reason(  # type: ignore[attr-defined]
        f"category from Citizen Lab test list (line {entry.line})"
    )
    target.full_clean(validate_unique=False, validate_constraints=False)
    target.save(update_fields=["category", "category_description"])
    report.targets_updated += 1
