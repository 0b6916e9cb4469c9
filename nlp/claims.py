"""Quantitative claims of the narrative parts: `extract_claims(report) -> list[Claim]`.

A claim is a printed quantity of the narrative (spec/claims.md) with its metric, scope and
bound.  The narrative is the report text outside the table parts (二、三、四); the numbers of the
tables are cells, never claims.  Each claim's `text` is `report.text[start:end]`: the clause
from its start (after the previous punctuation or the previous quantity) to the counter word.

Metric: the nearest signal word (cue) before the number in its clause, among the metrics of
nlp/data/metrics.json whose units accept the counter; channel-specific metrics beat the
generic ones (items_published, platforms, organisations); a metric with `context` words needs
one of them in the sentence (applications need 申请).  No cue -> "other", with the counted noun.
In order:

* a cue of the number's own clause (after the last comma, colon or bracket) beats one of an
  earlier clause; beyond the own clause only nouns count, and only specific ones (a publishing
  verb governs its own clause, a generic noun there is no cue of this number); a channel named
  earlier (“某某”微信公众号，共发布信息…; 微博29个，共发布信息…) is where the items were published,
  unless several channels are enumerated (微信公众号、微博、抖音账号共发布 → items_published);
* the counted noun right after the counter (19个专栏, 39个乡镇, 22项行政审批事项) beats a generic
  cue, a publishing verb, and any cue of an earlier clause; a verb is never that noun, and after
  a modifier ending in 的 the head follows the 的; `right_cues` name a metric only there (70件申请);
* parts (其中, （含…）) take their whole's metric unless they name a specific one or a publishing
  verb of their own; a change takes the metric of the figure it changes; 办结/结转 after a
  figure of another family in a sentence without 申请 is that figure's metric;
* a publishing verb (metrics.json `verbs`) governs the number when it is its direct object with
  no metric of its own, or when it heads a list of counted items joined by 、/；/， (after a colon,
  the 其中 of an uncounted whole, or a short sentence naming what was published): such items are
  items_published, also when they are named with the words of a kind of item (批复, 提案, 征集…);
* a number that names what it counts with a name that is no cue (阅读人数139.7万) is "other".

Scope: change.increase / change.decrease (同比增长, 较上年下降, 增长6%), previous (上年的9件),
part (其中, （含…）), cumulative (累计), jurisdiction (全市, 全区, 全县…), year (全年, 本年度),
agency (本机关, 我局), unit (the subject is a named body other than the reporting agency, e.g. its
office acting for it: 区政府办代表区政府受理…17件; set by extract_claims, which knows the agency);
None when nothing is said.
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
    context_in_sentence: bool = False  # the context word must stand in the number's own sentence


_GENERIC = {"items_published": 1, "platforms": 1, "organisations": 1, "staff": 1, "online_services": 1,
            "share": 2, "rate": 1}
_CONTEXT = {"applications": ("申请", "申請"), "review_litigation": ("公开", "公開")}


@lru_cache(maxsize=1)
def metrics() -> dict[str, Metric]:
    from nlp.numbers import _variants

    data = json.loads(METRICS_FILE.read_text(encoding="utf-8"))
    out = {}
    for m in data["metrics"]:
        context = tuple(_variants(m.get("context", _CONTEXT.get(m["family"], ()))))
        out[m["id"]] = Metric(m["id"], m["family"], tuple(_variants(m["cues"])), tuple(m["units"]), m.get("key"),
                              _GENERIC.get(m["id"], 2), context, m.get("context_scope") == "sentence")
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


_COUNT_LINE = re.compile(r"[ \t\u3000]*[\d０-９]+(?:\.\d+)?[ \t\u3000]*(?:件|条|篇|份|次|个|项|场|期|名|人|家|%)")


def _sentence_start(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        ch = text[i]
        if ch in _HARD:
            return i + 1
        if ch == "\n":
            before = text[:i].rstrip(" \t\u3000\n")
            line_start = before.rfind("\n") + 1
            short_or_heading = len(before) - line_start < 30 or _HEADING.match(text, i + 1)
            # a line that starts with a count goes on the sentence before (…制发规范性文件⏎0 件)
            if not before or before[-1] in _HARD + "：:" or (short_or_heading and not _COUNT_LINE.match(text, i + 1)):
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


def _cues(text: str, lo: int, hi: int) -> list[re.Match]:
    """The cues that lie in text[lo:hi]; a cue inside a longer overlapping cue is not a cue of its
    own (上年结转…申请数量: not 申请数; 依申请公开: not 公开)."""
    rx, _ = _cue_regex()
    found = [mt for mt in rx.finditer(text, lo, hi) if mt.end(1) <= hi]
    spans = [(mt.start(1), mt.end(1)) for mt in found]
    return [mt for mt in found if not any(a <= mt.start(1) and mt.end(1) <= b and (b - a) > mt.end(1) - mt.start(1)
                                          for a, b in spans)
            and not any(a < mt.start(1) < b < mt.end(1) and (b - a) > mt.end(1) - mt.start(1) for a, b in spans)]


@lru_cache(maxsize=1)
def _right_cues() -> dict[str, tuple[str, ...]]:
    from nlp.numbers import _variants

    data = json.loads(METRICS_FILE.read_text(encoding="utf-8"))
    return {m["id"]: tuple(_variants(m["right_cues"])) for m in data["metrics"] if m.get("right_cues")}


def _pick_metric(text: str, lo: int, hi: int, unit: str | None, sentence: str,
                 nearest_first: bool = False, nouns_only: bool = False) -> tuple[str | None, int | None]:
    """The metric of the best cue in text[lo:hi] and the cue's start, or (None, None).
    `sentence`: (the sentence with up to 200 characters before it, the sentence alone), where
    the metrics' context words are looked for."""
    wide_sentence, own_sentence = sentence
    _, by_cue = _cue_regex()
    best = None
    table = metrics()
    for mt in _cues(text, lo, hi):
        cue = re.sub(r"\n\s*", "", mt.group(1))
        if nouns_only and cue in verbs():
            continue
        if not nearest_first and ((re.search("、", text[mt.end(1):hi]) and cue not in verbs())
                                  or text[mt.end(1):mt.end(1) + 2].startswith("等")):
            continue  # a topic of an enumeration (政策解读、…等信息86条) is not what is counted; a verb
            # governs the whole list (公开A 3件、B 5件)
        for mid in by_cue[cue]:
            m = table[mid]
            if not _accepts(m, unit):
                continue
            if m.context and not any(c in (own_sentence if m.context_in_sentence else wide_sentence)
                                     for c in m.context):
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
_CHANNEL_POSTS = {"wechat.posts", "weibo.posts"}
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
    if prev_end < floor or prev_end <= 0:  # no previous number in the sentence
        return floor
    m = re.compile(r"[，,；;、：:（(）)]").search(text, prev_end, pos)
    return m.end() if m else floor


