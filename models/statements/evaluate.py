"""Evaluate the statement classifier grouped by report: `python -m models.statements.evaluate`.

Leave-one-report-out: every fold trains the scikit-learn pipelines of train.py on all
other reports and predicts the statements of the held-out report (a report's statements
are never split between train and test; reports with the same part 五 text are one group,
see data.SAME_TEXT). The hyper-parameters (C, class weight) are chosen inside every fold by
train.select - grouped cross-validation over the training reports only (nested) - so the
held-out report never takes part in the choice. The keyword baseline needs no training and
is scored on the same statements; so is the "heading context" rule (kind = the splitter's
default).

Scores: kind accuracy and topic macro-F1 over the out-of-fold predictions pooled, and the
mean and minimum per report. `--markdown FILE` writes the table, `--errors` lists the
statements the model gets wrong, `--jobs 2` runs the folds in two processes.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

from sklearn.metrics import accuracy_score, f1_score

from models.statements.data import ANNOTATIONS, group, load
from models.statements.train import docs_and_labels, fit, select
from nlp.classify import OTHER_TOPIC, KeywordLabeller


def _fold(rows: list[dict], g: str) -> tuple[list[int], dict[str, list[str]], dict[str, tuple]]:
    train = [r for r in rows if group(r) != g]
    test_idx = [i for i, r in enumerate(rows) if group(r) == g]
    pred, chosen = {}, {}
    for target in ("kind", "topic"):
        (c, w), _ = select(train, target)
        chosen[target] = (c, w)
        pipe = fit(train, target, c, w)
        tdocs, _ = docs_and_labels([rows[i] for i in test_idx], target)
        pred[target] = [str(p) for p in pipe.predict(tdocs)]
    return test_idx, pred, chosen


def out_of_fold(rows: list[dict], chosen: dict | None = None, jobs: int = 1) -> dict[str, list[str]]:
    """Predictions of the model for every row, each from the fold that held its report out.
    Nested: inside each fold the hyper-parameters are chosen by train.select on the training
    reports only; `chosen` (if given) collects the choice per target, fold by fold. As in the
    pipeline (nlp.classify.label), a statement predicted `other` gets the topic boilerplate.
    `jobs` > 1 runs the folds in parallel processes (the same predictions)."""
    groups = sorted({group(r) for r in rows})
    if jobs > 1:
        from joblib import Parallel, delayed
        results = Parallel(n_jobs=jobs)(delayed(_fold)(rows, g) for g in groups)
    else:
        results = [_fold(rows, g) for g in groups]
    pred = {"kind": [""] * len(rows), "topic": [""] * len(rows)}
    for test_idx, p, ch in results:
        for target in ("kind", "topic"):
            for i, v in zip(test_idx, p[target]):
                pred[target][i] = v
            if chosen is not None:
                chosen.setdefault(target, []).append(ch[target])
    pred["topic"] = [OTHER_TOPIC if k == "other" else t for k, t in zip(pred["kind"], pred["topic"])]
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


def evaluate(rows: list[dict], jobs: int = 1) -> dict:
    chosen: dict = {}
    model = out_of_fold(rows, chosen, jobs)
    base = baseline(rows)
    return {"n": len(rows), "reports": len({r["file"] for r in rows}), "groups": len({group(r) for r in rows}),
            "model": scores(rows, model), "baseline": scores(rows, base),
            "context_rule": scores(rows, context_rule(rows)),
            "per_topic_model": per_topic(rows, model), "per_topic_baseline": per_topic(rows, base),
            "chosen": {t: Counter(v) for t, v in chosen.items()},
            "errors": [(r["file"], r["text"], r["kind"], r["topic"], model["kind"][i], model["topic"][i])
                       for i, r in enumerate(rows)
                       if (model["kind"][i], model["topic"][i]) != (r["kind"], r["topic"])]}


def markdown(res: dict) -> str:
    names = [("model", "linear model (char 1-3-grams + jieba words + lexicon/topic cues + item head, "
                       "logistic regression, nested choice of C and class weight)"),
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
    lines += ["", "Hyper-parameters (C, class_weight) chosen inside the folds (nested grouped CV on the "
              "training reports only; how many folds chose each):", ""]
    for target, counts in res["chosen"].items():
        lines.append(f"- {target}: " + ", ".join(f"C={c:g} {w or 'unweighted'} x{n}"
                                                  for (c, w), n in sorted(counts.items(), key=lambda kv: -kv[1])))
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
    ap.add_argument("--jobs", type=int, default=1, help="folds in parallel processes (same results)")
    args = ap.parse_args(argv)
    res = evaluate(load(args.annotations), args.jobs)
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
