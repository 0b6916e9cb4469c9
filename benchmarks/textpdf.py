"""Text reports (nianbao.synth.text, "tabs" style) drawn as text PDFs with reportlab's built-in
CJK font (STSong-Light, not embedded): fast to make, read by pdfminer like any text PDF.

Each tab-separated line becomes one row: the label cells joined at the left, the numeric
cells right-aligned in fixed columns, so the layout reader sees a grid."""

from __future__ import annotations

import io
import re

_NUM = re.compile(r"^-?[0-9.]*$")
PAGE = (595.0, 842.0)
FONT = "STSong-Light"
_registered = False


def _register() -> None:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def text_to_pdf(text: str) -> bytes:
    _register()
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE)
    top, bottom, left, right = 800.0, 50.0, 40.0, 560.0
    y = top

    def newline(step: float) -> None:
        nonlocal y
        y -= step
        if y < bottom:
            c.showPage()
            y = top

    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) == 1:
            c.setFont(FONT, 10.5)
            s = cells[0]
            if not s:
                newline(8)
                continue
            while s:
                c.drawString(left, y, s[:46])
                s = s[46:]
                newline(15)
            continue
        n_num = 0
        for cell in reversed(cells):
            if _NUM.match(cell.strip()):
                n_num += 1
            else:
                break
        labels, numbers = cells[:len(cells) - n_num], cells[len(cells) - n_num:]
        c.setFont(FONT, 8)
        if n_num >= 8:  # table 四: one row of 15 numbers across the page
            step = (right - left) / n_num
            for i, v in enumerate(numbers):
                c.drawRightString(left + step * (i + 1) - 4, y, v)
            newline(13)
            continue
        label = "".join(x for x in labels if x)
        width = 23  # characters of label per line in the first column
        x0 = 260.0
        step = (right - x0) / max(len(numbers), 1) if numbers else 0
        if not numbers:  # a header row: its cells spread over the width
            step = (right - left) / len(cells)
            for i, cell in enumerate(cells):
                c.drawString(left + step * i, y, cell[: int(step / 8)])
            newline(13)
            continue
        for i, v in enumerate(numbers):
            c.drawRightString(x0 + step * (i + 1) - 4, y, v)
        chunks = [label[i:i + width] for i in range(0, len(label), width)] or [""]
        for j, chunk in enumerate(chunks):
            c.drawString(left, y, chunk)
            newline(11 if j < len(chunks) - 1 else 13)
    c.showPage()
    c.save()
    return buf.getvalue()