_LOCAL = re.compile(r"[，,；;：:（(）)]")


def _local_start(text: str, lo: int, pos: int) -> int:
    """Start of the number's own clause: after the last comma, colon or bracket before it (a 、
    list stays one clause)."""
    i = pos - 1
    while i >= lo:
        if _LOCAL.match(text[i]):
            return i + 1
        i -= 1
    return lo


_RIGHT = re.compile(r"[^，,。；;！？!?、（(）)\n]{0,10}")
_RIGHT_LONG = re.compile(r"[^，,。；;！？!?、（(）)\n]{0,24}?的")


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """The publishing verbs of nlp/data/metrics.json (with their traditional forms)."""
    from nlp.numbers import _variants

    return frozenset(_variants(json.loads(METRICS_FILE.read_text(encoding="utf-8")).get("verbs", [])))


def _cue_at(text: str, at: int) -> str:
    rx, _ = _cue_regex()
    m = rx.match(text, at)
    return re.sub(r"\n\s*", "", m.group(1)) if m else ""


def _right_noun(text: str, q, sentence: str) -> str | None:
    """The metric of the counted noun after the counter: the nearest cue within 10 characters
    that is not a verb (a verb is never the counted noun: 4项并归集展示), else the head after a
    modifier ending in 的 (注销2个无人维护或重复建设的政务新媒体)."""
    m = _RIGHT.match(text, q.end)
    right, _ = _pick_metric(text, q.end, m.end(), q.unit, sentence, nearest_first=True, nouns_only=True)
    if right is None:
        mod = _RIGHT_LONG.match(text, q.end)
        if mod:
            tail = _RIGHT.match(text, mod.end())
            right, _ = _pick_metric(text, mod.end(), tail.end(), q.unit, sentence, nearest_first=True,
                                    nouns_only=True)
    if right is None and m.end() > q.end:
        # nouns that name a metric only after the counter: 共收到70件申请
        for mid, words in _right_cues().items():
            if any(text.startswith(w, q.end) for w in words) and _accepts(metrics()[mid], q.unit):
                return mid
    return right


