"""Train the statement classifier and save it as JSON: `python -m models.statements.train`.

scikit-learn pipelines (FeatureUnion of two TfidfVectorizers - character 1-3-grams and
jieba words with the heading context - and a multinomial LogisticRegression), one for the
kind and one for the topic, fitted on every annotated statement.  The fitted vocabularies,
idf weights and coefficients go to models/statements/model.json (rounded to 7 decimals,
keys sorted: the same bytes on every run); nlp.classify.LinearLabeller scores with them in
plain Python.  Nothing is pickled.
"""

from __future__ import annotations

import argparse
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from models.statements.data import ANNOTATIONS, HERE, load
from nlp.classify import TOPIC_KEYWORDS, LinearLabeller, char_ngrams, cue_tokens, document, word_tokens

MODEL = HERE / "model.json"
DATE = "2026-12-01"
SEED = 0
C = {"kind": 20.0, "topic": 20.0}
DECIMALS = 6
MIN_DF = 2  # a char n-gram or word seen in one statement only is dropped (keeps model.json small)


def make_pipeline(target: str) -> Pipeline:
    features = FeatureUnion([
        ("char_ngrams", TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=MIN_DF)),
        ("word_tokens", TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, min_df=MIN_DF)),
        ("cue_tokens", TfidfVectorizer(analyzer=cue_tokens, sublinear_tf=True, min_df=1)),
    ])
    clf = LogisticRegression(C=C[target], max_iter=5000, random_state=SEED)
    return Pipeline([("features", features), ("clf", clf)])


def docs_and_labels(rows: list[dict], target: str) -> tuple[list[str], list[str]]:
    return [document(r["text"], r["context"]) for r in rows], [r[target] for r in rows]


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
            "intercept": [_r(v) for v in clf.intercept_]}


def train(rows: list[dict]) -> dict:
    out = {"format": "nianbao.statements.linear/1", "date": DATE,
           "trained_on": f"{len(rows)} statements of {len({r['file'] for r in rows})} reports "
                         "(models/statements/annotations.jsonl)",
           "features": "tf-idf (sublinear, l2 per block) of char 1-3-grams, jieba words (+ FIRST/CTX tokens) "
                       "and lexicon cue tokens (CTX, KW=topic, P, M, START=M)",
           "extra_training": "topic: each TOPIC_KEYWORDS phrase as a one-phrase example",
           "classifier": "multinomial logistic regression (lbfgs)"}
    pipes = {}
    for target in ("kind", "topic"):
        docs, y = training_docs(rows, target)
        pipes[target] = make_pipeline(target).fit(docs, y)
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
