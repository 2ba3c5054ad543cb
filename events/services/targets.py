"""Targets: group events about the same account, site or app (lifecycles).

Every write to events ends in `events_assign_targets` (through
events.services.record_hooks.events_written). The rule it applies:

- An event belongs to the target of its natural key (platform, target type,
  `target_key(...)`; see events/models/targets.py), created when new.
- A target merged by a curator (events.services.target_merges) keeps its key
  but answers for the survivor: events with that key, old and new, belong to
  the survivor.
- An event is moved only when the target its key resolves to is not the one
  it is on. So re-saving an event whose target text did not change (in a way
  the key sees) never undoes a curator's merge; editing the text to another
  key moves the event to that key's target.
- An event carries the pseudonym of its target when that target is masked
  (`masked_as`, see events.masking), so that a new draft about a masked person
  (from a feed, an import) is masked from its first write, and an event moved
  to another target takes that target's mask or none.

A target left without events stays (its id may be cited) but no public page
or list shows a target without a published event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from django.db import connections, models
from django.db.models import Case, Q, Value, When

from events.models import Event, Platform, Target
from events.models.targets import target_key, target_name

# (platform id, target type, key): the natural key of a target.
NaturalKey = tuple[int, str, str]
# A live target: its id and its events' `masked_as` (None where the model has
# no masks: the historical models of older migrations).
Resolved = tuple[int, str | None]
# Ids per statement: bounds the size of the SQL whatever a caller passes.
CHUNK = 1000


def events_assign_targets(*, event_ids: Collection[int]) -> int:
    """Link each event to its target, creating targets as needed. A few
    queries per 1,000 events, whatever their number of targets; returns the
    number of events linked anew."""
    return assign_targets(Event, Target, event_ids)


def target_for(
    *, platform: Platform, target_type: str, target: str, target_url: str, country: str
) -> int:
    """The id of the live target of an event with these fields, created if new:
    for code that builds an event before saving it (the test factories)."""
    fields = {
        "target_type": target_type,
        "target": target,
        "target_url": target_url,
        "country": country,
    }
    natural = (platform.pk, target_type, target_key(**fields))
    names = {natural: target_name(**fields, platform=platform.name)}
    return _resolve(Target, names)[natural][0]


def events_targets(events: Sequence[Event]) -> list[Resolved]:
    """The live target of each unsaved (or edited) event and the mask its
    events carry, targets created when new, in a few queries for the lot:
    events.services.derive computes them before the events are saved, by the
    rule events_assign_targets applies after."""
    naturals: list[NaturalKey] = []
    names: dict[NaturalKey, str] = {}
    platforms = dict(
        Platform.objects.filter(pk__in={e.platform_id for e in events}).values_list(
            "pk", "name"
        )
    )
    for event in events:
        fields = {
            "target_type": event.target_type,
            "target": event.target,
            "target_url": event.target_url,
            "country": str(event.country),
        }
        natural = (event.platform_id, event.target_type, target_key(**fields))
        naturals.append(natural)
        if natural not in names:
            platform = platforms[event.platform_id]
            names[natural] = target_name(**fields, platform=platform)
    resolved = _resolve(Target, names) if names else {}
    return [resolved[natural] for natural in naturals]


def assign_targets(
    event_model: type[models.Model],
    target_model: type[models.Model],
    event_ids: Collection[int],
) -> int:
    """events_assign_targets on the given models, so that a migration can run
    it on its historical ones."""
    ids = sorted(set(event_ids))
    moved = 0
    for start in range(0, len(ids), CHUNK):
        moved += _assign_chunk(event_model, target_model, ids[start : start + CHUNK])
    return moved


def _assign_chunk(
    event_model: type[models.Model], target_model: type[models.Model], ids: list[int]
) -> int:
    masks = _has_masks(target_model)
    rows = event_model._default_manager.filter(pk__in=ids).values_list(
        "pk", "platform_id", "platform__name", "target_type", "target", "target_url",
        "country", "target_ref_id", *(["masked_as"] if masks else []),
    )  # fmt: skip
    wanted: dict[int, tuple[NaturalKey, int | None, str | None]] = {}
    names: dict[NaturalKey, str] = {}
    for pk, platform_id, platform, kind, text, url, country, current, *mask in rows:
        fields = {"target_type": kind, "target": text, "target_url": url}
        natural = (platform_id, kind, target_key(**fields, country=country))
        wanted[pk] = (natural, current, mask[0] if mask else None)
        if natural not in names:
            names[natural] = target_name(**fields, country=country, platform=platform)
    resolved = _resolve(target_model, names)
    moves: dict[int, list[int]] = defaultdict(list)
    remasks: dict[str, list[int]] = defaultdict(list)
    for pk, (natural, current, mask) in wanted.items():
        target_id, target_mask = resolved[natural]
        if target_id != current:
            moves[target_id].append(pk)
        if target_mask is not None and target_mask != mask:
            remasks[target_mask].append(pk)
    _move(event_model, moves)
    for masked_as, pks in remasks.items():
        # Rare (a new event of a masked target, a move across a mask): one
        # UPDATE per pseudonym. Not a change the event's history records
        # apart: events_written's catch-up writes it (history_sync).
        event_model._default_manager.filter(pk__in=pks).update(masked_as=masked_as)
    return sum(len(pks) for pks in moves.values())


def _has_masks(target_model: type[models.Model]) -> bool:
    """Whether this (possibly historical) model has the masking fields."""
    return any(field.name == "masked" for field in target_model._meta.get_fields())


def _resolve(
    target_model: type[models.Model], names: dict[NaturalKey, str]
) -> dict[NaturalKey, Resolved]:
    """The id of the live target for each natural key, creating the missing
    ones with the names given. Concurrent writers may create the same target:
    the unique constraint keeps one, and the re-read finds it."""
    found = _existing(target_model, names)
    missing = [natural for natural in names if natural not in found]
    if missing:
        target_model._default_manager.bulk_create(
            [
                target_model(
                    platform_id=platform_id,
                    target_type=kind,
                    key=key,
                    name=names[(platform_id, kind, key)],
                )
                for platform_id, kind, key in missing
            ],
            ignore_conflicts=True,
        )
        found |= _existing(target_model, missing)
    return found


def _existing(
    target_model: type[models.Model], naturals: Collection[NaturalKey]
) -> dict[NaturalKey, Resolved]:
    """One query: keys grouped by (platform, type), so that each group is an
    index range of the natural-key constraint's index. A merged target
    answers with its survivor's id and mask."""
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for platform_id, kind, key in naturals:
        groups[(platform_id, kind)].append(key)
    condition = Q()
    for (platform_id, kind), keys in groups.items():
        condition |= Q(platform_id=platform_id, target_type=kind, key__in=keys)
    mask_columns = (
        ("masked", "pseudonym", "merged_into__masked", "merged_into__pseudonym")
        if _has_masks(target_model)
        else ()
    )
    rows = target_model._default_manager.filter(condition).values_list(
        "platform_id", "target_type", "key", "pk", "merged_into_id", *mask_columns
    )
    wanted = set(naturals)
    found: dict[NaturalKey, Resolved] = {}
    for platform_id, kind, key, pk, survivor, *mask in rows:
        if (platform_id, kind, key) not in wanted:
            continue
        mask_of = None
        if mask:
            masked, pseudonym = mask[2:] if survivor else mask[:2]
            mask_of = pseudonym if masked else ""
        found[(platform_id, kind, key)] = (survivor or pk, mask_of)
    return found


