"""Checks for the ingestion tests that read the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.events.ingest.corpus import CORPUS, DATASETS, FEEDS


@pytest.fixture(scope="session", autouse=True)
def corpus_present() -> Path:
    """The corpus must be there: its absence fails the run, never skips."""
    assert FEEDS.is_dir(), f"the shared corpus is missing: no {FEEDS}"
    assert DATASETS.is_dir(), f"the shared corpus is missing: no {DATASETS}"
    return CORPUS


@pytest.fixture(autouse=True)
def _fresh_snapshot_cache():
    """The pipeline's cached gazetteer snapshot must not outlive a test: a
    rolled-back test can leave the tables with the same counts and ids but
    other rows."""
    from events.ingest.gazetteer import clear_snapshot_cache

    clear_snapshot_cache()
    yield
    clear_snapshot_cache()
