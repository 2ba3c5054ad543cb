"""Where the shared real-world corpus is: CORPUS_DIR, else `shared/corpus`
beside the checkout (as on CI). Tests, benchmarks and the demo read it in
place; it is never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    given = os.environ.get("CORPUS_DIR", "").strip()
    return Path(given) if given else REPO.parent / "shared" / "corpus"
