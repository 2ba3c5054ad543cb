"""Text search over events (a contract shared by the API and the pages).

`search_events(queryset, q)` keeps the events in which every term of `q` occurs,
ignoring case, in the target, the notice text or the summary. Terms are split
on white space; "double quotes" keep a phrase together. A term is a substring,
not a word: '屏蔽' is found inside a Chinese sentence that has no spaces, and
'роскомнадзор' inside 'Роскомнадзора'.

PostgreSQL matches with ILIKE, served by a trigram GIN index on the document
(migration 0008; terms of one or two characters have no trigram and scan it).
SQLite matches with Python's regular expressions, whose IGNORECASE folds every
script (SQLite's own LIKE folds ASCII only), and scans the table.

For the public (`public=True`), a masked event (events.masking) matches its
pseudonym only, never its real texts: each term is "(document matches and
not masked) or (masked and the pseudonym matches)". The second arm is read
through the small index of masked events (event_masked_as), so the trigram
index still serves the first.
"""

from __future__ import annotations

import re

from django.db import connections
from django.db.models import (
    Exists,
    F,
    Func,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)

from events.models import Event, Source
from events.selectors.masking import live_mask

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# A "quoted phrase" or a run of characters that are neither space nor quote.
_TERM = re.compile(r'"([^"]+)"|([^\s"]+)')


class SearchQueryError(ValueError):
    """The search text cannot be used; the message says why."""


class SearchDocument(Func):
    """target, notice text and summary joined by spaces. On PostgreSQL this
    must stay the exact expression of the trigram index (migration 0008)."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("target"), F("notice_text"), F("summary"))


class ContainsIgnoringCase(Lookup):
    """`lhs ILIKE '%term%'`, with LIKE's wildcards in the term escaped. Used as
    an expression, not registered on any field."""

    lookup_name = "ilike_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _split(q: str) -> list[str]:
    found = (" ".join((phrase or word).split()) for phrase, word in _TERM.findall(q))
    return list(dict.fromkeys(term for term in found if term))


def search_terms(q: str) -> list[str]:
    """The terms of a search: words, or "quoted phrases". Raises
    SearchQueryError for text that cannot be a search, so interfaces can
    report it before searching."""
    if "\x00" in q:
        raise SearchQueryError("contains a NUL character")
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"longer than {MAX_QUERY_LENGTH} characters")
    terms = _split(q)
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"more than {MAX_TERMS} terms")
    return terms


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_events(
    queryset: QuerySet[Event], q: str, *, public: bool = False
) -> QuerySet[Event]:
    """Events of `queryset` in which every term of `q` occurs (see the module
    docstring); an empty `q` keeps them all; `public`: masked events match
    their pseudonym only. Raises SearchQueryError for a search that
    search_terms() refuses (interfaces answer it with a 400)."""
    terms = search_terms(q.strip())
    if not terms:
        return queryset
    mask = "masked_as"
    if public and queryset.model is not Event:
        # History rows (`?as_of=`): the mask of now. Live events read their
        # own column: no annotation, so that pages keep their fast path.
        queryset, mask = queryset.alias(_mask=live_mask(queryset)), "_mask"
    postgresql = connections[queryset.db].vendor == "postgresql"
    if not postgresql:
        queryset = queryset.alias(_search=SearchDocument())
    for term in terms:
        if postgresql:
            pattern = Value(_like_pattern(term))
            real = Q(ContainsIgnoringCase(SearchDocument(), pattern))
            masked = Q(ContainsIgnoringCase(F(mask), pattern))
        else:
            real = Q(_search__iregex=re.escape(term))
            masked = Q(**{f"{mask}__iregex": re.escape(term)})
        if public:
            unmasked = Q(**{mask: ""})
            real = (real & unmasked) | (~unmasked & masked)
        queryset = queryset.filter(real)
    return queryset


def search_desk(queryset: QuerySet[Event], q: str) -> QuerySet[Event]:
    """The review desk's search: search_events (the API's, served by its
    index), and, when `q` is a whole http(s) URL, also the events citing a
    source at exactly that URL (served by the index on Source.url). Raises
    SearchQueryError as search_events does."""
    q = q.strip()
    found = search_events(queryset, q)
    if not q.startswith(("http://", "https://")) or any(c.isspace() for c in q):
        return found
    cites = Exists(Source.objects.filter(event=OuterRef("pk"), url=q))
    return queryset.filter(cites | Q(pk__in=found.values("pk")))
