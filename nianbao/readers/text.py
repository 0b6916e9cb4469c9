"""Plain text -> lines with their offsets in the report text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the report text
    start: int  # offset of the first character in Report.text
    text: str
    page: int | None = None
    # For positioned inputs: the page lines (nianbao.layout.objects.PageLine) this line joins.
    parts: tuple[Any, ...] = ()
    # For native grids (DOCX, HTML): the cells of the table row this line shows, as
    # nianbao.tables.text_rows.Token with their element path.
    cells: tuple[Any, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def normalize_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Vertical tabs and form feeds separate pages or cells in some exports.
    return text.replace("\x0b", "\n").replace("\x0c", "\n").lstrip("\ufeff")


def split_lines(text: str, page_starts: list[int] | None = None) -> list[Line]:
    """Split `text` into lines.  `page_starts` are offsets where pages begin (1-based pages)."""
    lines: list[Line] = []
    pos = 0
    page_idx = 0
    for i, chunk in enumerate(text.split("\n"), start=1):
        page = None
        if page_starts:
            while page_idx + 1 < len(page_starts) and pos >= page_starts[page_idx + 1]:
                page_idx += 1
            page = page_idx + 1
        lines.append(Line(i, pos, chunk, page))
        pos += len(chunk) + 1
    return lines


# A part heading inside a long line of run-together text (crawled pages lose their line breaks).
_INLINE_HEADING = re.compile(
    r"[一二三四五六]\s*[、.．]\s*(?=(?:政府信息公开工作)?(?:总体情况|主动公开政府信息|收到和处理政府信息公开申请|"
    r"(?:因)?政府信息公开(?:申请)?(?:引起的)?行政(?:法)?复议|(?:政府信息公开工作)?存在的(?:主要)?问题|"
    r"其他需要报告的事项))")
INLINE_MIN_LENGTH = 200


def split_at_inline_headings(lines: list[Line]) -> list[Line]:
    """Cut long lines where a part heading starts inside them; offsets stay those of the text."""
    out: list[Line] = []
    for line in lines:
        if len(line.text) < INLINE_MIN_LENGTH:
            out.append(line)
            continue
        cuts = [m.start() for m in _INLINE_HEADING.finditer(line.text) if m.start() > 0]
        if not cuts:
            out.append(line)
            continue
        bounds = [0] + cuts + [len(line.text)]
        for a, b in zip(bounds, bounds[1:]):
            if b > a:
                out.append(Line(line.number, line.start + a, line.text[a:b], line.page))
    return out
