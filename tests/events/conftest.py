"""Fixtures shared by the tests of the events app."""

import pytest

from tests.events.import_support import (
    SEED_ARTICLE,
    jsonl,
    row,
)
from tests.factories import PlatformFactory


@pytest.fixture
def wechat():
    return PlatformFactory(name="WeChat", slug="wechat", aliases=["微信", "Weixin"])


@pytest.fixture
def okex_file(tmp_path):
    path = tmp_path / "okex.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Huobi")), encoding="utf-8")
    return path


@pytest.fixture
def okex_notice() -> str:
    assert SEED_ARTICLE.is_file(), f"the seed article is missing: {SEED_ARTICLE}"
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    after = article.split("OKex’s page on WeChat reads:", 1)[1]
    return after.split("“", 1)[1].split("”", 1)[0]


# Rows and their fields


@pytest.fixture
def pair(db):
    """Two drafts about the same block, one source in common."""
    platform = PlatformFactory(name="WeChat", slug="wechat")
    from tests.events.merge_support import with_sources

    survivor = with_sources(
        "https://a.example/1", "https://shared.example/story", platform=platform
    )
    absorbed = with_sources(
        "https://b.example/2", "http://www.shared.example/story/", platform=platform
    )
    return survivor, absorbed


@pytest.fixture
def releases_root(settings, tmp_path):
    """Release files in a temporary folder; citations on the test server."""
    settings.RELEASES_ROOT = tmp_path / "releases"
    settings.SITE_URL = "http://testserver"
    return settings.RELEASES_ROOT
