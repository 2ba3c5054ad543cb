"""One regex that matches wherever any of several regexes matches, so that a
text is scanned once instead of once per regex.

`union()` joins the regexes by "|", each under its own flags, so the union
matches at an offset exactly when at least one of them matches there. Only
the layout changes, for speed, by rewrites that keep where a match can start:
regexes written as start guard + body + end guard (the word-boundary guards
the extractor's word lists share) get their guards once, around all their
bodies; alternations, leading groups of alternatives and optional first
letters are multiplied out ("(?:a|b)c" is "ac|bc", "x?y" is "xy|y");
alternatives with the same flags that begin with the same plain letter are
grouped behind it; and the letters of one script sit behind a look-ahead for
any of them. At a word start the engine then tries a few dozen branches, not
hundreds. The regexes must not use back-references (their groups are
renumbered and repeated) or verbose mode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_QUANTIFIERS = frozenset("?*+{")
_SCOPED = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s"}


def union(regexes: Iterable[re.Pattern], start: str, end: str) -> re.Pattern:
    """A regex matching at every offset where one of `regexes` matches;
    `start` and `end` are the guards to write once."""
    bodies: dict[tuple[int, bool], list[str]] = {}
    for regex in regexes:
        body = _guarded_body(regex, start, end)
        key = (_flags_of(regex), body is not None)
        for part in _split_top(regex.pattern if body is None else body):
            bodies.setdefault(key, []).extend(_spread(part))
    groups = []
    for (flags, guarded), alternatives in bodies.items():
        scope = "".join(letter for flag, letter in _SCOPED.items() if flags & flag)
        grouped = _grouped(alternatives)
        inner = f"{start}(?:{grouped}){end}" if guarded else grouped
        groups.append(f"(?{scope}:{inner})")
    return re.compile("|".join(groups))


def match_starts(regex: re.Pattern, text: str) -> list[int]:
    """Every offset where `regex` matches, in order."""
    starts = []
    match = regex.search(text)
    while match is not None:
        starts.append(match.start())
        match = regex.search(text, match.start() + 1)
    return starts


def finditer_at(
    regex: re.Pattern, text: str, starts: Sequence[int]
) -> Iterator[re.Match]:
    """regex.finditer(text) for a regex that never matches the empty string,
    trying only the offsets in `starts`, which must hold every offset where it
    matches (as match_starts() of a union of it and others does)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = regex.match(text, start)
        if match is not None:
            yield match
            end = match.end()


def _flags_of(regex: re.Pattern) -> int:
    flags = regex.flags & ~re.UNICODE
    if flags & ~sum(_SCOPED):
        raise ValueError(f"flags of {regex.pattern!r} cannot be scoped")
    return flags


def _guarded_body(regex: re.Pattern, start: str, end: str) -> str | None:
    """What lies between the guards, or None when the regex is not guarded so
    or has a "|" outside brackets (which the guards would not enclose)."""
    source = regex.pattern
    if not (source.startswith(start) and source.endswith(end)):
        return None
    body = source[len(start) : len(source) - len(end)]
    return body if len(_split_top(body)) == 1 else None


def _spread(body: str, rounds: int = 4) -> list[str]:
    """Alternatives whose union is the body, multiplied out at its start so
    that each can begin with a plain letter: "(?:a|b)c" is "ac|bc", and an
    optional first letter or group is there or not: "x?y" is "xy|y"."""
    head, rest, optional = _leading(body)
    if head is None or rounds == 0:
        return [body]
    spread = [*(first + rest for first in head), *([rest] if optional else [])]
    return [alternative for part in spread for alternative in _spread(part, rounds - 1)]


def _leading(body: str) -> tuple[list[str] | None, str, bool]:
    """The alternatives of the body's first element when it is a group
    (capturing or not: the union's captures mean nothing) or an optional plain
    letter (None otherwise), what follows it, and whether it is optional
    (greedy or lazy, not possessive)."""
    if body.startswith("(?:"):
        inside = 3
    else:  # 1 after the "(" of a capturing group
        inside = 1 if body[:1] == "(" and body[1:2] != "?" else 0
    if inside:
        close = next(
            (
                i
                for i, char, depth in _outside_classes(body)
                if char == ")" and not depth
            ),
            -1,
        )
        head, after = _split_top(body[inside:close]), body[close + 1 :]
    elif body[:1] and body[:1] not in _SPECIAL and body[1:2] == "?":
        close, head, after = 0, [body[0]], body[1:]
    else:
        return None, body, False
    if close < 0 or (after[:1] in _QUANTIFIERS and after[:1] != "?"):
        return None, body, False
    if after[:1] != "?":
        return head, after, False
    if after[1:2] == "+":
        return None, body, False
    return head, after[2:] if after[1:2] == "?" else after[1:], True


def _grouped(bodies: list[str]) -> str:
    """The bodies as one alternation, those that begin with the same plain
    (unquantified) letter behind that letter once, and the letters of one
    script behind a look-ahead for any of them, so that a text in one script
    skips the branches of the others at once."""
    by_letter: dict[str, list[str]] = {}
    others = []
    for body in bodies:
        letter, after = body[:1], body[1:2]
        if letter and letter not in _SPECIAL and after not in _QUANTIFIERS:
            by_letter.setdefault(letter, []).append(body[1:])
        else:
            others.append(body)
    by_script: dict[str, dict[str, str]] = {}
    for letter, rests in by_letter.items():
        script = unicodedata.name(letter, "").split(" ")[0]
        branch = f"{re.escape(letter)}(?:{'|'.join(rests)})"
        by_script.setdefault(script, {})[letter] = branch
    branches = [
        f"(?=[{''.join(map(re.escape, letters))}])(?:{'|'.join(letters.values())})"
        for letters in by_script.values()
    ]
    return "|".join([*branches, *others])


def _split_top(source: str) -> list[str]:
    """The source split at each "|" outside brackets."""
    parts, last = [], 0
    for index, char, depth in _outside_classes(source):
        if char == "|" and depth == 0:
            parts.append(source[last:index])
            last = index + 1
    return [*parts, source[last:]]


def _outside_classes(source: str) -> Iterator[tuple[int, str, int]]:
    """(offset, character, bracket depth after it) of each unescaped
    character outside character classes."""
    depth, escaped, class_from = 0, False, -1
    for index, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif class_from >= 0:
            # "]" right after "[" or "[^" is a member, not the end.
            if char == "]" and index > class_from:
                class_from = -1
        elif char == "[":
            class_from = index + 1 + (source[index + 1 : index + 2] == "^")
        else:
            depth += {"(": 1, ")": -1}.get(char, 0)
            yield index, char, depth
