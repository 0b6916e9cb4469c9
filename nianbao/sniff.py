"""bytes + filename -> the format, decided by content (magic bytes), never by extension alone."""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from nianbao.errors import EmptyDocument, UnreadableDocument, UnsupportedFormat

PDF, DOCX, DOC, HTML, TEXT, IMAGE = "pdf", "docx", "doc", "html", "text", "image"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
)
_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table|title)\b", re.I)
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
# Encodings tried for text without a declaration, in order.  GB18030 is a superset
# of GBK and GB2312, so one attempt covers all three.
_TEXT_ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # pdf | docx | doc | html | text | image
    detail: str | None = None  # image subtype, encoding of text


def sniff(data: bytes, filename: str = "") -> Sniffed:
    """Decide the format of `data`.  Raises EmptyDocument or UnsupportedFormat."""
    if not data or not data.strip():
        raise EmptyDocument("文件为空：没有可解析的内容 (the file is empty)")
    head = data[:2048]
    stripped = head.lstrip()
    if b"%PDF-" in head[:1024]:
        return Sniffed(PDF)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(_OLE_MAGIC):
        return Sniffed(DOC)
    for magic, sub in _IMAGE_MAGIC:
        if head.startswith(magic):
            return Sniffed(IMAGE, sub)
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return Sniffed(TEXT, "utf-16")
    binary = b"\x00" in head or _binary_share(head) > 0.05
    if not binary and (_HTML_RE.search(stripped[:1024]) or _HTML_RE.search(head)):
        return Sniffed(HTML, _declared_charset(data))
    encoding = text_encoding(data)
    if encoding is None:
        name = f" {filename}" if filename else ""
        raise UnsupportedFormat(
            f"无法识别的文件格式{name}：既不是 PDF、DOCX、DOC、HTML，也不是可读的文本 "
            "(unknown or binary format)")
    return Sniffed(TEXT, encoding)


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"压缩包已损坏，无法打开 (corrupt zip container: {exc})") from exc
    if "word/document.xml" in names:
        return Sniffed(DOCX)
    raise UnsupportedFormat("ZIP 文件中没有 Word 文档 (a zip file that is not a DOCX)")


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        return "gb18030"
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _binary_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)


def text_encoding(data: bytes) -> str | None:
    """The encoding that decodes `data` as text, or None when it is binary."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in data[:8192]:
        return None
    if _binary_share(data[:8192]) > 0.02:
        return None
    for enc in _TEXT_ENCODINGS:
        if enc == "utf-16":
            continue
        try:
            data.decode(enc)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut off at the very end is no reason to refuse the text.
            if exc.start < len(data) - 3:
                continue
        return enc
    return None


def decode_text(data: bytes, encoding: str | None) -> str:
    """Decode with `encoding` (or the detected one); undecodable bytes become U+FFFD."""
    enc = encoding or text_encoding(data) or "utf-8"
    return data.decode(enc, errors="replace")
