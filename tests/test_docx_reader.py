"""nianbao.readers.docx and nianbao.readers.office on DOCX and DOC files built here.

Reports with known values come from nianbao.synth.docx (real merged cells: gridSpan and
vMerge) and must come back exactly through the whole pipeline; the features of the reader
(body order, numbering, merges, content controls, revisions, layout tables) are checked on
small packages written from WordprocessingML; every bad input must end in one clear error.
"""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from nianbao import parse_bytes
from nianbao.errors import (DocumentTooLarge, EmptyDocument, NianbaoError, UnreadableDocument,
                            UnsupportedFormat)
from nianbao.readers import office
from nianbao.readers.dispatch import read
from nianbao.readers.docx import MAX_RATIO, format_number, read_docx
from nianbao.synth.docx import DocxOptions, printed_tables, render_docx
from nianbao.synth.text import TextReportSpec
from nianbao.synth.values import random_tables

from tests.reader_support import (COMBOS, STRICT, assert_cells_point_into_text, assert_generated_report_read,
                                  assert_one_line, versions_for)

AGENCY = "测试县交通运输局"


# --- generated reports come back exactly -------------------------------------------------------

@pytest.mark.parametrize("active,applications", COMBOS)
def test_generated_reports_round_trip_exactly(active, applications):
    versions, year = versions_for(active, applications)
    for seed in range(4):
        rng = random.Random(f"docx:{active}:{applications}:{seed}")
        tables = random_tables(rng, versions)
        spec = TextReportSpec(agency=AGENCY, year=year, versions=versions)
        options = DocxOptions(seed=seed, widths=("normal", "narrow", "wide", "normal")[seed],
                              rules=(True, "partial", False, True)[seed])
        report = parse_bytes(render_docx(tables, spec, options), "r.docx", STRICT)
        assert_generated_report_read(report, "docx", versions, printed_tables(tables, options), AGENCY, year)
        layout = [c for c in report.cells if c.value is not None]
        assert layout and all(c.origin == "layout" and c.path.startswith("body/tbl[") for c in layout)


def _no_zero_active(tables: dict) -> dict:
    tables["active"] = {k: (v or 1) for k, v in tables["active"].items()}
    return tables


@pytest.mark.parametrize("active,applications", COMBOS)
def test_blank_cells_stay_null(active, applications):
    """Zero cells printed empty come back as null, not 0, and the others exactly."""
    versions, year = versions_for(active, applications)
    tables = _no_zero_active(random_tables(random.Random(f"blank:{active}:{applications}"), versions))
    options = DocxOptions(seed=11, blank_share=0.4)
    report = parse_bytes(render_docx(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions),
                                     options), "r.docx", STRICT)
    printed = printed_tables(tables, options)
    assert any(v is None for v in printed["applications"].values())
    assert report.tables == printed
    blanks = [c for c in report.cells if c.value is None]
    assert blanks and all(c.origin == "layout" and c.path for c in blanks)


def test_blank_merged_value_cell_is_null():
    # a blank value cell merged over grid columns (2019 表二 收费/采购金额, 2021 one-value rows):
    # the covers of one merged cell (same path) are one slot
    versions, year = versions_for("2019", "2021")
    tables = random_tables(random.Random(5), versions)
    tables["active"] = {k: (v or 1) for k, v in tables["active"].items()}
    tables["active"]["art20_8.fees.change"] = 0
    data = render_docx(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions),
                       DocxOptions(seed=1, blank_share=1.0))
    report = parse_bytes(data, "r.docx", STRICT)
    assert report.tables["active"]["art20_8.fees.change"] is None
    assert report.tables["active"]["art20_8.fees.prev_count"] == tables["active"]["art20_8.fees.prev_count"]


