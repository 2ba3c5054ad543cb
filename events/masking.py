"""What the public sees of a masked event: the one definition.

A curator masks a target (a private person's account, an activist's channel)
to protect a person at risk (events.services.masking); each of its events
then carries the pseudonym in `masked_as`. Every public read shows such an
event as follows, and nothing else of it:

- target: the pseudonym; target_url: "";
- summary and notice text: every occurrence of a real name, whatever its case,
  replaced by the pseudonym. The real names are the event's own `target`, its
  target's `name` and `key`, and each of them without a leading "@" (an
  account's handle);
- sources: url, title and archive_url withheld (""), since a source's link or
  headline usually names the person; publisher and published_at kept.

The shape of every format stays the same (strings become ""). Curators and
editors (the admin, an API token that sees every status) see the real values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The fields of a source withheld for a masked event.
WITHHELD_SOURCE_FIELDS = ("url", "title", "archive_url")


def real_names(names: Iterable[str | None]) -> tuple[str, ...]:
    """The names to replace, longest first (so that "Jane Doe" goes before
    "Jane"), each also without a leading "@"; blanks dropped."""
    found: set[str] = set()
    for name in names:
        text = " ".join((name or "").split())
        for variant in (text, text.removeprefix("@").strip()):
            if variant:
                found.add(variant)
    return tuple(sorted(found, key=lambda name: (-len(name), name)))


def names_pattern(names: tuple[str, ...]) -> str:
    """A regular expression matching any of `names` (real_names) whatever
    their case, with runs of white space matching any white space. Case is
    spelled out ("[Ii][Vv]…") rather than left to a flag, so that Python and
    PostgreSQL (whose case-insensitive matching depends on the database's
    locale) match exactly the same text: the CSV export written by
    PostgreSQL is byte for byte the API's."""
    return "|".join(
        r"\s+".join("".join(_any_case(char) for char in word) for word in name.split())
        for name in names
    )


def _any_case(char: str) -> str:
    if not char.isalnum() and char != "_":
        return "\\" + char  # outside a class, escaped is literal in both
    variants = {char, char.lower(), char.upper(), char.casefold()}
    single = sorted(variant for variant in variants if len(variant) == 1)
    return single[0] if len(single) == 1 else "[" + "".join(single) + "]"


def mask_text(text: str, names: tuple[str, ...], pseudonym: str) -> str:
    """`text` with every occurrence of `names`, in any case, replaced."""
    if not text or not names:
        return text
    return re.compile(names_pattern(names)).sub(lambda _match: pseudonym, text)


def mask_source(source: dict[str, Any]) -> dict[str, Any]:
    """A source (a dict of the API's shape) with its identifying fields
    withheld; the keys and their order stay."""
    return {
        key: "" if key in WITHHELD_SOURCE_FIELDS else value
        for key, value in source.items()
    }


def masked_fields(
    *, pseudonym: str, names: tuple[str, ...], summary: str, notice_text: str
) -> dict[str, str]:
    """The event fields a masked event shows the public."""
    return {
        "target": pseudonym,
        "target_url": "",
        "summary": mask_text(summary, names, pseudonym),
        "notice_text": mask_text(notice_text, names, pseudonym),
    }
