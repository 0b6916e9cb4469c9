"""Part 五 (存在的主要问题及改进情况) -> statements with exact spans.

`split_statements(report)` cuts part 五 into statements: enumerated items
(一是/二是…, （一）/(一), 1./1、, ①), and inside them clauses ended by 。 or ；
(also ; and a line break).  Each statement keeps its exact span:
``statement.text == report.text[statement.start:statement.end]``.  Enumeration
marks are KEPT in the text (``一是人员紧缺，缺乏信息报送、统计人员``, as in
spec/output.md); only surrounding white space and the closing 。；;，, are trimmed,
and start/end are moved with the trim.

Headings (主要问题 / 存在的问题 / 改进措施 / 下一步整改措施 …, with or without an
enumeration mark, nothing else in the clause) are not statements: they switch the
default kind of what follows.  Introductions that also switch it (``针对存在问题，
我局将采取措施加以改进：``, ``…主要表现在：``) are statements of their own.

The kind given here is that default (``problem`` after a problem heading,
``measure`` after a measure heading, ``other`` before any) and the topic is None;
`nlp.classify` labels them.

Problems stated elsewhere (`problems_elsewhere`): outside part 五, a clause (ended by 。；;
or a line break) that states a shortcoming of the agency's own work - 存在…问题/不足/短板/差距,
有待加强/提高, 还不够/仍不够, 仍需/尚需加强… - is a statement too, with ``part`` = the number
of the part it is in and the default kind ``problem``. Not collected: problems the agency found
and fixed or avoided (发现并整改…问题, 未出现…问题, 对存在…等问题进行督查), problems of the
public (群众反映的问题, 热点问题) and the list of the report's parts (…存在的主要问题及改进情况…).
`report_statements` gives both, in report order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.model import Report, Statement

PROBLEM, MEASURE, OTHER = "problem", "measure", "other"

_CN_NUM = "一二三四五六七八九十"
# An enumeration mark at the start of a clause.
ENUM = re.compile(
    rf"(?:[{_CN_NUM}]{{1,3}}是"
    rf"|[（(][{_CN_NUM}]{{1,3}}[)）]"
    rf"|[（(]\d{{1,2}}[)）]"
    rf"|\d{{1,2}}[.．、](?!\d)"
    rf"|[①②③④⑤⑥⑦⑧⑨⑩]"
    rf"|[{_CN_NUM}]{{1,2}}[、，](?=[\u4e00-\u9fff]))")
# Where a clause ends (the character is kept with the clause before it).
_ENDERS = "。；;\n"
_TRIM_LEFT = " \t\r\n\u3000\xa0"
_TRIM_RIGHT = " \t\r\n\u3000\xa0。；;，,、"

# A clause that is only a heading.
HEADING = re.compile(
    r"^(?:(?:政府信息公开工作)?(?:存在的|存在)?(?:主要)?(?:问题|不足)(?:和不足)?(?:主要有以下几个方面)?"
    r"|(?:下一步)?(?:的)?(?:改进|整改)(?:的)?(?:措施|情况|举措)"
    r"|下一步(?:工作)?(?:打算|计划|措施|举措)?"
    r"|主要表现在|主要表现为|主要是|具体如下|具体表现在"
    r"|(?:存在的)?主要问题(?:及|和)改进(?:情况|措施))[。：:.]?$")
# The part's own title, also when run together with the first sentence.
TITLE = re.compile(
    r"\s*(?:[五5][、.．,，]\s*|第五部分\s*)?(?:\[bookmark:[^\]]*\])?\s*(?:政府信息公开工作)?"
    r"(?:存在的)?主要问题(?:及|和)改进(?:情况|措施)\s*")
# The part found in the text when the structure stage did not find it (2008-2018 reports).
FALLBACK = re.compile(r"[五5][、.．]\s*(?:政府信息公开工作)?(?:存在的)?主要问题(?:及|和)改进(?:情况|措施)")
NEXT_PART = re.compile(r"[六6][、.．]\s*(?:其他|政府信息公开情况统计表|其它)")

PROBLEM_CUE = re.compile(r"存在的问题|存在问题|主要问题|等问题|不足|短板|差距|主要表现在|主要是|表现为|一些问题|以下几个方面")
MEASURE_CUE = re.compile(r"改进措施|整改措施|下一步|将采取|加以改进|针对存在|针对问题|针对上述|以下措施|以下工作|改进的措施"
                         r"|\d{4}年[，,]?(?:我|本)?[局区市县委办]*将")
_LEAD_IN = re.compile(r"(?<=[不足差距问题短板薄弱环节]，)(?:主要是|主要表现在|主要表现为)(?![：:])")
_INTRO_END = re.compile(r"(?:如|主要是|主要表现在|表现为|以下几个方面|加以改进|以下工作|措施|问题|不足|一些问题)$")


@dataclass
class Span:
    start: int
    end: int
    context: str


def part_five_span(report: Report) -> tuple[int, int] | None:
    """(start, end) of part 五 in report.text: the structure's section 5, else found by its title."""
    sec = report.section(5)
    if sec is not None:
        return sec.start, sec.end
    m = FALLBACK.search(report.text)
    if not m:
        return None
    nxt = NEXT_PART.search(report.text, m.end())
    return m.start(), nxt.start() if nxt else len(report.text)


