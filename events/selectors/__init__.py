"""Reads of the record, shaped for their consumers (no lazy loads downstream).

`export` streams the record for files, `search` finds events by text, `public`
and `stats` shape what the public pages show.
"""

from events.selectors.export import events_for_export, iterate

__all__ = ["events_for_export", "iterate"]
