"""Quantitative claims of the narrative parts: `extract_claims(report) -> list[Claim]`.

A claim is a printed quantity of the narrative (spec/claims.md) with its metric, scope and
bound.  The narrative is the report text outside the table parts (二、三、四); the numbers of the
tables are cells, never claims.  Each claim's `text` is `report.text[start:end]`: the clause
from its start (after the previous punctuation or the previous quantity) to the counter word.

Metric: the nearest signal word (cue) before the number in its clause, among the metrics of
nlp/data/metrics.json whose units accept the counter; channel-specific metrics beat the
generic ones (items_published, platforms, organisations); a metric with `context` words needs
one of them in the sentence (applications need 申请).  No cue -> "other", with the counted noun.

Scope: change.increase / change.decrease (同比增长, 较上年下降, 增长6%), previous (上年的9件),
part (其中, （含…）), cumulative (累计), jurisdiction (全市, 全区, 全县…), year (全年, 本年度),
agency (本机关, 我局); None when nothing is said.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nianbao.model import Claim

METRICS_FILE = Path(__file__).with_name("data") / "metrics.json"
TABLE_PARTS = (2, 3, 4)
_PART_TABLE = {2: "active", 3: "applications", 4: "review_litigation"}


@dataclass(frozen=True)
class Metric:
    id: str
    family: str
    cues: tuple[str, ...]
    units: tuple[str, ...]
    key: str | None
    priority: int
    context: tuple[str, ...]


_GENERIC = {"items_published": 1, "platforms": 1, "organisations": 1, "staff": 1, "online_services": 1,
            "share": 2, "rate": 1}
_CONTEXT = {"applications": ("申请", "申請"), "review_litigation": ("公开", "公開")}


@lru_cache(maxsize=1)
def metrics() -> dict[str, Metric]:
    from nlp.numbers import _variants

    data = json.loads(METRICS_FILE.read_text(encoding="utf-8"))
    out = {}
    for m in data["metrics"]:
        out[m["id"]] = Metric(m["id"], m["family"], tuple(_variants(m["cues"])), tuple(m["units"]), m.get("key"),
                              _GENERIC.get(m["id"], 2), tuple(m.get("context", _CONTEXT.get(m["family"], ()))))
    return out


def metric_family(metric_id: str) -> str:
    m = metrics().get(metric_id)
    return m.family if m else metric_id.split(".")[0]


@lru_cache(maxsize=1)
def _cue_regex() -> tuple[re.Pattern, dict[str, list[str]]]:
    by_cue: dict[str, list[str]] = {}
    for m in metrics().values():
        for c in m.cues:
            by_cue.setdefault(c, []).append(m.id)
    # A cue may be cut by a line break (PDF and DOCX exports break lines anywhere).
    alts = ["(?:\\n\\s*)?".join(map(re.escape, c)) for c in sorted(by_cue, key=len, reverse=True)]
    # overlapping: at every position the longest cue that starts there
    return re.compile("(?=(" + "|".join(alts) + "))"), by_cue


# --- regions ------------------------------------------------------------------------

def narrative_regions(report) -> list[tuple[int, int]]:
    """(start, end) ranges of report.text that are narrative: all but the table parts."""
    n = len(report.text)
    # A table part is cut out when its table was read (any value), and whenever the report's
    # tables were not extracted at all; a part that holds no table (2014-style prose) stays.
    tables_read = {t for t, v in report.tables.items() if any(x is not None for x in v.values())}
    cut = sorted((s.start, s.end) for s in report.sections if s.number in TABLE_PARTS
                 and (not report.tables or _PART_TABLE[s.number] in tables_read))
    if not cut:
        return [(0, n)] if n else []
    out, pos = [], 0
    for a, b in cut:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        out.append((pos, n))
    return out


# --- sentence and clause ------------------------------------------------------------

_HARD = "。；;！？!?"
_CLAUSE = "，,。；;！？!?：:、（(）)"
_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\D)")
_LEAD = re.compile(r"^(?:\s|[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|\[bookmark[^\]]*\])+")


def _sentence_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        ch = text[i]
        if ch in _HARD:
            return i + 1
        if ch == "\n":
            before = text[:i].rstrip(" \t\u3000\n")
            line_start = before.rfind("\n") + 1
            if not before or before[-1] in _HARD + "：:" or len(before) - line_start < 30 \
                    or _HEADING.match(text, i + 1):
                return i + 1
        i -= 1
    return 0


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor:
        if text[i] in _CLAUSE:
            return i + 1
        i -= 1
    return floor


# --- scope --------------------------------------------------------------------------

_DIRECTION = re.compile(r"(?:同比|环比|比上年|较上年)?(增长|增加|上升|提高|提升|上涨|增幅为?|增长率为?|多|增"
                        r"|下降|减少|降低|下滑|降幅为?|减幅为?|少|降|减|增長|增加了|減少|下降了|上升了|增长了|减少了)"
                        r"(?:了|达到?|为|约|近)?\s*$")
_COMPARE = re.compile(r"同比|环比|同期|较上年|较去年|比上年|比去年|较上一年|比上一年|与上年|与去年|相比|较(?:19|20)\d\d年"
                      r"|比(?:19|20)\d\d年|上年|去年|較上年|較去年")
_PREVIOUS = re.compile(r"(?:上年|去年|上一年度?|上年度|(?:19|20)\d\d\s*年)(?:同期|度)?(?:的|为|是|共|有|共有|仅)?\s*$")
_DECREASE = ("下降", "减少", "降低", "下滑", "降幅", "减幅", "少", "降", "减", "減少")
_JURIS = re.compile(r"全[市区县省旗州盟镇乡]|全系统|各[市区县]|全[市區縣省]")
_YEAR = re.compile(r"全年|本年度|年内|年度内|本年|全年度")
_AGENCY = re.compile(r"本机关|本单位|本部门|我局|我委|我办|本局|我中心|本中心|我院|我厅|本厅")


_HAS_NUMBER = re.compile(r"\d|[零一二两三四五六七八九十百千万]+[件条篇份次个项场期名人家封宗起]")


def _para_start(text: str, pos: int) -> int:
    """After the last full stop (。！？) or hard line break before pos: lists run across ；."""
    i = max(text.rfind(c, 0, pos) for c in "。！？!?")
    return i + 1


def _in_part_list(before: str, seps: str = r"[，,]") -> bool:
    """'其中' opens a list of parts that goes on while every clause after it holds a number."""
    i = before.rfind("其中")
    if i < 0:
        return False
    clauses = re.split(seps, re.sub(r"^其中[：:，,]?", "其中", before[i:]))
    return all(_HAS_NUMBER.search(c) for c in clauses[:-1])


def _scope(text: str, q, sent: int, clause: int) -> str | None:
    before = text[sent:q.start]
    clause_text = text[clause:q.start]
    m = _DIRECTION.search(before[-10:])
    if m and (q.percent or q.unit == "个百分点" or _COMPARE.search(before)):
        return "change.decrease" if m.group(1).startswith(_DECREASE) else "change.increase"
    if _PREVIOUS.search(before[-12:]) and _COMPARE.search(before):
        return "previous"
    opened = max(before.rfind("（"), before.rfind("("))
    closed = max(before.rfind("）"), before.rfind(")"))
    para = text[_para_start(text, q.start):q.start]
    if not (_in_part_list(before) or re.match(r"\s*其中", before)) and _in_part_list(para, r"[，,；;]"):
        return "part_para"  # a 其中 list that runs across ；: decided with the metric (annotate)
    if _in_part_list(before) or re.match(r"\s*其中", before) or (opened > closed and re.match(r"[（(]\s*(含|包括|其中)", before[opened:])):
        return "part"
    if "累计" in clause_text or "累計" in clause_text or "历年" in clause_text:
        return "cumulative"
    if _JURIS.search(clause_text):
        return "jurisdiction"
    if _YEAR.search(clause_text):
        return "year"
    if _AGENCY.search(clause_text):
        return "agency"
    return None


# --- metric -------------------------------------------------------------------------

def _accepts(m: Metric, unit: str | None) -> bool:
    if not m.units:
        return True
    return (unit or "") in m.units


def _pick_metric(text: str, lo: int, hi: int, unit: str | None, sentence: str,
                 nearest_first: bool = False) -> tuple[str | None, int | None]:
    """The metric of the best cue in text[lo:hi] and the cue's start, or (None, None)."""
    rx, by_cue = _cue_regex()
    best = None
    table = metrics()
    found = [mt for mt in rx.finditer(text, lo, hi) if mt.end(1) <= hi]
    # a cue inside a longer overlapping cue is not a cue of its own (上年结转…申请数量: not 申请数)
    spans = [(mt.start(1), mt.end(1)) for mt in found]
    found = [mt for mt in found if not any(a <= mt.start(1) and mt.end(1) <= b and (b - a) > mt.end(1) - mt.start(1)
                                            for a, b in spans)
             and not any(a < mt.start(1) < b < mt.end(1) and (b - a) > mt.end(1) - mt.start(1) for a, b in spans)]
    for mt in found:
        if mt.end(1) > hi or (not nearest_first and (re.search("、", text[mt.end(1):hi])
                                                       or text[mt.end(1):mt.end(1) + 2].startswith("等"))):
            continue  # a topic of an enumeration (政策解读、…等信息86条) is not what is counted
        for mid in by_cue[re.sub(r"\n\s*", "", mt.group(1))]:
            m = table[mid]
            if not _accepts(m, unit):
                continue
            if m.context and not any(c in sentence for c in m.context):
                continue
            rank = (m.priority, -mt.start(1) if nearest_first else mt.end(1), len(mt.group(1)))
            if best is None or rank > best[0]:
                best = (rank, mid, mt.start(1))
    return (best[1], best[2]) if best else (None, None)


