"""Scanned PDFs and page images -> the same pages as the PDF text reader (offline OCR).

Each page goes image -> upright -> straight -> text boxes -> characters -> the layout path of
PDF characters (``nianbao.layout.words.page_lines``), so a scan and a text PDF of the same
report reach the table reader in the same form: ``PdfPageText`` with ``chars``, ``edges``
and ``lines`` in PDF points, origin top-left.

* Images: a PDF page that is one scanned image is rendered with pypdfium2 at that image's own
  resolution (150-300 dpi), any other page at ``OcrOptions.dpi`` (200); an image file is a page
  at its own dpi (200 when it does not say, or says something absurd).  A point is dpi/72
  pixels.  Sizes are checked from the header before any pixel is decoded: a page over
  ``max_pixels`` is ``DocumentTooLarge``; a truncated or corrupt file is ``UnreadableDocument``;
  a file with more pages than ``Settings.max_pages`` is refused before the first page is read,
  and a run stops with ``DocumentTooLarge`` once it has used ``time_budget`` seconds.
* Orientation: text lines are detected on a copy of about 140 dpi; lines standing upright mean
  a page turned by 90 degrees; rapidocr's direction classifier votes on the widest lines for
  0 or 180 degrees.
* Tilt: long thin horizontal runs of ink (the rules; the text lines where there are none) are
  each fitted with a straight line; their weighted median angle, when over 0.05 degrees (and
  at most ``max_skew``), is turned back.  A page tilted by half a degree gives straight rows.
* Text: rapidocr (PP-OCRv6 small models bundled in its wheel, given to it by path, so nothing
  is looked up or downloaded; missing files are an error) reads each text box from the
  full-resolution page, with per-character positions (its CTC columns) and confidences.  Ink
  the detector left out (a faint 一、 before a label, a lone digit) gets boxes of its own, and
  boxes that continue each other on a line with no rule between them are read as one.
  Character boxes take their x from the recognizer's positions and their top and bottom from
  the ink of the line (the detector's boxes are larger than the glyphs and would cross the
  rules of tight table rows).  ASCII ( ) : , ; next to Chinese become full-width, as in the
  text layer of the same report.
* Rules: horizontal and vertical ruling lines are found by morphology (long thin runs of ink,
  not mostly inside a text box) and become ``Edge`` objects.
* Numbers: a word that looks like a number except for a few letters the recognizer confuses
  with digits (O->0, l/I/|->1, S->5, B->8, ...) gets those digits; such characters and every
  letter, digit or Chinese character read with a confidence under ``low_confidence`` are
  listed in ``OcrPageText.suspects``; every character keeps its confidence
  (``OcrChar.confidence``, 0..1); ``OcrPageText.confidence`` is the page's mean.

Needs the ``ocr`` extra (``pip install nianbao[ocr]``): rapidocr, onnxruntime, opencv, numpy,
pillow, pypdfium2.  Without it every entry point raises ``OcrNotInstalled`` (a
``ScannedDocument``) with one line that says what to install.
"""

from __future__ import annotations

import io
import math
import re
import threading
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from nianbao.errors import DocumentTooLarge, ScannedDocument, UnreadableDocument
from nianbao.layout.objects import Char, Edge
from nianbao.layout.words import is_cjk, page_lines
from nianbao.readers.pdf import PdfPageText
from nianbao.settings import Settings

INSTALL_HINT = "pip install 'nianbao[ocr]'"


class OcrNotInstalled(ScannedDocument):
    """A scan was given but the OCR packages (or rapidocr's bundled models) are not there."""

    code = "ocr_not_installed"


# --- what comes out ----------------------------------------------------------------------


@dataclass(frozen=True)
class OcrChar(Char):
    """A character read by OCR: a Char with the recognizer's confidence (0..1)."""

    confidence: float = 1.0
    # What the recognizer read when a digit fix changed it (O -> 0), else None.
    recognized: str | None = None


@dataclass(frozen=True)
class Suspect:
    """A character to look at: read with a low confidence, or changed into a digit."""

    page: int
    text: str
    recognized: str
    confidence: float
    bbox: tuple[float, float, float, float]  # PDF points, origin top-left
    reason: str  # "low_confidence" | "digit_fixed"

    def to_dict(self) -> dict:
        return {"page": self.page, "text": self.text, "recognized": self.recognized,
                "confidence": round(self.confidence, 4), "bbox": [round(v, 2) for v in self.bbox],
                "reason": self.reason}