def split_statements(report: Report, span: tuple[int, int] | None = None) -> list[Statement]:
    """The statements of part 五, kind = the default set by headings, topic None, part 5."""
    span = span or part_five_span(report)
    if span is None:
        return []
    return [Statement(report.text[s.start:s.end], s.context, None, s.start, s.end, part=5)
            for s in segment(report.text, *span)]


# A clause outside part 五 that states a shortcoming of the agency's own work ...
SHORTCOMING = re.compile(
    r"存在[^。；;：:]{0,30}?(?:问题|不足|短板|差距|薄弱环节)"
    r"|有待(?:进一步)?(?:加强|提高|提升|完善|改进|拓展|拓宽|规范|优化|增强|深化|丰富)"
    r"|(?:还|仍|尚)(?:不够|有不足|有差距|有欠缺|有一定差距|有待)"
    r"|(?:仍|尚|还)需(?:要)?(?:进一步)?(?:加强|提高|提升|完善|改进|规范|优化|增强|拓展|深化)"
    r"|不足之处|薄弱环节")
# ... unless it reports problems found and fixed, solved or avoided (the problem is the object
# of a verb of work done), problems of others, or names part 五.
NOT_OWN_SHORTCOMING = re.compile(
    r"未(?:出现|发现|发生|存在)|没有(?:出现|发生|存在)"
    r"|(?:发现|整改|督查|督促|检查|排查|巡查|查找|解决|针对|聚焦|防范|避免|杜绝|列入)[^。；;]{0,40}?"
    r"(?:问题|不足|短板|漏洞|差距)"
    r"|(?:问题|不足)[^。；;，,]{0,6}(?:整改|督查|督办|纠正)"
    r"|补短板|补齐短板|堵漏洞"
    r"|(?:群众|公众|申请人|网民|社会)(?:反映|关心|关注|提出)|热点问题|实际问题|重大问题"
    r"|主要问题(?:及|和)改进")


def problems_elsewhere(report: Report, span: tuple[int, int] | None = None) -> list[Statement]:
    """Problem statements outside part 五 (span = part 五, found when not given), kind
    ``problem`` (the default), topic None, part = the number of the section they are in
    (None before part 一)."""
    text = report.text
    span = span or part_five_span(report) or (len(text), len(text))
    out = []
    for lo, hi in ((0, span[0]), (span[1], len(text))):
        for a, b in _clauses(text, lo, hi) if hi > lo else []:
            a, b = _trim(text, a, b)
            clause = text[a:b]
            if b - a < 6 or not SHORTCOMING.search(clause) or NOT_OWN_SHORTCOMING.search(clause):
                continue
            part = next((sec.number for sec in report.sections if sec.start <= a < sec.end), None)
            out.append(Statement(clause, PROBLEM, None, a, b, part=part))
    return out


def report_statements(report: Report) -> list[Statement]:
    """The statements of part 五 and the problems stated elsewhere, in report order."""
    span = part_five_span(report)
    return sorted(split_statements(report, span) + problems_elsewhere(report, span), key=lambda s: s.start)


def segment(text: str, start: int, end: int) -> list[Span]:
    # Skip the part's title (a line of its own, or run together with the first sentence).
    m = TITLE.match(text, start, end)
    if m:
        start = m.end()
    out: list[Span] = []
    context = OTHER
    for a, b in _clauses(text, start, end):
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        clause = text[a:b]
        body = ENUM.sub("", clause, count=1) if ENUM.match(clause) else clause
        body = body.strip(_TRIM_LEFT + _TRIM_RIGHT)
        if not body or not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", body):
            continue
        if HEADING.match(body):
            context = MEASURE if re.search(r"改进|整改|下一步|措施", body) else PROBLEM
            continue
        # An introduction switches the default for itself and what follows.
        if MEASURE_CUE.search(clause):
            context = MEASURE
        elif context == OTHER and PROBLEM_CUE.search(clause):
            context = PROBLEM
        out.append(Span(a, b, context))
    return out


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Raw clause spans: ended by 。；; or a line break, or before an enumeration mark
    that follows a colon or a closing punctuation, or after an introducing colon."""
    cuts = {start, end}
    i = start
    while i < end:
        ch = text[i]
        if ch in _ENDERS:
            cuts.add(i + 1)
        elif ch in "：:":
            after = i + 1
            while after < end and text[after] in " \u3000\xa0":
                after += 1
            before = text[max(start, i - 12):i]
            if ENUM.match(text, after) or _INTRO_END.search(before):
                cuts.add(i + 1)
        i += 1
    for m in _LEAD_IN.finditer(text, start, end):
        cuts.add(m.end())
    # An enumeration mark in the middle (after 。；：or at a line start) starts a new clause.
    for m in ENUM.finditer(text, start, end):
        p = m.start()
        if p == start:
            continue
        prev = text[p - 1]
        if (prev in "。；;：:\n \u3000\xa0" or prev in "，," and m.group().endswith("是")) \
                and not _in_number(text, p):
            cuts.add(p)
    pts = sorted(c for c in cuts if start <= c <= end)
    return [(a, b) for a, b in zip(pts, pts[1:]) if b > a]


def _in_number(text: str, p: int) -> bool:
    return p > 0 and text[p - 1].isdigit()


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _TRIM_LEFT:
        a += 1
    while b > a and text[b - 1] in _TRIM_RIGHT:
        b -= 1
    return a, b
