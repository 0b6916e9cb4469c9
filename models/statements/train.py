"""Train the statement classifier and save it as JSON: `python -m models.statements.train`.

scikit-learn pipelines, one per target:

* kind: a FeatureUnion of three TfidfVectorizers - character 1-3-grams, jieba words (with the
  FIRST/CTX tokens) and the lexicon cues (`cue_tokens`: heading context, KW=topic, problem and
  measure cue words) - and a multinomial LogisticRegression;
* topic: character 1-3-grams, jieba words and the topic cues (`topic_cue_tokens`: KW=topic and
  KWW=keyword per keyword of the lexicon, HKW=topic for the keywords of the item head), and a
  multinomial LogisticRegression; it also trains on every lexicon phrase as a one-phrase example.

Hyper-parameters: the regularisation C and the class weighting (none or "balanced") of each
target are chosen from GRID by grouped cross-validation over the training reports
(`select`: GroupKFold over the report groups, kind by accuracy, topic by macro-F1, the first
best in GRID order wins ties). models/statements/evaluate.py repeats this selection inside
every outer fold (nested), so the held-out report never takes part in the choice.

The fitted vocabularies, idf weights and coefficients go to models/statements/model.json
(rounded to 6 decimals, keys sorted: the same bytes on every run); nlp.classify.LinearLabeller
scores with them in plain Python. Nothing is pickled.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from models.statements.data import ANNOTATIONS, HERE, group, load
from nlp.classify import (TOPIC_KEYWORDS, LinearLabeller, char_ngrams, cue_tokens, document, topic_cue_tokens,
                          word_tokens)

MODEL = HERE / "model.json"
DATE = "2026-12-01"
SEED = 0
DECIMALS = 6
MIN_DF = 2  # a char n-gram or word seen in one statement only is dropped (keeps model.json small)
# (C, class_weight) candidates, in the order that breaks ties.
GRID = [(c, w) for w in (None, "balanced") for c in (5.0, 20.0, 80.0)]
INNER_FOLDS = 4
BLOCKS = {"kind": ("char_ngrams", "word_tokens", "cue_tokens"),
          "topic": ("char_ngrams", "word_tokens", "topic_cue_tokens")}
_ANALYZERS = {"char_ngrams": char_ngrams, "word_tokens": word_tokens, "cue_tokens": cue_tokens,
              "topic_cue_tokens": topic_cue_tokens}


@lru_cache(maxsize=None)
def _cached(name: str):
    """The analyzer with its token lists memoised (jieba is the slow part of every fit)."""
    fn = _ANALYZERS[name]
    return lru_cache(maxsize=None)(lambda doc: tuple(fn(doc)))


def make_pipeline(target: str, c: float = 20.0, class_weight: str | None = None) -> Pipeline:
    features = FeatureUnion([
        (name, TfidfVectorizer(analyzer=_cached(name), sublinear_tf=True,
                               min_df=1 if name.endswith("cue_tokens") else MIN_DF))
        for name in BLOCKS[target]])
    clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000, random_state=SEED)
    return Pipeline([("features", features), ("clf", clf)])


def docs_and_labels(rows: list[dict], target: str) -> tuple[list[str], list[str]]:
    return [document(r["text"], r["context"], r.get("head")) for r in rows], [r[target] for r in rows]


def training_docs(rows: list[dict], target: str) -> tuple[list[str], list[str]]:
    """The annotated statements, and for the topic also every keyword of the lexicon
    (spec/topics.md wording, nlp.classify.TOPIC_KEYWORDS) as a one-phrase example of its
    topic: with 140 statements some topics have 2-7 examples, the lexicon fills them in."""
    docs, y = docs_and_labels(rows, target)
    if target == "topic":
        for topic, words in TOPIC_KEYWORDS.items():
            for w in words:
                docs.append(document(w, None))
                y.append(topic)
    return docs, y


def fit(rows: list[dict], target: str, c: float, class_weight: str | None) -> Pipeline:
    docs, y = training_docs(rows, target)
    # One BLAS thread: the same numbers on every machine, and on a busy machine ten times faster
    # than the default thread pool on these small problems.
    with threadpool_limits(1):
        return make_pipeline(target, c, class_weight).fit(docs, y)


def metric(target: str, gold: list[str], pred: list[str]) -> float:
    if target == "kind":
        return accuracy_score(gold, pred)
    return f1_score(gold, pred, average="macro", labels=sorted(set(gold)), zero_division=0)


def select(rows: list[dict], target: str) -> tuple[tuple[float, str | None], dict]:
    """(C, class_weight) of GRID with the best grouped-CV score on these rows (GroupKFold over
    the report groups), and the score of every candidate."""
    groups = [group(r) for r in rows]
    folds = list(GroupKFold(n_splits=min(INNER_FOLDS, len(set(groups)))).split(rows, groups=groups))
    gold = [r[target] for r in rows]
    table = {}
    for c, w in GRID:
        pred = [""] * len(rows)
        for tr, te in folds:
            pipe = fit([rows[i] for i in tr], target, c, w)
            docs, _ = docs_and_labels([rows[i] for i in te], target)
            for i, p in zip(te, pipe.predict(docs)):
                pred[i] = str(p)
        table[(c, w)] = metric(target, gold, pred)
    best = max(GRID, key=lambda k: (table[k], -GRID.index(k)))
    return best, table


def _r(x: float) -> float:
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v


def export(pipe: Pipeline) -> dict:
    feats = []
    for name, vec in pipe.named_steps["features"].transformer_list:
        vocab = {tok: int(i) for tok, i in sorted(vec.vocabulary_.items())}
        feats.append({"analyzer": name, "sublinear_tf": True, "vocabulary": vocab,
                      "idf": [_r(v) for v in vec.idf_]})
    clf = pipe.named_steps["clf"]
    return {"features": feats, "classes": [str(c) for c in clf.classes_],
            "coef": [[_r(v) for v in row] for row in clf.coef_],
            "intercept": [_r(v) for v in clf.intercept_],
            "C": clf.C, "class_weight": clf.class_weight}


def train(rows: list[dict]) -> dict:
    out = {"format": "nianbao.statements.linear/2", "date": DATE,
           "trained_on": f"{len(rows)} statements of {len({r['file'] for r in rows})} reports "
                         "(models/statements/annotations.jsonl)",
           "features": {"kind": "tf-idf (sublinear, l2 per block) of char 1-3-grams, jieba words (+ FIRST/CTX) "
                                "and lexicon cue tokens (CTX, KW=topic, P, M, START=M)",
                        "topic": "tf-idf (sublinear, l2 per block) of char 1-3-grams, jieba words (+ FIRST/CTX) "
                                 "and topic cue tokens (KW=topic, KWW=keyword, HKW=topic of the item head)"},
           "extra_training": "topic: each TOPIC_KEYWORDS phrase as a one-phrase example",
           "classifier": "multinomial logistic regression (lbfgs); C and class_weight chosen by grouped "
                         f"{INNER_FOLDS}-fold CV over the reports from {[list(g) for g in GRID]}"}
    pipes = {}
    for target in ("kind", "topic"):
        (c, w), _ = select(rows, target)
        pipes[target] = fit(rows, target, c, w)
        out[target] = export(pipes[target])
    _check(out, pipes, rows)
    return out


def _check(data: dict, pipes: dict, rows: list[dict]) -> None:
    """The JSON scorer must agree with the fitted pipelines."""
    lab = LinearLabeller(json.loads(json.dumps(data)))
    for target, model in (("kind", lab.kind_model), ("topic", lab.topic_model)):
        docs, _ = docs_and_labels(rows, target)
        ref = pipes[target].decision_function(docs)
        for doc, want in zip(docs, ref):
            got = model.decision(doc)
            if max(abs(a - b) for a, b in zip(got, want)) > 1e-4:
                raise AssertionError(f"JSON scorer differs from sklearn on {doc!r}")


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", default=str(ANNOTATIONS))
    ap.add_argument("--out", default=str(MODEL))
    args = ap.parse_args(argv)
    rows = load(args.annotations)
    text = dumps(train(rows))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out} ({len(text.encode())} bytes) from {len(rows)} statements", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