def _noun(doc, lo: int, hi: int) -> str | None:
    if doc is None:
        return None
    skip = {"达", "为", "共", "计", "约", "了", "等", "的", "共计", "达到", "合计", "总计", "累计", "全年", "其中"}
    for tok in reversed(list(doc.char_span(lo, hi, alignment_mode="contract") or [])):
        t = tok.text.strip()
        if t and t not in skip and all("\u4e00" <= ch <= "\u9fff" for ch in t):
            return t
    return None


_REPORT_PARTS = re.compile(r"需要报告的事项等?$|其他需要报告的事项等|总体情况、.*(组成|包括|构成)?.*等$")
_PUBLISHING = {"items_published", "wechat.posts", "weibo.posts"}
_INHERIT = {"proposals", "surveys", "other", "credit_records", "responses", "mailbox.messages"}


def _whole_of(claims: list[dict], sent: int) -> dict | None:
    """The last claim before the parts list (a claim not itself a part) in the sentence, or just before."""
    for c in reversed(claims):
        if c["unit"] in ("%", "‰"):
            continue
        if c["scope"] != "part":
            return c if c["start"] >= sent - 120 else None
    return None


def _own_floor(text: str, floor: int, prev_end: int, pos: int) -> int:
    """Where a number's own cue window starts: after the clause punctuation that follows the
    previous number of the sentence (the words right after that number are its counted noun)."""
    if prev_end < floor:
        return floor
    m = re.compile(r"[，,；;、：:（(）)]").search(text, prev_end, pos)
    return m.end() if m else floor


