"""Dates in a text, at the precision the text gives them: a day, a month or a
year; relative words ("on Friday", "yesterday", "last week") resolved against
the item's published date. A day is never produced that the text or the
published date does not give."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from events.choices import DatePrecision
from events.ingest.extract.alternation import finditer_at, match_starts, union

DAY, MONTH, YEAR = (
    p.value for p in (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)
)

_MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # Russian (genitive, nominative, prepositional)
    "января": 1, "январь": 1, "январе": 1, "февраля": 2, "февраль": 2, "феврале": 2,
    "марта": 3, "март": 3, "марте": 3, "апреля": 4, "апрель": 4, "апреле": 4,
    "мая": 5, "май": 5, "мае": 5, "июня": 6, "июнь": 6, "июне": 6, "июля": 7,
    "июль": 7, "июле": 7, "августа": 8, "август": 8, "августе": 8, "сентября": 9,
    "сентябрь": 9, "сентябре": 9, "октября": 10, "октябрь": 10, "октябре": 10,
    "ноября": 11, "ноябрь": 11, "ноябре": 11, "декабря": 12, "декабрь": 12,
    "декабре": 12,
    # Turkish
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6,
    "temmuz": 7, "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    # Arabic (Egyptian and Levantine names)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12, "كانون الثاني": 1,
    "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8,
    "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    # Hindi
    "जनवरी": 1, "फरवरी": 2, "फ़रवरी": 2, "मार्च": 3, "अप्रैल": 4, "मई": 5, "जून": 6,
    "जुलाई": 7, "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10,
    "नवंबर": 11, "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
}  # fmt: skip
_JALALI = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "شهریور": 6,
    "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}  # fmt: skip
_ENGLISH_MONTHS = [name for name, _ in list(_MONTHS.items())[:25]]


def _alternation(names) -> str:
    """The names as a regex alternation, longest first, those that begin with
    the same letter behind it once ("j(?:anuary|an)|..."): one branch per
    letter for the engine to try, not one per name. The matches are the same,
    as no two of the letters are one letter in two cases (checked here), so
    the names that can match at an offset are all behind one letter, in the
    same order."""
    by_letter: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        by_letter.setdefault(name[0], []).append(re.escape(name[1:]))
    for letter, other in itertools.combinations(by_letter, 2):
        if re.fullmatch(re.escape(letter), other, re.IGNORECASE):
            raise ValueError(f"{letter!r} and {other!r} differ only in case")
    return "|".join(
        f"{re.escape(letter)}(?:{'|'.join(rests)})"
        for letter, rests in by_letter.items()
    )


_B, _E = r"(?<![\w\u0900-\u0963\u0966-\u097f])", r"(?![\w\u0900-\u0963\u0966-\u097f])"
_M, _JM, _EM = (
    _alternation(_MONTHS),
    _alternation(_JALALI),
    _alternation(_ENGLISH_MONTHS),
)
_ORD = r"(?:st|nd|rd|th|-?го|-?е)?"
_DMY_NAME = rf"(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_M})\.?,?(?:\s+(\d{{4}}))?"
_MDY_NAME = rf"({_EM})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?"
_JALALI_DMY = rf"(\d{{1,2}})\s*(?:ام\s*)?({_JM})(?:\s*(?:ماه\s*)?(\d{{4}}))?"
_MONTH_ONLY = (
    r"(?:in|since|during|from|by|в|с)\s+(?:(?:early|late|mid|the end of|"
    rf"the beginning of|the middle of)[- ]\s*)?({_M})(?!\s*,?\s*\d)"
)
_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d./])(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")),
    ("cjk_ymd", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")),
    ("cjk_ym", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")),
    ("cjk_md", re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")),
    ("cjk_y", re.compile(r"((?:19|20)\d{2})\s*年")),
    ("jalali_dmy", re.compile(_B + _JALALI_DMY + _E)),
    ("dmy_name", re.compile(_B + _DMY_NAME + _E, re.IGNORECASE)),
    ("mdy_name", re.compile(_B + _MDY_NAME + _E, re.IGNORECASE)),
    ("my_name", re.compile(_B + rf"({_M})\s+(?:of\s+)?(\d{{4}})" + _E, re.IGNORECASE)),
    ("month_only", re.compile(_B + _MONTH_ONLY + _E, re.IGNORECASE)),
    ("cjk_m", re.compile(r"(?<![\d年])(\d{1,2})\s*月(?!\s*\d)(?![日号號])")),
    (
        "year",
        re.compile(r"\b(?:in|during|в|since)\s+((?:19|20)\d{2})\b(?!\s*[-/.]\d)", re.I),
    ),
]


@dataclass(frozen=True)
class DateHit:
    value: dt.date
    precision: str
    start: int
    end: int
    relative: bool = False


# Where any of them starts: the text is scanned once, not once per pattern.
_ANY_ABSOLUTE = union([regex for _, regex in _PATTERNS], _B, _E)
_UNTIL_BEFORE = re.compile(r"(?:until|till|through|до|по|حتى|تا)\s*$", re.IGNORECASE)
_UNTIL_AFTER = re.compile(r"^\s*(?:'?(?:e|a|ye|ya) kadar|तक)", re.IGNORECASE)


def find_dates(text: str, published: dt.date | None) -> list[DateHit]:
    """Start dates in the text; end dates ("until February 7") are left out."""
    found = []
    starts = match_starts(_ANY_ABSOLUTE, text)
    for kind, regex in _PATTERNS:
        for match in finditer_at(regex, text, starts):
            if _is_end_date(text, match.start(), match.end()):
                continue
            value = _convert(kind, match.groups(), published)
            if value is not None and _plausible(value[0], published):
                found.append(DateHit(value[0], value[1], match.start(), match.end()))
    if published is not None:
        found.extend(_relative(text, published))
    return _non_overlapping(found)


def _is_end_date(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12) : start]
    return bool(
        _UNTIL_BEFORE.search(before) or _UNTIL_AFTER.match(text[end : end + 12])
    )


def _non_overlapping(found: list[DateHit]) -> list[DateHit]:
    found.sort(key=lambda hit: (-(hit.end - hit.start), hit.start))
    chosen: list[DateHit] = []
    for hit in found:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda hit: hit.start)


def _plausible(value: dt.date, published: dt.date | None) -> bool:
    latest = (published or dt.date.today()) + dt.timedelta(days=1)
    return dt.date(1995, 1, 1) <= value <= latest


def _convert(kind: str, groups, published: dt.date | None):
    try:
        return _CONVERTERS[kind](groups, published)
    except (ValueError, KeyError, TypeError):
        return None


def _month_number(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _with_year(year, month: int, day: int | None, published: dt.date | None):
    """A date whose year may be missing: then the latest such date not after
    the published date (no published date, no year: nothing)."""
    if year:
        return dt.date(int(year), month, day or 1)
    if published is None:
        return None
    value = dt.date(published.year, month, day or 1)
    if value > published + dt.timedelta(days=1):
        value = value.replace(year=published.year - 1)
    return value


def _dmy_name(groups, published):
    day, month, year = groups
    value = _with_year(year, _month_number(month), int(day), published)
    return None if value is None else (value, DAY)


def _mdy_name(groups, published):
    month, day, year = groups
    value = _with_year(year, _month_number(month), int(day), published)
    return None if value is None else (value, DAY)


def _jalali(groups, published):
    day, month, year = groups
    if year:
        jalali_year = int(year)
    elif published is not None:
        jalali_year = published.year - (
            621 if published >= dt.date(published.year, 3, 21) else 622
        )
    else:
        return None
    return jalali_to_gregorian(jalali_year, _JALALI[month], int(day)), DAY


def _cjk_md(groups, published):
    value = _with_year(None, int(groups[0]), int(groups[1]), published)
    return None if value is None else (value, DAY)


_CONVERTERS = {
    "ymd": lambda g, p: (dt.date(int(g[0]), int(g[1]), int(g[2])), DAY),
    "dmy": lambda g, p: (dt.date(int(g[2]), int(g[1]), int(g[0])), DAY),
    "cjk_ymd": lambda g, p: (dt.date(int(g[0]), int(g[1]), int(g[2])), DAY),
    "cjk_ym": lambda g, p: (dt.date(int(g[0]), int(g[1]), 1), MONTH),
    "cjk_md": _cjk_md,
    "cjk_y": lambda g, p: (dt.date(int(g[0]), 1, 1), YEAR),
    "jalali_dmy": _jalali,
    "dmy_name": _dmy_name,
    "mdy_name": _mdy_name,
    "my_name": lambda g, p: (dt.date(int(g[1]), _month_number(g[0]), 1), MONTH),
    "year": lambda g, p: (dt.date(int(g[0]), 1, 1), YEAR),
    "month_only": lambda g, p: _month_only(_month_number(g[0]), p),
    "cjk_m": lambda g, p: _month_only(int(g[0]), p),
}


def _month_only(month: int, published: dt.date | None):
    value = _with_year(None, month, None, published)
    return None if value is None else (value, MONTH)


def jalali_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """A Solar Hijri (Persian calendar) date as a Gregorian one."""
    days_since_epoch = (month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30
    return _nowruz(year) + dt.timedelta(days=days_since_epoch + day - 1)


def _nowruz(year: int) -> dt.date:
    """1 Farvardin: the 33-year arithmetic rule, exact for 1343-1472 AP."""
    leap_before = sum(1 for y in range(1343, year) if (25 * y + 11) % 33 < 8)
    days = (year - 1343) * 365 + leap_before
    return dt.date(1964, 3, 21) + dt.timedelta(days=days)


_WEEKDAYS = {
    0: "monday|понедельник|pazartesi|دوشنبه|الاثنين|الإثنين|सोमवार|周一|星期一",
    1: "tuesday|вторник|salı|سه‌شنبه|سه شنبه|الثلاثاء|मंगलवार|周二|星期二",
    2: "wednesday|сред[ау]|çarşamba|چهارشنبه|الأربعاء|الاربعاء|बुधवार|周三|星期三",
    3: "thursday|четверг|perşembe|پنجشنبه|پنج‌شنبه|الخميس|गुरुवार|周四|星期四",
    4: "friday|пятниц[ау]|cuma|جمعه|الجمعة|शुक्रवार|周五|星期五",
    5: "saturday|суббот[ау]|cumartesi|شنبه|السبت|शनिवार|周六|星期六",
    6: "sunday|воскресенье|pazar günü|یکشنبه|یک‌شنبه|الأحد|الاحد|रविवार|"
    "周日|星期日|星期天",
}
_RELATIVE_DAYS = {
    0: "today|сегодня|今天|今日|bugün|امروز|اليوم|आज",
    -1: "yesterday|вчера|昨天|昨日|dün|دیروز|أمس|امس",
}
_RECENT = (
    "last week|this week|earlier this week|earlier this month|this month|recently|"
    "на прошлой неделе|на этой неделе|недавно|上周|本周|近日|最近|近期|日前|"
    "geçen hafta|bu hafta|geçenlerde|هفته گذشته|اخیرا|اخیراً|الأسبوع الماضي|مؤخرا|"
    "مؤخراً|पिछले हफ्ते|इस हफ्ते|हाल ही में"
)
_LAST_MONTH = (
    "last month|в прошлом месяце|上个月|上月|geçen ay|ماه گذشته|الشهر الماضي|पिछले महीने"
)


def _word(alternatives: str) -> re.Pattern:
    return re.compile(_B + f"(?:{alternatives})" + _E, re.IGNORECASE)


_WEEKDAY_RES = {day: _word(names) for day, names in _WEEKDAYS.items()}
_RELATIVE_RES = {offset: _word(names) for offset, names in _RELATIVE_DAYS.items()}
_RECENT_RE, _LAST_MONTH_RE = _word(_RECENT), _word(_LAST_MONTH)
# Where any relative date word starts: the text is scanned once, not 11 times.
_ANY_RELATIVE = union(
    [*_WEEKDAY_RES.values(), *_RELATIVE_RES.values(), _RECENT_RE, _LAST_MONTH_RE],
    _B,
    _E,
)


_EXPLICIT_NEXT = re.compile(rf"^\W{{0,3}}(?:the\s+|الموافق\s+)?(?:\d|(?:{_M})\b)", re.I)


def _relative(text: str, published: dt.date) -> list[DateHit]:
    starts = match_starts(_ANY_RELATIVE, text)
    if not starts:
        return []
    hits = []
    for weekday, regex in _WEEKDAY_RES.items():
        back = (published.weekday() - weekday) % 7
        value = published - dt.timedelta(days=back)
        hits.extend(
            hit
            for hit in _hits(regex, text, starts, value, DAY)
            if not _EXPLICIT_NEXT.match(text[hit.end : hit.end + 30])
        )
    for offset, regex in _RELATIVE_RES.items():
        day = published + dt.timedelta(days=offset)
        hits.extend(_hits(regex, text, starts, day, DAY))
    hits.extend(_hits(_RECENT_RE, text, starts, published.replace(day=1), MONTH))
    previous = (published.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    hits.extend(_hits(_LAST_MONTH_RE, text, starts, previous, MONTH))
    return hits


def _hits(regex, text: str, starts: list[int], value: dt.date, precision: str):
    return [
        DateHit(value, precision, m.start(), m.end(), relative=True)
        for m in finditer_at(regex, text, starts)
    ]
