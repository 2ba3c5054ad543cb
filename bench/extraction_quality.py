"""Quality of the news extractor on a labelled set of real reports.

bench/extraction_set.jsonl holds paraphrased real news reports (title, text,
source_url) and items of the shared corpus (a feed file and an item title, or
the seed article, read in place), each with gold labels. A third of the items
is held out ("split": "heldout") and is not looked at while tuning.

Event detection is scored as precision, recall and F1 of is_event. Fields are
scored on the true positives (gold and extractor agree it is an event):
platform, country, action, authority (gazetteer name or none) and date, the
date counting only when its precision matches too; items whose gold date is
null (the report gives none) are left out of the date score.

    .venv/bin/python -m bench.extraction_quality [--errors dev]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from tracker.corpus import corpus_dir

REPO = Path(__file__).resolve().parent.parent
SET_FILE = REPO / "bench" / "extraction_set.jsonl"
CORPUS = corpus_dir()
FIELDS = ("platform", "country", "action", "authority", "date")
TARGETS = {
    "event_f1": 0.85,
    "platform": 0.9,
    "country": 0.9,
    "action": 0.8,
    "authority": 0.7,
    "date": 0.7,
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def load_items(path: Path = SET_FILE) -> list[dict[str, Any]]:
    """The labelled items with title, text and published_at filled in."""
    if not CORPUS.is_dir():
        raise FileNotFoundError(f"the shared corpus is missing: {CORPUS}")
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    feeds: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if "feed" in item:
            entries = feeds.setdefault(item["feed"], _feed_entries(item["feed"]))
            item.update(_feed_item(entries, item))
        elif "corpus_file" in item:
            title, _, text = (
                (CORPUS / item["corpus_file"]).read_text("utf-8").partition("\n")
            )
            item.update(title=title.strip(), text=text.strip())
    return items


def _feed_entries(name: str) -> list[dict[str, Any]]:
    import feedparser

    parsed = feedparser.parse(str(CORPUS / "feeds" / name))
    return list(parsed.entries)


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup or "")).split())


def _feed_item(entries: list[dict[str, Any]], item: dict[str, Any]) -> dict[str, Any]:
    wanted = _plain(item["item_title"])
    for entry in entries:
        if _plain(entry.get("title", "")) == wanted:
            published = entry.get("published_parsed") or entry.get("updated_parsed")
            return {
                "title": _plain(entry.get("title", "")),
                "text": _plain(entry.get("summary", "")),
                "published_at": (
                    dt.datetime(*published[:6], tzinfo=dt.UTC).isoformat()
                    if published
                    else None
                ),
            }
    raise LookupError(f"no item {wanted!r} in {item['feed']}")


def predict(item: dict[str, Any], snapshot) -> dict[str, Any]:
    from events.dates import format_partial_date
    from events.ingest.extract import extract

    published = item.get("published_at")
    candidate = extract(
        title=item.get("title", ""),
        text=item.get("text", ""),
        published_at=dt.datetime.fromisoformat(published) if published else None,
        gazetteer=snapshot,
    )
    value = lambda guess: None if guess is None else guess.value  # noqa: E731
    date = value(candidate.date)
    return {
        "is_event": candidate.is_event,
        "platform": value(candidate.platform),
        "country": value(candidate.country),
        "action": value(candidate.action),
        "authority": value(candidate.authority),
        "date": format_partial_date(*date) if date else None,
        "reason": candidate.reason,
    }


def _same(field: str, gold: Any, got: Any) -> bool:
    if field in ("platform", "authority"):
        fold = lambda s: None if s is None else " ".join(str(s).split()).casefold()  # noqa: E731
        return fold(gold) == fold(got)
    return gold == got


def score(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    tp = sum(1 for item, got in rows if item["gold"]["is_event"] and got["is_event"])
    fp = sum(
        1 for item, got in rows if not item["gold"]["is_event"] and got["is_event"]
    )
    fn = sum(
        1 for item, got in rows if item["gold"]["is_event"] and not got["is_event"]
    )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fields = {}
    for field in FIELDS:
        judged = [
            _same(field, item["gold"][field], got[field])
            for item, got in rows
            if item["gold"]["is_event"]
            and got["is_event"]
            and not (field == "date" and item["gold"]["date"] is None)
        ]
        fields[field] = {
            "accuracy": round(sum(judged) / len(judged), 3) if judged else 0.0,
            "n": len(judged),
        }
    return {
        "items": len(rows),
        "event": {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": len(rows) - tp - fp - fn,
        },
        "fields": fields,
    }


_KEYWORD = re.compile(
    r"block|\bban|censor|suspend|restrict|throttl|withh|заблок|блокир|封|屏蔽|"
    r"engel|yasak|فیلتر|مسدود|حجب|حظر|प्रतिबंध|बैन",
    re.IGNORECASE,
)


def baseline(item: dict[str, Any], snapshot) -> dict[str, Any]:
    """The naive rule: a blocking keyword anywhere and a platform named means an
    event, its first platform the platform."""
    from events.ingest.extract.mentions import PLATFORM, find_mentions, index_for

    text = f"{item.get('title', '')}\n\n{item.get('text', '')}"
    platforms = [
        m.value.name
        for m in find_mentions(text, index_for(snapshot))
        if m.kind == PLATFORM
    ]
    got = dict.fromkeys(FIELDS)
    got.update(
        is_event=bool(_KEYWORD.search(text) and platforms),
        platform=platforms[0] if platforms else None,
        reason="keyword baseline",
    )
    return got


def run() -> dict[str, Any]:
    """Scores on the whole set, the tuning ("dev") part and the held-out part,
    and the keyword baseline's on the whole set."""
    _setup_django()
    from events.ingest.gazetteer import seed_snapshot

    snapshot = seed_snapshot()
    items = load_items()
    rows = [(item, predict(item, snapshot)) for item in items]
    result = {"targets": TARGETS, "splits": {}}
    for split in ("all", "dev", "heldout"):
        chosen = [r for r in rows if split == "all" or r[0]["split"] == split]
        result["splits"][split] = score(chosen)
    result["baseline"] = score([(item, baseline(item, snapshot)) for item in items])
    result["rows"] = rows
    return result