@dataclass(frozen=True)
class OcrPageText(PdfPageText):
    """A PdfPageText read by OCR, with how it was read."""

    dpi: float = 200.0  # pixels per inch of the image the page was read from
    rotation: int = 0  # degrees (0, 90, 180, 270, clockwise) the page was turned to stand upright
    skew: float = 0.0  # degrees of tilt that were removed (counter-clockwise positive)
    confidence: float = 1.0  # mean confidence of the page's characters (1.0 for a page without text)
    suspects: tuple[Suspect, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class OcrOptions:
    dpi: int = 200  # rendering of PDF pages
    default_image_dpi: int = 200  # an image that does not tell its dpi
    max_pixels: int = 80_000_000  # one page image, decoded (e.g. A3 at 600 dpi is 70 Mpx)
    work_max_side: int = 3600  # larger pages are scaled down before OCR (A4 at 300 dpi is 3508)
    det_side: int = 1600  # text detection runs on a copy this long (A4: about 140 dpi); reading uses all
    det_box_thresh: float = 0.3  # rapidocr's 0.5 misses a lone 一、 or 二、 at the start of a label
    low_confidence: float = 0.8  # characters under this are suspects
    text_score: float = 0.4  # text lines under this are dropped (rapidocr's default is 0.5)
    time_budget: float = 1800.0  # seconds for one document
    orient: bool = True
    deskew: bool = True
    max_skew: float = 5.0  # degrees; a measured tilt beyond this is not trusted

    @classmethod
    def from_settings(cls, settings: Settings | None) -> "OcrOptions":
        """Options from `settings`: any field named ``ocr_<field>`` there overrides the default."""
        base = cls()
        if settings is None:
            return base
        over = {}
        for name in base.__dataclass_fields__:
            value = getattr(settings, f"ocr_{name}", None)
            if value is not None:
                over[name] = value
        return replace(base, **over)


# --- entry points --------------------------------------------------------------------------


def ocr_pdf(data: bytes, settings: Settings, pages: Iterable[int] | None = None,
            options: OcrOptions | None = None) -> list[OcrPageText]:
    """OCR the pages of a PDF (all, or the 1-based `pages`), in order."""
    opts = options or OcrOptions.from_settings(settings)
    _require()
    return _run(_pdf_images(data, settings, opts, pages), opts)


def ocr_image(data: bytes, settings: Settings, options: OcrOptions | None = None) -> list[OcrPageText]:
    """OCR an image file (PNG, JPEG, TIFF with any number of pages, BMP, GIF)."""
    opts = options or OcrOptions.from_settings(settings)
    _require()
    return _run(_file_images(data, settings, opts), opts)


def ocr_pages(images_or_pdf: Any, settings: Settings, options: OcrOptions | None = None) -> list[OcrPageText]:
    """OCR whatever is given: PDF bytes, image-file bytes, or a sequence of page images
    (PIL images, or numpy arrays: greyscale or RGB) with an optional dpi each, as
    ``(image, dpi)`` pairs."""
    if isinstance(images_or_pdf, (bytes, bytearray, memoryview)):
        data = bytes(images_or_pdf)
        if b"%PDF-" in data[:1024]:
            return ocr_pdf(data, settings, options=options)
        return ocr_image(data, settings, options=options)
    opts = options or OcrOptions.from_settings(settings)
    _require()
    return _run(_given_images(images_or_pdf, settings, opts), opts)


def pages_without_text(data: bytes, min_chars: int = 16) -> list[int]:
    """The 1-based numbers of the PDF pages whose text layer has fewer than `min_chars`
    visible characters (the pages that need OCR in a PDF that is partly scanned)."""
    pdfium = _import("pypdfium2")
    doc = _open_pdf(pdfium, data)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            try:
                text = page.get_textpage().get_text_range()
            except Exception:
                text = ""
            if sum(1 for ch in text if not ch.isspace()) < min_chars:
                out.append(i + 1)
            page.close()
        return out
    finally:
        doc.close()


def image_share(data: bytes, pages: Iterable[int]) -> dict[int, float]:
    """For the 1-based `pages`, the share of the page that image objects cover (summed, at
    most 1): a scanned page is one image (or strips of one); an exported page has none."""
    pdfium = _import("pypdfium2")
    doc = _open_pdf(pdfium, data)
    try:
        out = {}
        for number in pages:
            page = doc[number - 1]
            try:
                w, h = page.get_size()
                area = 0.0
                for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):
                    left, bottom, right, top = obj.get_bounds()
                    area += max(0.0, right - left) * max(0.0, top - bottom)
                out[number] = min(1.0, area / (w * h)) if w > 0 and h > 0 else 0.0
            finally:
                page.close()
        return out
    finally:
        doc.close()


def confidence_in(page: PdfPageText, bbox: Sequence[float]) -> float | None:
    """The lowest confidence of the OCR characters whose centre lies in `bbox` (x0, top, x1,
    bottom, PDF points) on `page`; None when there is none (or the page was not OCR'd).
    A cell's ``bbox`` gives the confidence of its value this way."""
    x0, top, x1, bottom = bbox
    confs = [c.confidence for c in page.chars if isinstance(c, OcrChar) and c.text.strip()
             and x0 - 0.5 <= (c.x0 + c.x1) / 2 <= x1 + 0.5 and top - 0.5 <= c.yc <= bottom + 0.5]
    return min(confs) if confs else None


def suspects_in(page: PdfPageText, bbox: Sequence[float]) -> list[Suspect]:
    """The suspects of `page` (low confidence, digit fixed) whose centre lies in `bbox`."""
    x0, top, x1, bottom = bbox
    return [s for s in getattr(page, "suspects", ())
            if x0 - 0.5 <= (s.bbox[0] + s.bbox[2]) / 2 <= x1 + 0.5
            and top - 0.5 <= (s.bbox[1] + s.bbox[3]) / 2 <= bottom + 0.5]


def ocr_available() -> str | None:
    """None when OCR can run here, else one line saying why not."""
    try:
        _require()
    except OcrNotInstalled as exc:
        return exc.message
    return None


# --- packages and the engine ----------------------------------------------------------------

_MODULES: dict[str, Any] = {}
_ENGINE = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()  # one page at a time: onnxruntime uses every core for one page
# Inside one text box, characters closer than this (share of the height) belong together.
RUN_GAP = 1.0
# At most this many boxes are added for ink the detector left out.
MAX_ORPHANS = 200

# rapidocr 3.10's defaults, shipped inside its wheel (rapidocr/models/).
_MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
                "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


def _import(name: str):
    if name not in _MODULES:
        try:
            _MODULES[name] = __import__(name)
        except ImportError as exc:
            raise OcrNotInstalled(
                f"扫描件需要 OCR，但未安装 OCR 组件（缺少 {name}），请执行 {INSTALL_HINT} "
                f"(OCR packages are not installed: {name} is missing; install them with {INSTALL_HINT})"
            ) from exc
    return _MODULES[name]


def _require() -> None:
    for name in ("numpy", "cv2", "PIL", "pypdfium2", "onnxruntime", "rapidocr"):
        _import(name)
    _model_paths()


