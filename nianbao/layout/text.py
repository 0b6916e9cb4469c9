"""Page lines -> the report's text: reading order, running headers and footers and page
numbers dropped, prose paragraphs joined across line wraps and page breaks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nianbao.layout.objects import PageLine
from nianbao.readers.text import Line

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·.]*(第\s*)?[\d一二三四五六七八九十]+(\s*页)?(\s*[/／]\s*\d+)?(\s*共\s*\d+\s*页)?[\s\-—–_·.]*$")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．]|第[一二三四五六七八九十]+)")
_END_PUNCT = "。；：！？”」』）》"
MARGIN_SHARE = 0.1  # top and bottom tenth of a page: where running headers and footers live


@dataclass(frozen=True)
class PageGeometry:
    number: int
    width: float
    height: float


def _in_margin(line: PageLine, page: PageGeometry) -> bool:
    return line.bottom < page.height * MARGIN_SHARE or line.top > page.height * (1 - MARGIN_SHARE)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_running_lines(pages: list[tuple[PageGeometry, list[PageLine]]]) -> list[tuple[PageGeometry, list[PageLine]]]:
    """Remove page numbers, and header/footer lines repeated on several pages."""
    shapes = Counter()
    for geo, lines in pages:
        for ln in {_shape(ln.text) for ln in lines if _in_margin(ln, geo)}:
            shapes[ln] += 1
    repeated = {s for s, n in shapes.items() if n >= 2 and n >= 0.5 * len(pages) and len(pages) > 1}
    out = []
    for geo, lines in pages:
        kept = []
        for ln in lines:
            if _in_margin(ln, geo) and (_PAGE_NUMBER.match(ln.text) or _shape(ln.text) in repeated):
                continue
            kept.append(ln)
        out.append((geo, kept))
    return out


def _body_edges(pages: list[tuple[PageGeometry, list[PageLine]]]) -> tuple[float, float]:
    xs0, xs1 = [], []
    for _, lines in pages:
        for ln in lines:
            if len(ln.words) == 1 and len(ln.text) >= 10:
                xs0.append(ln.x0)
                xs1.append(ln.x1)
    if not xs0:
        return 0.0, float("inf")
    xs0.sort()
    xs1.sort()
    return xs0[len(xs0) // 10], xs1[(len(xs1) * 9) // 10]


def _continues(prev: PageLine, line: PageLine, left: float, right: float, page_break: bool) -> bool:
    """Does `line` continue the prose paragraph that `prev` wrapped out of?"""
    if len(prev.words) != 1 or len(line.words) != 1:
        return False
    size = max(prev.size, 1.0)
    if prev.x1 < right - 2.0 * size:  # the previous line stopped short: paragraph end
        return False
    if line.x0 > left + 1.0 * size:  # indented: a new paragraph
        return False
    if prev.text.rstrip()[-1:] in _END_PUNCT and prev.x1 < right - 0.5 * size:
        return False
    if _HEADING_START.match(line.text):
        return False
    if not page_break and line.top - prev.bottom > 1.2 * size:
        return False
    return abs(line.size - prev.size) <= 0.2 * size


def assemble(pages: list[tuple[PageGeometry, list[PageLine]]]) -> tuple[str, list[Line]]:
    """The text of the document and its lines; every Line keeps the page lines it was made of."""
    pages = drop_running_lines(pages)
    left, right = _body_edges(pages)
    groups: list[list[PageLine]] = []
    prev: PageLine | None = None
    for _, lines in pages:
        for i, ln in enumerate(lines):
            if prev is not None and groups and _continues(prev, ln, left, right, page_break=(i == 0)):
                groups[-1].append(ln)
            else:
                groups.append([ln])
            prev = ln
    text_parts: list[str] = []
    out: list[Line] = []
    pos = 0
    for n, group in enumerate(groups, start=1):
        line_text = "".join(pl.text for pl in group)
        out.append(Line(n, pos, line_text, group[0].page, tuple(group)))
        text_parts.append(line_text)
        pos += len(line_text) + 1
    return "\n".join(text_parts), out
