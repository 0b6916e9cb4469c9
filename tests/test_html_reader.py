"""nianbao.readers.html on pages built here: generated reports with known values in site
markup (rowspan/colspan, split <p>, <br/>, &nbsp;, spans; UTF-8, GBK, GB2312, GB18030,
declared or not; tables flattened with '|'), the body among the site's chrome, and every
bad input ending in one clear error within bounded time."""

from __future__ import annotations

import random
import time

import pytest

from nianbao import parse_bytes
from nianbao.errors import DocumentTooLarge, EmptyDocument, NianbaoError, UnreadableDocument
from nianbao.readers.dispatch import read
from nianbao.readers.html import decode_html, join_pieces, squeeze
from nianbao.settings import Settings
from nianbao.synth.html import HtmlOptions, printed_tables, render_html
from nianbao.synth.text import TextReportSpec
from nianbao.synth.values import random_tables

from tests.reader_support import (COMBOS, STRICT, assert_cells_point_into_text, assert_generated_report_read,
                                  assert_one_line, versions_for)

AGENCY = "测试市生态环境局"


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


def lines(data: bytes) -> list[str]:
    return [ln.text for ln in read(data, "t.html", STRICT).lines]


# --- generated reports come back exactly -------------------------------------------------------

VARIANTS = [
    # encoding, declared, chrome, layout
    ("utf-8", True, True, "grid"),
    ("gbk", True, True, "grid"),
    ("gbk", False, True, "grid"),
    ("gb2312", True, False, "grid"),
    ("gb18030", False, False, "grid"),
    ("utf-8", False, True, "pipes"),
    ("gbk", True, False, "pipes"),
]


@pytest.mark.parametrize("active,applications", COMBOS)
@pytest.mark.parametrize("encoding,declared,chrome,layout", VARIANTS)
def test_generated_pages_round_trip_exactly(active, applications, encoding, declared, chrome, layout):
    versions, year = versions_for(active, applications)
    for seed in range(2):
        rng = random.Random(f"html:{active}:{applications}:{encoding}:{declared}:{chrome}:{layout}:{seed}")
        tables = random_tables(rng, versions)
        spec = TextReportSpec(agency=AGENCY, year=year, versions=versions)
        options = HtmlOptions(seed=seed, encoding=encoding, declare_charset=declared, chrome=chrome,
                              layout=layout, numbering=("一、", "1、")[seed])
        data = render_html(tables, spec, options)
        if encoding != "utf-8":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        report = parse_bytes(data, "r.html", STRICT)
        assert_generated_report_read(report, "html", versions, printed_tables(tables, options), AGENCY, year)
        origins = {c.origin for c in report.cells if c.value is not None}
        assert origins == ({"layout"} if layout == "grid" else {"text"})


def _html(tables: dict, versions: dict, year: int, options: HtmlOptions) -> bytes:
    return render_html(tables, TextReportSpec(agency=AGENCY, year=year, versions=versions), options)


@pytest.mark.parametrize("layout", ["grid", "pipes"])
def test_blank_cells_stay_null(layout):
    versions, year = versions_for("2021", "2021")
    tables = random_tables(random.Random(f"blank:{layout}"), versions)
    tables["active"] = {k: (v or 1) for k, v in tables["active"].items()}  # see test_docx_reader
    options = HtmlOptions(seed=3, blank_share=0.5, layout=layout)
    report = parse_bytes(_html(tables, versions, year, options), "r.html", STRICT)
    printed = printed_tables(tables, options)
    assert sum(v is None for v in printed["applications"].values()) > 10
    assert report.tables == printed


def test_chrome_is_dropped_and_the_title_kept():
    versions, year = versions_for("2021", "2021")
    tables = random_tables(random.Random(2), versions)
    data = _html(tables, versions, year, HtmlOptions(seed=1, chrome=True))
    doc = read(data, "r.html", STRICT)
    assert doc.lines[0].text == f"{AGENCY}{year}年政府信息公开工作年度报告"
    for chrome in ("首页", "当前位置", "搜索", "打印本页", "相关信息", "网站标识码", "网站地图", "隐藏的统计代码",
                   "document.write", "总体情况解读", "浏览次数"):
        assert chrome not in doc.text
    assert doc.lines[1].text.startswith("本报告根据")
    assert doc.lines[-1].text == "2025年1月20日"