# What a publishing verb makes items_published when it heads a list of counted items (主动公开A
# 20篇；B 58条；C 31件, 公开…批复497件、…批复301件): kinds of item named with the words of a
# narrative metric.  Only a number with no metric at all is taken as the verb's direct object.
_GOVERNABLE = {"online_services", "credit_records", "queries", "proposals", "surveys"}
_LIST_OK = _PUBLISHING | {"policy_interpretations"}


def _governed(text: str, out: list[dict], q, cue_at: int | None, in_list: bool) -> bool:
    """Is the number an item published under a publishing verb before it in the paragraph: its
    direct object, or (in_list) a later item of a list the verb heads (every clause between them
    is a counted item, all of them items published)?"""
    lo = max(_para_start(text, q.start), q.start - 300)
    found = [mt for mt in _cues(text, lo, q.num_start) if re.sub(r"\n\s*", "", mt.group(1)) in verbs()]
    if not found and lo > 0:
        # a list right after a short sentence that names what was published (二是公开审批结果。A 497件、…)
        head = _para_start(text, lo - 1)
        _, by_cue = _cue_regex()
        own = {m for mt in _cues(text, lo, q.num_start) for m in by_cue[re.sub(r"\n\s*", "", mt.group(1))]
               if _accepts(metrics()[m], q.unit)}
        if lo - head <= 40 and not _HAS_NUMBER.search(text, head, lo) and own <= _GOVERNABLE | {"items_published"}:
            found = [mt for mt in _cues(text, head, lo) if re.sub(r"\n\s*", "", mt.group(1)) in verbs()]
    if not found:
        return False
    v = found[-1]
    if cue_at is not None and cue_at < v.start(1):
        return False  # the cue names the subject or the platform (信用中国…公示信息): not governed
    pieces = re.split(r"[，,；;]", text[v.end(1):q.start])
    if len(pieces) > 1 and re.match(r"\s*其中", pieces[1]):
        pieces = pieces[1:]  # 公开各类审批结果，其中A 497件、B 301件: the parts of an uncounted whole
    if len(pieces) > 1 and not all(_HAS_NUMBER.search(p) for p in pieces[:-1]):
        return False
    items = [c for c in out if v.end(1) <= c["q_start"] < q.start]
    if in_list and not items:
        return False
    return all(c["metric"] in _LIST_OK for c in items)


# a number that names what it counts (阅读人数139.7万, 业务处理条数40025条): when that name is no
# cue, the number is `other`, not the metric of an earlier cue of its sentence
_NAMED = re.compile(r"[\u4e00-\u9fff](?:人数|次数|条数|件数|个数|数量|总量|总数|量|数)(?:达到|已达|达|为|是|共|计|约|超过|突破|逾)?[：:\s]*$")
_OF_RECEIVED = {"applications.results_total.total", "applications.carried_forward.total"}
_COMBINABLE = {"new_media"}


