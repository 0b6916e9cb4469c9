"""The hand annotations of models/statements/annotations.jsonl and the report groups.

Each line: file (relative to ../shared for corpus/..., to tests/fixtures for seeds/...),
sha256 of that file, start/end (offsets into nianbao's `report.text` of that file),
text (== report.text[start:end]), kind, topic (the hand labels), context (the default
kind the splitter gave from the headings - derived, not a hand label) and, for a problem
stated outside part 五, part (the number of the part it is in; absent = 5).
"""

from __future__ import annotations

import json
from pathlib import Path

from nlp.classify import item_heads

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ANNOTATIONS = HERE / "annotations.jsonl"
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"

# Reports whose part 五 is word for word the same are one group (else a report would be
# tested on its own twin): the 国有资产管理局 2023 text reappears in the 投资促进局 2025 report.
SAME_TEXT = {"corpus/dev/pingtan-tzcjj-2025.html": "corpus/dev/pingtan-gzj-2023.html"}


def load(path: Path = ANNOTATIONS) -> list[dict]:
    """The annotation rows, each with a derived `head` (the enumerated item the statement
    continues, nlp.classify.item_heads over the statements of its file in text order)."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    by_file: dict[str, list[dict]] = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append(r)
    for rs in by_file.values():
        rs = sorted(rs, key=lambda r: r["start"])
        heads = item_heads([r["text"] for r in rs], [r["context"] for r in rs], [r.get("part", 5) for r in rs])
        for r, h in zip(rs, heads):
            r["head"] = h
    return rows


def group(row: dict) -> str:
    return SAME_TEXT.get(row["file"], row["file"])


def resolve(rel: str) -> Path:
    """Where an annotated file lives: tests/fixtures/seeds/… or ../shared/corpus/…"""
    return FIXTURES / rel if rel.startswith("seeds/") else SHARED / rel