def _model_paths() -> dict[str, Path]:
    rapidocr = _import("rapidocr")
    root = Path(rapidocr.__file__).resolve().parent / "models"
    paths = {k: root / f for k, f in _MODEL_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrNotInstalled(
            f"OCR 模型文件缺失：{missing[0]}；请重新安装 rapidocr（nianbao 不会在运行时下载模型） "
            f"(rapidocr's bundled model is missing: {missing[0]}; reinstall rapidocr>=3.10,<3.11; "
            "nianbao never downloads models)")
    return paths


class _Engine:
    """rapidocr's three models, called one by one (detection on a reduced copy of the page,
    recognition on crops of the full-resolution page).  Models are given by path, so rapidocr
    has nothing to look up or download."""

    def __init__(self, opts: OcrOptions):
        from rapidocr import RapidOCR

        paths = _model_paths()
        self.ocr = RapidOCR(params={
            "Global.log_level": "error",
            "Det.model_path": str(paths["Det"]),
            "Rec.model_path": str(paths["Rec"]),
            "Cls.model_path": str(paths["Cls"]),
        })
        try:
            self.det = self.ocr._load_det_model()
            self.cls = self.ocr._load_cls_model()
            self.rec = self.ocr._load_rec_model()
            from rapidocr.ch_ppocr_rec import TextRecInput

            self._rec_input = TextRecInput
        except (AttributeError, ImportError) as exc:  # another rapidocr than the one pinned
            raise OcrNotInstalled(
                f"rapidocr 版本不兼容，请安装 rapidocr>=3.10,<3.11 (incompatible rapidocr: {exc})") from exc

    def detect(self, gray):
        """Text-line quads (N x 4 x 2, float32, tl tr br bl) of a greyscale image."""
        cv2, np = _import("cv2"), _import("numpy")
        res = self.det(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
        boxes = getattr(res, "boxes", None)
        if boxes is None or len(boxes) == 0:
            return np.zeros((0, 4, 2), dtype=np.float32)
        return np.asarray(boxes, dtype=np.float32).reshape(-1, 4, 2)

    def classify(self, crops) -> list[tuple[str, float]]:
        cv2 = _import("cv2")
        if not crops:
            return []
        res = self.cls([cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops])
        return [(str(label), float(score)) for label, score in (res.cls_res or [])]

    def recognize(self, crops) -> list[tuple[str, float, Any]]:
        """(text, score, WordInfo or None) per crop."""
        cv2 = _import("cv2")
        if not crops:
            return []
        res = self.rec(self._rec_input(img=[cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops],
                                       return_word_box=True))
        words = list(res.word_results or [None] * len(crops))
        return [(str(t), float(s), w) for t, s, w in zip(res.txts, res.scores, words)]


def _engine(opts: OcrOptions) -> _Engine:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = _Engine(opts)
        return _ENGINE


# --- page images -----------------------------------------------------------------------------


@dataclass
class _PageImage:
    number: int
    gray: Any  # numpy uint8, H x W
    dpi: float


def _too_large_pixels(w: int, h: int, limit: int) -> DocumentTooLarge:
    return DocumentTooLarge(
        f"图像过大（{w}×{h} 像素，上限 {limit:,} 像素） "
        f"(an image of {w}x{h} pixels is over the limit of {limit:,} pixels)")


def _check_count(count: int, settings: Settings, what: str) -> None:
    if count == 0:
        raise UnreadableDocument(f"{what}中没有页面 (no pages)")
    if count > settings.max_pages:
        raise DocumentTooLarge(
            f"{what}页数过多（{count} 页，上限 {settings.max_pages} 页） "
            f"(it has {count} pages; the limit is {settings.max_pages})")


def _open_pdf(pdfium, data: bytes):
    try:
        return pdfium.PdfDocument(data)
    except Exception as exc:
        msg = " ".join(str(exc).split())[:160]
        if "password" in msg.lower():
            raise UnreadableDocument("PDF 已加密，需要密码才能打开 (the PDF is password-protected)") from exc
        raise UnreadableDocument(
            f"PDF 文件已损坏或不完整，无法打开 (corrupt or truncated PDF: {msg or type(exc).__name__})") from exc


def _pdf_images(data: bytes, settings: Settings, opts: OcrOptions,
                pages: Iterable[int] | None) -> Iterator[_PageImage]:
    pdfium = _import("pypdfium2")
    np = _import("numpy")
    doc = _open_pdf(pdfium, data)
    try:
        count = len(doc)
        _check_count(count, settings, "PDF ")
        wanted = sorted(set(pages)) if pages is not None else list(range(1, count + 1))
        for number in wanted:
            if not 1 <= number <= count:
                raise ValueError(f"page {number} is not in 1..{count}")
            page = doc[number - 1]
            try:
                w, h = page.get_size()
                scale = _scan_dpi(page, w, h, opts) / 72.0
                if w * h * scale * scale > opts.max_pixels:
                    scale = math.sqrt(opts.max_pixels / max(w * h, 1.0))
                if scale * 72.0 < 50 or w <= 0 or h <= 0:
                    raise DocumentTooLarge(
                        f"PDF 第 {number} 页尺寸过大（{w:.0f}×{h:.0f} 点），无法识别 "
                        f"(page {number} is {w:.0f}x{h:.0f} points, too large to OCR)")
                try:
                    bitmap = page.render(scale=scale, grayscale=True)
                    img = bitmap.to_numpy()
                except Exception as exc:
                    raise UnreadableDocument(
                        f"PDF 第 {number} 页无法渲染 (page {number} cannot be rendered: {type(exc).__name__})"
                    ) from exc
                if img.ndim == 3:
                    img = img[:, :, :3].mean(axis=2).astype(np.uint8) if img.shape[2] >= 3 else img[:, :, 0]
                yield _PageImage(number, np.ascontiguousarray(img), scale * 72.0)
            finally:
                page.close()
    finally:
        doc.close()


def _scan_dpi(page, w: float, h: float, opts: OcrOptions) -> float:
    """The resolution to render a page at: a page that is one scanned image is rendered at the
    image's own resolution (no resampling), between 150 and 300 dpi; any other at `opts.dpi`."""
    try:
        import pypdfium2.raw as pdfium_c

        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
        if len(images) != 1:
            return float(opts.dpi)
        left, bottom, right, top = images[0].get_bounds()
        if (right - left) * (top - bottom) < 0.85 * w * h:
            return float(opts.dpi)
        px_w, px_h = images[0].get_px_size()
        native = max(px_w / ((right - left) / 72.0), px_h / ((top - bottom) / 72.0))
        if abs(native - round(native)) < 0.1:
            native = float(round(native))
        return float(min(300.0, max(150.0, native)))
    except Exception:
        return float(opts.dpi)


def _file_images(data: bytes, settings: Settings, opts: OcrOptions) -> Iterator[_PageImage]:
    from PIL import Image, ImageSequence

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own check of the header (Image.MAX_IMAGE_PIXELS) came first
            m = re.search(r"\((\d+) pixels\)", str(exc))
            size = f"{int(m.group(1)):,} 像素" if m else "像素数"
            raise DocumentTooLarge(
                f"图像过大（{size}，疑似解压炸弹，上限 {opts.max_pixels:,} 像素） "
                f"(image too large: {m.group(1) + ' pixels' if m else 'over the pixel limit'}, "
                f"the limit is {opts.max_pixels:,})") from exc
        except Exception as exc:
            raise UnreadableDocument(
                f"图像文件已损坏或格式无法识别 (unreadable image: {type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:120]})") from exc
        # Every frame's size from its header, before any pixel is decoded.
        try:
            count = getattr(im, "n_frames", 1) or 1
        except Exception as exc:
            raise UnreadableDocument(f"图像文件已损坏 (corrupt image: {type(exc).__name__})") from exc
        _check_count(count, settings, "图像")
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            if i > count:
                break
            w, h = frame.size
            if w * h > opts.max_pixels:
                raise _too_large_pixels(w, h, opts.max_pixels)
            if w < 8 or h < 8:
                raise UnreadableDocument(f"图像太小（{w}×{h} 像素） (image of {w}x{h} pixels is too small)")
            dpi = _image_dpi(frame, opts)
            gray = _decode(frame, i)
            yield _PageImage(i, gray, dpi)


def _image_dpi(im, opts: OcrOptions) -> float:
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0]) if isinstance(dpi, (tuple, list)) else float(dpi)
    except (TypeError, ValueError, IndexError):
        x = 0.0
    if abs(x - round(x)) < 0.1:  # PNG keeps dots per metre: 200 dpi comes back as 199.9994
        x = float(round(x))
    return x if 50 <= x <= 1200 else float(opts.default_image_dpi)


