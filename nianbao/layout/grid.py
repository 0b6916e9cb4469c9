"""Positioned words of a table region -> rows of cells, by geometry.

Rows: every line of numbers is a row.  Label words join the row they share a
ruled cell band with (the horizontal rules above and below the word), or, where
the table has no rules, the nearest row of numbers.  Labels broken over two or
three lines, numbers sitting on the middle line of a wrapped label, and a vertical
one-character-per-line group label all end up on the right row.

Columns: the boxes of the numbers in one column overlap horizontally; the
columns are the clusters of overlapping number boxes over the whole table (all
its pages).  A number goes to the column its box overlaps, never by its position
in the line, so an empty cell stays an empty slot of its column.

A table continued on the next page is stitched by taking the rows page after page;
a repeated header is a row of labels only, which the canonical mapping skips.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.layout.objects import Edge, Word
from nianbao.tables.text_rows import TextRow, Token
from nianbao.tables.values import parse_number


@dataclass
class _Anchor:
    page: int
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Column:
    x0: float
    x1: float


def is_numeric(word: Word) -> bool:
    return parse_number(word.text) is not None


def _anchors(numbers: list[Word]) -> list[_Anchor]:
    rows: list[_Anchor] = []
    for w in sorted(numbers, key=lambda w: (w.page, w.yc, w.x0)):
        h = max(w.bottom - w.top, 1.0)
        if rows and rows[-1].page == w.page and abs(w.yc - rows[-1].yc) <= 0.5 * h:
            rows[-1].words.append(w)
        else:
            rows.append(_Anchor(w.page, [w]))
    return rows


def value_columns(numbers: list[Word], pad: float = 0.5) -> list[_Column]:
    cols: list[_Column] = []
    for w in sorted(numbers, key=lambda w: w.x0):
        if cols and w.x0 <= cols[-1].x1 + pad:
            cols[-1].x1 = max(cols[-1].x1, w.x1)
        else:
            cols.append(_Column(w.x0, w.x1))
    return cols


def _with_header_columns(cols: list[_Column], labels: list[Word], anchors: list[_Anchor],
                         value_x0: float) -> list[_Column]:
    """Add the columns that header cells show but where no row prints a number (all blank).

    Header words above the numbers are grouped into header cells by horizontal overlap
    (a label wrapped over two lines is one cell); words spanning several columns
    (法人或其他组织) are left out.  A header cell over no column of numbers is a column
    whose every cell is empty.
    """
    first_top: dict[int, float] = {}
    for a in anchors:
        first_top.setdefault(a.page, a.top)

    def overlaps(w: Word | _Column, c: _Column) -> bool:
        return w.x0 < c.x1 and w.x1 > c.x0

    header = [w for w in labels
              if w.x0 >= value_x0 - 1.0 and w.page in first_top and w.bottom <= first_top[w.page] + 1.0
              and sum(1 for c in cols if overlaps(w, c)) <= 1]
    if not header:
        return cols
    new = [h for h in value_columns(header) if not any(overlaps(h, c) for c in cols)]
    return sorted(cols + new, key=lambda c: c.x0) if new else cols


def _band(word: Word, hedges: list[Edge]) -> tuple[float, float] | None:
    """The horizontal rules just above and below a word, among those spanning its centre."""
    above, below = None, None
    tol = 1.0
    for e in hedges:
        if not (e.x0 - tol <= word.xc <= e.x1 + tol):
            continue
        if e.top <= word.top + tol and (above is None or e.top > above):
            above = e.top
        if e.top >= word.bottom - tol and (below is None or e.top < below):
            below = e.top
    if above is None or below is None:
        return None
    return above, below


def _token(word: Word, starts: dict[int, tuple[int, int]]) -> Token:
    start, line = starts.get(id(word), (None, None))
    return Token(word.text, start if start is not None else -1, line or 0, word.page, word.bbox)


def _lines_of(words: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.page, w.yc, w.x0)):
        h = max(w.bottom - w.top, 1.0)
        if lines and lines[-1][0].page == w.page and abs(lines[-1][0].yc - w.yc) <= 0.5 * h:
            lines[-1].append(w)
        else:
            lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def table_rows(words: list[Word], edges: dict[int, list[Edge]],
               starts: dict[int, tuple[int, int]] | None = None) -> list[TextRow]:
    """Rows of cells for one table region; `starts` maps id(word) -> (offset in text, line)."""
    starts = starts or {}
    numbers = [w for w in words if is_numeric(w)]
    labels = [w for w in words if not is_numeric(w)]
    anchors = _anchors(numbers)
    if not anchors:
        return [TextRow([_token(w, starts) for w in line]) for line in _lines_of(labels)]
    # Columns come from printed digits; dashes and 无 ("none") are placed by overlap only.
    cols = value_columns([w for w in numbers if not parse_number(w.text).none_mark] or numbers)
    value_x0 = cols[0].x0
    cols = _with_header_columns(cols, labels, anchors, value_x0)
    hedges = {p: [e for e in es if e.orientation == "h"] for p, es in edges.items()}
    attached: dict[int, list[Word]] = {i: [] for i in range(len(anchors))}
    loose: list[Word] = []
    for w in labels:
        if w.x1 > value_x0 + 1.0:
            # text among the value columns (headers, notes) never labels a row of numbers
            loose.append(w)
            continue
        candidates = [i for i, a in enumerate(anchors) if a.page == w.page]
        if not candidates:
            loose.append(w)
            continue
        band = _band(w, hedges.get(w.page, []))
        if band is not None:
            inside = [i for i in candidates if band[0] - 1 <= anchors[i].yc <= band[1] + 1]
            if inside:
                attached[min(inside, key=lambda i: abs(anchors[i].yc - w.yc))].append(w)
            else:
                loose.append(w)
            continue
        nearest = min(candidates, key=lambda i: abs(anchors[i].yc - w.yc))
        h = max(w.bottom - w.top, anchors[nearest].bottom - anchors[nearest].top, 1.0)
        if abs(anchors[nearest].yc - w.yc) <= 1.2 * h:
            attached[nearest].append(w)
        else:
            loose.append(w)

    items: list[tuple[int, float, TextRow]] = []
    for i, a in enumerate(anchors):
        row = TextRow()
        for w in sorted(attached[i], key=lambda w: (w.top // 2, w.x0)):
            row.tokens.append(_token(w, starts))
        for c in cols:
            inside = [w for w in a.words if w.x0 < c.x1 + 0.5 and w.x1 > c.x0 - 0.5]
            if inside:
                inside.sort(key=lambda w: w.x0)
                if len(inside) == 1:
                    row.tokens.append(_token(inside[0], starts))
                else:  # digits of one number drawn apart inside one column
                    merged = Word([ch for w in inside for ch in w.chars], a.page)
                    row.tokens.append(Token(merged.text, -1, 0, a.page, merged.bbox))
            else:
                row.tokens.append(Token("", -1, 0, a.page,
                                        [round(c.x0, 2), round(a.top, 2), round(c.x1, 2), round(a.bottom, 2)]))
        items.append((a.page, a.yc, row))
    for line in _lines_of(loose):
        items.append((line[0].page, line[0].yc, TextRow([_token(w, starts) for w in line])))
    items.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in items]
