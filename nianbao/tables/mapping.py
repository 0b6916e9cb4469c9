"""Rows of printed cells -> canonical rows, by label meaning and order.

Observed rows are aligned to the canonical rows of a table format by dynamic
programming: the order of the national format is kept, each pair is scored by
label similarity, and rows that match nothing (headers, stray fragments) are
skipped.  Label-only fragments of a row broken across lines are first joined
to the row they complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.tables.text_rows import TextRow, Token
from nianbao.tables.values import parse_number
from nianbao.template.formats import Row, TableFormat
from nianbao.template.labels import best_score, core, similarity

MATCH_THRESHOLD = 0.5


@dataclass
class Observed:
    """A printed row with values, and the labels that name it."""

    row: TextRow
    labels: list[str]

    @property
    def flat(self) -> bool:
        return self.row.flat

    @property
    def numbers(self) -> list[Token]:
        return self.row.numbers()


def _tail_score(label: str, variants: tuple[str, ...]) -> float:
    """In run-together text the row's own label is the text right before its numbers:
    score the label's tails of about each variant's length."""
    c = core(label)
    best = 0.0
    for v in variants:
        n = len(core(v))
        for extra in (-1, 0, 1, 2, 3):
            if 0 < n + extra <= len(c):
                best = max(best, similarity(c[-(n + extra):], v))
    return best


def row_score(labels: list[str], crow: Row, flat: bool = False) -> float:
    if not labels:
        return 0.0
    scores = [best_score(lbl, crow.labels) for lbl in labels]
    scores.append(best_score("".join(labels), crow.labels))
    if flat:
        scores.append(_tail_score("".join(labels), crow.labels))
    return max(scores)


def _best_any(labels: list[str], rows: tuple[Row, ...]) -> float:
    return max((row_score(labels, r) for r in rows), default=0.0)


def observe(rows: list[TextRow], fmt: TableFormat, blank_row_width: int = 0) -> list[Observed]:
    """Data rows with their labels; label-only fragments joined to the row they complete."""
    out: list[Observed] = []
    pending: list[str] = []  # label lines after the last row that did not complete it (yet)
    for row in rows:
        labels = [t.stripped for t in row.labels() if core(t.stripped)]
        has_values = bool(row.numbers())
        if has_values and not labels and all(parse_number(t.text).none_mark for t in row.numbers()):
            continue  # a rule line of dashes, not a row of values
        if not has_values:
            if not labels:
                continue
            # A fragment of the previous row's label (其他法律行政法 / 规禁止公开), maybe only
            # together with the lines that follow it (a label wrapped over many short lines)?
            own = _best_any(labels, fmt.rows)
            if out:
                prev = out[-1]
                before = _best_any(prev.labels, fmt.rows)
                tail = "".join(pending + labels)
                joined = prev.labels[:-1] + [prev.labels[-1] + tail] if prev.labels else pending + labels
                after = _best_any(joined, fmt.rows)
                if after > before + 0.05 and own < 0.9:
                    prev.labels = joined
                    pending = []
                    continue
                if own < 0.9:
                    pending.append("".join(labels))
            # A row printed entirely blank still names its cells.
            blanks = sum(1 for t in row.value_slots() if not t.stripped)
            if blank_row_width and blanks >= blank_row_width and own >= 0.75:
                out.append(Observed(row, labels))
                pending = []
            continue
        if pending and labels:  # the label lines left over start this row's label (a wrapped label)
            with_pending = ["".join(pending) + labels[0]] + labels[1:]
            if _best_any(with_pending, fmt.rows) > _best_any(labels, fmt.rows) + 0.05:
                labels = with_pending
        pending = []
        out.extend(_split_off_blank_rows(row, labels, fmt))
    return _join_broken_rows(out, fmt)


def _join_broken_rows(observed: list[Observed], fmt: TableFormat) -> list[Observed]:
    """A row broken across a page: the first part holds some of the values and the start of
    the label, the next the other values and the rest of it.  Two neighbours whose filled
    slots never meet and whose labels together name a row clearly (better than either part
    alone) are one row."""
    out: list[Observed] = []
    for obs in observed:
        prev = out[-1] if out else None
        if prev is not None and not prev.flat and not obs.flat:
            a, b = prev.row.value_slots(), obs.row.value_slots()
            if len(a) == len(b) and a and not any(x.stripped and y.stripped for x, y in zip(a, b)):
                joined = ["".join(prev.labels + obs.labels)]
                whole = _best_any(joined, fmt.rows)
                if whole >= 0.9 and whole > max(_best_any(prev.labels, fmt.rows), _best_any(obs.labels, fmt.rows)) + 0.05:
                    tokens = [t for t in prev.row.tokens if t not in a] + [t for t in obs.row.labels()]
                    tokens += [x if x.stripped else y for x, y in zip(a, b)]
                    out[-1] = Observed(TextRow(tokens), joined)
                    continue
        out.append(obs)
    return out


def _split_off_blank_rows(row: TextRow, labels: list[str], fmt: TableFormat) -> list[Observed]:
    """A row of numbers may have taken in the label of an unruled neighbour row printed
    blank (行政处罚 above 行政强制 6): when the label lines above or below it name a row of
    their own as clearly as the row's level label does, they become a blank row."""
    groups = {-1: [], 0: [], 1: []}
    for t in row.labels():
        if core(t.stripped):
            groups[t.offline].append(t)
    if not groups[0] or not (groups[-1] or groups[1]):
        return [Observed(row, labels)]

    def best(tokens: list[Token]) -> tuple[float, int]:
        lbls = ["".join(t.stripped for t in tokens)]
        scores = [row_score(lbls, r) for r in fmt.rows]
        i = max(range(len(scores)), key=scores.__getitem__)
        return scores[i], i

    level_score, level_row = best(groups[0])
    if level_score < 0.9:
        return [Observed(row, labels)]
    before, after, kept = [], [], list(groups[0])
    for side in (-1, 1):
        if not groups[side]:
            continue
        score, idx = best(groups[side])
        if score >= 0.9 and idx != level_row:
            blanks = [Token("", -1, 0, t.page, t.bbox) for t in row.value_slots()]
            blank_row = TextRow(list(groups[side]) + blanks)
            (before if side < 0 else after).append(
                Observed(blank_row, [t.stripped for t in groups[side]]))
        else:
            kept.extend(groups[side])
    main = TextRow([t for t in row.tokens if t not in groups[-1] and t not in groups[1] or t in kept])
    return before + [Observed(main, [t.stripped for t in main.labels() if core(t.stripped)])] + after


