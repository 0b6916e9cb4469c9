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

from nianbao.layout.objects import Bounded, Edge, Word
from nianbao.tables.text_rows import TextRow, Token
from nianbao.tables.values import parse_number


# A ruled band this many number-heights high or less is one row's cell, not a frame around rows.
BAND_MAX_LINES = 25.0


@dataclass
class _Anchor(Bounded):
    """The numbers of one table row on one page."""

    page: int
    words: list[Word]

    def members(self) -> list[Word]:
        return self.words


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


def _merge_within_bands(anchors: list[_Anchor], hedges: dict[int, list[Edge]]) -> list[_Anchor]:
    """One ruled row whose numbers sit on two lines (a cell padded with empty paragraphs puts
    its number a line above or below the others) is one row: consecutive number lines between
    the same two horizontal rules, no more than a tall wrapped label high, whose numbers
    never share a column."""
    groups: list[tuple[tuple[float, float] | None, list[_Anchor]]] = []
    for a in anchors:
        rules = hedges.get(a.page, [])
        band = _band(a.words[0], rules)
        if band is not None and any(_band(w, rules) != band for w in a.words[1:]):
            band = None
        if (groups and band is not None and groups[-1][0] == band and groups[-1][1][-1].page == a.page
                and band[1] - band[0] <= BAND_MAX_LINES * max(w.bottom - w.top for w in a.words)):
            groups[-1][1].append(a)
        else:
            groups.append((band, [a]))
    out: list[_Anchor] = []
    for _, group in groups:
        words = [w for a in group for w in a.words]
        disjoint = all(not (u.x0 < w.x1 and w.x0 < u.x1) for i, u in enumerate(words) for w in words[i + 1:])
        if len(group) > 1 and disjoint:
            out.append(_Anchor(group[0].page, words))
        else:
            out.extend(group)
    return out


def value_columns(numbers: list[Word], pad: float = 0.5) -> list[_Column]:
    cols: list[_Column] = []
    for w in sorted(numbers, key=lambda w: w.x0):
        if cols and w.x0 <= cols[-1].x1 + pad:
            cols[-1].x1 = max(cols[-1].x1, w.x1)
        else:
            cols.append(_Column(w.x0, w.x1))
    return cols


