"""Formats are decided by content, not by extension."""

from __future__ import annotations

import io
import zipfile

import pytest

from nianbao.errors import EmptyDocument, UnreadableDocument, UnsupportedFormat
from nianbao.sniff import sniff, text_encoding


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n...", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 10, "image"),
    ("<html><body><p>一、总体情况</p></body></html>".encode("utf-8"), "html"),
    ("<!DOCTYPE html><meta charset=gbk>".encode("gbk"), "html"),
    ("一、总体情况\n本年度".encode("utf-8"), "text"),
    ("一、总体情况\n本年度".encode("gb18030"), "text"),
])
def test_kind(data, kind):
    assert sniff(data, "whatever.docx").kind == kind


def test_docx_is_a_zip_with_word_document():
    assert sniff(_zip(["word/document.xml", "[Content_Types].xml"]), "x.pdf").kind == "docx"
    with pytest.raises(UnsupportedFormat):
        sniff(_zip(["a.txt"]), "x.docx")


def test_corrupt_zip_is_unreadable():
    with pytest.raises(UnreadableDocument):
        sniff(b"PK\x03\x04garbage" * 10, "x.docx")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty(data):
    with pytest.raises(EmptyDocument):
        sniff(data, "x.txt")


def test_binary_is_unsupported():
    with pytest.raises(UnsupportedFormat) as e:
        sniff(bytes(range(256)) * 10, "x.bin")
    assert "\n" not in e.value.message


def test_encodings():
    assert text_encoding("政府信息公开".encode("utf-8")) == "utf-8"
    assert text_encoding("政府信息公开".encode("gbk")) == "gb18030"
    assert text_encoding(b"\xef\xbb\xbf" + "年报".encode()) == "utf-8-sig"


def test_text_cut_inside_a_character_is_still_text():
    data = "一、总体情况\n本年度共收到申请十件。".encode("utf-8")
    for cut in range(len(data) - 3, len(data)):
        assert sniff(data[:cut], "x.txt").kind == "text"


def test_binary_with_a_tag_like_run_is_not_html():
    data = b"\x00\x01\xfe\xff" + b"\x93<p\x07" * 10 + bytes(range(256)) * 4
    with pytest.raises(UnsupportedFormat):
        sniff(data, "x.bin")
