"""The hand annotations of models/statements/annotations.jsonl and the report groups.

Each line: file (relative to ../shared for corpus/..., to tests/fixtures for seeds/...),
sha256 of that file, start/end (offsets into nianbao's `report.text` of that file),
text (== report.text[start:end]), kind, topic (the hand labels) and context (the default
kind the splitter gave from the headings - derived, not a hand label).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ANNOTATIONS = HERE / "annotations.jsonl"
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"

# Reports whose part 五 is word for word the same are one group (else a report would be
# tested on its own twin): the 国有资产管理局 2023 text reappears in the 投资促进局 2025 report.
SAME_TEXT = {"corpus/dev/pingtan-tzcjj-2025.html": "corpus/dev/pingtan-gzj-2023.html"}


def load(path: Path = ANNOTATIONS) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def group(row: dict) -> str:
    return SAME_TEXT.get(row["file"], row["file"])


def resolve(rel: str) -> Path:
    """Where an annotated file lives: tests/fixtures/seeds/… or ../shared/corpus/…"""
    return FIXTURES / rel if rel.startswith("seeds/") else SHARED / rel
