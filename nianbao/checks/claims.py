"""Narrative claims against the tables, and against each other.

`classify(report, claim)` puts a claim whose metric is a canonical table key into one class:

* ``agrees``: the claim equals the table under the key's own scope (within the interval of its
  bound or of its rounding: 1.2万 agrees with 11,950…12,049, 3万余 with 30,000 and more);
* ``agrees_under_other_scope``: it equals the table under another compatible scope
  (spec/template.md): 共收到申请N件 = new_received + carried_over, 行政诉讼N件 = a single litigation
  group, 企业申请 = the five 法人或其他组织 columns summed, 规范性文件 issued vs in force…;
* ``contradicts``: the table has the value(s) and none agrees;
* ``not_comparable``: a cell it needs is empty or missing, or the claim's scope is not the
  table's (a change, the previous year's figure, a cumulative total, a part of a whole stated
  with 其中, a 全市/全区 figure that does not agree, the figure of a named sub-unit).

Findings: ``claim.contradicts_table`` (warning), ``claim.other_scope`` (info),
``claim.parts_exceed_whole`` (warning: parts stated with 其中 sum to more than their whole),
``claim.change_inconsistent`` (warning: a stated change against a stated previous figure).
"""

from __future__ import annotations

import re

from nianbao.model import INFO, WARNING, Finding

AGREES, OTHER_SCOPE, CONTRADICTS, NOT_COMPARABLE = "agrees", "agrees_under_other_scope", "contradicts", "not_comparable"

LEGAL = ("commercial", "research", "social_welfare", "legal_service", "other_org")

LABELS = {
    "applications.new_received.total": "本年新收申请数（总计）",
    "applications.new_received.natural_person": "本年新收申请数（自然人）",
    "applications.new_received.commercial": "本年新收申请数（商业企业）",
    "applications.new_received.legal_person": "本年新收申请数（法人或其他组织合计）",
    "applications.carried_over.total": "上年结转申请数",
    "applications.carried_forward.total": "结转下年度继续办理数",
    "applications.results_total.total": "办理结果总计",
    "applications.granted.total": "予以公开数",
    "applications.partially_granted.total": "部分公开数",
    "applications.granted_or_partial.total": "予以公开与部分公开之和",
    "applications.denied.total": "不予公开合计",
    "applications.unavailable.total": "无法提供合计",
    "applications.unavailable.not_held.total": "本机关不掌握相关政府信息数",
    "applications.not_processed.total": "不予处理合计",
    "applications.other.total": "其他处理合计",
    "review_litigation.review.total": "行政复议总计",
    "review_litigation.litigation.total": "行政诉讼总计（未经复议直接起诉与复议后起诉之和）",
    "review_litigation.litigation_direct.total": "行政诉讼（未经复议直接起诉）总计",
    "review_litigation.litigation_after_review.total": "行政诉讼（复议后起诉）总计",
    "active.art20_1.normative_documents.issued": "行政规范性文件本年制发件数",
    "active.art20_1.normative_documents.in_force": "行政规范性文件现行有效件数",
    "active.art20_6.penalty.decisions": "行政处罚本年处理决定数量",
    "active.art20_5.licensing.decisions": "行政许可本年处理决定数量",
    "active.art20_8.fees.amount_10k_yuan": "行政事业性收费金额（万元）",
}
SUMS = {"applications.new_received+carried_over": "本年新收与上年结转之和"}

# Metrics that are a whole: under 其中 they are parts of a bigger whole, not the cell.
_WHOLES = {"applications.new_received.total", "applications.results_total.total", "review_litigation.review.total",
           "review_litigation.litigation.total"}
# "unit": the figure of a named sub-unit (区政府办代表区政府受理…), not the agency's whole table
_SKIP_SCOPES = ("change.increase", "change.decrease", "previous", "cumulative", "unit")


def _cells(report, table: str, pred) -> list[str]:
    return sorted(k for k in report.tables.get(table, {}) if pred(k))


