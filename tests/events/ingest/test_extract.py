"""The extractor on the seed article, on reports in six more languages, on
non-events, and on the precision of dates and the exactness of notices."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from events.ingest.extract import extract, no_verb_reason
from events.ingest.gazetteer import seed_snapshot
from events.ingest.types import Guess
from tests.events.ingest.corpus import CORPUS

SEED_NOTICE = (
    "The platform may have violated relevant laws and regulations after being "
    "reviewed per users’ complaints. The account is currently blocked, and content "
    "is not available."
)


@pytest.fixture(scope="module")
def gazetteer():
    return seed_snapshot()


def run(gazetteer, title, text, published=dt.datetime(2024, 8, 9, 12, tzinfo=dt.UTC)):
    return extract(title=title, text=text, published_at=published, gazetteer=gazetteer)


def value(guess):
    return None if guess is None else guess.value


@pytest.fixture(scope="module")
def seed(gazetteer):
    article = (CORPUS / "seed-article.txt").read_text(encoding="utf-8")
    title, _, text = article.partition("\n")
    return extract(title=title, text=text, published_at=None, gazetteer=gazetteer)


def test_seed_article_is_an_event(seed):
    assert seed.is_event


def test_seed_article_fields(seed):
    assert (value(seed.platform), value(seed.country), value(seed.action)) == (
        "WeChat",
        "CN",
        "blocked",
    )


def test_seed_article_target_is_the_okex_account(seed):
    assert "okex" in seed.target.value.casefold()
    assert seed.target_type.value == "account"


def test_seed_article_notice_is_verbatim_and_english(seed):
    assert seed.notice_text.value == SEED_NOTICE
    assert seed.notice_language.value == "en"


def test_seed_article_reason_names_the_findings(seed):
    assert seed.reason.startswith("platform WeChat + action blocked + country CN")


def test_chinese_report(gazetteer):
    candidate = run(
        gazetteer,
        "微信封禁多个虚拟货币交易所公众号",
        "2018年8月21日，中国监管部门要求微信封禁一批炒作虚拟货币的公众号。"
        "用户打开这些页面时显示“该公众号已被屏蔽，所有内容无法查看。”",
    )
    assert candidate.is_event
    assert (value(candidate.platform), value(candidate.country)) == ("WeChat", "CN")
    assert value(candidate.action) == "blocked"
    assert candidate.date.value == (dt.date(2018, 8, 21), "day")
    assert candidate.notice_text.value == "该公众号已被屏蔽，所有内容无法查看。"
    assert candidate.notice_language.value == "zh"


def test_russian_report(gazetteer):
    candidate = run(
        gazetteer,
        "Роскомнадзор заблокировал Telegram",
        "16 апреля 2018 года Роскомнадзор заблокировал мессенджер Telegram по решению "
        "Таганского районного суда. На сайте появляется сообщение «Доступ к ресурсу "
        "ограничен на основании решения суда».",
    )
    assert candidate.is_event
    assert value(candidate.platform) == "Telegram"
    assert (value(candidate.country), value(candidate.authority)) == (
        "RU",
        "Roskomnadzor",
    )
    assert candidate.date.value == (dt.date(2018, 4, 16), "day")
    assert candidate.notice_text.value == (
        "Доступ к ресурсу ограничен на основании решения суда"
    )
    assert candidate.notice_language.value == "ru"


def test_russian_throttling_is_throttled(gazetteer):
    candidate = run(
        gazetteer,
        "Роскомнадзор замедлил Twitter",
        "Роскомнадзор замедлил работу Twitter на всех мобильных устройствах в России.",
    )
    assert (value(candidate.platform), value(candidate.action)) == ("X", "throttled")


def test_turkish_report(gazetteer):
    candidate = run(
        gazetteer,
        "Wikipedia'ya erişim engeli getirildi",
        "Bilgi Teknolojileri ve İletişim Kurumu (BTK), 29 Nisan 2017'de Türkiye'den "
        "Wikipedia'ya erişimi engelledi.",
    )
    assert candidate.is_event
    assert (value(candidate.platform), value(candidate.country)) == ("Wikipedia", "TR")
    assert value(candidate.authority) == (
        "Information and Communication Technologies Authority"
    )
    assert candidate.date.value == (dt.date(2017, 4, 29), "day")


def test_persian_report_right_to_left(gazetteer):
    candidate = run(
        gazetteer,
        "تلگرام در ایران فیلتر شد",
        "قوه قضاییه روز ۱۰ اردیبهشت ۱۳۹۷ دستور داد پیام‌رسان تلگرام در سراسر ایران "
        "مسدود شود. کاربران با پیام «دسترسی به این سایت امکان‌پذیر نیست» روبه‌رو "
        "می‌شوند.",
    )
    assert candidate.is_event
    assert (value(candidate.platform), value(candidate.country)) == ("Telegram", "IR")
    assert value(candidate.authority) == "Judiciary of Iran"
    assert candidate.date.value == (dt.date(2018, 4, 30), "day")
    assert candidate.notice_text.value == "دسترسی به این سایت امکان‌پذیر نیست"
    assert candidate.notice_language.value == "fa"


def test_arabic_report(gazetteer):
    candidate = run(
        gazetteer,
        "السلطات المصرية تحجب تطبيق سيجنال",
        "حجبت السلطات في مصر تطبيق المراسلة المشفر سيجنال يوم 19 ديسمبر 2016، "
        "وظهرت للمستخدمين رسالة «تعذر الاتصال بالخادم، حاول مرة أخرى لاحقاً».",
    )
    assert candidate.is_event
    assert (value(candidate.platform), value(candidate.country)) == ("Signal", "EG")
    assert value(candidate.action) == "blocked"
    assert candidate.date.value == (dt.date(2016, 12, 19), "day")
    assert candidate.notice_language.value == "ar"


def test_hindi_report(gazetteer):
    candidate = run(
        gazetteer,
        "भारत सरकार ने टिकटॉक पर प्रतिबंध लगा दिया",
        "इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय ने 29 जून 2020 को टिकटॉक समेत 59 "
        "चीनी ऐप्स पर प्रतिबंध लगा दिया।",
    )
    assert candidate.is_event
    assert (value(candidate.platform), value(candidate.country)) == ("TikTok", "IN")
    assert value(candidate.authority) == (
        "Ministry of Electronics and Information Technology"
    )
    assert candidate.date.value == (dt.date(2020, 6, 29), "day")


def test_withheld_in_country(gazetteer):
    candidate = run(
        gazetteer,
        "Twitter account of a journalist withheld in India",
        "Twitter has withheld the account of a Kashmiri journalist in India after a "
        "legal demand from the government.",
    )
    assert (value(candidate.action), value(candidate.country)) == (
        "withheld_in_country",
        "IN",
    )


def test_restoration_is_restored(gazetteer):
    candidate = run(
        gazetteer,
        "Nigeria lifts its ban on Twitter",
        "Nigeria lifted its seven-month ban on Twitter on Thursday.",
    )
    assert (value(candidate.action), value(candidate.platform)) == ("restored", "X")


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Lawmakers propose a bill that would ban TikTok nationwide",
            "A group of senators introduced a bill on Tuesday that could lead to a "
            "ban of TikTok if its owner does not sell the app.",
        ),
        (
            "Russia threatens to block YouTube",
            "A senior lawmaker said YouTube may be blocked in Russia soon if it keeps "
            "removing the channels of state media.",
        ),
        (
            "How to use Telegram in Iran with a VPN",
            "Telegram is blocked in Iran. Here is how to install a VPN and reach it.",
        ),
        (
            "Telegram launches stories for all users",
            "Telegram rolled out stories to every user on Thursday, the company said.",
        ),
        (
            "Госдума предложила заблокировать WhatsApp",
            "Депутаты предложили заблокировать WhatsApp, если сервис не выполнит "
            "требования закона.",
        ),
    ],
    ids=["bill", "threat", "vpn-how-to", "product-news", "russian-proposal"],
)
def test_non_events(gazetteer, title, text):
    candidate = run(gazetteer, title, text)
    assert not candidate.is_event
    assert candidate.reason


def test_a_blocking_verb_without_a_platform_is_not_an_event(gazetteer):
    candidate = run(
        gazetteer,
        "In Somalia, rebels are blocking food aid",
        "Islamist rebels blocked convoys carrying food to starving villages.",
    )
    assert not candidate.is_event


def test_month_given_is_kept_at_month_precision(gazetteer):
    candidate = run(
        gazetteer,
        "Russia blocked LinkedIn in August 2018",
        "Roskomnadzor blocked LinkedIn in August 2018.",
    )
    assert candidate.date.value == (dt.date(2018, 8, 1), "month")


def test_year_given_is_kept_at_year_precision(gazetteer):
    candidate = run(
        gazetteer, "Wikipedia blocked", "Turkey blocked Wikipedia in 2017 entirely."
    )
    assert candidate.date.value == (dt.date(2017, 1, 1), "year")


def test_last_week_gives_the_published_month_with_low_confidence(gazetteer):
    candidate = run(
        gazetteer, "Pakistan blocks X", "Pakistan blocked X last week, users said."
    )
    assert candidate.date.value == (dt.date(2024, 8, 1), "month")
    assert candidate.date.confidence < 0.5


def test_a_weekday_is_the_latest_such_day_before_publication(gazetteer):
    candidate = run(
        gazetteer,
        "Venezuela blocks X",
        "Venezuela blocked X on Tuesday.",
        published=dt.datetime(2024, 8, 9, 12, tzinfo=dt.UTC),  # a Friday
    )
    assert candidate.date.value == (dt.date(2024, 8, 6), "day")


def test_no_date_in_the_text_falls_back_to_the_published_day(gazetteer):
    candidate = run(gazetteer, "Egypt blocks Signal", "Egypt has blocked Signal.")
    assert candidate.date == Guess((dt.date(2024, 8, 9), "day"), 0.5)


def test_no_date_and_no_published_date_gives_no_date(gazetteer):
    candidate = run(
        gazetteer, "Egypt blocks Signal", "Egypt has blocked Signal.", published=None
    )
    assert candidate.date is None


def test_a_planned_date_is_not_the_event_date(gazetteer):
    candidate = run(
        gazetteer,
        "Chinese regulators block WeChat accounts of crypto exchanges",
        "Chinese regulators blocked the WeChat accounts of several exchanges. In "
        "February 2018 the government planned to block overseas exchanges too.",
    )
    assert candidate.date.value == (dt.date(2024, 8, 9), "day")


def test_an_end_date_is_not_the_start_date(gazetteer):
    candidate = run(
        gazetteer,
        "Myanmar blocks Facebook",
        "Operators were told to block Facebook until February 7, and Myanmar blocked "
        "Facebook on Thursday.",
        published=dt.datetime(2021, 2, 4, tzinfo=dt.UTC),
    )
    assert candidate.date.value == (dt.date(2021, 2, 4), "day")


def test_notice_keeps_inner_whitespace_and_punctuation(gazetteer):
    notice = "This account  has been\nwithheld in Turkey — sorry; (code 451)."
    candidate = run(
        gazetteer,
        "Twitter withholds a journalist's account in Turkey",
        f"Twitter withheld the account in Turkey. The page now reads: “{notice}”",
    )
    assert candidate.notice_text.value == notice


def test_a_quoted_statement_is_not_a_notice(gazetteer):
    candidate = run(
        gazetteer,
        "Nigeria suspends Twitter",
        'Nigeria suspended Twitter. The minister said "the platform undermines our '
        'corporate existence" in a statement.',
    )
    assert candidate.notice_text is None


def test_every_confidence_is_between_zero_and_one(gazetteer, seed):
    candidates = [
        seed,
        run(gazetteer, "Russia bans LinkedIn", "Roskomnadzor banned LinkedIn."),
        run(gazetteer, "Telegram adds a feature", "Telegram added stickers."),
    ]
    for candidate in candidates:
        assert 0.0 <= candidate.confidence <= 1.0
        for field in dataclasses.fields(candidate):
            guess = getattr(candidate, field.name)
            if isinstance(guess, Guess):
                assert 0.0 <= guess.confidence <= 1.0, field.name


def test_empty_item_is_not_an_event(gazetteer):
    candidate = run(gazetteer, "", "")
    assert (candidate.is_event, candidate.reason) == (False, "no blocking verb")


def test_control_characters_are_read_as_spaces(gazetteer):
    candidate = run(
        gazetteer,
        "Russia\x1b blocks Telegram",
        "Roskomnadzor blocked\x00 Telegram on 16 April 2018.\x7f",
    )
    assert candidate.is_event
    assert "\x00" not in candidate.summary.value
    assert no_verb_reason(title="How\x00to stay warm", text="") == (
        "a how-to or guide, not a report of a block"
    )
