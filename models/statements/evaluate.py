"""Evaluate the statement classifier grouped by report: `python -m models.statements.evaluate`.

Leave-one-report-out: every fold trains the scikit-learn pipelines of train.py on all
other reports and predicts the statements of the held-out report (a report's statements
are never split between train and test; reports with the same part 五 text are one group,
see data.SAME_TEXT).  The keyword baseline needs no training and is scored on the same
statements; so is the "heading context" rule (kind = the splitter's default).

Scores: kind accuracy and topic macro-F1 over the out-of-fold predictions pooled, and the
mean and minimum per report.  `--markdown FILE` writes the table.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

from sklearn.metrics import accuracy_score, f1_score

from models.statements.data import ANNOTATIONS, group, load
from models.statements.train import docs_and_labels, make_pipeline, training_docs
from nlp.classify import KeywordLabeller


def out_of_fold(rows: list[dict]) -> dict[str, list[str]]:
    """Predictions of the model for every row, each from the fold that held its report out."""
    groups = sorted({group(r) for r in rows})
    pred = {"kind": [""] * len(rows), "topic": [""] * len(rows)}
    for g in groups:
        train = [r for r in rows if group(r) != g]
        test_idx = [i for i, r in enumerate(rows) if group(r) == g]
        for target in ("kind", "topic"):
            docs, y = training_docs(train, target)
            pipe = make_pipeline(target).fit(docs, y)
            tdocs, _ = docs_and_labels([rows[i] for i in test_idx], target)
            for i, p in zip(test_idx, pipe.predict(tdocs)):
                pred[target][i] = str(p)
    return pred


def baseline(rows: list[dict]) -> dict[str, list[str]]:
    kw = KeywordLabeller()
    return {"kind": [kw.kind(r["text"], r["context"]) for r in rows],
            "topic": [kw.topic(r["text"], r["context"]) for r in rows]}


def context_rule(rows: list[dict]) -> dict[str, list[str]]:
    return {"kind": [r["context"] for r in rows], "topic": ["boilerplate"] * len(rows)}


def scores(rows: list[dict], pred: dict[str, list[str]]) -> dict[str, float]:
    gold_k = [r["kind"] for r in rows]
    gold_t = [r["topic"] for r in rows]
    labels = sorted(set(gold_t))
    by = defaultdict(list)
    for i, r in enumerate(rows):
        by[group(r)].append(i)
    per_acc = [accuracy_score([gold_k[i] for i in ix], [pred["kind"][i] for i in ix]) for ix in by.values()]
    per_f1 = [f1_score([gold_t[i] for i in ix], [pred["topic"][i] for i in ix], average="macro",
                       labels=sorted({gold_t[i] for i in ix}), zero_division=0) for ix in by.values()]
    return {
        "kind_accuracy": accuracy_score(gold_k, pred["kind"]),
        "kind_accuracy_mean_per_report": sum(per_acc) / len(per_acc),
        "kind_accuracy_min_per_report": min(per_acc),
        "topic_macro_f1": f1_score(gold_t, pred["topic"], average="macro", labels=labels, zero_division=0),
        "topic_accuracy": accuracy_score(gold_t, pred["topic"]),
        "topic_macro_f1_mean_per_report": sum(per_f1) / len(per_f1),
    }


def per_topic(rows: list[dict], pred: dict[str, list[str]]) -> dict[str, tuple[int, float]]:
    gold = [r["topic"] for r in rows]
    labels = sorted(set(gold))
    f1s = f1_score(gold, pred["topic"], average=None, labels=labels, zero_division=0)
    return {t: (gold.count(t), float(f)) for t, f in zip(labels, f1s)}


def evaluate(rows: list[dict]) -> dict:
    model = out_of_fold(rows)
    base = baseline(rows)
    return {"n": len(rows), "reports": len({r["file"] for r in rows}), "groups": len({group(r) for r in rows}),
            "model": scores(rows, model), "baseline": scores(rows, base),
            "context_rule": scores(rows, context_rule(rows)),
            "per_topic_model": per_topic(rows, model), "per_topic_baseline": per_topic(rows, base),
            "errors": [(r["file"], r["text"], r["kind"], r["topic"], model["kind"][i], model["topic"][i])
                       for i, r in enumerate(rows)
                       if (model["kind"][i], model["topic"][i]) != (r["kind"], r["topic"])]}


def markdown(res: dict) -> str:
    names = [("model", "linear model (char 1-3-grams + jieba words + lexicon cues, logistic regression)"),
             ("baseline", "keyword baseline (topics.md wording + cue words)"),
             ("context_rule", "heading context only (kind = splitter default; topic = boilerplate)")]
    lines = [f"Leave-one-report-out over {res['n']} statements of {res['reports']} reports "
             f"({res['groups']} groups).", "",
             "| labeller | kind accuracy | kind acc. mean / min per report | topic macro-F1 | topic accuracy "
             "| topic macro-F1 mean per report |", "|---|---|---|---|---|---|"]
    for key, label in names:
        s = res[key]
        lines.append(f"| {label} | {s['kind_accuracy']:.3f} | {s['kind_accuracy_mean_per_report']:.3f} / "
                     f"{s['kind_accuracy_min_per_report']:.3f} | {s['topic_macro_f1']:.3f} | "
                     f"{s['topic_accuracy']:.3f} | {s['topic_macro_f1_mean_per_report']:.3f} |")
    lines += ["", "Per topic (F1, out of fold):", "", "| topic | statements | model F1 | baseline F1 |",
              "|---|---|---|---|"]
    for t, (n, f) in res["per_topic_model"].items():
        lines.append(f"| {t} | {n} | {f:.2f} | {res['per_topic_baseline'][t][1]:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", default=str(ANNOTATIONS))
    ap.add_argument("--markdown", help="write the score table to this file")
    ap.add_argument("--errors", action="store_true", help="list the statements the model gets wrong")
    args = ap.parse_args(argv)
    res = evaluate(load(args.annotations))
    text = markdown(res)
    print(text)
    if args.errors:
        for e in res["errors"]:
            print(" | ".join(e))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