def annotate(doc) -> list[dict]:
    """Claims of one narrative text (a spaCy Doc whose doc.spans['quantities'] is filled)."""
    text = doc.user_data.get("nianbao_text") or doc.text
    out: list[dict] = []
    prev_end = 0
    prev: dict | None = None
    for span in doc.spans.get("quantities", []):
        q = span._.quantity
        sent = _sentence_start(text, q.start)
        if _REPORT_PARTS.search(text[sent:q.start]) and q.unit in ("项", "个", "部分", "方面", "类", None):
            continue  # the report's own parts: 由总体情况…其他需要报告的事项等六项内容
        floor = max(sent, prev_end)
        clause = _clause_start(text, q.start, floor)
        sent_end = min([i for i in (text.find(c, q.end) for c in _HARD) if i >= 0], default=len(text))
        # context words (申请…) may stand in this sentence or the one before
        sentence = text[max(0, sent - 200):sent_end]
        scope = _scope(text, q, sent, clause)
        same_sentence_prev = prev if prev is not None and prev["start"] >= sent else None
        metric, cue_at, own = None, None, None
        if scope and scope.startswith("change") and same_sentence_prev is not None:
            metric = same_sentence_prev["metric"]
        if metric is None:
            # the own window starts at the clause: a cue right after the previous number is its noun
            metric, cue_at = _pick_metric(text, _own_floor(text, floor, prev_end, q.start), q.num_start, q.unit, sentence)
            own = metric
            if metric is None or metrics()[metric].priority < 2 or text[q.num_start - 1:q.num_start] == "等":
                # …等68个专题: after an enumeration the counted noun follows the counter
                # the counted noun after the counter: 19个重点领域专栏, 29场新闻发布会
                m = re.match(r"[^，,。；;！？!?、（(）)\n]{0,10}", text[q.end:])
                right, _ = _pick_metric(text, q.end, q.end + m.end(), q.unit, sentence, nearest_first=True)
                if right is not None and metrics()[right].priority >= 2 and \
                        (own is None or not right.startswith(("applications", "review"))):
                    metric, cue_at = right, None
        if scope == "part_para":
            whole = _whole_of(out, _para_start(text, q.start))
            specific = own is not None and metrics()[own].priority >= 2 and own not in _INHERIT
            scope = None if specific and whole is not None and whole["metric"] != own else "part"
        if scope == "part" and (metric is None or metric in _INHERIT or metrics()[metric].priority < 2):
            # a part without a specific cue of its own is a part of its whole: 其中…信函提交申请的171件
            whole = _whole_of(out, _para_start(text, q.start))
            if whole is not None and whole["metric"] not in ("other", "rate", "share") \
                    and _accepts(metrics()[whole["metric"]], q.unit) and whole["unit"] not in ("%", "‰"):
                metric = whole["metric"]
        if metric is None and same_sentence_prev is not None and same_sentence_prev["unit"] == q.unit \
                and same_sentence_prev["metric"] != "other":
            metric = same_sentence_prev["metric"]
        if metric is None:
            metric, cue_at = _pick_metric(text, sent, q.num_start, q.unit, sentence)
            cue_at = None
        if metric is None and q.unit in ("%", "‰"):
            metric = "rate"
        if metric is None and q.unit in ("元", "万元", "亿元"):
            metric = "money"
        if metric is None and q.unit == "名":
            metric = "staff"  # 安排一名, 设置1名: people named for the work
        noun = None
        if metric is None:
            metric = "other"
            noun = _noun(doc, clause, q.start)
        start = clause
        lead = _LEAD.match(text, start, q.start)
        if lead:
            start = lead.end()
        if q.start - start > 60:
            start = cue_at if cue_at is not None and q.start - cue_at <= 60 else q.start
        claim = {"start": start, "end": q.end, "metric": metric, "value": q.value, "unit": q.unit,
                 "scope": scope, "bound": q.bound, "q_start": q.start, "q_end": q.end, "noun": noun,
                 "step": q.step, "sentence": sent}
        out.append(claim)
        prev_end = q.end
        prev = claim
    return out


# --- the report ---------------------------------------------------------------------

def extract_claims(report) -> list[Claim]:
    """Claims of the narrative parts of `report`, with offsets into report.text."""
    from nlp.pipeline import get_nlp

    nlp = get_nlp()
    claims: list[Claim] = []
    regions = narrative_regions(report)
    texts = [report.text[a:b] for a, b in regions]
    for (a, _b), doc in zip(regions, nlp.pipe(texts)):
        for c in doc._.claims:
            s, e = a + c["start"], a + c["end"]
            claims.append(Claim(metric=c["metric"], value=c["value"], unit=c["unit"], text=report.text[s:e],
                                start=s, end=e, scope=c["scope"], bound=c["bound"]))
    return claims


def claim_details(report) -> list[dict]:
    """The claims with the extractor's working fields (quantity offsets, step, sentence start, noun)."""
    from nlp.pipeline import get_nlp

    nlp = get_nlp()
    out = []
    regions = narrative_regions(report)
    for (a, _b), doc in zip(regions, nlp.pipe([report.text[a:b] for a, b in regions])):
        for c in doc._.claims:
            d = dict(c)
            for k in ("start", "end", "q_start", "q_end", "sentence"):
                d[k] += a
            out.append(d)
    return out