def _decode(frame, number: int):
    """A PIL frame -> greyscale uint8 array; truncated data is UnreadableDocument."""
    from PIL import Image, ImageOps

    np = _import("numpy")
    try:
        frame.load()
        im = frame
        try:
            im = ImageOps.exif_transpose(frame)
        except Exception:
            pass
        if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
            a = np.asarray(im, dtype=np.float32)
            lo, hi = float(a.min()), float(a.max())
            a = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
            return np.ascontiguousarray(a.astype(np.uint8))
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            rgba = im.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, rgba)
        return np.ascontiguousarray(np.asarray(im.convert("L"), dtype=np.uint8))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableDocument(
            f"图像第 {number} 页数据不完整或已损坏 (image page {number} is truncated or corrupt: "
            f"{' '.join(str(exc).split())[:120]})") from exc


def _given_images(items: Sequence, settings: Settings, opts: OcrOptions) -> Iterator[_PageImage]:
    np = _import("numpy")
    items = list(items)
    _check_count(len(items), settings, "")
    for i, item in enumerate(items, start=1):
        dpi = None
        if isinstance(item, tuple):
            item, dpi = item
        if hasattr(item, "convert") and hasattr(item, "size"):  # PIL
            w, h = item.size
            if w * h > opts.max_pixels:
                raise _too_large_pixels(w, h, opts.max_pixels)
            dpi = dpi or _image_dpi(item, opts)
            gray = _decode(item, i)
        else:
            a = np.asarray(item)
            if a.shape[0] * a.shape[1] > opts.max_pixels:
                raise _too_large_pixels(a.shape[1], a.shape[0], opts.max_pixels)
            if a.ndim == 3:
                a = a[:, :, :3].mean(axis=2)
            gray = np.ascontiguousarray(np.clip(a, 0, 255).astype(np.uint8))
        yield _PageImage(i, gray, float(dpi or opts.default_image_dpi))


# --- the run ---------------------------------------------------------------------------------


def _run(images: Iterator[_PageImage], opts: OcrOptions) -> list[OcrPageText]:
    start = time.monotonic()
    out = []
    for page in images:
        if time.monotonic() - start > opts.time_budget:
            raise DocumentTooLarge(
                f"OCR 超时：{len(out)} 页用去 {time.monotonic() - start:.0f} 秒，上限 {opts.time_budget:.0f} 秒 "
                f"(OCR ran out of time after {len(out)} pages; the budget is {opts.time_budget:.0f} s)")
        out.append(ocr_page_image(page.gray, page.dpi, page.number, opts))
    return out


def ocr_page_image(gray, dpi: float, number: int = 1, opts: OcrOptions | None = None) -> OcrPageText:
    """One greyscale page image (numpy uint8, H x W) at `dpi` -> an OcrPageText in points."""
    opts = opts or OcrOptions()
    _require()
    if _blank(gray):
        k = 72.0 / float(dpi)
        h, w = gray.shape[:2]
        return OcrPageText(number=number, text="", width=w * k, height=h * k, dpi=float(dpi))
    eng = _engine(opts)
    with _RUN_LOCK:
        return _read_page(eng, gray, float(dpi), number, opts)


BLANK_INK_SHARE = 2e-5  # a page image with fewer dark pixels than this share has nothing to read


def _blank(gray) -> bool:
    """No ink at all (an empty page of an export, a white scan): nothing to detect."""
    np = _import("numpy")
    return int(np.count_nonzero(gray < 160)) < BLANK_INK_SHARE * gray.size


def _read_page(eng: _Engine, gray, dpi: float, number: int, opts: OcrOptions) -> OcrPageText:
    cv2, np = _import("cv2"), _import("numpy")
    t0 = time.monotonic()
    eng.det.postprocess_op.box_thresh = opts.det_box_thresh
    gray, dpi = _normalize_resolution(gray, dpi, opts)
    small, f = _small_copy(gray, opts.det_side)
    quads = eng.detect(small)
    rotation = 0
    if opts.orient:
        if _sideways(quads):
            gray, small = _rot90(gray, 1), _rot90(small, 1)
            quads = eng.detect(small)
            rotation = 90
        if _upside_down(eng, small, quads):
            gray, small = _rot90(gray, 2), _rot90(small, 2)
            h, w = small.shape[:2]
            quads = np.stack([w - quads[..., 0], h - quads[..., 1]], axis=-1)[:, [2, 3, 0, 1], :] \
                if len(quads) else quads
            rotation = (rotation + 180) % 360
    quads = quads / f
    skew = 0.0
    if opts.deskew:
        skew = _estimate_skew(small, quads * f, opts)
        if abs(skew) > 0.05:
            gray, m = _rotate(gray, skew)
            if len(quads):
                pts = quads.reshape(-1, 2)
                pts = pts @ m[:, :2].T + m[:, 2]
                quads = pts.reshape(-1, 4, 2).astype(np.float32)
    binary = _binarize(gray)
    boxes = [_rect(q) for q in quads]
    em = _median_height(boxes)
    rule_mask, edges_px = _rules(binary, boxes, em, dpi)
    ink = cv2.bitwise_and(binary, cv2.bitwise_not(rule_mask))
    extra = _orphans(ink, boxes, em)
    weak = [False] * len(quads) + [True] * len(extra)
    if len(extra):
        quads = np.concatenate([quads.reshape(-1, 4, 2), extra]).astype(np.float32)
    quads, weak = _merge_adjacent(quads, edges_px, weak)
    # read the text with the ruling lines painted over: a rule right next to a digit ("|0")
    # is otherwise read as a 1
    lines = _recognize(eng, _without(gray, rule_mask), quads, opts, weak)
    k = 72.0 / dpi
    chars = _chars(lines, ink, k)
    edges = [Edge(o, x0 * k, x1 * k, t * k, b * k) for o, x0, x1, t, b in edges_px]
    chars, suspects_fixed = _fix_digits(chars, edges, number)
    plines = page_lines(chars, edges, number)
    text = "\n".join(ln.text for ln in plines)
    suspects = list(suspects_fixed)
    for c in chars:
        if isinstance(c, OcrChar) and c.recognized is None and c.confidence < opts.low_confidence \
                and (c.text.isalnum() or is_cjk(c.text) and c.text.isalpha()):
            suspects.append(Suspect(number, c.text, c.text, c.confidence, (c.x0, c.top, c.x1, c.bottom),
                                    "low_confidence"))
    confs = [c.confidence for c in chars if isinstance(c, OcrChar) and c.text.strip()]
    h, w = gray.shape[:2]
    return OcrPageText(number=number, text=text, width=w * k, height=h * k, chars=tuple(chars),
                       edges=tuple(edges), lines=tuple(plines), dpi=dpi, rotation=rotation,
                       skew=round(skew, 3), confidence=float(sum(confs) / len(confs)) if confs else 1.0,
                       suspects=tuple(sorted(suspects, key=lambda s: (s.bbox[1], s.bbox[0]))),
                       seconds=round(time.monotonic() - t0, 3))