def test_grid_rows_have_one_token_per_column_and_merges_are_expanded():
    versions, year = versions_for("2021", "2021")
    tables = random_tables(random.Random(3), versions)
    data = render_docx(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions), DocxOptions(seed=1))
    doc = read(data, "r.docx", STRICT)
    assert_cells_point_into_text(doc)
    rows = [ln for ln in doc.lines if ln.cells]
    by_table: dict[str, list] = {}
    for ln in rows:
        by_table.setdefault(ln.cells[0].path.split("/")[1], []).append(ln)
    widths = {t: {len(ln.cells) for ln in lns} for t, lns in by_table.items()}
    assert widths == {"tbl[1]": {4}, "tbl[2]": {10}, "tbl[3]": {15}}
    apps = tables["applications"]
    texts = {ln.cells[2].text or ln.cells[0].text: [t.text for t in ln.cells] for ln in by_table["tbl[2]"]}
    # 一、本年新收 spans the three label columns: its text sits in the last, the covers are empty.
    new = [apps[f"new_received.{c}"] for c in
           ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")]
    assert texts["一、本年新收政府信息公开申请数量"] == ["", "", "一、本年新收政府信息公开申请数量"] + [str(v) for v in new]
    # 三、本年度办理结果 (vMerge down the result rows) prints on its first row only.
    granted = next(ln for ln in by_table["tbl[2]"] if "予以公开" in ln.text and "部分" not in ln.text)
    assert [t.text for t in granted.cells[:3]] == ["三、本年度办理结果", "", "（一）予以公开"]
    partial = next(ln for ln in by_table["tbl[2]"] if "部分公开" in ln.text)
    assert [t.text for t in partial.cells[:2]] == ["", ""]
    # The covers of a gridSpan share the cell's path; a vMerge continuation has its own.
    assert granted.cells[1].path == granted.cells[2].path
    assert partial.cells[0].path != granted.cells[0].path
    assert partial.cells[0].path.startswith("body/tbl[2]/tr[") and partial.cells[0].path.endswith("/tc[1]")
    # Table 四: one row of 15 values.
    review = tables["review_litigation"]
    values = by_table["tbl[3]"][-1]
    assert [t.text for t in values.cells] == [str(review[f"{g}.{c}"]) for g in
                                              ("review", "litigation_direct", "litigation_after_review")
                                              for c in ("upheld", "corrected", "other", "pending", "total")]


def test_auto_numbered_headings_of_the_generated_report_are_found():
    versions, year = versions_for("2021", "2021")
    tables = random_tables(random.Random(8), versions)
    options = DocxOptions(seed=2, numbering="（一）", heading_styles=True)
    report = parse_bytes(render_docx(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions),
                                     options), "r.docx", STRICT)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.tables == printed_tables(tables, options)


# --- hand-written packages -------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""


def make_docx(body: str, numbering: str = "", styles: str = "", document: str | None = None) -> bytes:
    """A DOCX package whose w:body is `body` (WordprocessingML with the w: prefix)."""
    doc = document if document is not None else (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        zf.writestr("word/document.xml", doc)
        zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
        zf.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
    return buf.getvalue()


def p(text: str = "", ppr: str = "", runs: str | None = None) -> str:
    body = runs if runs is not None else (f"<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>" if text else "")
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{body}</w:p>"


def tc(text: str = "", span: int = 1, vmerge: str | None = None, paras: list[str] | None = None) -> str:
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    content = "".join(p(t) for t in paras) if paras is not None else p(text)
    return f"<w:tc>{'<w:tcPr>' + pr + '</w:tcPr>' if pr else ''}{content}</w:tc>"


def tbl(rows: list[list[str]], cols: int) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(cols))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>" + "".join(
        "<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"


def texts(data: bytes) -> list[str]:
    return [ln.text for ln in read_docx(data, "t.docx").lines]


_LEVELS = """
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
"""
_HEADING_STYLE = """
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ReportHeading"><w:name w:val="Report Heading"/><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
  <w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
"""


def num(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def test_list_numbering_is_rendered():
    body = "".join([
        p("总体情况", num(1)),
        p("主动公开", num(1, 1)),
        p("依申请公开", num(1, 1)),
        p("主动公开政府信息情况", num(1)),
        p("规章", num(1, 2)),
        p("规范性文件", num(1, 2)),
        p("收到和处理政府信息公开申请情况", '<w:pStyle w:val="Heading1"/>'),  # numbered by its style
        p("新收申请", '<w:pStyle w:val="Heading2"/>'),
        p("政府信息公开行政复议、行政诉讼情况", '<w:pStyle w:val="ReportHeading"/>'),  # via basedOn
        p("不编号", '<w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr>'),
        p("要点", num(2)),
        p("第一条", num(3)),
        p("第二条", num(3)),
        p("细则", num(3, 1)),
        p("另起", num(4)),
        p("再起", num(4)),
    ])
    assert texts(make_docx(body, _LEVELS, _HEADING_STYLE)) == [
        "一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况", "1.规章", "2.规范性文件",
        "三、收到和处理政府信息公开申请情况", "（一）新收申请", "四、政府信息公开行政复议、行政诉讼情况", "不编号",
        "要点", "1.第一条", "2.第二条", "2.1细则", "7.另起", "8.再起"]


@pytest.mark.parametrize("n,fmt,expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (21, "chineseCountingThousand", "二十一"), (105, "chineseCounting", "一百零五"),
    (3, "decimal", "3"), (3, "decimalZero", "03"), (3, "decimalFullWidth", "３"),
    (3, "decimalEnclosedCircle", "③"), (3, "decimalEnclosedParen", "⑶"), (3, "ideographTraditional", "丙"),
    (12, "ideographDigital", "一二"), (4, "chineseLegalSimplified", "肆"), (4, "lowerRoman", "iv"),
    (28, "upperLetter", "BB"), (5, "bullet", ""),
])
def test_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_a_whole_report_numbered_by_word_is_sectioned():
    heads = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
             "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    body = p("测试县交通运输局2024年政府信息公开工作年度报告")
    for h in heads:
        body += p(h, '<w:pStyle w:val="Heading1"/>') + p("本年度各项工作有序推进。")
    report = parse_bytes(make_docx(body, _LEVELS, _HEADING_STYLE), "n.docx", STRICT)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.text.split("\n")[1] == "一、总体情况"
    assert report.meta.agency == "测试县交通运输局" and report.meta.year == 2024


