"""PDF with a text layer -> the text of each page in reading order (pdfminer.six).

Pages are read with ``LAParams(char_margin=50, boxes_flow=None)`` so that a table
row stays on one line instead of being listed column by column.  Each line is
rebuilt from its characters: a wide horizontal gap becomes a TAB, a narrow one
between two non-CJK characters becomes a space, and CJK characters are never
separated by spaces.  Lines that pdfminer keeps apart but that sit on the same
visual row (cells of one table row) are joined into one line by the same rule.

Every way a PDF can be unusable ends in one `NianbaoError` with a one-line
message: corrupt or truncated, no pages, password-protected, too many pages
(decided from the page count before any page is parsed), or no text layer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Iterator

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTContainer, LTPage, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from nianbao.errors import DocumentTooLarge, ScannedDocument, UnreadableDocument
from nianbao.settings import Settings

# pdfminer logs warnings about damaged files; without a handler anywhere Python would
# print them on stderr.  A NullHandler keeps them quiet unless the application
# configures logging itself.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

LAPARAMS = LAParams(char_margin=50, boxes_flow=None, all_texts=True)

# Gaps between neighbouring characters, as a fraction of the font size.
TAB_GAP = 1.0  # wider than this: separate pieces (table cells, aligned columns)
# Between two non-CJK characters a drawn space character, or a gap wider than this,
# is a word space (pdfminer's own word margin is 0.1).
SPACE_GAP = 0.15
# Two lines belong to one visual row when they overlap vertically by this share
# of the lower one's height.
ROW_OVERLAP = 0.5
# A document whose pages average fewer visible characters than this has no usable
# text layer (a scan, possibly with a page number or a watermark drawn as text).
MIN_CHARS_PER_PAGE = 16

_CID_RE = re.compile(r"\(cid:\d+\)")
_MESSAGE_MAX = 160


@dataclass(frozen=True)
class PdfPageText:
    number: int  # 1-based
    text: str
    width: float
    height: float


def read_pdf(data: bytes, settings: Settings) -> list[PdfPageText]:
    """Text of every page of the PDF in `data`.  Raises a NianbaoError when unusable."""
    document = _open(data)
    count = _page_count(document, settings.max_pages)
    if count == 0:
        raise UnreadableDocument("PDF 中没有页面 (the PDF has no pages)")
    resources = PDFResourceManager(caching=True)  # fonts parsed once per document
    pages = [_read_page(number, page, resources)
             for number, page in enumerate(_pages(document), start=1)]
    visible = sum(_visible_chars(p.text) for p in pages)
    if visible < MIN_CHARS_PER_PAGE * len(pages):
        raise ScannedDocument(
            f"PDF 没有文字层（可能是扫描件，共 {len(pages)} 页），需要 OCR 识别，目前尚不支持 "
            "(the PDF has no text layer; OCR is needed and not available yet)")
    return pages


# -- opening ---------------------------------------------------------------


def _open(data: bytes) -> PDFDocument:
    try:
        parser = PDFParser(BytesIO(data))
        return PDFDocument(parser, password="")
    except PDFPasswordIncorrect as exc:
        raise UnreadableDocument(
            "PDF 已加密，需要密码才能打开 (the PDF is password-protected)") from exc
    except PDFEncryptionError as exc:
        raise UnreadableDocument(
            f"PDF 使用了不支持的加密方式 (unsupported PDF encryption: {_describe(exc)})") from exc
    except RecursionError as exc:
        raise UnreadableDocument("PDF 结构损坏，无法打开 (corrupt PDF: recursive structure)") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged input
        raise UnreadableDocument(
            f"PDF 文件已损坏或不完整，无法打开 (corrupt or truncated PDF: {_describe(exc)})") from exc


def _page_count(document: PDFDocument, limit: int) -> int:
    """Number of pages, refusing more than `limit` before any page is parsed.

    The page tree is walked (cheap: no content is parsed) and the walk stops as soon
    as it passes `limit`, so neither a huge document nor a /Count that lies in either
    direction costs more than `limit` page dictionaries.
    """
    count = 0
    for _ in _pages(document):
        count += 1
        if count > limit:
            declared = _declared_count(document)
            raise _too_large(declared if declared is not None and declared > limit else None, limit)
    return count


def _declared_count(document: PDFDocument) -> int | None:
    try:
        pages = resolve1(document.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _too_large(count: int | None, limit: int) -> DocumentTooLarge:
    pages = f"{count} 页" if count is not None else f"超过 {limit} 页"
    n = f"{count} pages" if count is not None else f"more than {limit} pages"
    return DocumentTooLarge(f"PDF 页数过多（{pages}，上限 {limit} 页） (the PDF has {n}; the limit is {limit})")


def _pages(document: PDFDocument) -> Iterator[PDFPage]:
    try:
        yield from PDFPage.create_pages(document)
    except RecursionError as exc:
        raise UnreadableDocument("PDF 页面结构损坏 (corrupt PDF page tree: recursive structure)") from exc
    except Exception as exc:
        raise UnreadableDocument(
            f"PDF 页面结构损坏，无法读取 (corrupt PDF page tree: {_describe(exc)})") from exc


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > _MESSAGE_MAX:
        text = text[:_MESSAGE_MAX] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# -- one page --------------------------------------------------------------


def _read_page(number: int, page: PDFPage, resources: PDFResourceManager) -> PdfPageText:
    device = PDFPageAggregator(resources, laparams=LAPARAMS)
    try:
        PDFPageInterpreter(resources, device).process_page(page)
        layout: LTPage = device.get_result()
    except Exception as exc:
        raise UnreadableDocument(
            f"PDF 第 {number} 页已损坏，无法读取 (page {number} cannot be read: {_describe(exc)})"
        ) from exc
    finally:
        device.close()
    text = "\n".join(_row_text(row) for row in _rows(list(_text_lines(layout))))
    return PdfPageText(number=number, text=text, width=float(layout.width), height=float(layout.height))


def _text_lines(item) -> Iterator[LTTextLineHorizontal]:
    """Every horizontal text line on the page, also inside figures (form XObjects)."""
    if isinstance(item, LTTextLineHorizontal):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _text_lines(child)


@dataclass
class _Line:
    """The visible characters of one pdfminer text line, left to right.

    `spaced[i]` says whether the PDF drew a space character just before `chars[i]`.
    """

    chars: list[LTChar]
    spaced: list[bool]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def y0(self) -> float:
        return min(c.y0 for c in self.chars)

    @property
    def y1(self) -> float:
        return max(c.y1 for c in self.chars)


def _line_from(line: LTTextLineHorizontal) -> _Line | None:
    chars: list[LTChar] = []
    spaced: list[bool] = []
    pending_space = False
    for item in sorted((c for c in line if isinstance(c, LTChar)), key=lambda c: c.x0):
        if not item.get_text().strip():
            pending_space = bool(chars)
            continue
        chars.append(item)
        spaced.append(pending_space)
        pending_space = False
    return _Line(chars, spaced) if chars else None


def _rows(lines: list[LTTextLineHorizontal]) -> list[list[_Line]]:
    """Group lines into visual rows, top to bottom; each row's lines left to right."""
    parsed = [p for p in (_line_from(line) for line in lines) if p is not None]
    parsed.sort(key=lambda l: (-l.y1, l.x0))
    rows: list[list[_Line]] = []
    for line in parsed:
        if rows and _same_row(rows[-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    for row in rows:
        row.sort(key=lambda l: l.x0)
    return rows


def _same_row(row: list[_Line], line: _Line) -> bool:
    """`line` sits beside every line of `row`: overlapping vertically, not horizontally."""
    for other in row:
        overlap = min(other.y1, line.y1) - max(other.y0, line.y0)
        lower = min(other.y1 - other.y0, line.y1 - line.y0)
        if lower <= 0 or overlap < ROW_OVERLAP * lower:
            return False
        if line.x0 < other.x1 and other.x0 < line.x1:
            return False
    return True


def _row_text(row: list[_Line]) -> str:
    out: list[str] = []
    prev: LTChar | None = None
    for line in row:
        for char, spaced in zip(line.chars, line.spaced):
            if prev is not None:
                out.append(_separator(prev, char, spaced))
            out.append(char.get_text())
            prev = char
    return "".join(out)


def _separator(left: LTChar, right: LTChar, spaced: bool) -> str:
    """What goes between two neighbouring characters of a row: TAB, space or nothing."""
    size = max(min(left.size, right.size), 1.0)
    gap = right.x0 - left.x1
    if gap > TAB_GAP * size:
        return "\t"
    if _is_cjk(left.get_text()) or _is_cjk(right.get_text()):
        return ""
    if spaced or gap > SPACE_GAP * size:
        return " "
    return ""


def _is_cjk(text: str) -> bool:
    """CJK ideographs, CJK punctuation, kana and fullwidth forms: never spaced apart."""
    if not text:
        return False
    cp = ord(text[0])
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


def _visible_chars(text: str) -> int:
    """Characters that carry text: not whitespace, not pdfminer's "(cid:N)" for unmapped glyphs."""
    return sum(1 for ch in _CID_RE.sub("", text) if not ch.isspace())