# --- image steps -----------------------------------------------------------------------------


def _without(gray, mask):
    """`gray` with the pixels of `mask` painted in the page's background tone."""
    np = _import("numpy")
    if not mask.any():
        return gray
    out = gray.copy()
    out[mask > 0] = int(np.median(gray[::4, ::4]))
    return out


def _normalize_resolution(gray, dpi: float, opts: OcrOptions):
    cv2 = _import("cv2")
    h, w = gray.shape[:2]
    side = max(h, w)
    if side > opts.work_max_side:
        f = opts.work_max_side / side
        gray = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
        dpi *= f
    elif dpi < 140 and side * 200 / dpi <= opts.work_max_side:
        # a coarse scan: enlarge so that table digits are tall enough for the recognizer
        f = 200.0 / dpi
        gray = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC)
        dpi = 200.0
    return gray, dpi


def _small_copy(gray, side: int):
    cv2 = _import("cv2")
    h, w = gray.shape[:2]
    f = min(1.0, side / max(h, w))
    if f < 1.0:
        return cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA), f
    return gray, 1.0


def _box_dims(box) -> tuple[float, float]:
    np = _import("numpy")
    w = (np.linalg.norm(box[0] - box[1]) + np.linalg.norm(box[3] - box[2])) / 2
    h = (np.linalg.norm(box[0] - box[3]) + np.linalg.norm(box[1] - box[2])) / 2
    return float(w), float(h)


def _rot90(gray, quarter_turns_cw: int):
    cv2 = _import("cv2")
    q = quarter_turns_cw % 4
    if q == 0:
        return gray
    return cv2.rotate(gray, {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180,
                             3: cv2.ROTATE_90_COUNTERCLOCKWISE}[q])


def _sideways(quads) -> bool:
    """Do the page's text lines stand upright (a page turned by 90 degrees)?"""
    wide = tall = 0
    for b in quads:
        w, h = _box_dims(b)
        if w > 2.5 * h and w > 20:
            wide += 1
        elif h > 2.5 * w and h > 20:
            tall += 1
    return tall >= 3 and tall > 2 * wide


def _crop(gray, quad, vertical: bool = False):
    """The image under a quad (tl tr br bl), straightened; a vertical line is turned to read
    left to right.  Returns (crop, length of the quad along its text, pad added on the left)."""
    cv2, np = _import("cv2"), _import("numpy")
    q = np.asarray(quad, dtype=np.float32)
    w = int(round(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))))
    h = int(round(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    w, h = max(w, 2), max(h, 2)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(q, dst)
    crop = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    if vertical:
        return np.ascontiguousarray(np.rot90(crop)), h, 0
    pad = 0
    if w < h:  # a lone digit: give it some paper on both sides
        pad = (h - w + 1) // 2
        paper = int(np.percentile(crop, 90))
        crop = cv2.copyMakeBorder(crop, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=paper)
    return crop, w, pad


def _upside_down(eng: _Engine, small, quads, sample: int = 16) -> bool:
    """Do the widest text lines of the page read upside down?  (rapidocr's 0/180 classifier.)"""
    cands = []
    for b in quads:
        w, h = _box_dims(b)
        if w > 3 * h and h >= 8:
            cands.append((w, b))
    cands.sort(key=lambda t: -t[0])
    crops = [_crop(small, b)[0] for _, b in cands[:sample]]
    up = down = 0.0
    for label, score in eng.classify(crops):
        if "180" in label:
            down += score
        else:
            up += score
    return down > 1.5 * up and down >= 2.0


def _binarize(gray):
    cv2 = _import("cv2")
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    binary = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 35, 18)
    # isolated specks of noise
    return cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))


def _estimate_skew(small, quads, opts: OcrOptions) -> float:
    """Tilt of the page in degrees (counter-clockwise positive), from the long ruling lines,
    or from the text lines where there are none; 0.0 when nothing can be measured."""
    cv2, np = _import("cv2"), _import("numpy")
    binary = _binarize(small)
    h, w = binary.shape
    # Long horizontal runs of ink: the rules, and the bodies of text lines.  Each run is
    # fitted with a straight line; a rule is thin, so its angle is exact to a few hundredths
    # of a degree.
    runs = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    runs = cv2.morphologyEx(runs, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 25), 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    angles, weights = [], []
    slope = math.tan(math.radians(opts.max_skew))
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        if cw < w // 4 or ch > cw * slope + 12 or area / cw > 12:
            continue  # short, or not a thin line (a block of text, a figure)
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        a = math.degrees(math.atan2(float(vy), float(vx)))
        if a > 90:
            a -= 180
        elif a < -90:
            a += 180
        if abs(a) <= opts.max_skew:
            angles.append(-a)  # y grows downwards: a run rising to the right is tilted counter-clockwise
            weights.append(float(cw) * (3.0 if area / cw < 7 else 1.0))  # thin rules count more
    if len(angles) >= 2:
        return _weighted_median(angles, weights)
    angles, weights = [], []
    for b in quads:
        bw, bh = _box_dims(b)
        if bw > 6 * bh and bw > 60:
            a = (math.degrees(math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0]))
                 + math.degrees(math.atan2(b[2][1] - b[3][1], b[2][0] - b[3][0]))) / 2
            if abs(a) <= opts.max_skew:
                angles.append(-a)
                weights.append(bw)
    if len(angles) >= 3:
        return _weighted_median(angles, weights)
    return 0.0


def _weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted(zip(values, weights))
    half = sum(weights) / 2
    acc = 0.0
    for v, w in pairs:
        acc += w
        if acc >= half:
            return float(v)
    return float(pairs[-1][0])


