"""Readers: bytes of one format -> a Document (text, lines, and where the table cells are)."""

from __future__ import annotations

import hashlib

from nianbao.errors import UnsupportedFormat
from nianbao.layout.text import PageGeometry, assemble
from nianbao.model import Source
from nianbao.readers.document import Document
from nianbao.readers.text import normalize_newlines, split_at_inline_headings, split_lines
from nianbao.settings import Settings
from nianbao.sniff import DOC, DOCX, HTML, PDF, TEXT, Sniffed, decode_text, sniff

__all__ = ["Document", "READERS", "read"]


def _source(filename: str, data: bytes, fmt: str, pages: int | None = None) -> Source:
    return Source(filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                  pages=pages, bytes=len(data))


def read_text(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    text = normalize_newlines(decode_text(data, kind.detail))
    return Document(_source(filename, data, "text"), text, split_at_inline_headings(split_lines(text)))


def read_pdf_document(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    from nianbao.readers.pdf import read_pdf

    pages = read_pdf(data, settings)
    text, lines = assemble([(PageGeometry(p.number, p.width, p.height), list(p.lines)) for p in pages])
    return Document(_source(filename, data, "pdf-text", len(pages)), text, lines,
                    edges={p.number: list(p.edges) for p in pages})


from nianbao.readers.docx import read_docx_document  # noqa: E402
from nianbao.readers.html import read_html  # noqa: E402
from nianbao.readers.office import read_doc_document  # noqa: E402

READERS = {TEXT: read_text, PDF: read_pdf_document, HTML: read_html, DOCX: read_docx_document,
           DOC: read_doc_document}


def read(data: bytes, filename: str, settings: Settings) -> Document:
    """Sniff the format by content and read it.  Raises a NianbaoError when unusable."""
    kind = sniff(data, filename)
    reader = READERS.get(kind.kind)
    if reader is None:
        raise UnsupportedFormat(
            f"暂不支持的格式：{kind.kind}（目前支持 PDF 与纯文本）(format not supported yet: {kind.kind})")
    return reader(data, filename, kind, settings)
