"""The spaCy pipeline of the narrative: jieba segmentation with the domain dictionary,
then two small components.

    nlp = get_nlp()          # built once, cached; ~1.6 s (jieba's dictionary)
    doc = nlp(text)
    doc.spans["quantities"]  # one Span per printed quantity (component "nianbao_quantities")
    doc._.claims             # claim dicts with offsets into `text` (component "nianbao_claims")

Components and their contracts:

* ``nianbao_quantities`` reads ``doc.text`` and writes ``doc.spans["quantities"]``: each span
  covers the tokens of one quantity; ``span._.quantity`` is the `nlp.numbers.Quantity` with the
  exact character offsets, value, bound and counter.  Chinese numerals that do not start a jieba
  token (统一, 进一步, 千家万户) are dropped here: that is what the segmenter is for.
* ``nianbao_claims`` reads the quantities and writes ``doc._.claims``: metric, scope, unit,
  bound and the claim span (clause start to counter end), decided by `nlp.claims.annotate`.

The scanning and the metric rules are plain Python (regular expressions over characters and
the metric vocabulary in nlp/data/metrics.json): segmentation gives token boundaries and the
counted noun, but the numbers themselves are better found on characters, since jieba cuts
"3万余条" and "百分之十一点一" in ways that vary with the context.

Nothing here is imported by nianbao.pipeline at import time: the claims stage imports this
module when it first runs.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
USERDICT = DATA / "userdict.txt"
_LOCK = threading.Lock()


def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=None)

    if "nianbao_quantities" not in Language.factories:
        @Language.component("nianbao_quantities")
        def quantities_component(doc):
            from spacy.attrs import IDX

            from nlp.numbers import find_quantities

            text = doc.text  # built from the tokens: once, then kept for the next component
            doc.user_data["nianbao_text"] = text
            token_starts = set(doc.to_array([IDX]).tolist())
            spans = []
            for q in find_quantities(text):
                if q.chinese and q.num_start not in token_starts and q.start not in token_starts:
                    continue
                span = doc.char_span(q.start, q.end, alignment_mode="expand")
                if span is None:
                    continue
                span._.quantity = q
                spans.append(span)
            doc.spans["quantities"] = spans
            return doc

    if "nianbao_claims" not in Language.factories:
        @Language.component("nianbao_claims")
        def claims_component(doc):
            from nlp.claims import annotate

            doc._.claims = annotate(doc)
            return doc


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built on first use and cached for the process."""
    with _LOCK:
        import jieba
        import spacy

        jieba.setLogLevel(logging.WARNING)
        jieba.load_userdict(str(USERDICT))
        for line in (DATA / "slogans.txt").read_text(encoding="utf-8").splitlines():
            w = line.strip()
            if w and not w.startswith("#") and len(w) > 1:
                jieba.add_word(w, freq=50)
        _register()
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe("nianbao_quantities")
        nlp.add_pipe("nianbao_claims")
        return nlp
