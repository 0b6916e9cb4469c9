"""nianbao.readers.pdf on real PDFs generated here: text, rows, sizes and every bad input."""

from __future__ import annotations

import os
import time

import pytest

from nianbao.errors import (DocumentTooLarge, NianbaoError, ScannedDocument,
                            UnreadableDocument)
from nianbao.readers.pdf import PdfPageText, read_pdf
from nianbao.settings import Settings
from tests.pdf_samples import (CJK_FONT, blank_pdf, encrypt, hand_pdf, make_pdf,
                               table_page, text_page)

SETTINGS = Settings()
TITLE = "鄂尔多斯市交通运输局2025年政府信息公开工作年度报告"
SENTENCE = "2025年，本机关共收到政府信息公开申请10件，全部按期答复。"


def lines_of(page: PdfPageText) -> list[str]:
    return page.text.split("\n")


def assert_one_line(err: NianbaoError) -> None:
    assert err.message.strip()
    assert "\n" not in err.message and "\r" not in err.message


# -- text ------------------------------------------------------------------


def test_chinese_text_is_extracted_exactly():
    pages = read_pdf(make_pdf(text_page(TITLE, "一、总体情况", SENTENCE)), SETTINGS)
    assert len(pages) == 1
    assert lines_of(pages[0]) == [TITLE, "一、总体情况", SENTENCE]


def test_table_row_stays_on_one_line_with_a_tab():
    rows = [["信息内容", "本年处理决定数量"], ["行政许可", "14368"], ["行政处罚", "902"], ["行政强制", "0"]]
    page = read_pdf(make_pdf(table_page(rows, columns=[72.0, 300.0])), SETTINGS)[0]
    lines = lines_of(page)
    assert lines[0] == "二、主动公开政府信息情况"
    assert lines[1:] == ["信息内容\t本年处理决定数量", "行政许可\t14368", "行政处罚\t902", "行政强制\t0"]


def test_wide_table_rows_keep_every_column_in_order():
    columns = [72.0, 300.0, 340.0, 380.0, 420.0, 460.0, 500.0]
    rows = [["一、本年新收政府信息公开申请数量", "9", "1", "0", "0", "0", "10"],
            ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0"],
            ["（一）予以公开", "5", "1", "0", "0", "0", "6"]]
    page = read_pdf(make_pdf(table_page(rows, columns=columns)), SETTINGS)[0]
    assert lines_of(page)[1:] == ["\t".join(r) for r in rows]


def test_cells_drawn_on_slightly_different_baselines_share_a_row():
    def draw(c):
        c.drawString(72, 700, "行政许可")
        c.drawString(300, 698.5, "14368")
        c.drawString(72, 670, "行政处罚")
        c.drawString(300, 671, "902")

    assert lines_of(read_pdf(make_pdf(draw), SETTINGS)[0]) == ["行政许可\t14368", "行政处罚\t902"]


def test_no_spaces_between_cjk_characters_but_spaces_between_words():
    def draw(c):
        # Each character placed by itself, 1.5 pt apart, as justified text often is.
        x = 72.0
        for ch in "政府信息公开申请10件":
            c.drawString(x, 700, ch)
            x += c.stringWidth(ch, CJK_FONT, 12) + 1.5
        c.drawString(72, 670, "Open Government Information 2025")

    assert lines_of(read_pdf(make_pdf(draw), SETTINGS)[0]) == [
        "政府信息公开申请10件", "Open Government Information 2025"]


def test_numbers_in_neighbouring_cells_are_never_glued_together():
    def draw(c):
        c.drawString(72, 730, SENTENCE)
        c.drawString(72, 700, "总计")
        for i, value in enumerate(["1", "4", "3", "6", "8"]):
            c.drawString(200 + i * 20, 700, value)

    line = lines_of(read_pdf(make_pdf(draw), SETTINGS)[0])[1]
    assert line.startswith("总计\t")
    assert line.split("\t", 1)[1].split() == ["1", "4", "3", "6", "8"]


def test_pages_are_numbered_with_their_sizes():
    data = make_pdf(text_page("第一页：" + SENTENCE), text_page("第二页：" + SENTENCE),
                    text_page("第三页：" + SENTENCE))
    pages = read_pdf(data, SETTINGS)
    assert [p.number for p in pages] == [1, 2, 3]
    assert [p.text.split("：")[0] for p in pages] == ["第一页", "第二页", "第三页"]
    assert all((p.width, p.height) == (595.0, 842.0) for p in pages)


def test_landscape_page_size():
    page = read_pdf(make_pdf(text_page(SENTENCE, top=500), pagesize=(842.0, 595.0)), SETTINGS)[0]
    assert (page.width, page.height) == (842.0, 595.0)
    assert page.text == SENTENCE


def test_page_text_is_frozen():
    page = read_pdf(make_pdf(text_page(SENTENCE)), SETTINGS)[0]
    with pytest.raises(AttributeError):
        page.text = "x"  # type: ignore[misc]


