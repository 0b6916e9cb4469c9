"""Evidence images: a PDF page rendered with a cell's box drawn on it.

pypdfium2 renders when installed, else poppler's pdftoppm.  Boxes are PDF points with
the origin at the top left (spec/output.md)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

BOX_COLOUR = (220, 30, 30)


class PageNotFound(Exception):
    pass


def render_page(pdf: bytes, page: int, scale: float = 2.0):
    """The page (1-based) as a PIL image at `scale` pixels per point."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return _render_poppler(pdf, page, scale)
    doc = pdfium.PdfDocument(pdf)
    try:
        if page < 1 or page > len(doc):
            raise PageNotFound(page)
        p = doc[page - 1]
        image = p.render(scale=scale).to_pil().convert("RGB")
        p.close()
        return image
    finally:
        doc.close()


def _render_poppler(pdf: bytes, page: int, scale: float):
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("neither pypdfium2 nor pdftoppm is available to render PDF pages")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        out = Path(tmp) / "page"
        res = subprocess.run([exe, "-f", str(page), "-l", str(page), "-r", str(int(72 * scale)), "-png",
                              "-singlefile", str(src), str(out)], capture_output=True, timeout=60)
        png = out.with_suffix(".png")
        if res.returncode != 0 or not png.exists():
            raise PageNotFound(page)
        with Image.open(png) as im:
            return im.convert("RGB")


def evidence_png(pdf: bytes, page: int, bbox: list[float] | None = None, crop: bool = False,
                 scale: float = 2.0, margin: float = 60.0) -> bytes:
    from PIL import ImageDraw

    image = render_page(pdf, page, scale)
    if bbox:
        x0, y0, x1, y1 = (v * scale for v in bbox)
        draw = ImageDraw.Draw(image)
        pad = 2 * scale
        draw.rectangle([x0 - pad, y0 - pad, x1 + pad, y1 + pad], outline=BOX_COLOUR, width=max(2, int(scale)))
        if crop:
            m = margin * scale
            # The full width (so the row label shows) and a band above and below the cell.
            box = (0, max(0, int(y0 - m)), image.width, min(image.height, int(y1 + m)))
            image = image.crop(box)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
