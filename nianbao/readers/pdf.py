"""PDF with a text layer -> per page: characters with boxes, ruling edges, size, lines.

pdfminer.six interprets each page without its own layout analysis; nianbao.layout
groups the character boxes into words (by gaps and ruling lines, never by spaces,
since Chinese has none) and lines.  A page's `text` joins its lines, with a TAB
between words of a line that stand apart (table cells).

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
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTPage, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from nianbao.errors import DocumentTooLarge, ScannedDocument, UnreadableDocument
from nianbao.layout.objects import Char, Edge, PageLine
from nianbao.layout.words import page_lines
from nianbao.settings import Settings

# pdfminer logs warnings about damaged files; without a handler anywhere Python would
# print them on stderr.  A NullHandler keeps them quiet unless the application
# configures logging itself.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

# A filled rectangle thinner than this (points) is a ruling line, not a box.
RULE_THICKNESS = 2.0
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
    chars: tuple[Char, ...] = ()
    edges: tuple[Edge, ...] = ()
    lines: tuple[PageLine, ...] = ()


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
    # No layout analysis: nianbao does its own from character boxes (nianbao.layout).
    device = PDFPageAggregator(resources, laparams=None)
    try:
        PDFPageInterpreter(resources, device).process_page(page)
        layout: LTPage = device.get_result()
    except Exception as exc:
        raise UnreadableDocument(
            f"PDF 第 {number} 页已损坏，无法读取 (page {number} cannot be read: {_describe(exc)})"
        ) from exc
    finally:
        device.close()
    height = float(layout.height)
    chars: list[Char] = []
    edges: list[Edge] = []
    _collect(layout, height, chars, edges)
    lines = page_lines(chars, edges, number)
    text = "\n".join(line.text for line in lines)
    return PdfPageText(number=number, text=text, width=float(layout.width), height=height,
                       chars=tuple(chars), edges=tuple(edges), lines=tuple(lines))


def _collect(item, height: float, chars: list[Char], edges: list[Edge]) -> None:
    """Characters and ruling edges of a page, also inside figures (form XObjects)."""
    if isinstance(item, LTChar):
        text = item.get_text()
        if len(text) == 1 or text.strip():
            chars.append(Char(text, item.x0, item.x1, height - item.y1, height - item.y0,
                              float(item.size), bool(item.upright)))
        return
    if isinstance(item, LTCurve):  # LTLine and LTRect are curves too
        _edges_of(item, height, edges)
        return
    if isinstance(item, LTContainer):
        for child in item:
            _collect(child, height, chars, edges)


def _edges_of(item: LTCurve, height: float, edges: list[Edge]) -> None:
    x0, x1 = item.x0, item.x1
    top, bottom = height - item.y1, height - item.y0
    w, h = x1 - x0, bottom - top
    if w <= RULE_THICKNESS and h > RULE_THICKNESS:
        xc = (x0 + x1) / 2
        edges.append(Edge("v", xc, xc, top, bottom))
    elif h <= RULE_THICKNESS and w > RULE_THICKNESS:
        yc = (top + bottom) / 2
        edges.append(Edge("h", x0, x1, yc, yc))
    elif isinstance(item, LTRect) or (isinstance(item, LTCurve) and len(item.pts) in (4, 5)):
        # a box: its four sides are rules (cell borders drawn as rectangles)
        edges.append(Edge("h", x0, x1, top, top))
        edges.append(Edge("h", x0, x1, bottom, bottom))
        edges.append(Edge("v", x0, x0, top, bottom))
        edges.append(Edge("v", x1, x1, top, bottom))


def _visible_chars(text: str) -> int:
    """Characters that carry text: not whitespace, not pdfminer's "(cid:N)" for unmapped glyphs."""
    return sum(1 for ch in _CID_RE.sub("", text) if not ch.isspace())
