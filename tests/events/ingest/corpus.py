"""The shared real-world corpus (tracker/corpus.py says where; see its
README.md), read in place and never copied into the repository."""

from __future__ import annotations

from pathlib import Path

from tracker.corpus import corpus_dir

CORPUS = corpus_dir()
FEEDS = CORPUS / "feeds"
DATASETS = CORPUS / "datasets"


def corpus_files() -> list[Path]:
    """Every corpus document, manifests excluded. Fails loudly (at collection)
    when the corpus is missing, so that no test silently checks nothing."""
    assert FEEDS.is_dir() and DATASETS.is_dir(), (
        f"corpus missing at {CORPUS} (set CORPUS_DIR)"
    )
    paths = [*FEEDS.iterdir(), *DATASETS.iterdir()]
    return sorted(path for path in paths if path.name != "MANIFEST.tsv")


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def dataset(name: str) -> bytes:
    return (DATASETS / name).read_bytes()
