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
    joined: bool = False  # the digits of several cells printed without separators
    # A label joined to its row by nearness only (no rules): -1 from the line above, +1 below.
    offline: int = 0
    # Read by OCR: the lowest character confidence (0..1); None for printed text.
    confidence: float | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class TextRow:
    tokens: list[Token] = field(default_factory=list)
    # Cut out of text whose cells were run together (label text, then a run of digits).
    flat: bool = False

    @property
    def line(self) -> int | None:
        return self.tokens[0].line if self.tokens else None

    def labels(self) -> list[Token]:
        return [t for t in self.tokens if t.stripped and not t.joined and not is_number(t.text)]

    def numbers(self) -> list[Token]:
        return [t for t in self.tokens if t.stripped and (t.joined or is_number(t.text))]

    def label_text(self) -> str:
        return "".join(t.stripped for t in self.labels())

    def value_slots(self) -> list[Token]:
        """Tokens after the last label: the cells that hold this row's values.

        The empty covers of a merged cell (same element path as the token before) are
        one cell, not several.
        """
        idx = -1
        for i, t in enumerate(self.tokens):
            if t.stripped and not t.joined and not is_number(t.text):
                idx = i
        slots: list[Token] = []
        for i in range(idx + 1, len(self.tokens)):
            t = self.tokens[i]
            if not t.stripped and t.path and i > 0 and self.tokens[i - 1].path == t.path:
                continue
            slots.append(t)
        return slots

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


# Text whose table cells were run together: a CJK label immediately followed by digits.
_GLUED = re.compile(r"[\u4e00-\u9fff）)”」](?=\d)")
_RUN = re.compile(r"[+-]?\d+(?:(?:[ .]|[+-])\d+)*")
_ENUM_NEXT = re.compile(r"[.．、](?=\s*[\u4e00-\u9fff“\"])")
FLAT_MIN_LENGTH = 60
FLAT_MIN_GLUES = 1


def is_flat(text: str) -> bool:
    """A long line without separators in which labels and numbers run into each other."""
    return len(text) >= FLAT_MIN_LENGTH and "\t" not in text and len(_GLUED.findall(text)) >= FLAT_MIN_GLUES


def flat_rows(line: Line) -> list[TextRow]:
    """Cut a run-together line into rows: the label text, then the run of digits after it.

    The item number of the next label sticks to the end of a run ("00000002.其他法律…"
    is 0000000 and "2."); a short number right before "." and a label is that label's
    item number ("（三）不予公开1.属于国家秘密").
    """
    text = line.text
    rows: list[TextRow] = []
    label_from = 0
    for m in _RUN.finditer(text):
        start, end = m.span()
        run = m.group()
        if _ENUM_NEXT.match(text, end):
            digits = run.replace(" ", "").replace(".", "")
            if len(digits) <= 2:
                continue  # an item number: part of the label text
            end -= 1
            run = text[start:end]
        raw_label = text[label_from:start]
        label = raw_label.strip()
        label_at = line.start + label_from + (len(raw_label) - len(raw_label.lstrip()))
        label_from = end
        if not label and rows:
            # digits after digits (a space inside the run): the same row goes on
            rows[-1].tokens[-1] = Token(text[rows[-1].tokens[-1].start - line.start:end],
                                        rows[-1].tokens[-1].start, line.number, line.page, joined=True)
            continue
        rows.append(TextRow([Token(label, label_at, line.number, line.page),
                             Token(run, line.start + start, line.number, line.page, joined=True)],
                            flat=True))
    tail = text[label_from:].strip()
    if tail:
        rows.append(TextRow([Token(tail, line.start + label_from, line.number, line.page)], flat=True))
    return rows


def split_run(token: Token, width: int, kinds: list[str], limit: int = 20000) -> list[list[Token]]:
    """Every way to read a run of digits as `width` numbers, for columns of the given kinds.

    A space inside the run always separates two numbers, and so does a sign, which
    belongs to the number after it (only in a signed column); a number has no leading
    zero (but may be 0); a decimal point stays inside a number, and only in a column of
    amounts.
    """
    text = token.text
    chunks: list[tuple[int, str]] = []
    for m in re.finditer(r"[+-]?[^ +-]+", text):
        chunks.append((m.start(), m.group()))
    out: list[list[Token]] = []

    def valid(part: str, col: int) -> bool:
        kind = kinds[col]
        sign = part[0] in "+-"
        body = part[1:] if sign else part
        if not body or (sign and kind != "signed"):
            return False
        if body.startswith(".") or body.endswith(".") or body.count(".") > (1 if kind == "amount" else 0):
            return False
        return body == "0" or not body.startswith("0") or body.startswith("0.")

    def parts_of(chunk: str, offset: int, n: int, col: int) -> list[list[tuple[int, str]]]:
        if n == 1:
            return [[(offset, chunk)]] if valid(chunk, col) else []
        res = []
        for cut in range(1, len(chunk)):
            head = chunk[:cut]
            if not valid(head, col):
                continue
            for rest in parts_of(chunk[cut:], offset + cut, n - 1, col + 1):
                res.append([(offset, head)] + rest)
                if len(res) > limit:
                    return res
        return res

    def walk(ci: int, col: int, acc: list[tuple[int, str]]) -> None:
        if len(out) > limit:
            return
        if ci == len(chunks):
            if col == width:
                out.append([Token(t, token.start + o, token.line, token.page) for o, t in acc])
            return
        offset, chunk = chunks[ci]
        remaining_chunks = len(chunks) - ci - 1
        max_here = min(len(chunk), width - col - remaining_chunks)
        for n in range(1, max_here + 1):
            for parts in parts_of(chunk, offset, n, col):
                walk(ci + 1, col + n, acc + parts)

    if width == len(kinds):
        walk(0, 0, [])
    return out


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
        if is_flat(text):
            flush()
            rows.extend(flat_rows(line))
            continue
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