def align(observed: list[Observed], crows: tuple[Row, ...],
          threshold: float = MATCH_THRESHOLD) -> tuple[float, dict[int, int]]:
    """Best monotone matching of observed rows to canonical rows: (score, {canon idx: obs idx})."""
    m, n = len(observed), len(crows)
    scores = [[row_score(o.labels, c, o.flat) for c in crows] for o in observed]
    dp = [[0.0] * (n + 1) for _ in range(m + 1)]
    move = [[0] * (n + 1) for _ in range(m + 1)]  # 1 skip obs, 2 skip canon, 3 match
    for i in range(1, m + 1):
        move[i][0] = 1
    for j in range(1, n + 1):
        move[0][j] = 2
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            best, mv = dp[i - 1][j], 1
            if dp[i][j - 1] > best:
                best, mv = dp[i][j - 1], 2
            s = scores[i - 1][j - 1]
            if s >= threshold and dp[i - 1][j - 1] + s > best:
                best, mv = dp[i - 1][j - 1] + s, 3
            dp[i][j], move[i][j] = best, mv
    pairs: dict[int, int] = {}
    i, j = m, n
    while i > 0 and j > 0:
        mv = move[i][j]
        if mv == 3:
            pairs[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif mv == 1:
            i -= 1
        else:
            j -= 1
    return dp[m][n], pairs