def _move(event_model: type[models.Model], moves: dict[int, list[int]]) -> None:
    """One UPDATE for all moves, bypassing save(): no history noise, and no
    updated_at change (the event's own fields did not change)."""
    if not moves:
        return
    events = event_model._default_manager
    if len(moves) == 1:
        [(tid, pks)] = moves.items()
        events.filter(pk__in=pks).update(target_ref_id=tid)
    elif connections[events.db].vendor == "postgresql":
        _move_by_join(event_model, moves)
    else:
        pks = [pk for group in moves.values() for pk in group]
        whens = (When(pk__in=group, then=Value(tid)) for tid, group in moves.items())
        value = Case(*whens, output_field=models.BigIntegerField())
        events.filter(pk__in=pks).update(target_ref_id=value)


def _move_by_join(event_model: type[models.Model], moves: dict[int, list[int]]) -> None:
    """The moves as an UPDATE joined to a VALUES list. A CASE of one WHEN per
    target costs PostgreSQL rows × targets comparisons: 0.14 s for a batch of
    1,000 events about 1,000 targets, a third of a 1,000,000-row backfill;
    the join hashes, and costs a few ms."""
    quote = connections[event_model._default_manager.db].ops.quote_name
    table = quote(event_model._meta.db_table)
    column = quote(event_model._meta.get_field("target_ref").column)
    pk = quote(event_model._meta.pk.column)
    pairs = [(pk, tid) for tid, group in moves.items() for pk in group]
    rows = ", ".join(["(%s, %s)"] * len(pairs))
    # Only placeholders and names from the model reach the SQL text.
    sql = (
        f"UPDATE {table} SET {column} = moved.target "  # noqa: S608
        f"FROM (VALUES {rows}) AS moved (id, target) "
        f"WHERE {table}.{pk} = moved.id"
    )
    with connections[event_model._default_manager.db].cursor() as cursor:
        cursor.execute(sql, [value for pair in pairs for value in pair])