def _with_header_columns(cols: list[_Column], header: list[Word], first: _Anchor) -> list[_Column]:
    """Add the columns that header cells show but where no row prints a number (all blank).

    A header word above the numbers that lies over no column of numbers marks a column
    whose every cell is empty; the words of one such cell on several lines (结果 / 纠正)
    are one column.
    """
    def overlaps(w: Word | _Column, c: _Column) -> bool:
        return w.x0 < c.x1 and w.x1 > c.x0

    header = [w for w in header if w.page == first.page]
    if not header:
        return cols
    # Header cells over no column of numbers, line by line, so that a group heading on
    # one line (行政复议 over five columns) cannot swallow the cells of the line below;
    # but the second line of a wrapped header cell (商业企 / 业) is no column of its own.
    centres = [(c.x0 + c.x1) / 2 for c in cols]
    steps = sorted(b - a for a, b in zip(centres, centres[1:]))
    pitch = steps[len(steps) // 2] if steps else float("inf")
    single = [w for w in header if sum(1 for c in cols if overlaps(w, c)) == 1
              and w.x1 - w.x0 <= 1.1 * pitch]
    candidates = [w for line in _lines_of(header) for w in line
                  if not any(overlaps(w, c) for c in cols)
                  and not any(w.x0 < o.x1 and w.x1 > o.x0 for o in single)]
    if not candidates:
        return cols
    new = [h for h in value_columns(candidates) if not any(overlaps(h, c) for c in cols)]
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


def _confidence(word: Word) -> float | None:
    values = [c.confidence for c in word.chars if hasattr(c, "confidence")]
    return min(values) if values else None


def _token(word: Word, starts: dict[int, tuple[int, int]], offline: int = 0) -> Token:
    start, line = starts.get(id(word), (None, None))
    return Token(word.text, start if start is not None else -1, line or 0, word.page, word.bbox,
                 offline=offline, confidence=_confidence(word))


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


def _segments(anchors: list[_Anchor], headers: list[Word]) -> list[list[int]]:
    """Runs of consecutive number rows not separated by a header line (one block of columns)."""
    def between(w: Word, prev: _Anchor | None, a: _Anchor) -> bool:
        after_prev = prev is None or (w.page, w.yc) > (prev.page, prev.bottom)
        return after_prev and (w.page, w.yc) < (a.page, a.top)

    segments: list[list[int]] = []
    for i, a in enumerate(anchors):
        prev = anchors[i - 1] if i else None
        if not segments or any(between(w, prev, a) for w in headers):
            segments.append([i])
        else:
            segments[-1].append(i)
    return segments


def _ruled_slots(a: _Anchor, vedges: list[Edge], label_x1: float) -> list[tuple[float, float, list[Word]]] | None:
    """The row's value cells from the vertical rules crossing it, or None if rules do not settle them."""
    xs: list[float] = []
    for e in sorted(vedges, key=lambda e: e.x0):
        if e.top - 1 <= a.yc <= e.bottom + 1 and e.x0 >= label_x1 - 1.0:
            if not xs or e.x0 - xs[-1] > 2.0:
                xs.append(e.x0)
    if len(xs) < 3:
        return None
    cells = [(x0, x1, []) for x0, x1 in zip(xs, xs[1:])]
    for w in a.words:
        home = [c for c in cells if c[0] - 0.5 <= w.xc <= c[1] + 0.5]
        if len(home) != 1 or home[0][2]:
            return None
        home[0][2].append(w)
    return cells


def _box(x0: float, top: float, x1: float, bottom: float) -> list[float]:
    return [round(float(v), 2) for v in (x0, top, x1, bottom)]


def _slot_token(words: list[Word], page: int, box: list[float], starts) -> Token:
    if not words:
        return Token("", -1, 0, page, box)
    if len(words) == 1:
        return _token(words[0], starts)
    merged = Word([ch for w in sorted(words, key=lambda w: w.x0) for ch in w.chars], page)
    # digits of one number drawn apart
    return Token(merged.text, -1, 0, page, merged.bbox, confidence=_confidence(merged))


def table_rows(words: list[Word], edges: dict[int, list[Edge]],
               starts: dict[int, tuple[int, int]] | None = None) -> list[TextRow]:
    """Rows of cells for one table region; `starts` maps id(word) -> (offset in text, line)."""
    starts = starts or {}
    numbers = [w for w in words if is_numeric(w)]
    labels = [w for w in words if not is_numeric(w)]
    hedges = {p: [e for e in es if e.orientation == "h"] for p, es in edges.items()}
    anchors = _merge_within_bands(_anchors(numbers), hedges)
    if not anchors:
        return [TextRow([_token(w, starts) for w in line]) for line in _lines_of(labels)]
    digits = [w for w in numbers if not parse_number(w.text).none_mark] or numbers
    value_x0 = min(w.x0 for w in digits)
    vedges = {p: [e for e in es if e.orientation == "v"] for p, es in edges.items()}

    attached: dict[int, list[Word]] = {i: [] for i in range(len(anchors))}
    offline: dict[int, int] = {}
    loose: list[Word] = []
    for w in labels:
        if w.x1 > value_x0 + max(1.0, 0.5 * w.size):
            # text among the value columns (headers, notes) never labels a row of numbers; a
            # label may touch the first column (OCR boxes run half a character over)
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
                home = min(inside, key=lambda i: abs(anchors[i].yc - w.yc))
                attached[home].append(w)
                dy = w.yc - anchors[home].yc
                if abs(dy) > 0.5 * max(w.bottom - w.top, 1.0):
                    # not level with the numbers: the mapping decides whether it names them
                    offline[id(w)] = -1 if dy < 0 else 1
            else:
                loose.append(w)
            continue
        nearest = min(candidates, key=lambda i: abs(anchors[i].yc - w.yc))
        h = max(w.bottom - w.top, anchors[nearest].bottom - anchors[nearest].top, 1.0)
        dy = w.yc - anchors[nearest].yc
        if abs(dy) <= 1.2 * h:
            attached[nearest].append(w)
            if abs(dy) > 0.5 * h:
                offline[id(w)] = -1 if dy < 0 else 1
        else:
            loose.append(w)

    # Where row labels end; header words right of it may mark columns (a table without a
    # label column, like table 四, has its first column there too).
    label_x1 = max((w.x1 for ws in attached.values() for w in ws), default=float("-inf"))
    header_words = [w for w in loose if w.x0 >= label_x1 - 1.0]
    items: list[tuple[int, float, TextRow]] = []
    for seg in _segments(anchors, header_words):
        seg_numbers = [w for i in seg for w in anchors[i].words]
        seg_digits = [w for w in seg_numbers if not parse_number(w.text).none_mark] or seg_numbers
        first = anchors[seg[0]]
        prev = anchors[seg[0] - 1] if seg[0] else None
        seg_headers = [w for w in header_words if (w.page, w.yc) < (first.page, first.top)
                       and (prev is None or (w.page, w.yc) > (prev.page, prev.bottom))]
        cols = _with_header_columns(value_columns(seg_digits), seg_headers, first)
        for i in seg:
            a = anchors[i]
            row = TextRow([_token(w, starts, offline.get(id(w), 0))
                           for w in sorted(attached[i], key=lambda w: (w.top // 2, w.x0))])
            own_x1 = max((w.x1 for w in attached[i]), default=label_x1)
            ruled = _ruled_slots(a, vedges.get(a.page, []), own_x1)
            if ruled is not None:
                for x0, x1, ws in ruled:
                    row.tokens.append(_slot_token(ws, a.page, _box(x0, a.top, x1, a.bottom), starts))
            else:
                for c in cols:
                    ws = [w for w in a.words if w.x0 < c.x1 + 0.5 and w.x1 > c.x0 - 0.5]
                    row.tokens.append(_slot_token(ws, a.page, _box(c.x0, a.top, c.x1, a.bottom), starts))
            items.append((a.page, a.yc, row))
    for line in _lines_of(loose):
        items.append((line[0].page, line[0].yc, TextRow([_token(w, starts) for w in line])))
    items.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in items]