def _joined(text: str, lo: int, at: int, family: str) -> bool:
    """Is the cue at `at` the last of an enumeration (、/和/及) of cues of its family that name
    other metrics too: a combined total (微信公众号、微博、抖音账号共发布…)?"""
    _, by_cue = _cue_regex()
    found = [mt for mt in _cues(text, max(lo, at - 40), at)]
    names = set(by_cue.get(_cue_at(text, at), ()))
    pos, chain = at, 0
    while True:
        sep = re.search(r"[、和及与]\s*$", text[max(lo, pos - 3):pos])
        if not sep:
            break
        end = pos - len(sep.group())
        prev = [mt for mt in found if mt.end(1) == end]
        if not prev:
            break
        ids = set(by_cue[re.sub(r"\n\s*", "", prev[0].group(1))])
        if not any(metrics()[i].family == family for i in ids):
            break
        names |= ids
        chain += 1
        pos = prev[0].start(1)
    posts = {n for n in names if n in _CHANNEL_POSTS}
    return chain >= 1 and len(posts) >= 2


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
        sentence = (text[max(0, sent - 200):sent_end], text[sent:sent_end])
        scope = _scope(text, q, sent, clause)
        same_sentence_prev = prev if prev is not None and prev["start"] >= sent else None
        metric, cue_at, own, own_verb, own_at, from_right, local = None, None, None, False, None, False, False
        if scope and scope.startswith("change") and same_sentence_prev is not None:
            metric = same_sentence_prev["metric"]
        if metric is None:
            # the own window starts at the clause: a cue right after the previous number is its noun
            own_lo = _own_floor(text, floor, prev_end, q.start)
            # a cue of the number's own clause beats one of an earlier clause of the sentence
            metric, cue_at = _pick_metric(text, max(own_lo, _local_start(text, own_lo, q.start)), q.num_start,
                                          q.unit, sentence)
            # beyond the own clause a publishing verb governs only its own clause (or a list, below)
            wide, wide_at = _pick_metric(text, own_lo, q.num_start, q.unit, sentence, nouns_only=True)
            if wide is not None and metrics()[wide].priority < 2:
                wide = None  # a generic noun of an earlier clause (…和工作动态，…，14条…) is no cue of this one
            local = metric is not None
            if metric is None or (metric in _PUBLISHING and wide in _CHANNEL_POSTS
                                  and not _joined(text, own_lo, wide_at, "new_media")):
                # the channel named in an earlier clause is where the items were published
                metric, cue_at = wide, wide_at
            if metric == "items_published" and same_sentence_prev is not None \
                    and same_sentence_prev["metric"] == "new_media.accounts" \
                    and len(_LOCAL.findall(text, same_sentence_prev["end"], q.num_start)) <= 1:
                # 微博29个，共发布信息1992条: the posts of the accounts just counted
                chan, _ = _pick_metric(text, same_sentence_prev["start"], same_sentence_prev["q_start"], q.unit,
                                       sentence)
                if chan in _CHANNEL_POSTS:
                    metric = chan
            if metric is not None and cue_at is not None and metrics()[metric].family in _COMBINABLE \
                    and _joined(text, own_lo, cue_at, metrics()[metric].family):
                # 微信公众号、微博、抖音账号共发布信息3376条: the total of several channels
                metric = "items_published" if _accepts(metrics()["items_published"], q.unit) else None
            own, own_at = metric, cue_at
            own_verb = cue_at is not None and _cue_at(text, cue_at) in verbs()
            if metric is None or metrics()[metric].priority < 2 or not local \
                    or text[q.num_start - 1:q.num_start] == "等":
                # …等68个专题: after an enumeration the counted noun follows the counter
                # the counted noun after the counter: 19个重点领域专栏, 29场新闻发布会, 39个乡镇;
                # it beats a generic cue and any cue of an earlier clause
                right = _right_noun(text, q, sentence)
                if right is not None and (own is None or metrics()[right].priority >= metrics()[own].priority
                                          or not local or own_verb) and \
                        (own is None or not right.startswith(("applications", "review"))):
                    metric, cue_at, from_right = right, None, True
        if metric == "items_published":
            # the channel named earlier in the sentence is where the items were published
            chan, chan_at = _pick_metric(text, sent, q.num_start, q.unit, sentence)
            if chan in _CHANNEL_POSTS and not _joined(text, sent, chan_at, "new_media"):
                metric = chan
        if scope == "part_para":
            whole = _whole_of(out, _para_start(text, q.start))
            specific = own is not None and metrics()[own].priority >= 2 and own not in _INHERIT
            scope = None if specific and whole is not None and whole["metric"] != own else "part"
        if scope == "part" and (metric is None or metric in _INHERIT or metrics()[metric].priority < 2):
            # a part without a specific cue of its own is a part of its whole: 其中…信函提交申请的171件
            whole = _whole_of(out, _para_start(text, q.start))
            if whole is not None and whole["metric"] not in ("other", "rate", "share") \
                    and _accepts(metrics()[whole["metric"]], q.unit) and whole["unit"] not in ("%", "‰") \
                    and not (own_verb and metric in _PUBLISHING and whole["metric"] not in _PUBLISHING):
                # …(其中…)，公开行政许可文书267份: a part with a publishing verb of its own is published items
                metric = whole["metric"]
        if metric in _OF_RECEIVED and same_sentence_prev is not None and same_sentence_prev["unit"] == q.unit \
                and metrics()[same_sentence_prev["metric"]].family not in ("applications", "other", "rate") \
                and not any(c in text[sent:sent_end] for c in _CONTEXT["applications"]):
            # 共收到15564件咨询投诉件，已办结15042件: what was received is what was settled (the
            # applications' context word stood only in an earlier sentence)
            metric = same_sentence_prev["metric"]
        named = metric is None and _NAMED.search(text, max(floor, q.start - 12), q.start) is not None
        if metric is None and not named and same_sentence_prev is not None and same_sentence_prev["unit"] == q.unit \
                and same_sentence_prev["metric"] != "other":
            metric = same_sentence_prev["metric"]
        if metric is None and not named:
            # a specific cue earlier in the sentence (a generic verb there governs its own clause)
            metric, cue_at = _pick_metric(text, sent, q.num_start, q.unit, sentence, nouns_only=True)
            if metric is not None and metrics()[metric].priority < 2 and _LOCAL.search(text, cue_at, q.start):
                metric = None  # a generic noun of an earlier clause (…和工作动态，…，14条…) is no cue of this one
            cue_at = None
        if (metric is None or (metric in _GOVERNABLE and not from_right)) and not q.percent and not named \
                and scope != "previous" and not (scope or "").startswith("change") \
                and (scope != "part" or _whole_of(out, _para_start(text, q.start)) is None) \
                and _accepts(metrics()["items_published"], q.unit) \
                and _governed(text, out, q, own_at, in_list=metric is not None and local):
            metric = "items_published"
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