def test_body_order_runs_revisions_hidden_text_and_content_controls():
    body = "".join([
        p(runs='<w:r><w:t>二、主动公开</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>政府信息情况</w:t></w:r>'),
        tbl([[tc("信息内容"), tc("本年处理决定数量")], [tc("行政许可"), tc("14368")]], 2),
        p(runs='<w:ins w:id="1" w:author="a"><w:r><w:t>插入的</w:t></w:r></w:ins>'
               '<w:del w:id="2" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>'
               '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的</w:t></w:r><w:r><w:t>文字</w:t></w:r>'),
        p(runs='<w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r>'),
        p(runs='<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
               '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
               '<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'),
        '<w:sdt><w:sdtPr/><w:sdtContent>' + p("控件中的段落")
        + tbl([[tc("行政处罚"), tc("902")]], 2) + '</w:sdtContent></w:sdt>',
        p(runs='<w:r><w:t xml:space="preserve">  &#160;Windows 10  系统　升级 </w:t></w:r>'),
        p(""), p(runs='<w:r><w:t xml:space="preserve">   </w:t></w:r>'),
        p(runs='<w:r><w:t>一、</w:t><w:tab/><w:t>总体情况</w:t></w:r>'),
    ])
    doc = read_docx(make_docx(body), "t.docx")
    assert_cells_point_into_text(doc)
    assert [ln.text for ln in doc.lines] == [
        "二、主动公开政府信息情况", "信息内容\t本年处理决定数量", "行政许可\t14368", "插入的文字", "第一行", "第二行",
        "链接3", "控件中的段落", "行政处罚\t902", "Windows 10系统升级", "一、总体情况"]
    sdt_row = doc.lines[8]
    assert [t.path for t in sdt_row.cells] == ["body/sdt[1]/sdtContent[1]/tbl[1]/tr[1]/tc[1]",
                                               "body/sdt[1]/sdtContent[1]/tbl[1]/tr[1]/tc[2]"]
    assert [t.path for t in doc.lines[2].cells] == ["body/tbl[1]/tr[2]/tc[1]", "body/tbl[1]/tr[2]/tc[2]"]


def test_cell_paragraphs_join_without_spaces_and_merges_fill_the_grid():
    rows = [
        [tc("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", span=3, vmerge="restart"),
         tc("申请人情况", span=3)],
        [tc(span=3, vmerge="continue"), tc(paras=["自然", "人"]), tc(paras=["商业", "企业"]),
         tc(paras=["总", "计"])],
        [tc("三、本年度办理结果", vmerge="restart"), tc("（一）予以公开", span=2), tc("3"), tc(""), tc("3")],
        [tc(vmerge="continue"), tc("（三）不予公开", vmerge="restart"), tc("1.属于国家秘密"), tc("1"), tc("0"), tc("1")],
        ['<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>', tc(vmerge="continue"),
         tc("2.其他法律行政法规禁止公开"), tc(" 0 "), tc("0"), tc("0")],
    ]
    doc = read_docx(make_docx(tbl(rows, 6)), "t.docx")
    assert_cells_point_into_text(doc)
    got = [[t.text for t in ln.cells] for ln in doc.lines]
    assert got == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", ""],
        ["", "", "", "自然人", "商业企业", "总计"],
        ["三、本年度办理结果", "", "（一）予以公开", "3", "", "3"],
        ["", "（三）不予公开", "1.属于国家秘密", "1", "0", "1"],
        ["", "", "2.其他法律行政法规禁止公开", "0", "0", "0"],
    ]
    blank = doc.lines[2].cells[4]
    assert blank.text == "" and blank.path == "body/tbl[1]/tr[3]/tc[4]"


