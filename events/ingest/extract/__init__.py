"""Extraction: from a news item's title and text to candidate event fields.

`extract()` is a pure function of its arguments (no database, no network): it
decides whether the item reports a concrete blocking event that happened — a
named platform or site blocked, suspended, withheld, throttled, removed or
restored somewhere — and fills each field it can find with a confidence.
Proposals, threats, bills, "X may be banned", how-tos and product news are
not events.
"""

from __future__ import annotations

import datetime as dt

from events.ingest.extract.actions import find_actions
from events.ingest.extract.assemble import Found, candidate_from
from events.ingest.extract.choose import Layout, main_action
from events.ingest.extract.dates import find_dates
from events.ingest.extract.mentions import find_domains, find_mentions, index_for
from events.ingest.extract.text import sentences, tokenise
from events.ingest.types import Candidate, GazetteerSnapshot, Hints

__all__ = ["extract"]

NO_HINTS = Hints()  # frozen: one shared default is safe


def extract(
    *,
    title: str,
    text: str,
    published_at: dt.datetime | None,
    gazetteer: GazetteerSnapshot,
    hints: Hints = NO_HINTS,
) -> Candidate:
    """Candidate event fields of one news item.

    Candidate.confidence is the confidence in the is_event decision itself
    (high for a clear event and for a clear non-event alike); each field's
    Guess carries its own confidence.
    """
    title = (title or "").strip()
    body = (text or "").strip()
    joined = f"{title}\n\n{body}" if title and body else title or body
    layout = Layout(joined, sentences(joined), len(title))
    index = index_for(gazetteer)
    mentions = find_mentions(joined, index)
    actions = find_actions(joined, tokenise(joined), layout.spans)
    published = published_at.date() if published_at else None
    found = Found(
        layout=layout,
        body=body,
        mentions=mentions,
        actions=actions,
        hit=main_action(actions, mentions, layout),
        domains=find_domains(joined, index),
        dates=find_dates(joined, published),
        published=published,
        hints=hints,
    )
    return candidate_from(found)
