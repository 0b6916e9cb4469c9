"""Scans with known truth: a PDF with a text layer -> what a scanner makes of it.

``simulate_scan(pdf_bytes, dpi=200, angle=1.0, noise=0.03, jpeg_quality=75)`` renders every page
with pypdfium2, turns it by ``angle`` degrees (counter-clockwise; a sheet fed askew) and by
``quarter_turns`` quarter-turns (a page scanned sideways or upside down), blurs it a little
(scanner optics), greys the paper and the ink, adds sensor noise and dust specks, encodes each
page as a JPEG of ``jpeg_quality`` and wraps the JPEGs into a PDF *without a text layer*
(each page is one image, as scanners write them).  ``simulate_scan_image`` gives the same pages
as one PNG, JPEG or (multi-page) TIFF.  ``table_page_pdf`` draws a small report page with a
ruled table of known numbers (reportlab, CID font STSong-Light) for tests that do not need a
whole report.

Needs numpy, pillow and pypdfium2 (the ``ocr`` extra); ``table_page_pdf`` needs reportlab (the
``dev`` extra).  Everything random is drawn from ``seed``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


@dataclass(frozen=True)
class ScanOptions:
    dpi: int = 200
    angle: float = 0.0  # degrees, counter-clockwise
    quarter_turns: int = 0  # 0..3, counter-clockwise
    noise: float = 0.03  # standard deviation of the sensor noise, share of the full scale
    specks: float = 0.0002  # share of pixels hit by a dark dust speck
    blur: float = 0.6  # gaussian sigma in pixels
    paper: int = 238  # grey level of the paper
    ink: int = 35  # grey level of full ink
    jpeg_quality: int = 75  # 0 or None: lossless (PNG inside TIFF/PNG; Flate is not used for PDFs)
    seed: int = 0


def render_pages(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Every page of the PDF as a greyscale image at `dpi`."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72.0, grayscale=True)
            out.append(bitmap.to_pil().convert("L"))
            page.close()
        return out
    finally:
        doc.close()


def degrade(image: Image.Image, options: ScanOptions, page: int = 0) -> Image.Image:
    """One clean page image -> the same page as a scanner delivers it (before JPEG encoding)."""
    import cv2

    rng = np.random.default_rng(random.Random(f"scan:{options.seed}:{page}").getrandbits(32))
    a = np.asarray(image.convert("L"), dtype=np.float32)
    # ink and paper are never pure black and white
    a = options.ink + (a / 255.0) * (options.paper - options.ink)
    if options.angle:
        h, w = a.shape
        m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), options.angle, 1.0)
        a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                           borderValue=float(options.paper))
    if options.blur > 0:
        a = cv2.GaussianBlur(a, (0, 0), options.blur)
    if options.noise > 0:
        a = a + rng.normal(0.0, options.noise * 255.0, a.shape).astype(np.float32)
    if options.specks > 0:
        n = int(a.size * options.specks)
        ys = rng.integers(0, a.shape[0], n)
        xs = rng.integers(0, a.shape[1], n)
        a[ys, xs] = options.ink + rng.uniform(0, 80, n)
    a = np.clip(a, 0, 255).astype(np.uint8)
    out = Image.fromarray(a, "L")
    turns = options.quarter_turns % 4
    if turns:
        out = out.transpose({1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180,
                             3: Image.Transpose.ROTATE_270}[turns])
    return out


def scan_images(pdf_bytes: bytes, options: ScanOptions | None = None, **kw) -> list[Image.Image]:
    """The degraded page images (greyscale, not yet JPEG-encoded)."""
    o = options or ScanOptions(**kw)
    return [degrade(img, o, i) for i, img in enumerate(render_pages(pdf_bytes, o.dpi))]


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=int(quality), dpi=(image.info.get("dpi") or (200, 200)))
    return buf.getvalue()


def images_to_pdf(jpegs: Sequence[tuple[bytes, int, int, str]], dpi: int) -> bytes:
    """A PDF whose pages are the given JPEGs (bytes, width, height, 'L' or 'RGB'), one per page,
    each page sized so that the image fills it at `dpi`.  No text layer."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages = add(b"")
    kids = []
    for data, w, h, mode in jpegs:
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        cs = b"/DeviceGray" if mode == "L" else b"/DeviceRGB"
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                  b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, cs, len(data))
                  + data + b"\nendstream")
        content = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q" % (pw, ph)
        cont = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] "
                        b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages, pw, ph, img, cont)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                          + b"] /Count %d >>" % len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def simulate_scan(pdf_bytes: bytes, dpi: int = 200, angle: float = 0.0, noise: float = 0.03,
                  jpeg_quality: int = 75, quarter_turns: int = 0, seed: int = 0, **kw) -> bytes:
    """A scanned copy of the PDF: image-only pages (JPEG inside a PDF), no text layer."""
    o = ScanOptions(dpi=dpi, angle=angle, noise=noise, jpeg_quality=jpeg_quality or 90,
                    quarter_turns=quarter_turns, seed=seed, **kw)
    pages = []
    for img in scan_images(pdf_bytes, o):
        pages.append((_jpeg(img, o.jpeg_quality), img.width, img.height, "L"))
    return images_to_pdf(pages, o.dpi)


