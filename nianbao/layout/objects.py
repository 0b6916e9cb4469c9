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


@dataclass
class Word:
    """Characters that belong together: one cell's text on one line, or a run of prose."""

    chars: list[Char]
    page: int

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def bbox(self) -> list[float]:
        return [round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]


@dataclass
class PageLine:
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

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

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
