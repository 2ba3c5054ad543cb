"""Seeding the notice registry: the platform notices in
events/ingest/seed/notices.json and, when given, the OONI / Citizen Lab
blocking-fingerprint lists.

Each seeded notice has a unique `origin` ('seed:wechat-account-blocked',
'ooni:cl.nat_sa'), so seeding again updates what changed in the source and
creates nothing twice. The seed owns the fields it sets (the admin shows them
read-only); curators add variants, which seeding never removes.

From the fingerprint lists, entries of scope `fp` are skipped: they are the
lists' known false positives (a Cloudflare error page, a parking page), not
anything a censor shows. So are `regexp` entries, which have no rule here.
A list entry found in the response body is a blockpage, in a header an HTTP
header fingerprint, in a DNS answer a DNS fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from events.choices import NoticeKind, NoticePatternType
from events.ingest.parse.blockpages import Fingerprint, load_fingerprints
from events.models import Notice, NoticeVariant, Platform
from events.services.notice_matching import normalise
from events.services.notices import User

SEED_FILE = Path(__file__).resolve().parent.parent / "ingest" / "seed" / "notices.json"
FINGERPRINT_FILES = (
    "ooni-citizenlab-blocking-fingerprints-http.json",
    "ooni-citizenlab-blocking-fingerprints-dns.json",
)
SEEDED_FIELDS = [
    "kind",
    "title",
    "platform_id",
    "countries",
    "canonical_text",
    "language",
    "fingerprint",
    "pattern",
    "pattern_type",
    "location",
]
SCOPES = {
    "nat": "national",
    "isp": "ISP",
    "prod": "filtering product",
    "inst": "institution",
    "vbw": "generic blockpage wording",
    "injb": "injected blockpage",
    "prov": "provider",
}
REASON = "seeded"


class SeedError(ValueError):
    """A seed file that is missing or not in the expected shape."""


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    variants_created: int = 0
    skipped: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped.append(reason)


@dataclass
class _Spec:
    notice: Notice
    variants: list[tuple[str, str]] = field(default_factory=list)  # (language, text)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SeedError(f"{path}: no such file") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path}: not JSON ({exc})") from exc


def _notice(**fields: Any) -> Notice:
    notice = Notice(**fields)
    notice.fingerprint = normalise(notice.canonical_text)
    return notice


def platform_specs(path: Path, report: SeedReport) -> list[_Spec]:
    """The platform notices of the seed file, skipping (and reporting) those
    whose platform is not in the gazetteer."""
    document = _read(path)
    items = document.get("notices") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise SeedError(f"{path}: expected an object with a list of notices")
    try:
        return _platform_specs(items, report)
    except (KeyError, TypeError, AttributeError) as exc:
        raise SeedError(f"{path}: a notice lacks {exc}") from exc


def _platform_specs(items: list[dict[str, Any]], report: SeedReport) -> list[_Spec]:
    slugs = {item["platform"] for item in items}
    platforms = dict(Platform.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    specs = []
    for item in items:
        origin = f"seed:{item['key']}"
        if item["platform"] not in platforms:
            report.skip(f"{origin}: no platform has the slug {item['platform']!r}")
            continue
        notice = _notice(
            origin=origin,
            kind=NoticeKind.PLATFORM,
            title=item["title"],
            platform_id=platforms[item["platform"]],
            countries=sorted(item.get("countries", [])),
            canonical_text=item["canonical_text"],
            language=item.get("language", ""),
            pattern=item.get("pattern", ""),
            pattern_type=item.get("pattern_type", ""),
            location="",
        )
        variants = [(v.get("language", ""), v["text"]) for v in item["variants"]]
        specs.append(_Spec(notice, variants))
    return specs


def _fingerprint_kind(location: str) -> str:
    if location == "dns":
        return NoticeKind.DNS
    if location.startswith("header."):
        return NoticeKind.HEADER
    return NoticeKind.BLOCKPAGE


def _list_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise SeedError(f"{path}: no such file") from exc


def fingerprint_specs(directory: Path, report: SeedReport) -> list[_Spec]:
    """Notices from the two OONI / Citizen Lab fingerprint lists in `directory`,
    read by the same loader as the OONI measurement parser."""
    http_path, dns_path = (directory / name for name in FINGERPRINT_FILES)
    try:
        lists = load_fingerprints(_list_bytes(dns_path), _list_bytes(http_path))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SeedError(f"{directory}: not a fingerprint list ({exc})") from exc
    dns = [fingerprint for group in lists.dns.values() for fingerprint in group]
    specs = []
    false_positives = regexps = 0
    for fingerprint in [*lists.http, *dns]:
        if fingerprint.scope == "fp":
            false_positives += 1
        elif fingerprint.pattern_type not in NoticePatternType.values:
            regexps += 1
        else:
            specs.append(_Spec(_fingerprint_notice(fingerprint)))
    if false_positives:
        report.skip(f"{false_positives} fingerprints of known false positives")
    if regexps:
        report.skip(f"{regexps} regular-expression fingerprints (no rule for them)")
    return specs


def _fingerprint_notice(fingerprint: Fingerprint) -> Notice:
    kind = _fingerprint_kind(fingerprint.location)
    countries = sorted(fingerprint.countries)
    where = [*countries, SCOPES.get(fingerprint.scope, "")]
    detail = ", ".join(part for part in where if part)
    label = NoticeKind(kind).label
    title = f"{label[0].upper()}{label[1:]} {fingerprint.name}"
    return _notice(
        origin=f"ooni:{fingerprint.name}",
        kind=kind,
        title=f"{title} ({detail})" if detail else title,
        platform_id=None,
        countries=countries,
        canonical_text=fingerprint.pattern,
        language="",
        pattern=fingerprint.pattern,
        pattern_type=fingerprint.pattern_type,
        location=fingerprint.location,
    )


def _changed(current: Notice, wanted: Notice) -> bool:
    return any(getattr(current, f) != getattr(wanted, f) for f in SEEDED_FIELDS)


def _upsert(specs: list[_Spec], report: SeedReport, user: User | None) -> None:
    existing = {n.origin: n for n in Notice.objects.exclude(origin="")}
    now = timezone.now()
    created, updated = [], []
    for spec in {spec.notice.origin: spec for spec in specs}.values():
        current = existing.get(spec.notice.origin)
        if current is None:
            spec.notice.full_clean(
                exclude=["platform"], validate_unique=False, validate_constraints=False
            )
            created.append(spec.notice)
        elif _changed(current, spec.notice):
            for name in SEEDED_FIELDS:
                setattr(current, name, getattr(spec.notice, name))
            current.updated_at = now
            updated.append(current)
        else:
            report.unchanged += 1
    kwargs = {"default_user": user, "default_change_reason": REASON}
    if created:
        bulk_create_with_history(created, Notice, batch_size=500, **kwargs)
    if updated:
        fields = [*SEEDED_FIELDS, "updated_at"]
        bulk_update_with_history(updated, Notice, fields, batch_size=500, **kwargs)
    report.created += len(created)
    report.updated += len(updated)


def _add_variants(specs: list[_Spec], report: SeedReport, user: User | None) -> None:
    wanted = [spec for spec in specs if spec.variants]
    if not wanted:
        return
    ids = dict(
        Notice.objects.filter(
            origin__in=[spec.notice.origin for spec in wanted]
        ).values_list("origin", "pk")
    )
    known = set(
        NoticeVariant.objects.filter(notice_id__in=ids.values()).values_list(
            "notice_id", "fingerprint"
        )
    )
    new = []
    for spec in wanted:
        notice_id = ids[spec.notice.origin]
        for language, text in spec.variants:
            key = (notice_id, normalise(text))
            if key in known or key[1] == spec.notice.fingerprint:
                continue
            known.add(key)
            variant = NoticeVariant(
                notice_id=notice_id, text=text, language=language, fingerprint=key[1]
            )
            variant.full_clean(
                exclude=["notice"], validate_unique=False, validate_constraints=False
            )
            new.append(variant)
    if new:
        bulk_create_with_history(
            new, NoticeVariant, default_user=user, default_change_reason=REASON
        )
    report.variants_created += len(new)


@transaction.atomic
def notices_seed(
    *,
    seed_file: Path = SEED_FILE,
    fingerprints_dir: Path | None = None,
    user: User | None = None,
) -> SeedReport:
    """Create or update the seeded notices (and their variants); raises
    SeedError for a missing or malformed file, before writing anything."""
    report = SeedReport()
    specs = platform_specs(seed_file, report)
    if fingerprints_dir is not None:
        specs += fingerprint_specs(fingerprints_dir, report)
    _upsert(specs, report, user)
    _add_variants(specs, report, user)
    return report
