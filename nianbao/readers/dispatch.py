"""Readers: bytes of one format -> a Document (text, lines, and where the table cells are)."""

from __future__ import annotations

import hashlib

from nianbao.errors import NianbaoError, ScannedDocument, UnsupportedFormat
from nianbao.layout.text import PageGeometry, assemble
from nianbao.model import Source
from nianbao.readers.document import Document
from nianbao.readers.text import normalize_newlines, split_at_inline_headings, split_lines
from nianbao.settings import Settings
from nianbao.sniff import DOC, DOCX, HTML, IMAGE, PDF, TEXT, Sniffed, decode_text, sniff

# A page with a few characters is a scan (with a typed stamp) when images cover this share of it.
SCANNED_IMAGE_SHARE = 0.3

__all__ = ["Document", "READERS", "read"]


def _source(filename: str, data: bytes, fmt: str, pages: int | None = None) -> Source:
    return Source(filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                  pages=pages, bytes=len(data))


def read_text(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    text = normalize_newlines(decode_text(data, kind.detail))
    return Document(_source(filename, data, "text"), text, split_at_inline_headings(split_lines(text)))


def _positioned(pages: list, data: bytes, filename: str, fmt: str) -> Document:
    text, lines = assemble([(PageGeometry(p.number, p.width, p.height), list(p.lines)) for p in pages])
    ocr = {p.number: p for p in pages if hasattr(p, "confidence")}
    return Document(_source(filename, data, fmt, len(pages)), text, lines,
                    edges={p.number: list(p.edges) for p in pages}, ocr_pages=ocr or None)


def read_pdf_document(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    """A PDF with a text layer as it is; pages without one (a scan, or a scanned page in
    an exported report) through OCR into the same positioned layout."""
    from nianbao.readers.ocr import ocr_pdf
    from nianbao.readers.pdf import read_pdf

    try:
        pages = read_pdf(data, settings)
    except ScannedDocument:
        return _positioned(ocr_pdf(data, settings), data, filename, "pdf-scanned")
    blank = _pages_to_ocr(data, pages)
    if blank and len(blank) < len(pages):
        try:
            scanned = {p.number: p for p in ocr_pdf(data, settings, pages=blank)}
        except ScannedDocument:  # OCR not installed: keep the text pages as they are
            scanned = {}
        if any(p.lines for p in scanned.values()):  # blank pages of an export stay text pages
            pages = [scanned.get(p.number, p) for p in pages]
            return _positioned(pages, data, filename, "pdf-scanned")
    return _positioned(pages, data, filename, "pdf-text")


def _pages_to_ocr(data: bytes, pages: list) -> list[int]:
    """The pages of a text PDF that want OCR: those without a character of text (OCR finds
    an empty page empty at once), and those with only a few characters that are mostly an
    image (a scanned page with a typed stamp).  A short last page of an export is left alone."""
    from nianbao.readers.ocr import image_share
    from nianbao.readers.pdf import MIN_CHARS_PER_PAGE

    visible = {p.number: sum(1 for c in p.chars if c.text.strip()) for p in pages}
    few = [n for n, v in visible.items() if 0 < v < MIN_CHARS_PER_PAGE]
    try:
        shares = image_share(data, few) if few else {}
    except NianbaoError:  # OCR not installed, or pdfium cannot open what pdfminer read
        shares = {}
    return sorted([n for n, v in visible.items() if v == 0] + [n for n, s in shares.items() if s >= SCANNED_IMAGE_SHARE])


def read_image_document(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    from nianbao.readers.ocr import ocr_image

    return _positioned(ocr_image(data, settings), data, filename, "image")


from nianbao.readers.docx import read_docx_document  # noqa: E402
from nianbao.readers.html import read_html  # noqa: E402
from nianbao.readers.office import read_doc_document  # noqa: E402

READERS = {TEXT: read_text, PDF: read_pdf_document, HTML: read_html, DOCX: read_docx_document,
           DOC: read_doc_document, IMAGE: read_image_document}


def read(data: bytes, filename: str, settings: Settings) -> Document:
    """Sniff the format by content and read it.  Raises a NianbaoError when unusable."""
    kind = sniff(data, filename)
    reader = READERS.get(kind.kind)
    if reader is None:
        raise UnsupportedFormat(
            f"暂不支持的格式：{kind.kind} (format not supported: {kind.kind})")
    return reader(data, filename, kind, settings)
