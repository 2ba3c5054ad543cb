"""A small published record in several scripts, with unpublished events around
it and an event whose every field carries a script-injection attempt; and a
real browser for the pages (Debian's Chromium, headless, driven by Playwright).

No browser is downloaded: Chromium must be installed by apt (CI does it), and
its absence fails the browser tests rather than skipping them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, sync_playwright

from events.choices import Action, DatePrecision, Status, TargetType
from events.models import Event
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    PlatformFactory,
    SourceFactory,
)

CHINESE_NOTICE = "该账号因违反相关法律法规，已被屏蔽。"
PERSIAN_NOTICE = "دسترسی به این وب‌سایت امکان‌پذیر نمی‌باشد"
XSS_PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
XSS_URL = "javascript:window.__xss=1"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def published(**fields: object) -> Event:
    fields.setdefault("published_at", timezone.now())
    return EventFactory(status=Status.PUBLISHED, **fields)


def _chinese(record: SimpleNamespace) -> None:
    record.okex = published(
        platform=record.wechat,
        authority=record.cac,
        target="OKEx official account",
        country="CN",
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        notice_text=CHINESE_NOTICE,
        notice_language="zh",
        summary="WeChat blocked the account of an offshore exchange.",
    )
    SourceFactory(
        event=record.okex,
        url="https://www.coindesk.com/okex",
        title="China Blocking Crypto Exchanges on Social Media",
        publisher="CoinDesk",
        published_at=dt.datetime(2018, 8, 6, 13, 20, tzinfo=dt.UTC),
        archive_url="https://web.archive.org/web/2018/https://www.coindesk.com/okex",
    )
    record.huobi = published(
        platform=record.wechat,
        authority=record.cac,
        target="Huobi official account",
        country="CN",
        action=Action.SUSPENDED,
        date=dt.date(2018, 8, 21),
        notice_language="zh",
        notice_text="该账号已被封禁。",
    )


def _persian_and_russian(record: SimpleNamespace) -> None:
    record.persian = published(
        platform=record.telegram,
        authority=record.judiciary,
        target="Telegram",
        target_type=TargetType.WHOLE_PLATFORM,
        target_url="https://telegram.org/",
        country="IR",
        date=dt.date(2018, 4, 30),
        ended_on=dt.date(2019, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
        notice_text=PERSIAN_NOTICE,
        notice_language="fa",
    )
    record.old = published(
        platform=record.telegram,
        authority=None,
        target="Telegram channels",
        country="RU",
        action=Action.THROTTLED,
        date=dt.date(2016, 1, 1),
        date_precision=DatePrecision.YEAR,
        notice_text="",
    )


def _hostile(record: SimpleNamespace) -> None:
    record.xss = published(
        platform=PlatformFactory(name="Hostile", slug="hostile"),
        target=f"Account {XSS_PAYLOAD}",
        target_url=XSS_URL,
        country="TR",
        date=dt.date(2020, 2, 2),
        notice_text=XSS_PAYLOAD,
        notice_language="en",
        summary=XSS_PAYLOAD,
    )
    SourceFactory(event=record.xss, url=XSS_URL, title=XSS_PAYLOAD, archive_url=XSS_URL)


def _unpublished(record: SimpleNamespace) -> None:
    secret = PlatformFactory(name="Secretapp", slug="secretapp")
    hidden_authority = AuthorityFactory(name="Hidden Office", slug="hidden-office")
    record.unpublished = [
        EventFactory(
            platform=secret,
            authority=hidden_authority,
            target=f"Unpublished {status} target",
            country="KP",
            status=status,
        )
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED)
    ]
    # An unpublished event on a public platform must not count either.
    EventFactory(
        platform=record.wechat,
        authority=record.cac,
        target="WeChat draft",
        country="CN",
    )


def build_record() -> SimpleNamespace:
    """Five published events (Chinese, Persian, Russian, a hostile one) and four
    unpublished ones; `published` lists the five newest first."""
    record = SimpleNamespace(
        wechat=PlatformFactory(name="WeChat", slug="wechat"),
        telegram=PlatformFactory(name="Telegram", slug="telegram"),
        cac=AuthorityFactory(
            name="Cyberspace Administration of China", slug="cac-test", country="CN"
        ),
        judiciary=AuthorityFactory(
            name="Judiciary of Iran", slug="judiciary-ir", country="IR"
        ),
    )
    _chinese(record)
    _persian_and_russian(record)
    _hostile(record)
    _unpublished(record)
    record.published = [
        record.xss,
        record.huobi,
        record.okex,
        record.persian,
        record.old,
    ]
    return record


@pytest.fixture
def record(db) -> SimpleNamespace:
    return build_record()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    # Playwright's sync API keeps an asyncio loop in this thread, which makes
    # Django refuse ORM calls here although none of them runs inside it.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ],
            chromium_sandbox=False,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop-sized page that fails the test on any request to another
    origin than the live server's and on any Content-Security-Policy
    violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    yield page
    context.close()
    foreign = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert foreign == [], f"requests left the site: {foreign}"
    # The 404 page of a missing favicon is the only error tolerated.
    assert [p for p in problems if "404" not in p] == []


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
