"""What the extractor stored on a draft (Event.extraction, written by
events.services.drafts), shaped for the change page: each field it filled
with its confidence, why it called the item an event, and what it found but
could not resolve (an authority phrase that matches no known authority)."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.models import Event

LABELS = {
    "platform": "platform",
    "target": "target",
    "target_type": "target type",
    "authority": "authority",
    "country": "country",
    "action": "action",
    "date": "date",
    "notice_text": "notice text",
    "notice_language": "notice language",
}


@dataclass(frozen=True)
class FieldGuess:
    name: str
    label: str
    confidence: float


@dataclass(frozen=True)
class Extraction:
    is_event: float | None
    reason: str
    feed: str
    fields: list[FieldGuess] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unresolved_authority: str = ""


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def event_extraction(event: Event) -> Extraction | None:
    """The extraction of `event` as the change page shows it; None for an
    event no extractor made. Reads only the event's own JSON (no query)."""
    stored = event.extraction if isinstance(event.extraction, dict) else {}
    if not stored:
        return None
    confidences = stored.get("fields")
    guesses = [
        FieldGuess(name, LABELS.get(name, name), number)
        for name, value in (
            confidences if isinstance(confidences, dict) else {}
        ).items()
        if (number := _number(value)) is not None
    ]
    phrase = str(stored.get("authority_text") or "")
    return Extraction(
        is_event=_number(stored.get("is_event")),
        reason=str(stored.get("reason") or ""),
        feed=str(stored.get("feed") or ""),
        fields=guesses,
        missing=[str(name) for name in stored.get("missing") or []],
        unresolved_authority=phrase if event.authority_id is None else "",
    )
