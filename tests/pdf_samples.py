"""Real PDFs made for the tests: reportlab for text pages, pypdf for page counts and
encryption, and a tiny hand-written writer for structures no library will produce."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

A4 = (595.0, 842.0)

Draw = Callable[[canvas.Canvas], None]


def make_pdf(*pages: Draw, pagesize: tuple[float, float] = A4) -> bytes:
    """One page per drawing function; each draws on a canvas with the CJK font set at 12 pt."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize)
    for draw in pages:
        c.setFont(CJK_FONT, 12)
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def text_page(*lines: str, top: float = 780.0, step: float = 24.0) -> Draw:
    def draw(c: canvas.Canvas) -> None:
        for i, line in enumerate(lines):
            c.drawString(72, top - i * step, line)
    return draw


def table_page(rows: list[list[str]], columns: list[float], top: float = 760.0, step: float = 22.0) -> Draw:
    """A ruled table: cell texts drawn at the given column x positions, one row per step."""
    def draw(c: canvas.Canvas) -> None:
        c.drawString(72, top + 40, "二、主动公开政府信息情况")
        for r, row in enumerate(rows):
            y = top - r * step
            for x, cell in zip(columns, row):
                c.drawString(x, y, cell)
            c.line(columns[0] - 4, y - 6, columns[-1] + 80, y - 6)
    return draw


def blank_pdf(pages: int, size: tuple[float, float] = A4) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypt(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def hand_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from raw object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def sample_report_pdf() -> bytes:
    """Two pages that look like the start of an annual report, used by CLI and service tests."""
    return make_pdf(
        text_page("鄂尔多斯市交通运输局2025年政府信息公开工作年度报告",
                  "一、总体情况",
                  "2025年，本机关共收到政府信息公开申请10件，全部按期答复。"),
        table_page([["信息内容", "本年处理决定数量"], ["行政许可", "14368"], ["行政处罚", "902"]],
                   columns=[72.0, 300.0]),
    )