def test_grid_rows_have_one_token_per_column_with_their_paths():
    versions, year = versions_for("2021", "2021")
    tables = random_tables(random.Random(4), versions)
    data = _html(tables, versions, year, HtmlOptions(seed=5, chrome=False))
    doc = read(data, "r.html", STRICT)
    assert_cells_point_into_text(doc)
    by_table: dict[str, list] = {}
    for ln in doc.lines:
        if ln.cells:
            by_table.setdefault(ln.cells[0].path.split("/")[4], []).append(ln)
    assert {t: {len(ln.cells) for ln in lns} for t, lns in by_table.items()} == {
        "table[1]": {4}, "table[2]": {10}, "table[3]": {15}}
    apps = tables["applications"]
    partial = next(ln for ln in by_table["table[2]"] if "部分公开" in ln.text)
    assert [t.text for t in partial.cells] == ["", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] + [
        str(apps[f"partially_granted.{c}"]) for c in
        ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")]
    # The rowspan cover below 三、本年度办理结果 is that cell's element; the colspan cover too.
    granted = next(ln for ln in by_table["table[2]"] if "（一）予以公开" in ln.text)
    assert partial.cells[0].path == granted.cells[0].path == "/html/body/div/table[2]/tbody/tr[6]/td[1]"
    assert partial.cells[1].path == partial.cells[2].path == "/html/body/div/table[2]/tbody/tr[7]/td[1]"
    assert partial.cells[3].path == "/html/body/div/table[2]/tbody/tr[7]/td[2]"
    header = [ln for ln in by_table["table[2]"] if "商业企业" in ln.text][0]
    assert [t.text for t in header.cells[4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_cell_markup_as_sites_leave_it():
    body = """<div class="TRS_Editor"><p><strong>&nbsp;三、收到和处理政府信息公开申请情况</strong>&nbsp;</p>
    <table border="1"><tbody>
    <tr><td colspan="3" rowspan="2"><p>（本列数据的勾稽关系为：第一项加第二项之和，</p><p>等于第三项加第四项之和）</p></td>
        <td><p>自然</p><p>人</p></td><td><p>商业</p><p>企业</p></td><td>结果<br/>纠正</td>
        <td><span style="font-family:仿宋_GB2312">法律</span><span style="font-family: Calibri;"><span>服务</span></span>机构</td></tr>
    <tr><td><p>&nbsp;</p><p>58</p><p>&nbsp;</p></td><td><p><br/></p><p><br/></p><p>0</p><p>&nbsp;</p></td>
        <td>0&nbsp;</td><td>&nbsp;3</td></tr>
    <tr><td colspan="3">其他法律行政法规禁止公开 &nbsp; &nbsp; &nbsp;</td><td></td><td><p>&nbsp;</p></td>
        <td>1</td><td>-</td></tr>
    <tr><td colspan="3">说明</td><td colspan="2">Windows   10</td><td>2019<span>年</span></td><td>+3</td></tr>
    </tbody></table></div>"""
    doc = read(page(body), "t.html", STRICT)
    assert_cells_point_into_text(doc)
    rows = [[t.text for t in ln.cells] for ln in doc.lines if ln.cells]
    assert doc.lines[0].text == "三、收到和处理政府信息公开申请情况"
    assert rows == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "自然人", "商业企业", "结果纠正",
         "法律服务机构"],
        ["", "", "", "58", "0", "0", "3"],
        ["", "", "其他法律行政法规禁止公开", "", "", "1", "-"],
        ["说明", "", "", "Windows 10", "", "2019年", "+3"],
    ]
    empty = next(ln for ln in doc.lines if ln.cells and ln.cells[2].text).cells[3]
    assert empty.text == "" and empty.path.endswith("/tr[3]/td[2]")


def test_whitespace_rules():
    assert squeeze("  商业 \n 企业 ") == "商业企业"
    assert squeeze("Windows \u00a0 10") == "Windows 10"
    assert squeeze("共 5 件") == "共5件"
    assert squeeze("局\u3000\u3000\u30002024年", keep_gaps=True) == "局 2024年"
    assert squeeze("a\u200bb") == "ab"
    assert join_pieces(["结果", "纠正"]) == "结果纠正"
    assert join_pieces(["1.", "属于国家秘密"]) == "1.属于国家秘密"
    assert join_pieces(["Open", "Data"]) == "Open Data"
    assert join_pieces(["", "\u00a0", "58", " "]) == "58"


def test_nested_layout_tables_and_pre_pipes():
    inner = ("<table><tr><td>信息内容</td><td>本年处理决定数量</td></tr>"
             "<tr><td>行政许可</td><td colspan=3>14368</td></tr></table>")
    body = (f"<table class=layout><tr><td><div class=nav><a href=/>首页</a></div></td></tr>"
            f"<tr><td><p>二、主动公开政府信息情况</p>{inner}<p>三、收到和处理政府信息公开申请情况</p>"
            "<pre>| 一、本年新收政府信息公开申请数量 | 9 | 1 | 0 | 0 | 0 | 0 | 10 |\n"
            "|---|---|---|---|---|---|---|---|\n| 二、上年结转政府信息公开申请数量 | 0 |  |  |  |  |  | 0 |</pre>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p></td></tr></table>")
    doc = read(page(body), "t.html", STRICT)
    assert_cells_point_into_text(doc)
    assert [ln.text for ln in doc.lines][:3] == ["二、主动公开政府信息情况", "信息内容\t本年处理决定数量\t\t",
                                                 "行政许可\t14368\t\t"]
    assert [[t.text for t in ln.cells] for ln in doc.lines if "结转" in ln.text] == [
        ["二、上年结转政府信息公开申请数量", "0", "", "", "", "", "", "0"]]
    assert "首页" not in doc.text
    pipe_row = next(ln for ln in doc.lines if "新收" in ln.text)
    assert pipe_row.cells[1].text == "9" and pipe_row.cells[1].path is None


def test_word_saved_html_with_list_numbers_and_office_tags():
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
    <meta http-equiv=Content-Type content="text/html; charset=gb2312">
    <!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--></head>
    <body lang=ZH-CN><div class=WordSection1>
    <p class=MsoNormal align=center><b><span style='font-size:22.0pt'>某县人民政府2024年政府信息公开工作年度报告<o:p></o:p></span></b></p>
    <p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>一、<span
    style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>总体情况<o:p></o:p></span></p>
    <p class=MsoNormal>本年度工作有序推进。<o:p>&nbsp;</o:p></p>
    <table class=MsoTableGrid border=1><tr><td width=100><p class=MsoNormal>规章<o:p></o:p></p></td>
    <td><p class=MsoNormal>0<o:p></o:p></p></td></tr></table></div></body></html>"""
    assert lines(html.encode("gb2312")) == ["某县人民政府2024年政府信息公开工作年度报告", "一、总体情况",
                                            "本年度工作有序推进。", "规章\t0"]


def test_headings_in_named_anchors_count_and_linked_headings_do_not():
    body = ("<div class=side><a href=/1>一、总体情况</a><a href=/2>六、其他需要报告的事项</a></div>"
            "<div class=doc><p><a name=_Toc1>一、总体情况</a></p><p>工作有序推进。</p>"
            "<p><a name=_Toc6></a>六、其他需要报告的事项</p><p>无。</p></div><div class=side2><a href=/3>首页</a></div>")
    assert lines(page(body)) == ["一、总体情况", "工作有序推进。", "六、其他需要报告的事项", "无。"]


def test_body_without_headings_falls_back_to_the_content_container():
    body = ("<div class=nav>" + "".join(f"<a href=/{i}>栏目{i}</a>" for i in range(30)) + "</div>"
            "<div class=content><p>本机关2018年政府信息公开工作概述如下。</p><p>全年主动公开信息300条。</p></div>"
            "<div class=footer-links>" + "".join(f"<a href=/{i}>友情链接{i}</a>" for i in range(30)) + "</div>")
    assert lines(page(body)) == ["本机关2018年政府信息公开工作概述如下。", "全年主动公开信息300条。"]


def test_title_from_the_title_element():
    body = ("<div class=top><a href=/>首页</a></div><div class=article>"
            "<p>一、总体情况</p><p>本年度工作有序推进。</p><p>二、主动公开政府信息情况</p><p>见下表。</p></div>")
    head = '<meta charset="utf-8"><title>某某县人民政府2024年政府信息公开工作年度报告_某某县人民政府门户网站</title>'
    report = parse_bytes(page(body, head), "t.html", STRICT)
    assert report.text.split("\n")[0] == "某某县人民政府2024年政府信息公开工作年度报告"
    assert report.meta.agency == "某某县人民政府" and report.meta.year == 2024


def test_title_from_the_cms_meta_and_signature_in_an_article_footer():
    head = ('<meta charset="utf-8"><meta name="ArticleTitle" content="某某市统计局2024年度政府信息公开工作年度报告">'
            "<title>年度报告</title>")
    body = ("<header class=site><a href=/>首页</a></header><article><div class=detail>"
            "<p>一、总体情况</p><p>本年度工作有序推进。</p><p>六、其他需要报告的事项</p><p>无。</p></div>"
            "<footer><p>某某市统计局</p><p>2025年1月15日</p></footer></article>"
            "<footer class=site><p>版权所有</p></footer>")
    report = parse_bytes(page(body, head), "t.html", STRICT)
    assert report.text.split("\n") == ["某某市统计局2024年度政府信息公开工作年度报告", "一、总体情况", "本年度工作有序推进。",
                                       "六、其他需要报告的事项", "无。", "某某市统计局", "2025年1月15日"]
    assert report.meta.agency == "某某市统计局" and report.meta.year == 2024
    assert report.meta.published == "2025-01-15"


# --- encodings ------------------------------------------------------------------------------

TEXT = "<html><body><p>一、总体情况</p><p>“三安全一稳定”（国办公开办函〔2021〕30号）</p></body></html>"


@pytest.mark.parametrize("encoding,head", [
    ("gbk", ""), ("gb2312", ""), ("gb18030", ""), ("utf-8", ""),
    ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
    ("utf-8", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),  # declared wrong
    ("gb18030", '<meta charset="gbk">'),
])
def test_encodings_declared_or_not(encoding, head):
    data = TEXT.replace("<body>", f"<head>{head}</head><body>").encode(encoding)
    assert lines(data) == ["一、总体情况", "“三安全一稳定”（国办公开办函〔2021〕30号）"]


def test_bom_and_cut_multibyte_character():
    assert decode_html("\ufeff一、总体情况".encode("utf-8"), "gb18030") == "一、总体情况"
    cut = "<p>一、总体情况</p><p>申请".encode("utf-8")[:-1]
    assert decode_html(cut, None).startswith("<p>一、总体情况</p><p>申")
    assert decode_html("<p>总体情况</p>".encode("gbk"), "utf-8") == "<p>总体情况</p>"


# --- bad input ---------------------------------------------------------------------------------

def _timed(fn, limit: float = 5.0):
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        assert time.perf_counter() - t0 < limit


def test_a_page_over_the_size_limit_is_refused_at_once():
    para = ("<p>" + "政府信息公开工作" * 40 + "</p>\n").encode("utf-8")
    data = b"<html><body>" + para * (50 * 1024 * 1024 // len(para))  # 50 MB
    with pytest.raises(DocumentTooLarge) as exc:
        _timed(lambda: parse_bytes(data, "big.html"), 0.5)
    assert_one_line(exc.value)
    small = Settings(max_html_bytes=64 * 1024)
    with pytest.raises(DocumentTooLarge):
        parse_bytes(para * 200, "x.html", small)


def test_a_large_page_under_the_limit_is_read_in_bounded_time():
    para = ("<p>" + "政府信息公开工作" * 40 + "</p>\n").encode("utf-8")
    data = b"<html><body><div class=content>" + para * (5 * 1024 * 1024 // len(para)) + b"</div></body></html>"
    doc = _timed(lambda: read(data, "big.html", Settings()), 5.0)  # the reader; later stages time themselves
    assert len(doc.text) > 1_000_000


def test_deeply_nested_markup():
    for data in (b"<html><body>" + b"<div>" * 100_000 + b"x",
                 b"<html><body>" + b"<p><b><i><table><tr><td><span>" * 20_000):
        with pytest.raises(UnreadableDocument) as exc:
            _timed(lambda: parse_bytes(data, "deep.html"), 2.0)
        assert_one_line(exc.value)


def test_rowspan_colspan_bomb():
    data = b"<html><body><table>" + b"<tr><td rowspan=65534 colspan=1000>x</td><td>1</td></tr>" * 3000 + b"</table>"
    with pytest.raises(DocumentTooLarge) as exc:
        _timed(lambda: parse_bytes(data, "bomb.html"), 2.0)
    assert_one_line(exc.value)
    # Huge spans on a small table are clamped to the table, not refused.
    small = page("<p>二、主动公开政府信息情况</p><table><tr><td rowspan=99999>规章</td><td colspan=0>1</td>"
                 "<td>2</td></tr><tr><td>3</td><td>4</td></tr></table>")
    assert [[t.text for t in ln.cells] for ln in read(small, "t.html", STRICT).lines if ln.cells] == [
        ["规章", "1", "2"], ["", "3", "4"]]


def test_broken_markup_still_reads():
    data = ("<html><body><div class=TRS_Editor><p>一、总体情况<p>本年度工作<b>有序<i>推进。</b></i>"
            "<table><tr><td>信息内容<td>本年处理决定数量<tr><td>行政许可<td>5</table>"
            "<p>二、主动公开政府信息情况</div></div></span><p>尾").encode("utf-8")
    got = lines(data)
    assert got[:4] == ["一、总体情况", "本年度工作有序推进。", "信息内容\t本年处理决定数量", "行政许可\t5"]


def test_random_bytes_behind_an_html_tag():
    rng = random.Random(0)
    data = b"<html><body>" + bytes(rng.randrange(256) for _ in range(300_000))
    try:
        _timed(lambda: read(data, "junk.html", Settings()), 2.0)
    except NianbaoError as exc:
        assert_one_line(exc)


def test_empty_pages():
    for data in (b"<html></html>", b"<html><body><script>var a = 1;</script><p>&nbsp;</p></body></html>"):
        with pytest.raises(EmptyDocument) as exc:
            parse_bytes(data, "empty.html")
        assert_one_line(exc.value)