def _rotate(gray, angle: float):
    """Undo a counter-clockwise tilt of `angle` degrees: (image, the 2x3 matrix applied)."""
    cv2, np = _import("cv2"), _import("numpy")
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle, 1.0)
    border = int(np.percentile(gray[:: max(1, h // 100), :: max(1, w // 100)], 90))  # the paper
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=border)
    return out, m


# --- text lines -> characters ----------------------------------------------------------------


@dataclass
class _Line:
    text: str
    score: float
    box: tuple[float, float, float, float]  # axis-aligned, pixels
    vertical: bool = False
    # per character: (text, confidence, centre along the line in pixels: x, or y when vertical)
    chars: list[tuple[str, float, float]] | None = None


def _recognize(eng: _Engine, gray, quads, opts: OcrOptions, weak: list[bool] | None = None) -> list[_Line]:
    """Read every text box; a box made only of ink the detector left out (`weak`) must read
    clearly (score >= 0.8) and spell more than punctuation."""
    if len(quads) == 0:
        return []
    dims = [_box_dims(q) for q in quads]
    line_h = sorted(h for w, h in dims if w >= 1.5 * h) or sorted(h for _, h in dims)
    typical = line_h[len(line_h) // 2]
    weak = weak or [False] * len(quads)
    crops, meta = [], []
    for q, (w, h), wk in zip(quads, dims, weak):
        if w < 2 or h < 2:
            continue
        vertical = h >= 1.5 * w and h >= 1.8 * typical
        crop, length, pad = _crop(gray, q, vertical)
        crops.append(crop)
        meta.append((q, vertical, length, pad, crop.shape[1], wk))
    out = []
    for (text, score, info), (q, vertical, length, pad, cw, wk) in zip(eng.recognize(crops), meta):
        if not text.strip() or score < opts.text_score:
            continue
        if wk and (score < 0.8 or not any(ch.isalnum() for ch in text)):
            continue
        x0, y0 = q.min(axis=0)
        x1, y1 = q.max(axis=0)
        line = _Line(text, score, (float(x0), float(y0), float(x1), float(y1)), vertical)
        line.chars = _positions(text, score, info, q, vertical, pad, cw)
        out.append(line)
    return out


def _positions(text: str, score: float, info, q, vertical: bool, pad: int, cw: int):
    """Centre of each character along the line (page pixels), from the recognizer's CTC columns."""
    cols = [c for word in (getattr(info, "word_cols", None) or []) for c in word]
    confs = list(getattr(info, "confs", None) or [])
    steps = float(getattr(info, "line_txt_len", 0.0) or 0.0)
    visible = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    if not cols or len(cols) != len(visible) or steps <= 0:
        return None
    scale = cw / steps
    out = []
    for (i, ch), col in zip(visible, cols):
        along = (col + 0.5) * scale - pad  # pixels from the start of the quad
        conf = confs[i] if i < len(confs) else score
        if vertical:
            out.append((ch, float(conf), float(q[0][1] + along)))
        else:
            t = along / max(float(_import("numpy").linalg.norm(q[1] - q[0])), 1.0)
            out.append((ch, float(conf), float(q[0][0] + (q[1][0] - q[0][0]) * t)))
    return out


def _rect(q) -> tuple[float, float, float, float]:
    return float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max())


def _median_height(boxes: list[tuple[float, float, float, float]]) -> float:
    hs = sorted(b[3] - b[1] for b in boxes if b[2] - b[0] >= 1.5 * (b[3] - b[1]) > 0)
    return hs[len(hs) // 2] if hs else 30.0


def _orphans(ink, boxes, em: float):
    """Boxes for ink that the detector left out (a faint 一、 before a label, a lone digit in a
    cell): clusters of ink outside every text box, of the size of text."""
    cv2, np = _import("cv2"), _import("numpy")
    h, w = ink.shape
    covered = np.zeros_like(ink)
    grow = max(2, int(0.15 * em))
    for x0, y0, x1, y1 in boxes:
        cv2.rectangle(covered, (int(x0) - grow, int(y0) - grow), (int(x1) + grow, int(y1) + grow), 255, -1)
    rest = cv2.bitwise_and(ink, cv2.bitwise_not(covered))
    if not rest.any():
        return np.zeros((0, 4, 2), dtype=np.float32)
    joined = cv2.dilate(rest, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(0.5 * em)), max(3, int(0.3 * em)))))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, cw, ch, _ = stats[i]
        region = rest[y:y + ch, x:x + cw]
        pixels = int(np.count_nonzero(region))
        if pixels < max(12, 0.02 * em * em):
            continue
        ys, xs = np.nonzero(region)
        x0, x1 = x + xs.min(), x + xs.max() + 1
        y0, y1 = y + ys.min(), y + ys.max() + 1
        bw, bh = x1 - x0, y1 - y0
        if bh > 1.6 * em or bw > 12 * em or max(bw, bh) < 0.25 * em:
            continue
        # a text line's height around it, so that the recognizer sees a whole line
        cy = (y0 + y1) / 2
        half = max(bh, 0.8 * em) / 2 + 0.1 * em
        pad = 0.15 * em
        qx0, qx1 = max(0.0, x0 - pad), min(float(w), x1 + pad)
        qy0, qy1 = max(0.0, cy - half), min(float(h), cy + half)
        out.append((pixels, [[qx0, qy0], [qx1, qy0], [qx1, qy1], [qx0, qy1]]))
    out.sort(key=lambda t: -t[0])  # a page of specks or a photo: the largest clusters only
    return np.asarray([q for _, q in out[:MAX_ORPHANS]], dtype=np.float32).reshape(-1, 4, 2)


def _merge_adjacent(quads, edges_px, weak: list[bool]):
    """Join text boxes that continue each other on one line with no rule between them (the
    detector often cuts a weak 一、 or 二、 off the start of a label)."""
    np = _import("numpy")
    if len(quads) < 2:
        return quads, weak
    rects = [list(_rect(q)) for q in quads]
    vrules = [(x0, t, b) for o, x0, _, t, b in edges_px if o == "v"]
    order = sorted(range(len(rects)), key=lambda i: rects[i][0])
    merged: list[list[float]] = []
    sources: list[list[int]] = []
    for i in order:
        r = rects[i]
        h = r[3] - r[1]
        target = None
        for j, m in enumerate(merged):
            mh = m[3] - m[1]
            overlap = min(m[3], r[3]) - max(m[1], r[1])
            if overlap < 0.7 * min(h, mh) or max(h, mh) > 2.5 * min(h, mh):
                continue
            gap = r[0] - m[2]
            if gap > 0.5 * min(h, mh) or r[0] < m[0]:
                continue
            yc = (max(m[1], r[1]) + min(m[3], r[3])) / 2
            lo, hi = min(m[2], r[0]) - 1, max(m[2], r[0]) + 1
            if any(lo <= x <= hi and t <= yc <= b for x, t, b in vrules):
                continue
            target = j
            break
        if target is None:
            merged.append(list(r))
            sources.append([i])
        else:
            m = merged[target]
            m[0], m[1], m[2], m[3] = min(m[0], r[0]), min(m[1], r[1]), max(m[2], r[2]), max(m[3], r[3])
            sources[target].append(i)
    out, flags = [], []
    for m, src in zip(merged, sources):
        if len(src) == 1:
            out.append(quads[src[0]])
        else:
            x0, y0, x1, y1 = m
            out.append(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32))
        flags.append(all(weak[i] for i in src))
    return np.stack(out).astype(np.float32), flags