def resolve(report, key: str) -> tuple[float | int | None, list[str]]:
    """The table value of a canonical or derived key and the cells it reads; None if any is empty."""
    table, _, rest = key.partition(".")
    tab = report.tables.get(table)
    if not tab:
        return None, []
    if key == "applications.new_received.legal_person":
        names = [f"new_received.{c}" for c in LEGAL]
    elif key == "applications.granted_or_partial.total":
        names = ["granted.total", "partially_granted.total"]
    elif key in ("applications.denied.total", "applications.unavailable.total", "applications.not_processed.total"):
        row = rest.split(".")[0]
        names = _cells(report, "applications", lambda k: k.startswith(row + ".") and k.endswith(".total"))
    elif key == "applications.other.total":
        names = ["other.total"] if "other.total" in tab else \
            _cells(report, "applications", lambda k: k.startswith("other.") and k.endswith(".total"))
    elif key == "review_litigation.litigation.total":
        names = ["litigation_direct.total", "litigation_after_review.total"]
    else:
        names = [rest]
    if not names or any(n not in tab for n in names):
        return None, []
    vals = [tab[n] for n in names]
    refs = [f"{table}.{n}" for n in names]
    if any(v is None for v in vals):
        return None, refs
    return sum(vals), refs


def _alternatives(key: str) -> list[list[str]]:
    """Other compatible scopes: lists of keys whose sum the claim may state."""
    return {
        "applications.new_received.total": [["applications.new_received.total", "applications.carried_over.total"]],
        "applications.results_total.total": [["applications.new_received.total", "applications.carried_over.total"],
                                              ["applications.new_received.total"],
                                              ["applications.results_total.total", "applications.carried_forward.total"]],
        "applications.new_received.commercial": [["applications.new_received.legal_person"]],
        "applications.new_received.legal_person": [["applications.new_received.commercial"]],
        "review_litigation.review.total": [["review_litigation.review.total", "review_litigation.litigation.total"]],
        "review_litigation.litigation.total": [["review_litigation.litigation_direct.total"],
                                               ["review_litigation.litigation_after_review.total"]],
        "active.art20_1.normative_documents.issued": [["active.art20_1.normative_documents.in_force"]],
        "active.art20_1.normative_documents.in_force": [["active.art20_1.normative_documents.issued"]],
    }.get(key, [])


_NUM_AT_END = re.compile(r"(\d+(?:\.\d+)?)\s*(万|萬|亿|億)?[^\d]*$")


def _step(claim) -> float:
    m = _NUM_AT_END.search(claim.text.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}))
    if not m:
        return 1
    num, mult = m.group(1), {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}.get(m.group(2) or "", 1)
    if "." in num:
        return 10 ** -len(num.split(".")[1]) * mult
    if mult == 1:
        return 1
    digits = num.rstrip("0")
    return 10 ** (len(num) - len(digits)) * mult


def matches(claim, value) -> bool:
    """Does the table value lie in the interval the claim states?"""
    if value is None or claim.value is None:
        return False
    v, t = float(claim.value), float(value)
    step = _step(claim)
    if claim.bound == "at_least":
        return t >= v
    if claim.bound == "at_most":
        return t <= v
    if claim.bound == "about":
        return abs(t - v) <= max(0.2 * abs(v), step)
    if step > 1:  # 1.2万: rounded to the printed digit
        return v - step / 2 <= t < v + step / 2
    return abs(t - v) <= (step / 2 if step < 1 else 1e-9)


_GOVERNMENT = re.compile(r"(人民政府|实验区|[市区县旗州盟省])$")


def government_level(report) -> bool:
    """A government's own report (its tables are the jurisdiction's), not a department's."""
    agency = (report.meta.agency or "").strip()
    return not agency or bool(_GOVERNMENT.search(agency))


def table_key(claim) -> str | None:
    from nlp.claims import metrics

    m = metrics().get(claim.metric)
    return m.key if m is not None else None


def classify(report, claim) -> tuple[str, float | int | None, list[str], list[str] | None]:
    """(class, table value under the claim's own scope, its cells, the other scope that agrees)."""
    key = table_key(claim)
    if key is None:
        return NOT_COMPARABLE, None, [], None
    value, refs = resolve(report, key)
    if claim.scope in _SKIP_SCOPES or claim.unit in ("%", "‰") or \
            (claim.scope == "part" and claim.metric in _WHOLES):
        return NOT_COMPARABLE, value, refs, None
    if matches(claim, value):
        return AGREES, value, refs, None
    for alt in _alternatives(key):
        parts = [resolve(report, k) for k in alt]
        if parts and all(p[0] is not None for p in parts):
            total = sum(p[0] for p in parts)
            if matches(claim, total):
                return OTHER_SCOPE, total, [r for p in parts for r in p[1]], alt
    if value is None:
        return NOT_COMPARABLE, None, refs, None
    if claim.scope == "jurisdiction" and not government_level(report):
        return NOT_COMPARABLE, value, refs, None  # 全市… by a department: sums units its table does not hold
    return CONTRADICTS, value, refs, None


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v}"


