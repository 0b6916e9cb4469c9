"""Positioned things on a page: characters, ruling edges, words and lines.

Coordinates are PDF points with the origin at the top-left of the page
(pdfplumber's convention): x grows to the right, `top` < `bottom`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    upright: bool = True

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Edge:
    """A ruling line: horizontal ('h', top == bottom) or vertical ('v', x0 == x1)."""

    orientation: str
    x0: float
    x1: float
    top: float
    bottom: float


class Bounded:
    """The bounding box of a group of boxed things (characters of a word, words of a line):
    `members()` names them; the box is their union."""

    def members(self) -> list:
        raise NotImplementedError

    @property
    def x0(self) -> float:
        return min(m.x0 for m in self.members())

    @property
    def x1(self) -> float:
        return max(m.x1 for m in self.members())

    @property
    def top(self) -> float:
        return min(m.top for m in self.members())

    @property
    def bottom(self) -> float:
        return max(m.bottom for m in self.members())

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def bbox(self) -> list[float]:
        return [round(float(v), 2) for v in (self.x0, self.top, self.x1, self.bottom)]  # OCR gives numpy floats


@dataclass
class Word(Bounded):
    """Characters that belong together: one cell's text on one line, or a run of prose."""

    chars: list[Char]
    page: int

    def members(self) -> list[Char]:
        return self.chars

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


@dataclass
class PageLine(Bounded):
    """Words on one visual line of a page, left to right, and how they join into text."""

    words: list[Word]
    page: int
    separators: list[str] = field(default_factory=list)  # between word i and i+1: "\t", " " or ""

    @property
    def text(self) -> str:
        out = [self.words[0].text] if self.words else []
        for sep, w in zip(self.separators, self.words[1:]):
            out.append(sep)
            out.append(w.text)
        return "".join(out)

    def word_offsets(self) -> list[int]:
        """Offset of each word's first character within `text`."""
        offs, pos = [], 0
        for i, w in enumerate(self.words):
            if i:
                pos += len(self.separators[i - 1])
            offs.append(pos)
            pos += len(w.text)
        return offs

    def members(self) -> list[Word]:
        return self.words

    @property
    def size(self) -> float:
        sizes = sorted(w.size for w in self.words)
        return sizes[len(sizes) // 2]


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    edges: list[Edge]
    lines: list[PageLine] = field(default_factory=list)
