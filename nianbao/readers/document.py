"""What every reader hands to the stages: the report text, its lines, and where
table cells can be found (a native grid, positioned words, or flat text)."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.layout.grid import table_rows
from nianbao.model import Source
from nianbao.readers.text import Line
from nianbao.tables.text_rows import TextRow, rows_from_lines


@dataclass
class Document:
    source: Source
    text: str
    lines: list[Line]
    # Positioned inputs (PDF, OCR): ruling edges per page number; the words hang off the lines.
    edges: dict[int, list] | None = None
    # Pages read by OCR (nianbao.readers.ocr.OcrPageText), by page number.
    ocr_pages: dict[int, object] | None = None

    @property
    def positioned(self) -> bool:
        return self.edges is not None

    def region_rows(self, lines: list[Line]) -> list[TextRow]:
        """The rows of cells of a table region.

        Lines that carry the cells of a native grid row (DOCX, HTML) give those cells;
        positioned inputs are laid out by geometry; flat text by its separators.
        """
        if any(ln.cells for ln in lines):
            # a native grid: its rows only (prose between tables is not table text)
            return [TextRow(list(ln.cells)) for ln in lines if ln.cells]
        if not self.positioned:
            return rows_from_lines(lines)
        words, starts = [], {}
        for ln in lines:
            pos = ln.start
            for part in ln.parts:
                for w, off in zip(part.words, part.word_offsets()):
                    words.append(w)
                    starts[id(w)] = (pos + off, ln.number)
                pos += len(part.text)
        return table_rows(words, self.edges, starts)
