"""Characters -> words -> lines.

Chinese has no spaces, so words are cut by gaps, not by spaces: two characters
belong to one word when the gap between them is small for their size and no
vertical ruling line runs between them.  Lines are the words whose vertical
extents overlap.
"""

from __future__ import annotations

from nianbao.layout.objects import Char, Edge, PageLine, Word

# Gaps as a fraction of the font size.
WORD_GAP = 0.5  # wider than this: a new word (another cell, or an aligned column)
SPACE_GAP = 0.15  # between Latin characters: a space
LINE_OVERLAP = 0.5  # share of the smaller height two chars must overlap to be on one line


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    cp = ord(ch[0])
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x3000 <= cp <= 0x303F
            or 0x20000 <= cp <= 0x3FFFF)


def _rule_between(left: float, right: float, top: float, bottom: float, vedges: list[Edge]) -> bool:
    for e in vedges:
        if left - 0.5 <= e.x0 <= right + 0.5 and e.top <= bottom and e.bottom >= top:
            return True
    return False


def _cluster_lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into visual lines by vertical overlap, top to bottom."""
    lines: list[list[Char]] = []
    spans: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c.yc, c.x0)):
        h = max(ch.bottom - ch.top, 0.1)
        placed = False
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = spans[i]
            overlap = min(bottom, ch.bottom) - max(top, ch.top)
            if overlap >= LINE_OVERLAP * min(h, bottom - top):
                lines[i].append(ch)
                spans[i] = (min(top, ch.top), max(bottom, ch.bottom))
                placed = True
                break
        if not placed:
            lines.append([ch])
            spans.append((ch.top, ch.bottom))
    return lines


def page_lines(chars: list[Char], edges: list[Edge], page: int) -> list[PageLine]:
    vedges = [e for e in edges if e.orientation == "v"]
    visible = [c for c in chars if c.text.strip() or c.text == " "]
    out: list[PageLine] = []
    for line_chars in _cluster_lines(visible):
        line_chars.sort(key=lambda c: c.x0)
        words: list[Word] = []
        seps: list[str] = []
        current: list[Char] = []
        pending_space = False
        for ch in line_chars:
            if not ch.text.strip():
                pending_space = bool(current)
                continue
            if current:
                prev = current[-1]
                size = max(min(prev.size, ch.size), 1.0)
                gap = ch.x0 - prev.x1
                top, bottom = min(prev.top, ch.top), max(prev.bottom, ch.bottom)
                # a rule between the two characters' centres parts them (OCR boxes of a label
                # and the number boxed with it touch, and may overlap the rule between them)
                if gap > WORD_GAP * size or _rule_between((prev.x0 + prev.x1) / 2, (ch.x0 + ch.x1) / 2,
                                                          top, bottom, vedges):
                    words.append(Word(current, page))
                    seps.append("\t")
                    current = [ch]
                    pending_space = False
                    continue
                if not (is_cjk(prev.text) or is_cjk(ch.text)) and (pending_space or gap > SPACE_GAP * size):
                    # a Latin word space inside one word
                    current.append(Char(" ", prev.x1, ch.x0, prev.top, prev.bottom, prev.size))
            current.append(ch)
            pending_space = False
        if current:
            words.append(Word(current, page))
        if words:
            out.append(PageLine(words, page, seps))
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out