def _cell(metrics: dict[str, Any], field: str, split: str, width: int) -> str:
    """A field's accuracy; the baseline guesses only platforms."""
    if "baseline" in split and field != "platform":
        return f"{'-':>{width}}"
    return f"{metrics['fields'][field]['accuracy']:>{width}.3f}"


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'split':<8} {'items':>5} {'event P':>8} {'event R':>8} {'event F1':>8} "
        + " ".join(f"{field:>9}" for field in FIELDS)
    ]
    for split, metrics in [*result["splits"].items(), ("baseline", result["baseline"])]:
        event = metrics["event"]
        lines.append(
            f"{split:<8} {metrics['items']:>5} {event['precision']:>8.3f} "
            f"{event['recall']:>8.3f} {event['f1']:>8.3f} "
            + " ".join(_cell(metrics, field, split, 9) for field in FIELDS)
        )
    targets = result["targets"]
    lines.append(
        f"{'target':<8} {'':>5} {'':>8} {'':>8} {targets['event_f1']:>8.2f} "
        + " ".join(f"{targets[field]:>9.2f}" for field in FIELDS)
    )
    return "\n".join(lines)


def errors(result: dict[str, Any], split: str) -> list[str]:
    out = []
    for item, got in result["rows"]:
        if item["split"] != split:
            continue
        gold = item["gold"]
        wrong = [
            f"{field}: want {gold[field]!r} got {got[field]!r}"
            for field in ("is_event", *FIELDS)
            if (field == "is_event" or (gold["is_event"] and got["is_event"]))
            and not (field == "date" and gold["date"] is None)
            and not _same(field, gold[field], got[field])
        ]
        if wrong:
            out.append(f"{item['id']}: " + "; ".join(wrong) + f" ({got['reason']})")
    return out


def markdown(result: dict[str, Any]) -> str:
    """A Markdown section for docs/benchmarks.md."""
    rows = result["rows"]
    positives = sum(1 for item, _ in rows if item["gold"]["is_event"])
    header = "| split | items | event P | event R | event F1 | " + " | ".join(FIELDS)
    lines = [
        "## Extraction quality",
        "",
        f"{len(rows)} labelled items ({positives} events, {len(rows) - positives} "
        "non-events: proposals, threats, denials, how-tos, product news) in "
        "`bench/extraction_set.jsonl`; a third is held out from tuning. Fields are "
        "scored on the items both gold and extractor call events.",
        "",
        header + " |",
        "|" + "---|" * (5 + len(FIELDS)),
    ]
    named = [*result["splits"].items(), ("keyword baseline", result["baseline"])]
    for split, metrics in named:
        event = metrics["event"]
        cells = [split, str(metrics["items"])]
        cells += [f"{event[key]:.3f}" for key in ("precision", "recall", "f1")]
        cells += [_cell(metrics, field, split, 0) for field in FIELDS]
        lines.append("| " + " | ".join(cells) + " |")
    targets = result["targets"]
    cells = ["target", "", "", "", f"{targets['event_f1']:.2f}"]
    cells += [f"{targets[field]:.2f}" for field in FIELDS]
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section() -> str:
    return markdown(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["dev", "heldout"], help="list mistakes")
    args = parser.parse_args()
    result = run()
    print(table(result))
    if args.errors:
        print("\n".join(errors(result, args.errors)))


if __name__ == "__main__":
    main()
