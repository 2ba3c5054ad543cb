"""One scan for many regexes: the union matches exactly where one of them
does, and matching only at its offsets finds what finditer finds."""

from __future__ import annotations

import random
import re

import pytest

from events.ingest.extract import dates
from events.ingest.extract.alternation import finditer_at, match_starts, union

START, END = r"(?<!\w)", r"(?!\w)"
REGEXES = [
    re.compile(START + r"(?:ab|ac)d" + END, re.IGNORECASE),
    re.compile(START + r"a\w*x" + END, re.IGNORECASE),
    re.compile(START + r"b|c" + END, re.IGNORECASE),  # a bar the guards miss
    re.compile(START + r"k?q+" + END),
    re.compile(r"xy|z"),
    re.compile(r"(?:Q|d)(?=a)"),
    re.compile(r"[]x]y", re.MULTILINE),
]


def brute_force_starts(regexes, text):
    return [
        offset
        for offset in range(len(text) + 1)
        if any(regex.match(text, offset) for regex in regexes)
    ]


def random_texts(count=400, length=24):
    generator = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    alphabet = "abcdkqxyzQK]ſ \n-"
    return ["".join(generator.choices(alphabet, k=length)) for _ in range(count)]


def test_union_matches_exactly_where_one_of_the_regexes_does():
    joined = union(REGEXES, START, END)
    for text in random_texts():
        assert match_starts(joined, text) == brute_force_starts(REGEXES, text), text


def test_matching_at_the_union_offsets_finds_what_finditer_finds():
    joined = union(REGEXES, START, END)
    for text in random_texts():
        starts = match_starts(joined, text)
        for regex in REGEXES:
            found = [m.span() for m in finditer_at(regex, text, starts)]
            assert found == [m.span() for m in regex.finditer(text)], text


def test_union_refuses_flags_it_cannot_scope():
    with pytest.raises(ValueError):
        union([re.compile("a", re.ASCII)], START, END)


def test_grouped_month_names_match_what_the_plain_alternation_matches():
    names = list(dates._MONTHS)
    grouped = re.compile(f"(?:{dates._alternation(names)})", re.IGNORECASE)
    plain = re.compile(
        "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)),
        re.IGNORECASE,
    )
    for name in names:
        for probe in (name, name.upper(), name.title(), name + "x", name[:-1]):
            got, want = grouped.match(probe), plain.match(probe)
            assert (got and got.group()) == (want and want.group()), probe


def test_month_names_whose_letters_differ_only_in_case_are_refused():
    with pytest.raises(ValueError):
        dates._alternation(["Apr", "april"])


def test_relative_date_words_are_found_at_the_union_offsets():
    text = (
        "On Monday (not monday-ish), yesterday and last week; в прошлом месяце, "
        "вчера, 上周 星期一, geçen hafta, دیروز, الأسبوع الماضي, पिछले हफ्ते. SUNDAY!"
    )
    regexes = [
        *dates._WEEKDAY_RES.values(),
        *dates._RELATIVE_RES.values(),
        dates._RECENT_RE,
        dates._LAST_MONTH_RE,
    ]
    starts = match_starts(dates._ANY_RELATIVE, text)
    assert starts == brute_force_starts(regexes, text)
    for regex in regexes:
        found = [m.span() for m in finditer_at(regex, text, starts)]
        assert found == [m.span() for m in regex.finditer(text)]


def test_absolute_dates_are_found_at_the_union_offsets():
    text = (
        "On 2024-03-05, 5.3.2024 and 5 March 2024 (March 5, 2024); in May, since "
        "April 2023, 2023年3月5日, 3月5日, 2023年, 15 اسفند 1402, 16 апреля 2018, "
        "12 Şubat 2024, 5 मार्च 2024, during 2019. MARCH 2024!"
    )
    regexes = [regex for _, regex in dates._PATTERNS]
    starts = match_starts(dates._ANY_ABSOLUTE, text)
    assert starts == brute_force_starts(regexes, text)
    for regex in regexes:
        found = [m.span() for m in finditer_at(regex, text, starts)]
        assert found == [m.span() for m in regex.finditer(text)]
