"""Statement classifier benchmark: the linear model beside the keyword baseline.

    .venv/bin/python benchmarks/statements.py [--out benchmarks/results/statements.md]

Reads the hand annotations models/statements/annotations.jsonl. When ../shared is there, all
annotated reports are used (seeds + ../shared/corpus/dev) and every annotated file is first
checked: its sha256 and the statements the pipeline cuts (part 五 and the problems stated
elsewhere, nlp.statements.report_statements) must still equal the annotation (else the
annotations are stale and the benchmark stops). The narratives (../shared/corpus/narratives,
opening parts only) are searched for problems stated elsewhere too: any found would have to be
annotated. When ../shared is not there, it says so and uses the seed reports only.

Scores are grouped by report (leave-one-report-out with the hyper-parameters chosen inside each
fold, see models/statements/evaluate.py): kind accuracy and topic macro-F1 for the model and for
the keyword baseline; targets kind accuracy 0.95+ and topic macro-F1 0.80+, both well above the
baseline (here: at least 0.10 above it). Also: the statements stage's time per report. Results go
to benchmarks/results/statements.md.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.statements import evaluate as ev  # noqa: E402
from models.statements.data import SHARED, load, resolve  # noqa: E402
from nianbao import parse_file  # noqa: E402
from nlp.classify import LinearLabeller, label, pair  # noqa: E402
from nlp.statements import problems_elsewhere, report_statements  # noqa: E402

TARGETS = {"kind_accuracy": 0.95, "topic_macro_f1": 0.80}
MARGIN = 0.10  # "well above the keyword baseline"


def check_spans(rows: list[dict]) -> tuple[list[str], float]:
    """Every annotated file still gives the annotated spans; returns problems and s/report of the stage."""
    problems, secs, n = [], 0.0, 0
    lab = LinearLabeller.load()
    for rel in sorted({r["file"] for r in rows}):
        path = resolve(rel)
        want = [(r["start"], r["end"], r["text"]) for r in rows if r["file"] == rel]
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha != next(r["sha256"] for r in rows if r["file"] == rel):
            problems.append(f"{rel}: sha256 differs from the annotation")
            continue
        report = parse_file(path)
        t0 = time.perf_counter()
        got = pair(label(report_statements(report), lab))
        secs += time.perf_counter() - t0
        n += 1
        if [(s.start, s.end, s.text) for s in got] != want:
            problems.append(f"{rel}: the splitter's statements differ from the annotation")
    return problems, secs / max(1, n)


def narratives_elsewhere() -> tuple[int, list[str]]:
    """(files searched, problems stated elsewhere found) in ../shared/corpus/narratives."""
    files = sorted((SHARED / "corpus" / "narratives").glob("*.txt"))
    found = []
    for path in files:
        report = parse_file(path)
        found += [f"{path.name}: part {s.part}: {s.text}" for s in problems_elsewhere(report)]
    return len(files), found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "statements.md"))
    ap.add_argument("--jobs", type=int, default=2, help="cross-validation folds in parallel processes")
    args = ap.parse_args(argv)
    rows = load()
    if SHARED.is_dir() and (SHARED / "corpus" / "dev").is_dir():
        scope = f"seeds and {SHARED}/corpus/dev"
    else:
        print(f"{SHARED} is not there: scoring the seed reports only", file=sys.stderr)
        rows = [r for r in rows if r["file"].startswith("seeds/")]
        scope = "seed reports only (../shared not found)"
    problems, per_report = check_spans(rows)
    if problems:
        print("stale annotations:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    res = ev.evaluate(rows, args.jobs)
    m, b = res["model"], res["baseline"]
    verdict = []
    for key, target in TARGETS.items():
        ok = m[key] >= target and m[key] >= b[key] + MARGIN
        verdict.append(f"- {key}: model {m[key]:.3f}, baseline {b[key]:.3f} (margin {m[key] - b[key]:+.3f}), target "
                       f"{target:.2f}+ and {MARGIN:.2f}+ above the baseline: {'met' if ok else 'NOT met'}")
    elsewhere = sum(1 for r in rows if r.get("part", 5) != 5)
    if SHARED.is_dir() and (SHARED / "corpus" / "narratives").is_dir():
        n_narr, found = narratives_elsewhere()
        narr = (f"Problems stated outside part 五: {elsewhere} annotated; in the {n_narr} narratives "
                f"(../shared/corpus/narratives) the splitter finds {len(found)}"
                + ("".join(f"\n  - {f}" for f in found) if found else "") + ".")
    else:
        narr = f"Problems stated outside part 五: {elsewhere} annotated (narratives not searched: ../shared not found)."
    text = "\n".join([
        "# Statements of part 五: kind and topic", "",
        f"Command: `.venv/bin/python benchmarks/statements.py`. Data: {scope}; "
        "annotations models/statements/annotations.jsonl (spans re-checked against the splitter).", "",
        ev.markdown(res),
        "Targets:", "", *verdict, "", narr, "",
        f"Statements stage (split + label + pair, model loaded once): {per_report * 1000:.1f} ms per report.", "",
    ])
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