def test_grid_before_and_short_rows_are_padded():
    rows = [[tc("信息内容"), tc("本年制发件数"), tc("本年废止件数"), tc("现行有效件数")],
            ['<w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc("1") + tc("2") + tc("3")],
            [tc("规章"), tc("0")]]
    doc = read_docx(make_docx(tbl(rows, 4)), "t.docx")
    assert [[t.text for t in ln.cells] for ln in doc.lines] == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["", "1", "2", "3"], ["规章", "0", "", ""]]
    assert doc.lines[2].cells[3].path == "body/tbl[1]/tr[3]"


def test_a_report_inside_a_layout_table_is_read_as_paragraphs():
    inner = tbl([[tc("信息内容"), tc("本年处理决定数量")], [tc("行政许可"), tc("5")]], 2)
    outer = ("<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>"
             + p("二、主动公开政府信息情况") + inner + p("三、收到和处理政府信息公开申请情况") + "</w:tc></w:tr></w:tbl>")
    doc = read_docx(make_docx(outer), "t.docx")
    assert [ln.text for ln in doc.lines] == ["二、主动公开政府信息情况", "信息内容\t本年处理决定数量",
                                             "行政许可\t5", "三、收到和处理政府信息公开申请情况"]
    assert doc.lines[2].cells[1].path == "body/tbl[1]/tr[1]/tc[1]/tbl[1]/tr[2]/tc[2]"


def test_a_table_flattened_with_pipes_in_paragraphs_becomes_rows():
    body = p("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |") + p("|---|---|---|---|") + p("| 规章 | 1 |  | 3 |")
    doc = read_docx(make_docx(body), "t.docx")
    assert [[t.text for t in ln.cells] for ln in doc.lines] == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "", "3"]]
    assert_cells_point_into_text(doc)


def test_tab_aligned_paragraphs_are_rows_of_cells():
    body = (p(runs="<w:r><w:t>行政许可</w:t><w:tab/><w:tab/><w:t>14368</w:t></w:r>")
            + p(runs="<w:r><w:t>规章</w:t><w:tab/><w:t>1</w:t><w:tab/><w:t>0</w:t><w:tab/><w:t>3</w:t></w:r>"))
    doc = read_docx(make_docx(body), "t.docx")
    assert [[t.text for t in ln.cells] for ln in doc.lines] == [["行政许可", "14368"], ["规章", "1", "0", "3"]]
    assert all(t.path is None for ln in doc.lines for t in ln.cells)
    assert_cells_point_into_text(doc)


def test_strict_ooxml_namespace_is_read():
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    document = (f'<w:document xmlns:w="{strict}"><w:body>{p("一、总体情况")}'
                f'{tbl([[tc("规章"), tc("1")]], 2)}</w:body></w:document>')
    assert texts(make_docx("", document=document)) == ["一、总体情况", "规章\t1"]


# --- bad input ---------------------------------------------------------------------------

def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>'.encode()
                    + b"<w:p/>" * (size // 6) + b"</w:body></w:document>")
    return buf.getvalue()


def test_zip_bomb_is_refused_before_decompressing():
    data = _bomb(64 * 1024 * 1024)
    assert len(data) * MAX_RATIO < 64 * 1024 * 1024
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLarge) as exc:
        parse_bytes(data, "bomb.docx")
    assert time.perf_counter() - t0 < 1.0
    assert_one_line(exc.value)
    assert "压缩" in exc.value.message


def test_declared_unpacked_size_over_the_limit_is_refused():
    data = bytearray(make_docx(p("一、总体情况")))
    # Forge the central directory: word/document.xml claims 600 MB.
    name = b"word/document.xml"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[cd + 24:cd + 28] = (600 * 1024 * 1024).to_bytes(4, "little")
    with pytest.raises(DocumentTooLarge) as exc:
        read_docx(bytes(data), "forged.docx")
    assert_one_line(exc.value)


