"""Lines -> the six parts (sections) and the report's metadata."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nianbao.model import Meta, Section
from nianbao.readers.text import Line
from nianbao.template.formats import PARTS, Part
from nianbao.template.labels import core, fold_width, to_simplified

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TOP_NUMBER = re.compile(r"^\s*(?:([一二三四五六七八九])|(\d))\s*[、.．,，]")
_PAREN_NUMBER = re.compile(r"^\s*[（(]\s*[一二三四五六七八九\d]+\s*[)）]")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MAX_HEADING = 60


@dataclass(frozen=True)
class _Candidate:
    line: Line
    part: Part
    quality: float


def _heading_candidates(lines: list[Line]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for line in lines:
        raw = _BOOKMARK.sub("", fold_width(line.text)).strip()
        if not raw:
            continue
        top = _TOP_NUMBER.match(raw)
        paren = _PAREN_NUMBER.match(raw)
        if len(raw) > _MAX_HEADING and not top:
            continue
        c = core(raw)
        for part in PARTS:
            if not any(re.match(p, c) for p in part.patterns):
                continue
            if top:
                n = _CN_NUM.get(top.group(1)) if top.group(1) else int(top.group(2))
                quality = 3.0 if n == part.number else 2.0
            elif paren:
                quality = 0.5
            else:
                quality = 1.0
            # A heading line carries little else; long lines are sentences.
            if len(raw) > _MAX_HEADING:
                quality -= 1.0
            out.append(_Candidate(line, part, quality))
            break
    return out


def find_sections(lines: list[Line], text_length: int) -> list[Section]:
    """The parts in order: the increasing sequence of headings with the best total quality."""
    cands = _heading_candidates(lines)
    # DP over candidates in text order; parts must strictly increase.
    best: list[tuple[float, int]] = []  # (score, previous index)
    for i, c in enumerate(cands):
        score, prev = c.quality, -1
        for j in range(i):
            if cands[j].part.number < c.part.number and cands[j].line.start < c.line.start:
                s = best[j][0] + c.quality
                if s > score:
                    score, prev = s, j
        best.append((score, prev))
    if not best:
        return []
    i = max(range(len(best)), key=lambda k: (best[k][0], -k))
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = best[i][1]
    chain.reverse()
    sections = []
    for k, c in enumerate(chain):
        end = chain[k + 1].line.start if k + 1 < len(chain) else text_length
        sections.append(Section(number=c.part.number, title=c.part.title, start=c.line.start, end=end))
    return sections


# --- metadata --------------------------------------------------------------------

_REPORT_WORDS = re.compile(
    r"(政府)?(信息公开|政务公开)(工作)?(的)?(\d{4}\s*年度?)?(工作)?(年度)?(报告|年报)")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_CN_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3",
                   "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
# "发布时间: 2022-02-08 16:34" in the header of a saved web page
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|成文日期|公开日期|日期)\s*[:：]\s*")
_FIELD_PREFIX = re.compile(r"^\s*[^:：\s]{1,6}\s*[:：]\s*")
# Who the report is by, when no title says it: 由X编制 / 汇总X各有关单位 / 请与X联系.
_AUTHOR_SENTENCES = (
    re.compile(r"由(.{2,40}?)(?:负责)?(?:编制|编写|制作|起草)"),
    re.compile(r"汇总(.{2,30}?)(?:各有关|各|所属|下属)(?:单位|部门)"),
    re.compile(r"请与(.{2,30}?)联系"),
)
_PERIOD = re.compile(r"(?:统计|数据)[^。]{0,12}(?:时限|期限|时间)[^。]{0,6}?((?:19|20)\d\d)\s*年")
_AGENCY_END = re.compile(
    r"(人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理委员会|局|委|办|厅|院|署|中心|"
    r"街道办事处|街道|镇|乡|区|县|市|旗|州|盟|省|自治区|所|站|队|会|部|处|馆|社)$")
_REGION = re.compile(
    r"^((?:[^省市]{2,8}省)?(?:[^省]{2,9}?(?:自治区|特别行政区))?"
    r"(?:[^省市县区]{1,9}?(?:市|地区|自治州|州|盟))?"
    r"(?:[^省市县区]{1,9}?(?:区|县|旗|市))?)")


def _cn_small(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM.get(s[1], 0)
    if s.endswith("十"):
        return _CN_NUM.get(s[0], 0) * 10
    if "十" in s:
        a, b = s.split("十")
        return _CN_NUM.get(a, 0) * 10 + _CN_NUM.get(b, 0)
    return _CN_NUM.get(s, 0)


def parse_date(text: str) -> str | None:
    m = _DATE.search(text) or _ISO_DATE.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _CN_DATE.search(text)
        if not m:
            return None
        y = int("".join(_CN_YEAR_DIGITS.get(ch, "0") for ch in m.group(1)))
        mo, d = _cn_small(m.group(2)), _cn_small(m.group(3))
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _title_lines(lines: list[Line], first_section_start: int) -> list[str]:
    out = []
    for line in lines:
        if line.start >= first_section_start:
            break
        t = _BOOKMARK.sub("", line.text).strip()
        if not t:
            continue
        out.append(t)
        if "报告" in t or "年报" in t or len(out) >= 3:
            break
    return out


def _agency_from_title(title: str) -> str | None:
    t = _FIELD_PREFIX.sub("", fold_width(title))  # "标题: …" in a saved page's header
    t = re.sub(r"\s+", "", t)
    t = _REPORT_WORDS.sub("", t)
    t = re.sub(r"(19|20)\d\d年度?", "", t)
    t = t.strip("：:　 《》<>\"“”")
    if 2 <= len(t) <= 40 and _AGENCY_END.search(t):
        return t
    return None


def _signature(lines: list[Line]) -> tuple[str | None, str | None]:
    """(agency, date) from the signature block at the end, if there is one."""
    tail = [ln for ln in lines if ln.text.strip()][-6:]
    date, agency = None, None
    for i in range(len(tail) - 1, -1, -1):
        t = fold_width(tail[i].text).strip()
        if date is None and len(t) <= 20:
            date = parse_date(t)
            if date:
                for j in range(i - 1, max(-1, i - 3), -1):
                    cand = re.sub(r"\s+", "", fold_width(tail[j].text))
                    if 2 <= len(cand) <= 30 and _AGENCY_END.search(cand) and "。" not in cand:
                        agency = cand
                        break
                break
    return agency, date


def _labelled_date(lines: list[Line]) -> str | None:
    for line in lines:
        m = _LABELLED_DATE.search(fold_width(line.text))
        if m:
            d = parse_date(fold_width(line.text)[m.end():m.end() + 24])
            if d:
                return d
    return None


def region_of(agency: str | None) -> str | None:
    """The administrative place an agency name begins with (鄂尔多斯市交通运输局 -> 鄂尔多斯市)."""
    if not agency:
        return None
    m = _REGION.match(agency)
    region = m.group(1) if m else ""
    if not region or region == agency and not re.search(r"(市|县|区|旗)$", agency):
        return None
    return region


def extract_meta(lines: list[Line], text: str, sections: list[Section]) -> Meta:
    first = sections[0].start if sections else len(text)
    title_lines = _title_lines(lines, first)
    title = "".join(title_lines) if title_lines else None
    agency = None
    for t in ([title] if title else []) + title_lines:
        agency = _agency_from_title(t)
        if agency:
            break
    intro = text[: sections[1].start if len(sections) > 1 else min(len(text), 3000)]
    sig_agency, published = _signature(lines)
    intro_s = to_simplified(fold_width(intro))
    for pattern in _AUTHOR_SENTENCES[:2]:
        m = None if agency else pattern.search(intro_s)
        if m and _AGENCY_END.search(m.group(1).strip()):
            agency = m.group(1).strip()
    if not agency:
        agency = sig_agency
    m = None if agency else _AUTHOR_SENTENCES[2].search(intro_s)
    if m and _AGENCY_END.search(m.group(1).strip()):
        agency = m.group(1).strip()
    if published is None:
        published = _labelled_date(lines[:15])

    year = None
    for src in (title or "", intro):
        m = _YEAR.search(fold_width(src)) if src is title else _PERIOD.search(fold_width(src))
        if m:
            year = int(m.group(1))
            break
    if year is None:
        m = _YEAR.search(fold_width(intro))
        if m:
            year = int(m.group(1))
    if year is None and published:
        year = int(published[:4]) - 1
    return Meta(agency=agency, region=region_of(agency), year=year, published=published, title=title)
