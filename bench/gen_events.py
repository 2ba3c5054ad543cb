"""Generate synthetic interchange rows for benchmarks (deterministic)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

PLATFORMS = ["WeChat", "Telegram", "Wikipedia", "X", "Facebook", "YouTube", "TikTok"]
COUNTRIES = ["CN", "RU", "IR", "TR", "IN", "PK", "EG", "BR", "VN", "ET"]
ACTIONS = ["blocked", "suspended", "withheld_in_country", "throttled", "removed"]
NOTICES = [
    "The account is currently blocked, and content is not available.",
    "Доступ к ресурсу ограничен на основании Федерального закона.",
    "该账号因违反相关法律法规，已被屏蔽。",
    "دسترسی به این وب‌سایت امکان‌پذیر نمی‌باشد",
]


def rows(count: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    for n in range(count):
        year = rng.randint(2010, 2025)
        precision = rng.choice(["day", "day", "day", "month", "year"])
        date = {
            "day": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "month": f"{year}-{rng.randint(1, 12):02d}",
            "year": f"{year}",
        }[precision]
        yield {
            "platform": rng.choice(PLATFORMS),
            "target": f"Account number {n}",
            "target_type": "account",
            "country": rng.choice(COUNTRIES),
            "action": rng.choice(ACTIONS),
            "date": date,
            "notice_text": rng.choice(NOTICES),
            "summary": f"Synthetic benchmark event {n}.",
            "sources": [
                {"url": f"https://news.example.org/{n}", "title": f"Story {n}"}
            ],
            "status": "published",
        }


def write_jsonl(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for row in rows(count):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