# --- the subject: a named sub-unit -----------------------------------------------------

_LEAD_ADVERBIAL = re.compile(r"(?:\s|[，,、]|[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)"
                             r"|(?:19|20)\d\d\s*年度?|本年度|全年|今年|年内|截至目前|目前)*")
_ORG = re.compile(r"(?P<org>[\u4e00-\u9fff]{0,16}?(?:政府办公室|政府办公厅|政府办|办公室|办公厅|委员会|局|委|中心|厅|处|科|站"
                  r"|所|队|院|署|办事处|街道|管委会))"
                  r"(?=代表|共|全年|本年|累计|依法|按时|收到|受理|办理|新收|接收|接到|答复|办结|已|先后|及时|积极|严格)")
_SELF = re.compile(r"^(?:本|我|该|各|全|所属|下属|其)")
_ORG_KIND = [("office", re.compile(r"(?:政府办公室|政府办公厅|政府办|办公室|办公厅|办)$")),
             ("government", re.compile(r"(?:人民政府|政府|管委会|管理委员会|实验区)$")),
             ("committee", re.compile(r"(?:委员会|委)$")), ("bureau", re.compile(r"局$")),
             ("department", re.compile(r"厅$")), ("centre", re.compile(r"中心$")),
             ("unit", re.compile(r"(?:处|科|站|所|队|院|署|办事处|街道)$"))]


def _kind(name: str) -> str | None:
    for kind, rx in _ORG_KIND:
        if rx.search(name):
            return kind
    return None


def _norm_org(name: str) -> str:
    name = re.sub(r"\s+", "", name).replace("人民政府", "政府")
    return re.sub(r"政府办$", "政府办公室", name)


def subunit_subject(text: str, sent: int, pos: int, agency: str | None) -> bool:
    """Is the subject of the sentence (before `pos`) a named body other than the reporting agency:
    one that acts for it (区政府办代表区政府受理…), or a unit of another kind than the agency
    (a government's office or bureau, a bureau's office)?  Its figures are that unit's, not the
    agency's whole table."""
    lead = _LEAD_ADVERBIAL.match(text, sent, pos)
    m = _ORG.match(text, lead.end() if lead else sent, pos)
    if m is None or _SELF.match(m.group("org")):
        return False
    org = _norm_org(m.group("org"))
    if text.startswith("代表", m.end("org")):
        return True
    if not agency:
        return False
    ag = _norm_org(agency)
    if ag.endswith(org) or org.endswith(ag) or org in ag:
        return False  # the agency itself, or the body the agency's office belongs to
    k_org, k_ag = _kind(org), _kind(ag)
    return k_org is not None and k_ag is not None and k_org != k_ag


def _scope_of_subject(report, text_offset: int, c: dict) -> str | None:
    if metrics()[c["metric"]].key is None or c["scope"] in ("part", "change.increase", "change.decrease", "previous"):
        return c["scope"]
    agency = getattr(getattr(report, "meta", None), "agency", None)
    s = text_offset
    if subunit_subject(report.text, s + c["sentence"], s + c["q_start"], agency):
        return "unit"
    return c["scope"]


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
                                start=s, end=e, scope=_scope_of_subject(report, a, c), bound=c["bound"]))
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
            d["scope"] = _scope_of_subject(report, a, c)
            for k in ("start", "end", "q_start", "q_end", "sentence"):
                d[k] += a
            out.append(d)
    return out