def _ink_extent(ink, box, pad: int = 2):
    """The ink inside a box: (x0, top, x1, bottom) in pixels, or None when there is none."""
    np = _import("numpy")
    h, w = ink.shape
    x0, y0, x1, y1 = box
    ix0, iy0 = max(0, int(math.floor(x0)) - pad), max(0, int(math.floor(y0)) - pad)
    ix1, iy1 = min(w, int(math.ceil(x1)) + pad), min(h, int(math.ceil(y1)) + pad)
    crop = ink[iy0:iy1, ix0:ix1]
    if crop.size == 0:
        return None
    rows = (crop > 0).sum(axis=1)
    cols = (crop > 0).sum(axis=0)
    if rows.max(initial=0) == 0:
        return None
    r = np.nonzero(rows >= max(1, int(rows.max() * 0.03)))[0]
    c = np.nonzero(cols >= max(1, int(cols.max() * 0.03)))[0]
    return ix0 + int(c[0]), iy0 + int(r[0]), ix0 + int(c[-1]) + 1, iy0 + int(r[-1]) + 1


def _weight(ch: str) -> float:
    if is_cjk(ch):
        return 1.0
    if ch == " ":
        return 0.35
    return 0.55


def _chars(lines: list[_Line], ink, k: float) -> list[Char]:
    out: list[Char] = []
    for ln in lines:
        x0, y0, x1, y1 = ln.box
        ext = _ink_extent(ink, ln.box)
        if ext is not None:
            ex0, ey0, ex1, ey1 = ext
            # the ink may run a little past the detector's box; never far
            nx0, nx1 = max(x0 - 3, ex0), min(x1 + 3, ex1)
            ny0, ny1 = max(y0 - 3, ey0), min(y1 + 3, ey1)
            if nx1 > nx0 and ny1 > ny0:
                x0, y0, x1, y1 = nx0, ny0, nx1, ny1
        if ln.vertical:
            out.extend(_vertical_chars(ln, x0, y0, x1, y1, k))
            continue
        height = y1 - y0
        size = max(height * k, 1.0)
        top, bottom = y0 * k, y1 * k
        visible = [ch for ch in ln.text if not ch.isspace()]
        if ln.chars:
            spans = []
            for ch, conf, cx in ln.chars:
                half = height * _weight(ch) / 2
                spans.append([ch, conf, cx - half, cx + half])
            spans.sort(key=lambda s: s[2] + s[3])
            spans[0][2] = min(spans[0][2], x0) if spans[0][2] - x0 < height else spans[0][2]
            spans[-1][3] = max(spans[-1][3], x1) if x1 - spans[-1][3] < height else spans[-1][3]
        else:
            total = sum(_weight(ch) for ch in ln.text.strip()) or 1.0
            spans, pos = [], x0
            for ch in ln.text.strip():
                step = (x1 - x0) * _weight(ch) / total
                if not ch.isspace():
                    spans.append([ch, ln.score, pos, pos + step])
                pos += step
        for s in spans:
            s[2], s[3] = max(s[2], x0), min(s[3], x1)
        spaces = _space_positions(ln.text, [s[0] for s in spans]) if len(spans) == len(visible) else set()
        _cjk_punctuation(spans, spaces)
        # Characters of one run (one text box, no space read between them) touch; a gap wider
        # than a character stays a gap (two cells that the detector boxed together).
        for i in range(len(spans) - 1):
            a, b = spans[i], spans[i + 1]
            gap = b[2] - a[3]
            if gap < 0 or (i not in spaces and gap * k < RUN_GAP * size):
                mid = (a[3] + b[2]) / 2
                a[3], b[2] = mid, mid
        for i, (ch, conf, sx0, sx1) in enumerate(spans):
            if sx1 <= sx0:
                sx1 = sx0 + 0.5
            out.append(OcrChar(ch, sx0 * k, sx1 * k, top, bottom, size, True, confidence=float(conf)))
            if i in spaces and i + 1 < len(spans):
                out.append(OcrChar(" ", sx1 * k, max(spans[i + 1][2], sx1) * k, top, bottom, size, True,
                                   confidence=float(conf)))
    return out


# ASCII punctuation the recognizer reads for the full-width forms of Chinese text.
_FULL_PUNCT = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}


def _cjk_punctuation(spans: list[list], spaces: set[int]) -> None:
    """ASCII ( ) : , ; ? ! next to a Chinese character -> the full-width form Chinese text uses
    (what the text layer of the same report has); between digits or Latin letters it stays."""
    n = len(spans)
    for i, s in enumerate(spans):
        full = _FULL_PUNCT.get(s[0])
        if full is None:
            continue
        prev = next((spans[j][0] for j in range(i - 1, -1, -1) if spans[j][0] not in _FULL_PUNCT), None)
        nxt = next((spans[j][0] for j in range(i + 1, n) if spans[j][0] not in _FULL_PUNCT), None)
        if (prev is not None and is_cjk(prev) and i - 1 not in spaces) or \
                (nxt is not None and is_cjk(nxt) and i not in spaces):
            s[0] = full
            # a full-width mark takes a whole character cell
            mid, half = (s[2] + s[3]) / 2, (s[3] - s[2]) / _weight("(") / 2
            s[2], s[3] = mid - half, mid + half


def _vertical_chars(ln: _Line, x0: float, y0: float, x1: float, y1: float, k: float) -> list[Char]:
    """A column of characters read top to bottom: one box per character, each on its own line."""
    width = x1 - x0
    size = max(width * k, 1.0)
    items = ln.chars or []
    if not items:
        visible = [ch for ch in ln.text if not ch.isspace()]
        step = (y1 - y0) / max(len(visible), 1)
        items = [(ch, ln.score, y0 + (i + 0.5) * step) for i, ch in enumerate(visible)]
    out = []
    for ch, conf, cy in items:
        half = width * _weight(ch) / 2
        out.append(OcrChar(ch, x0 * k, x1 * k, max(y0, cy - half) * k, min(y1, cy + half) * k, size, True,
                           confidence=float(conf)))
    return out


def _space_positions(line_text: str, texts: list[str]) -> set[int]:
    """Indexes i of `texts` after which the recognized line has a space."""
    out, pos = set(), 0
    s = line_text.strip()
    for idx, t in enumerate(texts):
        j = s.find(t, pos)
        if j < 0:
            return set()
        pos = j + len(t)
        if pos < len(s) and s[pos] == " ":
            out.add(idx)
    return out


# --- ruling lines ----------------------------------------------------------------------------