# -- encryption -------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_with_empty_user_password_opens(algorithm):
    data = encrypt(make_pdf(text_page(TITLE, SENTENCE)), user_password="", algorithm=algorithm)
    assert b"/Encrypt" in data
    assert lines_of(read_pdf(data, SETTINGS)[0]) == [TITLE, SENTENCE]


def test_encrypted_with_a_password_is_refused():
    data = encrypt(make_pdf(text_page(TITLE, SENTENCE)), user_password="secret")
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data, SETTINGS)
    assert "密码" in info.value.message and "password-protected" in info.value.message
    assert_one_line(info.value)


# -- damaged files ----------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_unreadable(fraction):
    data = make_pdf(text_page(TITLE, SENTENCE), text_page(SENTENCE))
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data[: int(len(data) * fraction)], SETTINGS)
    assert "PDF" in info.value.message
    assert_one_line(info.value)


def test_garbage_after_the_header_is_unreadable():
    data = b"%PDF-1.7\n" + os.urandom(4096).replace(b"\n", b"\x00")
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data, SETTINGS)
    assert_one_line(info.value)


def test_unexpected_pdfminer_exception_is_wrapped():
    # An /Encrypt dictionary without its required keys makes pdfminer raise KeyError.
    data = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
                     b"<< /Filter /Standard /V 2 /R 3 >>"],
                    trailer_extra=b"/Encrypt 3 0 R /ID [<00> <00>] ")
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data, SETTINGS)
    assert isinstance(info.value.__cause__, KeyError)
    assert_one_line(info.value)


def test_unknown_encryption_is_unreadable():
    data = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
                     b"<< /Filter /Unknown /V 9 >>"],
                    trailer_extra=b"/Encrypt 3 0 R /ID [<00> <00>] ")
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data, SETTINGS)
    assert "加密" in info.value.message
    assert_one_line(info.value)


def test_broken_page_tree_is_unreadable():
    data = hand_pdf([b"<< /Type /Catalog /Pages 9 0 R >>"])
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(data, SETTINGS)
    assert_one_line(info.value)


@pytest.mark.parametrize("objects", [
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
    [b"<< /Type /Catalog >>"],
], ids=["empty-kids", "no-page-tree"])
def test_pdf_without_pages_is_unreadable(objects):
    with pytest.raises(UnreadableDocument) as info:
        read_pdf(hand_pdf(objects), SETTINGS)
    assert "没有页面" in info.value.message and "no pages" in info.value.message
    assert_one_line(info.value)


# -- too many pages -----------------------------------------------------------


def test_two_thousand_pages_are_refused_quickly():
    data = blank_pdf(2000)
    start = time.perf_counter()
    with pytest.raises(DocumentTooLarge) as info:
        read_pdf(data, Settings())
    assert time.perf_counter() - start < 2.0
    assert "2000" in info.value.message and "300" in info.value.message
    assert info.value.http_status == 413
    assert_one_line(info.value)


def test_page_limit_comes_from_settings():
    data = make_pdf(*(text_page(f"第{i}页：{SENTENCE}") for i in range(1, 4)))
    assert len(read_pdf(data, Settings(max_pages=3))) == 3
    with pytest.raises(DocumentTooLarge):
        read_pdf(data, Settings(max_pages=2))


def test_understated_page_count_is_still_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    kids = b" ".join(b"%d 0 R" % n for n in range(3, 8))
    data = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>"] + [page] * 5)
    with pytest.raises(DocumentTooLarge) as info:
        read_pdf(data, Settings(max_pages=3))
    assert_one_line(info.value)


def test_overstated_page_count_does_not_refuse_a_short_document():
    stream = b"BT /F1 12 Tf 72 700 Td (Annual report of the information office 2025) Tj ET"
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + font + b" /Contents 5 0 R >>"
    data = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 5000 >>", page, page,
                     b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"])
    pages = read_pdf(data, Settings(max_pages=10))
    assert [p.text for p in pages] == ["Annual report of the information office 2025"] * 2


# -- no text layer --------------------------------------------------------------


def test_blank_pages_are_a_scan():
    with pytest.raises(ScannedDocument) as info:
        read_pdf(blank_pdf(3), SETTINGS)
    assert "OCR" in info.value.message
    assert_one_line(info.value)


def test_pages_with_only_graphics_and_page_numbers_are_a_scan():
    def scanned(number):
        def draw(c):
            c.setFillGray(0.6)
            for i in range(20):
                c.rect(72, 100 + i * 30, 450, 18, fill=1, stroke=0)  # where an image of text would be
            c.drawString(290, 40, f"- {number} -")
        return draw

    with pytest.raises(ScannedDocument):
        read_pdf(make_pdf(scanned(1), scanned(2)), SETTINGS)


def test_one_text_page_among_graphics_is_not_a_scan():
    pages = read_pdf(make_pdf(text_page(TITLE, SENTENCE, SENTENCE), lambda c: c.rect(72, 72, 400, 600)),
                     SETTINGS)
    assert [p.text for p in pages][1] == ""
    assert TITLE in pages[0].text