def simulate_scan_image(pdf_bytes: bytes, format: str = "png", dpi: int = 200, angle: float = 0.0,
                        noise: float = 0.03, jpeg_quality: int = 75, quarter_turns: int = 0,
                        seed: int = 0, pages: Sequence[int] | None = None, **kw) -> bytes:
    """The scan as an image file: "png" or "jpeg" (the first of `pages`, 1-based; default page 1)
    or "tiff" (every page of `pages`, default all, one frame each).  The dpi is written into the
    file.  JPEG artefacts are applied (`jpeg_quality`) before a PNG or TIFF is written."""
    o = ScanOptions(dpi=dpi, angle=angle, noise=noise, jpeg_quality=jpeg_quality,
                    quarter_turns=quarter_turns, seed=seed, **kw)
    images = scan_images(pdf_bytes, o)
    if pages is not None:
        images = [images[p - 1] for p in pages]
    if o.jpeg_quality:
        images = [Image.open(io.BytesIO(_jpeg(im, o.jpeg_quality))).convert("L") for im in images]
    fmt = format.lower()
    buf = io.BytesIO()
    if fmt in ("jpeg", "jpg"):
        images[0].save(buf, "JPEG", quality=int(o.jpeg_quality or 90), dpi=(dpi, dpi))
    elif fmt == "png":
        images[0].save(buf, "PNG", dpi=(dpi, dpi))
    elif fmt in ("tiff", "tif"):
        images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi),
                       compression="tiff_deflate")
    else:
        raise ValueError(f"format must be png, jpeg or tiff, not {format!r}")
    return buf.getvalue()


# --- a small report page with a ruled table of known numbers (reportlab) ------------------

def table_page_pdf(title: str, heading: str, header: Sequence[str],
                   rows: Sequence[tuple[str, Sequence[int | None]]],
                   label_width: float = 190.0, col_width: float = 44.0, row_height: float = 22.0,
                   font_size: float = 9.0) -> bytes:
    """One A4 page: a centred title, a section heading, and a fully ruled table whose first
    column holds the row labels and the others the numbers (None: an empty cell)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    pw, ph = A4
    c.setFont(font, 16)
    c.drawCentredString(pw / 2, ph - 70, title)
    c.setFont(font, 12)
    c.drawString(60, ph - 110, heading)
    ncols = max(len(n) for _, n in rows)
    xs = [50.0, 50.0 + label_width]
    for _ in range(ncols):
        xs.append(xs[-1] + col_width)
    top = ph - 135
    all_rows = [("", list(header))] + [(label, list(nums)) for label, nums in rows] if header else \
        [(label, list(nums)) for label, nums in rows]
    c.setFont(font, font_size)
    for i, (label, cells) in enumerate(all_rows):
        y = top - i * row_height - row_height / 2 - font_size * 0.35
        if label:
            c.drawString(xs[0] + 4, y, label)
        for j, v in enumerate(cells):
            if v is None or v == "":
                continue
            c.drawCentredString((xs[j + 1] + xs[j + 2]) / 2, y, str(v))
    c.setLineWidth(0.8)
    bottom = top - len(all_rows) * row_height
    for i in range(len(all_rows) + 1):
        c.line(xs[0], top - i * row_height, xs[-1], top - i * row_height)
    for x in xs:
        c.line(x, top, x, bottom)
    c.showPage()
    c.save()
    return buf.getvalue()


__all__ = ["ScanOptions", "degrade", "images_to_pdf", "render_pages", "scan_images", "simulate_scan",
           "simulate_scan_image", "table_page_pdf"]