VERTICAL_RULE_EMS = 1.4  # a vertical run of ink this many text heights long is a rule (no glyph is)


def _between_rules(x: float, top: float, bottom: float, edges: list, tol: float = 4.0) -> bool:
    """Do horizontal rules (pixel edges found so far) meet both ends of a vertical run at x?"""
    def meets(y: float) -> bool:
        return any(o == "h" and x0 - tol <= x <= x1 + tol and abs(t - y) <= tol for o, x0, x1, t, _ in edges)
    return meets(top) and meets(bottom)


def _rules(binary, boxes: list[tuple[float, float, float, float]], em: float, dpi: float):
    """(mask of the rules, [(orientation, x0, x1, top, bottom) in pixels]); `boxes` are the
    text boxes (a run of ink mostly inside one is a stroke of a character, not a rule)."""
    cv2, np = _import("cv2"), _import("numpy")
    h, w = binary.shape
    text_mask = np.zeros_like(binary)
    for x0, y0, x1, y1 in boxes:
        # the detector's boxes are a little larger than the glyphs: shrink them
        dy = (y1 - y0) * 0.12
        cv2.rectangle(text_mask, (int(x0 + 1), int(y0 + dy)), (int(x1 - 1), int(y1 - dy)), 255, -1)
    hlen = max(int(dpi * 0.3), int(2.2 * em), 20)
    vlen = max(int(dpi * 0.12), int(0.9 * em), 12)
    hmask = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    hmask = cv2.morphologyEx(hmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    hmask = cv2.morphologyEx(hmask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(dpi * 0.04)), 1)))
    vmask = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(dpi * 0.04)))))
    edges = []
    keep = np.zeros_like(binary)
    max_thick = max(4, int(dpi * 0.03)) + 4
    for orient, mask in (("h", hmask), ("v", vmask)):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, cw, ch, area = stats[i]
            length, thick = (cw, ch) if orient == "h" else (ch, cw)
            if length < (hlen if orient == "h" else vlen) or area / max(length, 1) > max_thick:
                continue
            comp = labels[y:y + ch, x:x + cw] == i
            inside = np.count_nonzero(text_mask[y:y + ch, x:x + cw][comp])
            # a stroke of a character (一, 丨) or a dash in a cell lies inside a text box; a vertical
            # rule longer than any glyph, or one that runs from a horizontal rule to the next
            # (a cell's side), is a rule even where the box of the digit next to it (“|0” boxed
            # as one) covers most of it
            side = orient == "v" and (length > VERTICAL_RULE_EMS * em
                                      or _between_rules(x + cw / 2, y, y + ch, edges, max(4.0, 0.03 * dpi)))
            if inside > 0.5 * np.count_nonzero(comp) and not side:
                continue
            if orient == "h":
                ys = np.nonzero(comp)[0]
                yc = y + float(ys.mean()) + 0.5
                edges.append(("h", float(x), float(x + cw), yc, yc))
            else:
                xs = np.nonzero(comp)[1]
                xc = x + float(xs.mean()) + 0.5
                edges.append(("v", xc, xc, float(y), float(y + ch)))
            keep[y:y + ch, x:x + cw][comp] = 255
    # what the rules cover in the binary image (the masks were thickened by the dilation)
    keep = cv2.dilate(keep, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return keep, edges


# --- digits ----------------------------------------------------------------------------------

_DIGIT_LIKE = {"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "○": "0",
               "l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "丨": "1",
               "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "b": "6", "G": "6",
               "g": "9", "q": "9", "T": "7"}
_FULLWIDTH = {chr(0xFF10 + d): str(d) for d in range(10)}
_NUMBER_MARKS = set(".,+-%")
_LONE = {"O", "o", "〇", "○", "l", "I", "|"}


def _numeric_fix(text: str) -> str | None:
    """The digits a word of a number cell stands for, when it looks like a number with a few
    confusable letters in it; None when it is not such a word (or needs no fix)."""
    t = "".join(_FULLWIDTH.get(c, c) for c in text)
    core = t.strip()
    if not core or len(core) > 16:
        return None
    digits = sum(c.isdigit() for c in core)
    confusable = sum(c in _DIGIT_LIKE for c in core)
    other = len(core) - digits - confusable - sum(c in _NUMBER_MARKS for c in core)
    if other or confusable == 0 and t == text:
        return None
    if confusable and not (digits >= 1 and confusable <= digits + 1 or core in _LONE):
        return None
    fixed = "".join(_DIGIT_LIKE.get(c, c) for c in t)
    return fixed if fixed != text else None


_STRAY_MARKS = set(".,，。、·'`")


def _fix_digits(chars: list[Char], edges: list[Edge], number: int) -> tuple[list[Char], list[Suspect]]:
    """Number words with confusable letters get digits; a stray mark after the digits of a cell
    (450. : a speck read as a full stop) is dropped unless label text follows it on the line
    (1.属于…).  Each change is a suspect with reason "digit_fixed"."""
    lines = page_lines(chars, edges, number)
    changes: dict[int, str] = {}  # id(char) -> new text ("" drops the character)
    for ln in lines:
        for i, word in enumerate(ln.words):
            text = word.text
            wchars = list(word.chars)
            while len(text) > 1 and text[-1] in _STRAY_MARKS and \
                    (_numeric_fix(text[:-1]) or text[:-1]).strip().isdigit():
                following = ln.words[i + 1].text if i + 1 < len(ln.words) else None
                if following is not None and _numeric_fix(following) is None and not following.isdigit():
                    break
                changes[id(wchars[-1])] = ""
                text, wchars = text[:-1], wchars[:-1]
            fixed = _numeric_fix(text)
            if fixed is None or len(fixed) != len(text):
                continue
            for ch, new in zip(wchars, fixed):
                if ch.text != new:
                    changes[id(ch)] = new
    if not changes:
        return chars, []
    out, suspects = [], []
    for c in chars:
        new = changes.get(id(c))
        if new is None:
            out.append(c)
            continue
        conf = min(c.confidence, 0.5) if isinstance(c, OcrChar) else 0.5
        suspects.append(Suspect(number, new, c.text, conf, (c.x0, c.top, c.x1, c.bottom), "digit_fixed"))
        if new:
            out.append(OcrChar(new, c.x0, c.x1, c.top, c.bottom, c.size, c.upright, confidence=conf,
                               recognized=c.text))
    return out, suspects


__all__ = ["INSTALL_HINT", "OcrChar", "OcrNotInstalled", "OcrOptions", "OcrPageText", "Suspect",
           "confidence_in", "ocr_available", "suspects_in", "ocr_image", "ocr_page_image", "ocr_pages", "ocr_pdf", "pages_without_text", "image_share"]
