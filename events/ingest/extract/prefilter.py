"""Where a blocking verb may start: every verb pattern of the lexicon joined
into one alternation (see events.ingest.extract.alternation).

`ANY_VERB` matches at an offset exactly when at least one pattern of
verbs.VERB_PATTERNS matches there. A text where it finds nothing has no
blocking verb in any language, and so cannot be an event.
"""

from __future__ import annotations

from functools import lru_cache

from events.ingest.extract.alternation import match_starts, union
from events.ingest.extract.verbs import VERB_PATTERNS, WORD_END, WORD_START

ANY_VERB = union((p.regex for p in VERB_PATTERNS), WORD_START, WORD_END)


def may_report_action(text: str) -> bool:
    """False when no blocking verb of any language occurs in the text."""
    return bool(verb_starts(text))


@lru_cache(maxsize=4)
def verb_starts(text: str) -> tuple[int, ...]:
    """Every offset where some verb pattern matches, in order. Remembered for
    the last few texts, so a text screened by may_report_action() and then
    extracted is scanned once."""
    return tuple(match_starts(ANY_VERB, text))