def test_docx_without_document_xml():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("word/styles.xml", "<w:styles/>")
    with pytest.raises(UnsupportedFormat) as exc:  # sniffing: a zip that is not a Word document
        parse_bytes(buf.getvalue(), "x.docx")
    assert_one_line(exc.value)
    with pytest.raises(UnreadableDocument) as exc:  # the reader called directly
        read_docx(buf.getvalue(), "x.docx")
    assert "word/document.xml" in exc.value.message
    assert_one_line(exc.value)


def test_corrupt_truncated_and_invalid_docx():
    good = make_docx(p("一、总体情况"))
    for bad in (good[: len(good) // 2], good[:-30]):
        with pytest.raises(NianbaoError) as exc:
            parse_bytes(bad, "cut.docx")
        assert_one_line(exc.value)
    with pytest.raises(UnreadableDocument) as exc:
        read_docx(make_docx("", document="<w:document><w:body><w:p>"), "bad.docx")
    assert_one_line(exc.value)
    deep = f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:sdt><w:sdtContent>" * 5000 + "</w:body></w:document>"
    with pytest.raises(UnreadableDocument):
        read_docx(make_docx("", document=deep), "deep.docx")
    with pytest.raises(EmptyDocument):
        read_docx(make_docx(p("") + p("   ")), "empty.docx")


def test_encrypted_zip_entries_are_unreadable():
    data = bytearray(make_docx(p("一、总体情况")))
    # Set the "encrypted" flag bit on every entry (local headers and central directory).
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i >= 0:
            data[i + off] |= 1
            i = data.find(sig, i + 4)
    with pytest.raises(UnreadableDocument) as exc:
        read_docx(bytes(data), "locked.docx")
    assert_one_line(exc.value)


def _encrypted_docx() -> bytes:
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(make_docx(p("一、总体情况")))).encrypt("secret", out)
    return out.getvalue()


def test_password_protected_docx_is_refused_with_a_clear_error():
    data = _encrypted_docx()
    with pytest.raises(UnreadableDocument) as exc:
        parse_bytes(data, "secret.docx")
    assert "密码" in exc.value.message
    assert_one_line(exc.value)


# --- DOC / WPS through LibreOffice --------------------------------------------------------

needs_soffice = pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed")


def _to_doc(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "r.docx"
        src.write_bytes(docx)
        subprocess.run([office.find_soffice(), f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}",
                        "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=180)
        return (Path(tmp) / "r.doc").read_bytes()


@needs_soffice
def test_doc_and_wps_are_converted_and_read_exactly():
    versions, year = versions_for("2021", "2019")
    tables = random_tables(random.Random(21), versions)
    options = DocxOptions(seed=4, numbering="一、")
    doc = _to_doc(render_docx(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions), options))
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    for name in ("r.doc", "r.wps"):
        report = parse_bytes(doc, name, STRICT)
        assert report.source.format == "doc"
        assert report.table_templates == versions
        assert report.tables == printed_tables(tables, options)
        assert report.meta.agency == AGENCY


@needs_soffice
def test_word_numbering_survives_a_doc_round_trip():
    body = "".join(p(h, '<w:pStyle w:val="Heading1"/>') + p("子项", num(1, 1)) + p("条目", num(3))
                   for h in ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"))
    doc = _to_doc(make_docx(body, _LEVELS, _HEADING_STYLE))
    got = [ln.text for ln in read(doc, "n.doc", STRICT).lines]
    assert got == ["一、总体情况", "（一）子项", "1.条目", "二、主动公开政府信息情况", "（一）子项", "2.条目",
                   "三、收到和处理政府信息公开申请情况", "（一）子项", "3.条目"]


@needs_soffice
def test_doc_that_libreoffice_cannot_open():
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(random.Random(0).randrange(256) for _ in range(20000))
    with pytest.raises(UnreadableDocument) as exc:
        parse_bytes(junk, "broken.doc")
    assert "LibreOffice" in exc.value.message
    assert_one_line(exc.value)


@needs_soffice
def test_conversion_timeout_kills_libreoffice():
    with pytest.raises(UnreadableDocument) as exc:
        office.convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, "x.doc", timeout=0.05)
    assert "超时" in exc.value.message
    assert_one_line(exc.value)


def test_without_libreoffice_doc_is_unsupported(monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    with pytest.raises(UnsupportedFormat) as exc:
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "x.doc")
    assert "LibreOffice" in exc.value.message
    assert_one_line(exc.value)


def test_encrypted_ole_is_detected_without_libreoffice(monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    with pytest.raises(UnreadableDocument) as exc:
        parse_bytes(ole, "x.docx")
    assert "密码" in exc.value.message
