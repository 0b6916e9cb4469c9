"""Plain text -> lines with their offsets in the report text."""

from __future__ import annotations

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