def check_claims(report) -> list[Finding]:
    out: list[Finding] = []
    for i, c in enumerate(report.claims):
        cls, value, refs, alt = classify(report, c)
        key = table_key(c)
        if cls == CONTRADICTS:
            out.append(Finding("claim.contradicts_table", WARNING,
                               f"叙述“{c.text}”称{_fmt(c.value)}{c.unit or ''}，与表格“{LABELS.get(key, key)}”的"
                               f"{_fmt(value)}不符", refs, [i], "failed", c.value, value))
        elif cls == OTHER_SCOPE:
            label = "与".join(LABELS.get(k, k) for k in alt) + ("之和" if len(alt) > 1 else "")
            out.append(Finding("claim.other_scope", INFO,
                               f"叙述“{c.text}”的{_fmt(c.value)}{c.unit or ''}与表格“{LABELS.get(key, key)}”"
                               f"（{_fmt(resolve(report, key)[0])}）不同，但与另一口径“{label}”一致", refs, [i],
                               "ambiguous", c.value, value))
    out.extend(_parts_exceed_whole(report))
    out.extend(_change_inconsistent(report))
    return out


# --- inside the narrative -------------------------------------------------------------

def _sentence_of(report, claim) -> int:
    from nlp.claims import _sentence_start

    return _sentence_start(report.text, claim.end - 1)


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _parts_exceed_whole(report) -> list[Finding]:
    out = []
    claims = report.claims
    i = 0
    while i < len(claims):
        c = claims[i]
        j = i + 1
        if c.scope != "part" and c.unit not in ("%", "‰", None) and c.bound not in ("at_most", "about") \
                and j < len(claims) and claims[j].scope == "part":
            sent = _sentence_of(report, c)
            parts = []
            while j < len(claims) and claims[j].scope == "part" and _sentence_of(report, claims[j]) == sent:
                p = claims[j]
                between = report.text[c.end:p.start]
                k = between.find("其中")
                if p.unit == c.unit and p.bound is None and p.value is not None and not _unclosed(between[max(k, 0):]):
                    parts.append(j)
                j += 1
            total = sum(claims[k].value for k in parts)
            if parts and c.value is not None and total > c.value and c.bound != "at_least":
                out.append(Finding("claim.parts_exceed_whole", WARNING,
                                   f"“{c.text}”共{_fmt(c.value)}{c.unit or ''}，其中所列各项之和为{_fmt(total)}"
                                   f"{c.unit or ''}，超过总数", [], [i] + parts, "failed", c.value, total))
            i = j
            continue
        i += 1
    return out


def _change_inconsistent(report) -> list[Finding]:
    out = []
    claims = report.claims
    for i, c in enumerate(claims):
        if not (c.scope or "").startswith("change") or c.value is None:
            continue
        sent = _sentence_of(report, c)
        cur = prev = None
        for j in range(i - 1, -1, -1):
            o = claims[j]
            if _sentence_of(report, o) != sent:
                break
            if o.scope == "previous" and prev is None:
                prev = j
            elif o.scope not in ("previous",) and not (o.scope or "").startswith("change") and o.unit not in ("%", "‰") \
                    and cur is None:
                cur = j
        if cur is None or prev is None:
            continue
        a, b = claims[cur], claims[prev]
        if a.unit != b.unit or not b.value or a.bound or b.bound:
            continue
        sign = -1 if c.scope == "change.decrease" else 1
        if c.unit in ("%",):
            expected = (a.value - b.value) / b.value * 100
            decimals = len(str(c.value).split(".")[1]) if isinstance(c.value, float) and "." in str(c.value) else 0
            tol = 0.5 * 10 ** -decimals + 0.051
            stated = sign * c.value
        elif c.unit == a.unit:
            expected, stated, tol = a.value - b.value, sign * c.value, 1e-9
        else:
            continue
        if abs(expected - stated) > tol:
            out.append(Finding("claim.change_inconsistent", WARNING,
                               f"“{c.text}”与上年数{_fmt(b.value)}{b.unit or ''}、本年数{_fmt(a.value)}{a.unit or ''}"
                               f"不符：按这两个数，变化应为{expected:+.1f}{c.unit or ''}", [], [cur, prev, i], "failed",
                               stated, round(expected, 2)))
    return out
