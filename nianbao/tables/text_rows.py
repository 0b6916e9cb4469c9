"""Flat text of a table region -> rows of cell tokens with their offsets.

Two export styles occur, often mixed in one file:

* one row per line, cells separated by TAB (rows may be split across lines);
* one cell per line: a line starting with TAB opens a cell, a line without
  the leading TAB continues the previous cell (商业 / 企业), a blank line ends
  the row.

Inside a cell, a run of two or more spaces also separates cells
("四、结转下年度继续办理        0").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.readers.text import Line
from nianbao.tables.values import is_number

_WIDE_GAP = re.compile(r"[ \u3000\u00a0]{2,}")


@dataclass
class Token:
    text: str
    start: int  # offset in Report.text (-1 when the token is not in the text)
    line: int
    page: int | None = None
    bbox: list[float] | None = None  # PDF points, origin top-left, where the input has pages
    path: str | None = None  # element path in structured inputs (DOCX, HTML)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class TextRow:
    tokens: list[Token] = field(default_factory=list)

    @property
    def line(self) -> int | None:
        return self.tokens[0].line if self.tokens else None

    def labels(self) -> list[Token]:
        return [t for t in self.tokens if t.stripped and not is_number(t.text)]

    def numbers(self) -> list[Token]:
        return [t for t in self.tokens if t.stripped and is_number(t.text)]

    def label_text(self) -> str:
        return "".join(t.stripped for t in self.labels())

    def value_slots(self) -> list[Token]:
        """Tokens after the last label: the cells that hold this row's values."""
        idx = -1
        for i, t in enumerate(self.tokens):
            if t.stripped and not is_number(t.text):
                idx = i
        return self.tokens[idx + 1:]

    def text(self) -> str:
        return " | ".join(t.stripped for t in self.tokens)


def _cell_token(text: str, start: int, line: Line) -> list[Token]:
    """One cell, split further at wide gaps; offsets point at the stripped text."""
    out: list[Token] = []
    if not text.strip():
        return [Token("", start, line.number, line.page)]
    pos = 0
    for piece in _WIDE_GAP.split(text):
        idx = text.find(piece, pos)
        pos = idx + len(piece)
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        if stripped:
            out.append(Token(stripped, start + idx + lead, line.number, line.page))
    return out or [Token("", start, line.number, line.page)]


def rows_from_lines(lines: list[Line]) -> list[TextRow]:
    rows: list[TextRow] = []
    current: TextRow | None = None  # a row being assembled cell by cell

    def flush():
        nonlocal current
        if current is not None and any(t.stripped for t in current.tokens):
            rows.append(current)
        current = None

    for line in lines:
        text = line.text
        if not text.strip() and not text.startswith("\t"):
            # A blank line ends a one-cell-per-line row; tab rows are single lines anyway.
            flush()
            continue
        body = text[1:] if text.startswith("\t") else text
        if text.startswith("\t") and "\t" not in body:
            # one cell per line
            if current is None:
                current = TextRow()
            current.tokens.extend(_cell_token(body, line.start + 1, line))
            continue
        if "\t" in text:
            flush()
            row = TextRow()
            pos = 0
            parts = text.split("\t")
            # One TAB at the very end of a row line is how exporters end lines, not an empty cell.
            if len(parts) > 1 and not parts[-1].strip():
                parts = parts[:-1]
            for part in parts:
                row.tokens.extend(_cell_token(part, line.start + pos, line))
                pos += len(part) + 1
            rows.append(row)
            continue
        # A line without tabs.
        if current is not None and current.tokens:
            last = current.tokens[-1]
            stripped = text.strip()
            if last.stripped and not is_number(last.text) and not is_number(stripped):
                # continuation of the previous cell (商业 / 企业); offsets keep the first part
                last.text = last.text + stripped
                continue
            current.tokens.extend(_cell_token(text, line.start, line))
            continue
        flush()
        row = TextRow(_cell_token(text, line.start, line))
        rows.append(row)
    flush()
    return rows
