"""Finding gazetteer names in a text: platforms, authorities, countries, domains.

The snapshot's normalised aliases are re-tokenised into an index keyed by token
tuples, built once per snapshot. A text is scanned left to right taking the
longest name at each position, so "Turkish Constitutional Court" is one
authority, not the country "Turkish" followed by words. The index also keeps,
for each first token, the lengths of the names that start with it, so a
position whose token begins no name costs one dictionary look-up.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

from events.ingest.extract.text import Token, Tokens, alias_key, tokenise
from events.ingest.types import GazetteerEntry, GazetteerSnapshot

PLATFORM, AUTHORITY, COUNTRY = "platform", "authority", "country"
# The platform that stands for a whole network shutdown: mentioned everywhere
# in lower case, so it is matched without the capital-letter rule and only
# chosen when no other platform is named.
WHOLE_NETWORK = "Internet"
MAX_KEY = 12
_DOMAIN_ALIAS = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")
_HOST = re.compile(r"(?<![\w@.-])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-])")
_TLD_LIST = (
    "com org net info io me app social gov edu news tv co biz online site xyz dev "
    "blog cc ws us uk ru cn ir tr in pk br eg ae sa vn ng ug by kz mm ve id my lk"
)
_TLDS = frozenset(_TLD_LIST.split())
_ARABIC_PREFIXES = ("وب", "ول", "و", "ب", "ل", "ف", "ك")


@dataclass(frozen=True)
class Mention:
    kind: str  # PLATFORM, AUTHORITY or COUNTRY
    value: GazetteerEntry | str  # an entry, or an ISO code for countries
    start: int
    end: int


@dataclass
class Index:
    keys: dict[tuple[str, ...], list[tuple[str, GazetteerEntry | str]]] = field(
        default_factory=dict
    )
    exact_case: set[tuple[str, ...]] = field(default_factory=set)
    domains: dict[str, GazetteerEntry] = field(default_factory=dict)
    # First token -> the lengths of the keys starting with it, longest first.
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def add(self, key: tuple[str, ...], kind: str, value) -> None:
        if key and len(key) <= MAX_KEY:
            hits = self.keys.setdefault(key, [])
            if all(existing[0] != kind for existing in hits):
                hits.append((kind, value))
            found = self.lengths.get(key[0], ())
            if len(key) not in found:
                self.lengths[key[0]] = tuple(sorted((*found, len(key)), reverse=True))


_CACHE: dict[int, tuple[weakref.ref, Index]] = {}


def index_for(snapshot: GazetteerSnapshot) -> Index:
    """The index of a snapshot, cached while the snapshot lives."""
    cached = _CACHE.get(id(snapshot))
    if cached is not None and cached[0]() is snapshot:
        return cached[1]
    index = _build(snapshot)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(snapshot)] = (weakref.ref(snapshot), index)
    return index


def _build(snapshot: GazetteerSnapshot) -> Index:
    index = Index(domains=dict(snapshot.platform_domains))
    for kind, table in (
        (PLATFORM, snapshot.platforms),
        (AUTHORITY, snapshot.authorities),
    ):
        for alias, entry in table.items():
            if _DOMAIN_ALIAS.match(alias):
                index.domains.setdefault(alias, entry)
                continue
            key = alias_key(alias)
            index.add(key, kind, entry)
            if (
                entry.name.isupper()
                and len(entry.name) >= 2
                and key == alias_key(entry.name)
            ):
                index.exact_case.add(key)
    for alias, code in snapshot.countries.items():
        index.add(alias_key(alias), COUNTRY, code)
    return index


def find_mentions(
    text: str, index: Index, tokens: Tokens | None = None
) -> list[Mention]:
    """The names in the text, longest first at each position; `tokens` are
    tokenise(text) when the caller has them already."""
    tokens = tokenise(text) if tokens is None else tokens
    lengths = index.lengths
    # Most tokens begin no name: only those that may are looked at.
    candidates = [
        position
        for position, (key, script) in enumerate(
            zip(tokens.keys, tokens.scripts, strict=True)
        )
        if key in lengths or script == "arabic"
    ]
    found: list[Mention] = []
    covered = 0  # tokens before this one are part of a name found already
    for position in candidates:
        if position < covered:
            continue
        length, hits = _longest(tokens, position, index, text)
        if length:
            start, end = tokens.starts[position], tokens.ends[position + length - 1]
            found.extend(Mention(kind, value, start, end) for kind, value in hits)
            covered = position + length
    return found


def _longest(tokens: Tokens, position: int, index: Index, text: str):
    """The longest name at a position: for each length that some name
    starting with this token (or an Arabic variant of it) has, longest first,
    the variants in order."""
    firsts = _first_keys(tokens[position])
    lengths = sorted(
        {n for first in firsts for n in index.lengths.get(first, ())}, reverse=True
    )
    if not lengths:
        return 0, []
    joined = _joined_run(tokens, position, text, lengths[0])
    for length in lengths:
        if length > joined:
            continue
        window = tokens[position : position + length]
        rest = tuple(tokens.keys[position + 1 : position + length])
        for first in firsts:
            key = (first, *rest)
            hits = index.keys.get(key)
            if hits and _case_ok(window, key, hits, index, text):
                return length, hits
    return 0, []


def _joined_run(tokens: Tokens, position: int, text: str, most: int) -> int:
    """How many tokens from `position` (at most `most`) form one run of a name:
    a name runs on through spaces, hyphens, apostrophes and dots only, so
    "Facebook, Messenger" is two names, not "Facebook Messenger"."""
    last = min(position + most, len(tokens)) - 1
    run = 1
    for end, start in zip(
        tokens.ends[position:last], tokens.starts[position + 1 : last + 1], strict=True
    ):
        if text[end:start].strip(" \u200c\u00a0-'’."):
            break
        run += 1
    return run


def _first_keys(first: Token) -> list[str]:
    """The first token's key and, in Arabic, the key without a joined
    preposition or conjunction ("وتلغرام" is "و" + "تلغرام")."""
    keys = [first.key]
    if first.script == "arabic":
        for prefix in _ARABIC_PREFIXES:
            if first.key.startswith(prefix) and len(first.key) > len(prefix) + 2:
                keys.append(first.key[len(prefix) :])
        if first.key.startswith("لل"):
            keys.append("ال" + first.key[2:])
    return keys


def _case_ok(window, key, hits, index: Index, text: str) -> bool:
    """Latin names must be written as names: capitalised, acronyms in capitals."""
    first = window[0]
    if first.script != "latin":
        return True
    if any(kind == PLATFORM and value.name == WHOLE_NETWORK for kind, value in hits):
        return True
    raw = text[first.start : window[-1].end]
    if key in index.exact_case:
        return raw.replace(" ", "") == raw.replace(" ", "").upper()
    if not raw[:1].isupper() and not raw[:1].isdigit():
        return False
    if len(window) == 1 and len(raw) <= 3 and not raw.isupper():
        return not _sentence_start(text, first.start)
    return True


def _sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" \t\"'“‘«")
    return not before or before[-1] in ".!?\n:"


def find_domains(
    text: str, index: Index
) -> list[tuple[str, GazetteerEntry | None, int]]:
    """Host names in the text: (host, its platform or None, offset)."""
    hosts = []
    for match in _HOST.finditer(text):
        host = match.group(1).removeprefix("www.")
        if host.rsplit(".", 1)[-1] not in _TLDS:
            continue
        hosts.append((host, _platform_of(host, index), match.start(1)))
    return hosts


def _platform_of(host: str, index: Index) -> GazetteerEntry | None:
    parts = host.split(".")
    for cut in range(len(parts) - 1):
        entry = index.domains.get(".".join(parts[cut:]))
        if entry is not None:
            return entry
    return None
