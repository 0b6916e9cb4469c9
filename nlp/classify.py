"""Label part 五 statements: kind (problem / measure / other) and topic (spec/topics.md).

Two labellers:

* `KeywordLabeller` - the baseline: cue words for the kind, the "typical wording" of
  spec/topics.md (a few more words per topic) for the topic.
* `LinearLabeller` - the trained model of models/statements: TF-IDF of character 1-3-grams
  and jieba words (plus the heading context of the splitter), of the lexicon cues and (for the
  topic) of the keywords of the item a clause belongs to, and a multinomial logistic
  regression per target, read from JSON (vocabularies, idf, coefficients) and scored here in
  plain Python; no scikit-learn and nothing pickled at run time.

What the model reads for one statement is `document(text, context, head)`: the splitter's
default kind (`context`), the text of the enumerated item the statement continues (`head`,
see `item_heads`: "二是深化政府信息公开内容" for the clause "继续重点推进…" after it) and the
statement itself.

The feature functions (`char_ngrams`, `word_tokens`) are module-level so the scikit-learn
pipeline of models/statements/train.py uses the very same functions and can be copied.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from nianbao.model import Statement

KINDS = ("problem", "measure", "other")
TOPICS = ("staffing", "awareness", "content_quality", "timeliness", "policy_interpretation",
          "interaction", "platform", "applications", "mechanism", "digital", "boilerplate")

OTHER_TOPIC = "boilerplate"  # the topic of every `other` statement (GUIDELINE.md)

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "statements" / "model.json"

_ENUM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、]|[①②③④⑤⑥⑦⑧⑨⑩])")


def strip_enum(text: str) -> str:
    return _ENUM.sub("", text, count=1)


# -- features (shared with training) ------------------------------------------------

def parts(doc: str) -> tuple[str, str, str]:
    """(context, head, text) of a `document` string."""
    left, _, text = doc.rpartition("\x1f")
    context, _, head = left.partition("\x1e")
    return context, head, text


def char_ngrams(doc: str) -> list[str]:
    """Character 1-3-grams of the statement without its enumeration mark."""
    text = strip_enum(parts(doc)[2])
    grams = []
    for n in (1, 2, 3):
        grams.extend(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba Tokenizer with the default dictionary only: the global one gets the
    claims stage's user dictionary (nlp/pipeline.py), which would change the words."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def word_tokens(doc: str) -> list[str]:
    """jieba words (no punctuation) plus the heading context as a token `CTX=problem`."""
    context, _, text = parts(doc)
    words = [w for w in _jieba().lcut(strip_enum(text)) if re.search(r"[\u4e00-\u9fffA-Za-z0-9]", w)]
    first = re.match(r"^\s*([\u4e00-\u9fff]{1,2})", strip_enum(text))
    if first:
        words.append("FIRST=" + first.group(1))
    if context:
        words.append("CTX=" + context)
    return words


def cue_tokens(doc: str) -> list[str]:
    """The lexicon as features: the heading context, one `KW=topic` per keyword of a topic
    found (spec/topics.md wording, TOPIC_KEYWORDS), one `P` per problem cue word and one
    `M` per measure cue word, and `START=M` when the clause opens with a measure verb."""
    context, _, text = parts(doc)
    body = strip_enum(text)
    toks = ["CTX=" + (context or "none")]
    for topic, words in TOPIC_KEYWORDS.items():
        toks.extend("KW=" + topic for w in words if w in body)
    toks.extend("P" for w in PROBLEM_WORDS if w in body)
    toks.extend("M" for w in MEASURE_WORDS if w in body)
    if body.startswith(MEASURE_WORDS) or body.startswith(("进一步", "不断", "积极", "认真", "全面")):
        toks.append("START=M")
    return toks


def topic_cue_tokens(doc: str) -> list[str]:
    """The lexicon as topic features: per keyword of TOPIC_KEYWORDS found in the statement
    one `KW=topic` and one `KWW=keyword` (so each keyword gets its own weight), and one
    `HKW=topic` per topic with a keyword in the item head (`document`'s head) - a clause
    continuing "二是深化政府信息公开内容" leans to content_quality. No kind cues here: the
    problem/measure words of `cue_tokens` say nothing about the topic."""
    _, head, text = parts(doc)
    body = strip_enum(text)
    toks = []
    for topic, words in TOPIC_KEYWORDS.items():
        for w in words:
            if w in body:
                toks += ["KW=" + topic, "KWW=" + w]
    if head:
        toks += ["HKW=" + t for t in _keyword_topics(strip_enum(head))]
    return toks


def _keyword_topics(body: str) -> list[str]:
    return sorted({t for t, words in TOPIC_KEYWORDS.items() if t != "boilerplate" for w in words if w in body})


def document(text: str, context: str | None, head: str | None = None) -> str:
    """The string the model reads: the splitter's default kind, [U+001E, the item head,]
    U+001F, the statement."""
    if head:
        return f"{context or ''}\x1e{head}\x1f{text}"
    return f"{context or ''}\x1f{text}"


def item_heads(texts: list[str], contexts: list[str | None], parts_: list | None = None) -> list[str | None]:
    """For each statement (in report order) the enumerated item it continues, else None.

    A statement that opens with an enumeration mark (一是/（一）/1./①) starts an item; the
    statements after it without a mark belong to it while the splitter's context (the default
    kind from the headings) stays the same and the part of the report is the same. The item
    statement itself has no head."""
    out: list[str | None] = []
    head, hctx, hpart = None, None, None
    parts_ = parts_ or [None] * len(texts)
    for text, ctx, part in zip(texts, contexts, parts_):
        if _ENUM.match(text):
            head, hctx, hpart = text, ctx, part
            out.append(None)
        elif head is not None and ctx == hctx and part == hpart:
            out.append(head)
        else:
            head = None
            out.append(None)
    return out


# -- the keyword baseline -----------------------------------------------------------------

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "staffing": ("人员紧缺", "队伍建设", "业务培训", "专业能力", "人员", "培训", "队伍"),
    "awareness": ("认识不到位", "重视程度不够", "思想认识", "认识", "重视", "意识"),
    "content_quality": ("公开内容", "深度和广度", "信息质量", "全面", "深度", "广度", "内容"),
    "timeliness": ("更新不及时", "时效性", "更新迟缓", "不及时", "滞后", "迟缓"),
    "policy_interpretation": ("政策解读", "解读形式", "解读不及时", "图解", "视频", "解读"),
    "interaction": ("互动交流", "回应关切", "公众参与", "留言办理", "互动", "回应", "征集", "留言"),
    "platform": ("网站集约化", "专栏规范化", "政务新媒体", "平台建设", "网站", "栏目", "新媒体", "平台", "渠道"),
    "applications": ("依申请公开", "答复文书", "研判能力", "答复", "申请"),
    "mechanism": ("制度机制", "责任落实", "考核", "督查", "协同联动", "机制", "制度", "责任", "督导"),
    "digital": ("数智化", "信息化", "智能问答", "数据开放", "智能", "数字化", "人工智能"),
    "boilerplate": ("与群众期望还有一定差距", "一定差距", "无"),
}
PROBLEM_WORDS = ("不够", "不足", "有待", "欠缺", "缺乏", "还需", "仍需", "尚需", "滞后", "不到位", "单一",
                 "差距", "缺失", "不规范", "较低", "紧缺", "不及时", "迟缓", "有限", "难以", "未能", "待")
MEASURE_WORDS = ("加强", "提升", "完善", "推进", "优化", "强化", "开展", "拓宽", "丰富", "深化", "建立",
                 "健全", "加大", "坚持", "继续", "进一步", "将", "做好", "组织", "充分")


class KeywordLabeller:
    name = "keyword baseline"

    def kind(self, text: str, context: str | None = None, head: str | None = None) -> str:
        p = sum(text.count(w) for w in PROBLEM_WORDS)
        m = sum(text.count(w) for w in MEASURE_WORDS)
        if p == m == 0:
            return "other"
        return "problem" if p > m else "measure"

    def topic(self, text: str, context: str | None = None, head: str | None = None) -> str:
        best, score = "boilerplate", 0.0
        for topic in TOPICS:
            # Longer keywords weigh more; the first topic in the table wins ties.
            s = sum(len(k) for k in TOPIC_KEYWORDS[topic] if k in text and topic != "boilerplate")
            if s > score:
                best, score = topic, s
        return best


# -- the linear model ---------------------------------------------------------------------

class _Vectorizer:
    def __init__(self, d: dict, analyzer):
        self.vocab: dict[str, int] = d["vocabulary"]
        self.idf: list[float] = d["idf"]
        self.sublinear = d.get("sublinear_tf", True)
        self.analyzer = analyzer

    def transform(self, doc: str) -> dict[int, float]:
        counts: dict[int, int] = {}
        for tok in self.analyzer(doc):
            j = self.vocab.get(tok)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        vec = {}
        for j, c in counts.items():
            tf = 1.0 + math.log(c) if self.sublinear else float(c)
            vec[j] = tf * self.idf[j]
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {j: v / norm for j, v in vec.items()} if norm else vec


class _Linear:
    def __init__(self, d: dict):
        self.features = [_Vectorizer(v, ANALYZERS[v["analyzer"]]) for v in d["features"]]
        self.offsets = []
        off = 0
        for v in self.features:
            self.offsets.append(off)
            off += len(v.idf)
        self.classes: list[str] = d["classes"]
        self.coef: list[list[float]] = d["coef"]
        self.intercept: list[float] = d["intercept"]

    def decision(self, doc: str) -> list[float]:
        x: dict[int, float] = {}
        for v, off in zip(self.features, self.offsets):
            for j, val in v.transform(doc).items():
                x[off + j] = val
        return [b + sum(w[j] * val for j, val in x.items()) for w, b in zip(self.coef, self.intercept)]

    def predict(self, doc: str) -> str:
        scores = self.decision(doc)
        return self.classes[max(range(len(scores)), key=scores.__getitem__)]


ANALYZERS = {"char_ngrams": char_ngrams, "word_tokens": word_tokens, "cue_tokens": cue_tokens,
             "topic_cue_tokens": topic_cue_tokens}


class LinearLabeller:
    name = "linear model"

    def __init__(self, data: dict):
        self.data = data
        self.kind_model = _Linear(data["kind"])
        self.topic_model = _Linear(data["topic"])

    @classmethod
    def load(cls, path: Path | str = MODEL_PATH) -> "LinearLabeller":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def kind(self, text: str, context: str | None = None, head: str | None = None) -> str:
        return self.kind_model.predict(document(text, context, head))

    def topic(self, text: str, context: str | None = None, head: str | None = None) -> str:
        return self.topic_model.predict(document(text, context, head))


@lru_cache(maxsize=1)
def default_labeller():
    """The trained model when models/statements/model.json is there, else the keyword baseline."""
    if MODEL_PATH.exists():
        return LinearLabeller.load(MODEL_PATH)
    return KeywordLabeller()


def label(statements: list[Statement], labeller=None) -> list[Statement]:
    """Fill kind and topic in place (the splitter's kind is read as the heading context, and
    the statements are in report order, for `item_heads`)."""
    labeller = labeller or default_labeller()
    contexts = [s.kind for s in statements]
    heads = item_heads([s.text for s in statements], contexts, [s.part for s in statements])
    for s, context, head in zip(statements, contexts, heads):
        s.kind = labeller.kind(s.text, context, head)
        # GUIDELINE.md: an `other` statement (introduction, transition) is always boilerplate.
        s.topic = OTHER_TOPIC if s.kind == "other" else labeller.topic(s.text, context, head)
    return statements


def pair(statements: list[Statement]) -> list[Statement]:
    """Link each problem to the measures that answer it: the same topic (not boilerplate)
    in the same report, or a measure that says 针对…问题 naming words of the problem.
    Sets `Statement.answered_by` (indices into the list) on problems; [] = unanswered."""
    for i, s in enumerate(statements):
        if s.kind != "problem":
            continue
        s.answered_by = [j for j, m in enumerate(statements)
                         if m.kind == "measure" and (
                             (m.topic == s.topic and s.topic != "boilerplate") or _names(m.text, s.text))]
    return statements


_TARGETED = re.compile(r"针对([^，。；]{2,30}?)(?:的)?问题")


def _names(measure: str, problem: str) -> bool:
    m = _TARGETED.search(measure)
    if not m or m.group(1) in ("存在", "存在的", "上述", "以上"):
        return False
    words = {m.group(1)[i:i + 2] for i in range(len(m.group(1)) - 1)}
    return sum(w in problem for w in words) >= max(2, len(words) // 2)
