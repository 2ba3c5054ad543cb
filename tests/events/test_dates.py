import datetime as dt

import pytest

from events.choices import DatePrecision
from events.dates import (
    PartialDateError,
    format_partial_date,
    parse_partial_date,
    period_end,
    precision_error,
)


def test_parse_a_year_gives_its_first_day_at_year_precision():
    assert parse_partial_date("2018") == (dt.date(2018, 1, 1), DatePrecision.YEAR)


def test_parse_a_month_gives_its_first_day_at_month_precision():
    assert parse_partial_date("2018-08") == (dt.date(2018, 8, 1), DatePrecision.MONTH)


def test_parse_a_day_gives_that_day_at_day_precision():
    assert parse_partial_date("2018-08-21") == (
        dt.date(2018, 8, 21),
        DatePrecision.DAY,
    )


def test_parse_ignores_surrounding_whitespace():
    assert parse_partial_date(" 2018-08\n") == (
        dt.date(2018, 8, 1),
        DatePrecision.MONTH,
    )


def test_parse_accepts_the_29th_of_february_in_a_leap_year():
    assert parse_partial_date("2020-02-29") == (dt.date(2020, 2, 29), DatePrecision.DAY)


def test_parse_accepts_the_29th_of_february_in_a_leap_century():
    assert parse_partial_date("2000-02-29") == (dt.date(2000, 2, 29), DatePrecision.DAY)


@pytest.mark.parametrize(
    "text",
    [
        "2018-13",
        "2018-00",
        "2018-02-30",
        "2019-02-29",
        "1900-02-29",
        "2018-08-32",
        "18",
        "",
        "   ",
        "2018-8",
        "2018-08-1",
        "2018/08/21",
        "21-08-2018",
        "2018-08-21T10:00",
        "August 2018",
    ],
)
def test_parse_refuses_text_that_is_not_a_partial_date(text):
    with pytest.raises(PartialDateError):
        parse_partial_date(text)


def test_parse_error_names_the_text():
    with pytest.raises(PartialDateError, match="'2018-13'"):
        parse_partial_date("2018-13")


def test_partial_date_error_is_a_value_error():
    assert issubclass(PartialDateError, ValueError)


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        (dt.date(2018, 1, 1), DatePrecision.YEAR, "2018"),
        (dt.date(2018, 8, 1), DatePrecision.MONTH, "2018-08"),
        (dt.date(2018, 8, 21), DatePrecision.DAY, "2018-08-21"),
        (dt.date(987, 3, 1), DatePrecision.MONTH, "0987-03"),
    ],
)
def test_format_writes_the_date_at_its_precision(value, precision, text):
    assert format_partial_date(value, precision) == text


def test_format_never_writes_a_day_for_a_month():
    assert format_partial_date(dt.date(2018, 8, 1), DatePrecision.MONTH) == "2018-08"


@pytest.mark.parametrize("text", ["2018", "2018-08", "2018-08-21", "2020-02-29"])
def test_format_undoes_parse(text):
    assert format_partial_date(*parse_partial_date(text)) == text


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        (dt.date(2018, 8, 21), DatePrecision.DAY),
        (dt.date(2018, 8, 1), DatePrecision.MONTH),
        (dt.date(2018, 1, 1), DatePrecision.YEAR),
    ],
)
def test_precision_error_is_none_for_the_first_day_of_the_period(value, precision):
    assert precision_error(value, precision) is None


def test_precision_error_refuses_a_day_at_month_precision():
    assert precision_error(dt.date(2018, 8, 15), DatePrecision.MONTH) == (
        "a day is given but the precision is month"
    )


@pytest.mark.parametrize("value", [dt.date(2018, 8, 1), dt.date(2018, 1, 15)])
def test_precision_error_refuses_a_month_or_day_at_year_precision(value):
    assert precision_error(value, DatePrecision.YEAR) == (
        "a month or day is given but the precision is year"
    )


@pytest.mark.parametrize(
    ("value", "precision", "end"),
    [
        (dt.date(2018, 8, 21), DatePrecision.DAY, dt.date(2018, 8, 21)),
        (dt.date(2018, 8, 1), DatePrecision.MONTH, dt.date(2018, 8, 31)),
        (dt.date(2018, 4, 1), DatePrecision.MONTH, dt.date(2018, 4, 30)),
        (dt.date(2018, 12, 1), DatePrecision.MONTH, dt.date(2018, 12, 31)),
        (dt.date(2018, 1, 1), DatePrecision.YEAR, dt.date(2018, 12, 31)),
    ],
)
def test_period_end_is_the_last_day_of_the_period(value, precision, end):
    assert period_end(value, precision) == end


def test_period_end_of_february_in_a_leap_year_is_the_29th():
    assert period_end(dt.date(2020, 2, 1), DatePrecision.MONTH) == dt.date(2020, 2, 29)


def test_period_end_of_february_in_a_common_year_is_the_28th():
    assert period_end(dt.date(2019, 2, 1), DatePrecision.MONTH) == dt.date(2019, 2, 28)


def test_period_end_of_february_in_a_non_leap_century_is_the_28th():
    assert period_end(dt.date(1900, 2, 1), DatePrecision.MONTH) == dt.date(1900, 2, 28)
