"""Feeds for the fault tests, built from the shared corpus read in place."""

from __future__ import annotations

import re

from tests.events.ingest.corpus import feed

ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)


def many_items(name: str, copies: int) -> tuple[bytes, int]:
    """An RSS 2.0 corpus feed with its items repeated `copies` times, each
    copy with a guid and link of its own: a long import, so that a fault can
    strike in the middle of it. Returns the document and its item count."""
    text = feed(name).decode()
    items = ITEM.findall(text)
    head, tail = text[: text.index(items[0])], text[text.rindex("</item>") + 7 :]
    copied = [
        re.sub(r"</(guid|link)>", lambda m, n=n: f"#copy-{n}</{m.group(1)}>", item)
        for n in range(copies)
        for item in items
    ]
    return (head + "\n".join(copied) + tail).encode(), len(copied)
