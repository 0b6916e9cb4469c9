"""The claim annotations are well formed; those of the seeds point at the committed fixtures."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.claims import metrics

ROOT = Path(__file__).resolve().parent.parent
ANN = ROOT / "corpus" / "annotations" / "claims"
FIXTURES = ROOT / "tests" / "fixtures"
FIELDS = {"file", "sha256", "start", "end", "text", "metric", "value", "unit", "scope", "bound", "split"}
SCOPES = {None, "year", "cumulative", "agency", "jurisdiction", "part", "previous", "change.increase", "change.decrease"}


def _rows():
    for p in sorted(ANN.glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            yield p.stem, json.loads(line)


def test_annotations_are_well_formed():
    vocab = metrics()
    n = 0
    for rid, x in _rows():
        n += 1
        assert FIELDS <= set(x), (rid, x)
        assert x["metric"] in vocab, (rid, x["metric"])
        assert x["scope"] in SCOPES and x["bound"] in (None, "at_least", "at_most", "about")
        assert x["split"] in ("dev", "test") and x["end"] > x["start"]
        assert x.get("check") in (None, "agrees", "contradicts", "not_comparable", "agrees_under_other_scope")
    assert n > 800


def test_seed_annotations_match_the_fixtures():
    seen = 0
    for rid, x in _rows():
        if not x["file"].startswith("seeds/"):
            continue
        path = FIXTURES / x["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == x["sha256"]
        text = path.read_text(encoding="utf-8")
        assert text[x["start"]:x["end"]] == x["text"], (rid, x)
        assert x["split"] == "dev"
        seen += 1
    assert seen == 70
