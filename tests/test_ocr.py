"""Offline OCR (nianbao.readers.ocr) on scans made here with known truth (nianbao.synth.scan).

Real OCR runs on three small pages (a few seconds each): a scanned PDF tilted by 1 degree, a
PNG turned by 90 degrees and tilted by half a degree the other way, and a JPEG upside down.
The OCR packages are the ``ocr`` extra; without them these tests FAIL (CI installs the extra),
they are not skipped.
"""

from __future__ import annotations

import io
import struct
import time
import unicodedata
import zlib

import pytest

from nianbao.errors import DocumentTooLarge, NianbaoError, ScannedDocument, UnreadableDocument
from nianbao.settings import Settings

try:
    from nianbao.readers import ocr
    from nianbao.synth import scan

    MISSING = ocr.ocr_available()
except ImportError as exc:  # numpy, pillow or pypdfium2 missing: nianbao.synth.scan needs them
    ocr = scan = None
    MISSING = (f"OCR packages are not installed ({exc}); install them with "
               "pip install -e '.[dev,ocr]'")

SETTINGS = Settings()
TITLE = "某某县人民政府2023年政府信息公开工作年度报告"
HEADING = "三、收到和处理政府信息公开申请情况"
HEADER = ["自然人", "商业", "科研", "公益", "法律", "其他", "总计"]
ROWS = [
    ("一、本年新收政府信息公开申请数量", [12, 3, 0, 0, 1, 0, 16]),
    ("二、上年结转政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2]),
    ("（一）予以公开", [7, 1, 0, None, 1, 0, 9]),
    ("（二）部分公开", [1024, 38, 5, 0, 0, 7, 1074]),
    ("1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("四、结转下年度继续办理", [6, 2, 0, 0, 0, 0, 8]),
]


def require_ocr() -> None:
    if MISSING:
        pytest.fail(f"OCR is not available: {MISSING}", pytrace=False)


def test_ocr_packages_and_bundled_models_are_installed():
    require_ocr()


@pytest.fixture(scope="module")
def source_pdf() -> bytes:
    require_ocr()
    return scan.table_page_pdf(TITLE, HEADING, HEADER, ROWS)


@pytest.fixture(scope="module")
def read(source_pdf):
    """OCR of the three scans, once, with rapidocr's downloader made to fail loudly."""
    require_ocr()
    from rapidocr.utils import download_file

    def no_download(*args, **kwargs):
        raise AssertionError("rapidocr tried to download a file at run time")

    mp = pytest.MonkeyPatch()
    mp.setattr(download_file.DownloadFile, "run", staticmethod(no_download))
    mp.setattr(ocr, "_ENGINE", None)  # a fresh engine, created under the guard
    try:
        t0 = time.monotonic()
        out = {
            "pdf": ocr.ocr_pdf(scan.simulate_scan(source_pdf, dpi=150, angle=1.0, noise=0.03,
                                                  jpeg_quality=70, seed=1), SETTINGS),
            "png": ocr.ocr_image(scan.simulate_scan_image(source_pdf, "png", dpi=200, angle=-0.5,
                                                          quarter_turns=1, seed=2), SETTINGS),
            "jpeg": ocr.ocr_image(scan.simulate_scan_image(source_pdf, "jpeg", dpi=150, angle=0.3,
                                                           quarter_turns=2, jpeg_quality=60, seed=3),
                                  SETTINGS),
        }
        out["seconds"] = time.monotonic() - t0
    finally:
        mp.undo()
    return out


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def table_of(page) -> list[tuple[str, list[str]]]:
    """(label, cells) of every row with numbers, through nianbao.layout.grid.table_rows."""
    from nianbao.layout.grid import table_rows
    from nianbao.tables.values import is_number

    heading = next(ln for ln in page.lines if ln.text == HEADING)
    words = [w for ln in page.lines if ln.top > heading.bottom for w in ln.words]
    rows = table_rows(words, {page.number: list(page.edges)})
    out = []
    for row in rows:
        cells = [t.text for t in row.tokens if not t.stripped or is_number(t.text)]
        label = "".join(t.text for t in row.tokens if t.stripped and not is_number(t.text))
        if any(c.strip() for c in cells):
            out.append((label, cells))
    return out


EXPECTED = [(label, ["" if v is None else str(v) for v in values]) for label, values in ROWS]


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg"])
def test_heading_text_is_read_exactly(read, kind):
    page = read[kind][0]
    lines = [ln.text for ln in page.lines]
    assert lines[0] == TITLE
    assert lines[1] == HEADING


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg"])
def test_ruled_table_numbers_come_back_in_their_columns(read, kind):
    got = table_of(read[kind][0])
    assert [cells for _, cells in got] == [cells for _, cells in EXPECTED]
    assert [nfkc(label) for label, _ in got] == [nfkc(label) for label, _ in EXPECTED]


def test_a_page_tilted_by_one_degree_is_straightened(read):
    page = read["pdf"][0]
    assert page.rotation == 0
    assert abs(page.skew - 1.0) < 0.1
    # every number of a row on one line: straight rows
    for ln in page.lines:
        nums = [w for w in ln.words if w.text.isdigit()]
        if nums:
            assert max(w.yc for w in nums) - min(w.yc for w in nums) < 2.0


def test_turned_pages_are_set_upright(read):
    assert read["png"][0].rotation == 90  # the scan was turned 90 degrees counter-clockwise
    assert abs(read["png"][0].skew + 0.5) < 0.1
    assert read["jpeg"][0].rotation == 180


def test_pages_are_in_pdf_points(read):
    for kind in ("pdf", "png", "jpeg"):
        page = read[kind][0]
        assert abs(page.width - 595) < 3 and abs(page.height - 842) < 3, (kind, page.width, page.height)
        assert page.dpi in (150.0, 200.0), (kind, page.dpi)
        xs = [c.x1 for c in page.chars]
        assert 0 <= min(c.x0 for c in page.chars) and max(xs) <= page.width


def test_ruling_lines_are_found(read):
    page = read["pdf"][0]
    h = [e for e in page.edges if e.orientation == "h"]
    v = [e for e in page.edges if e.orientation == "v"]
    assert len(h) == len(ROWS) + 2  # header row + rows: top and bottom of each
    assert len(v) == len(HEADER) + 2
    assert all(e.x1 - e.x0 > 300 for e in h)


def test_characters_keep_their_confidence(read):
    page = read["pdf"][0]
    assert all(isinstance(c, ocr.OcrChar) for c in page.chars)
    assert all(0.0 <= c.confidence <= 1.0 for c in page.chars)
    assert page.confidence > 0.95
    for s in page.suspects:
        assert s.reason in ("low_confidence", "digit_fixed") and s.page == 1


def test_a_cell_bbox_gives_the_confidence_of_its_value(read):
    page = read["pdf"][0]
    word = next(w for ln in page.lines for w in ln.words if w.text == "1074")
    conf = ocr.confidence_in(page, word.bbox)
    assert conf is not None and 0.5 < conf <= 1.0
    assert conf == min(c.confidence for c in word.chars)
    assert ocr.confidence_in(page, [0, 0, 1, 1]) is None
    assert all(s.reason for s in ocr.suspects_in(page, [0, 0, page.width, page.height]))


def test_a_page_without_text_gives_no_characters():
    require_ocr()
    import numpy as np

    pages = ocr.ocr_pages([np.full((800, 600), 235, dtype=np.uint8)], SETTINGS)
    assert len(pages) == 1 and pages[0].chars == () and pages[0].text == ""
    assert abs(pages[0].width - 600 * 72 / 200) < 0.01  # an image without a dpi is a page at 200 dpi


def test_an_export_with_a_blank_page_and_a_short_last_page_is_read_from_its_text_layer(monkeypatch):
    # LibreOffice's web export starts with an empty page; the last page holds only the date
    require_ocr()
    from nianbao.readers.dispatch import read
    from tests.pdf_samples import make_pdf, text_page

    data = make_pdf(lambda c: None, text_page(TITLE, HEADING, "全年共收到政府信息公开申请16件。"),
                    text_page("2024年1月26日"))

    def no_engine(*args, **kwargs):
        raise AssertionError("the OCR engine was started")

    monkeypatch.setattr(ocr, "_engine", no_engine)
    doc = read(data, "export.pdf", SETTINGS)
    assert doc.source.format == "pdf-text" and doc.source.pages == 3
    assert doc.text.splitlines()[0] == TITLE and doc.text.splitlines()[-1] == "2024年1月26日"


def test_image_share_tells_a_scanned_page_from_an_exported_one(source_pdf):
    scanned = scan.simulate_scan(source_pdf, dpi=150)
    assert ocr.image_share(scanned, [1]) == {1: 1.0}
    assert ocr.image_share(source_pdf, [1]) == {1: 0.0}


def test_ocr_time_is_bounded(read):
    assert read["seconds"] < 120


# -- digits in number cells --------------------------------------------------------------


@pytest.mark.parametrize("text,fixed", [
    ("1O", "10"), ("l2", "12"), ("2O5", "205"), ("O", "0"), ("l", "1"), ("1,O24", "1,024"),
    ("３７", "37"), ("5S", "55"), ("B0", "80"),
    ("S", None), ("本年", None), ("12", None), ("O型", None), ("IOO", None), ("abc", None),
])
def test_confusable_letters_in_number_words_become_digits(text, fixed):
    require_ocr()
    assert ocr._numeric_fix(text) == fixed


def test_a_fixed_digit_is_reported(monkeypatch):
    require_ocr()
    from nianbao.layout.objects import Edge

    chars = [ocr.OcrChar("l", 100, 104, 10, 18, 8, confidence=0.9),
             ocr.OcrChar("2", 104, 109, 10, 18, 8, confidence=0.99),
             ocr.OcrChar("O", 109, 114, 10, 18, 8, confidence=0.95)]
    fixed, suspects = ocr._fix_digits(chars, [Edge("v", 90, 90, 0, 30)], 3)
    assert "".join(c.text for c in fixed) == "120"
    assert [s.recognized for s in suspects] == ["l", "O"]
    assert [c.recognized for c in fixed] == ["l", None, "O"]
    assert all(s.reason == "digit_fixed" and s.page == 3 and s.confidence <= 0.5 for s in suspects)


def test_a_stray_mark_after_the_digits_of_a_cell_is_dropped():
    require_ocr()

    def chars(text, x):
        return [ocr.OcrChar(ch, x + 5 * i, x + 5 * i + 5, 10, 18, 8, confidence=0.9) for i, ch in enumerate(text)]

    def lines(cs):
        fixed, suspects = ocr._fix_digits(cs, [], 1)
        return [ln.text for ln in ocr.page_lines(fixed, [], 1)], [(s.recognized, s.text) for s in suspects]

    assert lines(chars("行政许可", 10) + chars("450.", 100)) == (["行政许可\t450"], [(".", "")])
    assert lines(chars("1.属于国家秘密", 10)) == (["1.属于国家秘密"], [])
    assert lines(chars("3O.", 100)) == (["30"], [("O", "0"), (".", "")])


# -- bad input: the right error, at once ------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` (the pixel data is a few bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def small_scan(source_pdf: bytes, fmt: str) -> bytes:
    return scan.simulate_scan_image(source_pdf, fmt, dpi=72, noise=0.0)


def raises_quickly(error: type, fn, *args, **kwargs) -> NianbaoError:
    t0 = time.monotonic()
    with pytest.raises(error) as info:
        fn(*args, **kwargs)
    assert time.monotonic() - t0 < 3.0
    assert info.value.message.strip() and "\n" not in info.value.message
    return info.value


def test_decompression_bomb_is_refused_from_its_header():
    require_ocr()
    raises_quickly(DocumentTooLarge, ocr.ocr_image, png_header(30000, 30000), SETTINGS)  # Pillow's own check
    raises_quickly(DocumentTooLarge, ocr.ocr_image, png_header(9000, 9000), SETTINGS)  # over nianbao's limit
    err = raises_quickly(DocumentTooLarge, ocr.ocr_image, png_header(4000, 3000), SETTINGS,
                         options=ocr.OcrOptions(max_pixels=10_000_000))
    assert "4000" in err.message


def test_truncated_and_corrupt_images_are_unreadable(source_pdf):
    png = small_scan(source_pdf, "png")
    jpeg = small_scan(source_pdf, "jpeg")
    raises_quickly(UnreadableDocument, ocr.ocr_image, png[: len(png) // 2], SETTINGS)
    raises_quickly(UnreadableDocument, ocr.ocr_image, jpeg[: len(jpeg) // 2], SETTINGS)
    raises_quickly(UnreadableDocument, ocr.ocr_image, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, SETTINGS)
    raises_quickly(UnreadableDocument, ocr.ocr_image, png_header(4, 4), SETTINGS)


def test_corrupt_pdf_is_unreadable(source_pdf):
    scanned = scan.simulate_scan(source_pdf, dpi=72, noise=0.0)
    raises_quickly(UnreadableDocument, ocr.ocr_pdf, scanned[:2000], SETTINGS)
    raises_quickly(UnreadableDocument, ocr.ocr_pdf, b"%PDF-1.4\n garbage", SETTINGS)


def test_too_many_pages_are_refused_before_any_is_read():
    require_ocr()
    from PIL import Image

    frames = [Image.new("L", (300, 400), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    raises_quickly(DocumentTooLarge, ocr.ocr_image, buf.getvalue(), Settings(max_pages=2))
    pdf = scan.images_to_pdf([(scan._jpeg(f, 50), f.width, f.height, "L") for f in frames], dpi=72)
    raises_quickly(DocumentTooLarge, ocr.ocr_pdf, pdf, Settings(max_pages=2))


def test_a_huge_pdf_page_is_refused():
    require_ocr()
    from PIL import Image

    im = Image.new("L", (200, 200), 255)
    pdf = scan.images_to_pdf([(scan._jpeg(im, 50), 200, 200, "L")], dpi=1)  # a 200-inch page
    raises_quickly(DocumentTooLarge, ocr.ocr_pdf, pdf, SETTINGS)


def test_time_budget_stops_the_run(source_pdf):
    scanned = scan.simulate_scan(source_pdf, dpi=72, noise=0.0)
    raises_quickly(DocumentTooLarge, ocr.ocr_pdf, scanned, SETTINGS, options=ocr.OcrOptions(time_budget=-1))


def test_missing_models_say_what_to_install(monkeypatch):
    require_ocr()
    monkeypatch.setattr(ocr, "_MODEL_FILES", {"Det": "no-such-model.onnx", "Rec": "x.onnx", "Cls": "y.onnx"})
    err = raises_quickly(ocr.OcrNotInstalled, ocr.ocr_image, png_header(100, 100), SETTINGS)
    assert isinstance(err, ScannedDocument) and "rapidocr" in err.message


def test_missing_packages_say_what_to_install(monkeypatch):
    require_ocr()
    monkeypatch.setattr(ocr, "_MODULES", {})
    real_import = __builtins__["__import__"] if isinstance(__builtins__, dict) else __builtins__.__import__

    def fake_import(name, *args, **kwargs):
        if name == "rapidocr":
            raise ImportError("No module named 'rapidocr'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", fake_import)
    with pytest.raises(ocr.OcrNotInstalled) as info:
        ocr.ocr_image(png_header(100, 100), SETTINGS)
    assert "nianbao[ocr]" in info.value.message
