"""The DOCX/PDF fixture generator makes what it says: the national table layout with real
merged cells, the chosen values in the right cells, borders and widths per option, and PDFs
(LibreOffice) whose text, headings and page breaks are where the options put them.

The PDF tests need LibreOffice; without it they fail (CI installs it), they do not skip.
All PDFs of the session come from one soffice run.
"""

from __future__ import annotations

import io
import json
import random
import stat
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from nianbao.synth import TextReportSpec, random_tables
from nianbao.synth.corpus import PLACEMENTS, RULES, VERSION_SETS, WIDTHS, generate, main, options_matrix, plan
from nianbao.synth.docx import DocxOptions, part_headings, printed_tables, render_docx, report_meta
from nianbao.synth.pdf import (
    INSTALL_HINT,
    ConversionError,
    SofficeNotFoundError,
    docx_to_pdf,
    docx_to_pdf_many,
    find_soffice,
    pdf_layout,
    text_lines,
)
from nianbao.synth.text import _ACTIVE_HEAD, _APP_LABELS
from nianbao.template.formats import APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, table_format

V21 = {"active": "2021", "applications": "2021", "review_litigation": "2021"}
V19 = {"active": "2019", "applications": "2019", "review_litigation": "2019"}
HYBRID = {**V21, "applications": "2019"}
HYBRID_ACTIVE = {**V21, "active": "2019"}


def make(versions=V21, seed=0, **opts):
    tables = random_tables(random.Random(seed), versions)
    spec = TextReportSpec(versions=versions, agency="测试县人民政府办公室", year=2023)
    options = DocxOptions(seed=seed, **opts)
    data = render_docx(tables, spec, options)
    return tables, spec, options, data


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def xml_rows(table) -> list[list[dict]]:
    """Each <w:tc> of each row as it is in the XML: text, gridSpan, vMerge (restart/continue/None)."""
    out = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            tcpr = tc.tcPr
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val")))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            row.append({"text": text, "span": span, "vmerge": vmerge})
        out.append(row)
    return out


def cell_text(v) -> str:
    return "" if v is None else str(v)


# --- DOCX structure --------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["2021", "2019"])
def test_applications_table_has_the_national_merged_cells(version):
    versions = {**V21, "applications": version}
    _, _, _, data = make(versions)
    rows = xml_rows(open_docx(data).tables[1])
    fmt_rows = [r.key for r in table_format("applications", version).rows]
    assert len(rows) == 3 + len(fmt_rows)
    for row in rows:  # every row covers the 10 grid columns
        assert sum(c["span"] for c in row) == 10
    # header row 1: corner over 3 label columns (merged down 3 rows), 申请人情况 over 7
    assert [(c["span"], c["vmerge"]) for c in rows[0]] == [(3, "restart"), (7, None)]
    assert rows[0][0]["text"].startswith("（本列数据的勾稽关系为")
    assert rows[0][1]["text"] == "申请人情况"
    # header row 2: 自然人 and 总计 merged down two rows, 法人或其他组织 over the five sub-columns
    assert [(c["text"], c["span"], c["vmerge"]) for c in rows[1]] == [
        ("", 3, "continue"), ("自然人", 1, "restart"), ("法人或其他组织", 5, None), ("总计", 1, "restart")]
    assert [(c["text"], c["vmerge"]) for c in rows[2]] == [
        ("", "continue"), ("", "continue"), ("商业企业", None), ("科研机构", None), ("社会公益组织", None),
        ("法律服务机构", None), ("其他", None), ("", "continue")]
    data_rows = dict(zip(fmt_rows, rows[3:]))
    # 一、 二、 四、 span the three label columns
    for key in ("new_received", "carried_over", "carried_forward"):
        assert (data_rows[key][0]["span"], data_rows[key][0]["vmerge"]) == (3, None)
        assert data_rows[key][0]["text"] == _APP_LABELS[key][0]
    # 三、本年度办理结果 merged down over every result row, （七）总计 included
    results = fmt_rows[2:-1]
    col0 = [data_rows[k][0] for k in results]
    assert col0[0] == {"text": "三、本年度办理结果", "span": 1, "vmerge": "restart"}
    assert all(c["vmerge"] == "continue" and c["text"] == "" for c in col0[1:])
    # group cells merged down over their sub-rows
    groups = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理"}
    if version == "2021":
        groups["other"] = "（六）其他处理"
    for prefix, label in groups.items():
        members = [k for k in fmt_rows if k.startswith(prefix + ".")]
        cells = [data_rows[k][1] for k in members]
        assert cells[0] == {"text": label, "span": 1, "vmerge": "restart"}
        assert [c["vmerge"] for c in cells[1:]] == ["continue"] * (len(members) - 1)
        assert [data_rows[k][2]["text"] for k in members] == [_APP_LABELS[k][2] for k in members]
    if version == "2019":
        # the single （六）其他处理 row spans both label columns
        assert data_rows["other"][1] == {"text": "（六）其他处理", "span": 2, "vmerge": None}
        assert "other.no_correction" not in data_rows
    for key in ("granted", "partially_granted", "results_total"):
        assert data_rows[key][1]["span"] == 2 and data_rows[key][1]["text"] == _APP_LABELS[key][1]


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_active_table_blocks_span_the_width(version):
    _, _, _, data = make({**V21, "active": version})
    rows = xml_rows(open_docx(data).tables[0])
    fmt = table_format("active", version)
    r = 0
    for block in fmt.blocks:
        assert rows[r] == [{"text": _ACTIVE_HEAD[block.name], "span": 4, "vmerge": None}]
        assert rows[r + 1][0]["text"] == "信息内容"
        spans = [c["span"] for c in rows[r + 1]]
        assert sum(spans) == 4 and len(spans) == 1 + len(block.columns)
        for k, row in enumerate(block.rows):
            assert [c["span"] for c in rows[r + 2 + k]] == spans
            assert rows[r + 2 + k][0]["text"] == (row.labels[-1] if version == "2019" else row.labels[0])
        r += 2 + len(block.rows)
    assert r == len(rows)
    labels = [row[0]["text"] for row in rows]
    assert ("规范性文件" if version == "2019" else "行政规范性文件") in labels
    if version == "2021":
        assert [c["text"] for c in rows[-2]] == ["信息内容", "本年收费金额（单位：万元）"]
        assert [c["span"] for c in rows[-1]] == [1, 3]
    else:
        heads = [row[0]["text"] for row in rows if len(row) == 1]
        assert heads[-1] == "第二十条第（九）项"
        assert [c["text"] for c in rows[-5]] == ["信息内容", "上一年项目数量", "本年增/减"]


def test_review_table_headers():
    _, _, _, data = make()
    rows = xml_rows(open_docx(data).tables[2])
    assert [(c["text"], c["span"]) for c in rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(c["text"], c["span"], c["vmerge"]) for c in rows[1]] == (
        [(lbl, 1, "restart") for lbl in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
        + [("未经复议直接起诉", 5, None), ("复议后起诉", 5, None)])
    assert [c["vmerge"] for c in rows[2][:5]] == ["continue"] * 5
    assert [c["text"] for c in rows[2][5:]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert len(rows) == 4 and len(rows[3]) == 15


@pytest.mark.parametrize("versions", [V21, V19, HYBRID, HYBRID_ACTIVE], ids=["2021", "2019", "hybrid", "hybrid_active"])
def test_every_docx_cell_holds_its_value(versions):
    tables, spec, options, data = make(versions, seed=7, signed_plus=False)
    d = open_docx(data)
    t_active, t_apps, t_review = d.tables
    # table 三: python-docx repeats merged cells, so the grid is (3 + row, 3 + column)
    fmt = table_format("applications", versions["applications"])
    for i, row in enumerate(fmt.rows):
        cells = t_apps.rows[3 + i].cells
        for j, col in enumerate(APPLICANT_COLUMNS):
            assert cells[3 + j].text == cell_text(tables["applications"][f"{row.key}.{col.key}"]), (row.key, col.key)
    # table 二: find each row by its label, value columns left to right (the last may span)
    fmt = table_format("active", versions["active"])
    by_label = {r.cells[0].text: r.cells for r in t_active.rows}
    for block in fmt.blocks:
        for row in block.rows:
            cells = by_label[row.labels[-1] if versions["active"] == "2019" else row.labels[0]]
            for j, col in enumerate(block.columns):
                assert cells[1 + j].text == cell_text(tables["active"][f"{row.key}.{col.key}"]), (row.key, col.key)
    # table 四: one row of 15 values
    values = [c.text for c in t_review.rows[3].cells]
    assert values == [cell_text(tables["review_litigation"][f"{g.key}.{c.key}"]) for g in REVIEW_GROUPS
                      for c in REVIEW_COLUMNS]
    # a chosen key, by name
    assert t_apps.rows[3 + 7].cells[3 + 4].text == str(tables["applications"]["denied.third_party.legal_service"])


def test_signed_values_print_with_plus_and_read_back():
    tables, _, _, data = make(V19, seed=3, signed_plus=True)
    by_label = {r.cells[0].text: r.cells for r in open_docx(data).tables[0].rows}
    v = tables["active"]["art20_5.licensing.change"]
    assert by_label["行政许可"][2].text == (f"+{v}" if v > 0 else str(v))


def test_blank_cells_are_empty_and_in_the_truth():
    tables, _, options, data = make(V21, seed=5, blank_share=1.0)
    printed = printed_tables(tables, options)
    zero_keys = [k for k, v in tables["applications"].items() if v == 0]
    assert zero_keys and all(printed["applications"][k] is None for k in zero_keys)
    assert all(printed["applications"][k] == v for k, v in tables["applications"].items() if v != 0)
    t_apps = open_docx(data).tables[1]
    fmt = table_format("applications", "2021")
    for i, row in enumerate(fmt.rows):
        cells = t_apps.rows[3 + i].cells
        for j, col in enumerate(APPLICANT_COLUMNS):
            v = printed["applications"][f"{row.key}.{col.key}"]
            assert cells[3 + j].text == cell_text(v)
    # no blanks asked, none printed; the draw is deterministic
    assert printed_tables(tables, DocxOptions(seed=5)) == tables
    assert printed_tables(tables, options) == printed_tables(tables, DocxOptions(seed=5, blank_share=1.0))


def _borders(table) -> dict[str, str]:
    b = table._tbl.tblPr.find(qn("w:tblBorders"))
    return {child.tag.split("}")[1]: child.get(qn("w:val")) for child in b}


def test_rules_options_draw_the_borders_asked_for():
    for rules, outer, inner in ((True, "single", "single"), (False, "nil", "nil"), ("partial", "single", "nil")):
        _, _, _, data = make(rules=rules)
        for table in open_docx(data).tables:
            b = _borders(table)
            assert [b[s] for s in ("top", "left", "bottom", "right")] == [outer] * 4, rules
            assert [b[s] for s in ("insideH", "insideV")] == [inner] * 2, rules
            cell_lines = [el.get(qn("w:val")) for el in table._tbl.iter(qn("w:tcBorders"))]
            if rules == "partial":
                assert cell_lines, "partial rules draw the header separators as cell borders"
            else:
                assert not cell_lines
    # partial: the line under the header rows of table 三
    _, _, _, data = make(rules="partial")
    last_header = open_docx(data).tables[1]._tbl.tr_lst[2]
    for tc in last_header.tc_lst:
        assert tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")).get(qn("w:val")) == "single"


def _grid_widths(table) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def test_width_options():
    widths = {w: [_grid_widths(t) for t in open_docx(make(widths=w)[3]).tables] for w in ("narrow", "normal", "wide")}
    for t in (0, 1):  # label columns
        label = {w: sum(widths[w][t][: 1 if t == 0 else 3]) for w in widths}
        assert label["narrow"] < label["normal"] < label["wide"]
    assert sum(widths["wide"][1]) > sum(widths["normal"][1])  # wide runs into the margins
    t = open_docx(make()[3]).tables[1]
    assert t._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # every tc is as wide as the grid columns it spans
    grid = _grid_widths(t)
    for tr in t._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            assert abs(tc.width - sum(grid[col:col + span]) * 635) < 635 * span, (col, span)
            col += span


def test_repeat_header_marks_the_header_rows():
    for repeat in (True, False):
        t = open_docx(make(repeat_header=repeat)[3]).tables[1]
        flags = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in t._tbl.tr_lst]
        assert flags == ([True] * 3 if repeat else [False] * 3) + [False] * (len(flags) - 3)


def test_headings_numbering_from_seed():
    by_style = {}
    for seed in range(30):
        by_style.setdefault(DocxOptions(seed=seed).resolved().numbering, seed)
    assert set(by_style) == {"一、", "1、", "（一）"}  # the seed draws every style
    for style, seed in by_style.items():
        _, spec, options, data = make(seed=seed)
        heads = report_meta(spec, options)["headings"]
        assert heads == part_headings(style)
        texts = [p.text for p in open_docx(data).paragraphs]
        assert [t for t in texts if t in heads] == heads
    assert part_headings("1、")[2] == "3、收到和处理政府信息公开申请情况"
    assert part_headings("（一）")[5] == "（六）其他需要报告的事项"
    assert part_headings("一、")[3] == "四、政府信息公开行政复议、行政诉讼情况"


def test_same_inputs_same_document():
    a, b = make(seed=11)[3], make(seed=11)[3]
    assert open_docx(a).element.xml == open_docx(b).element.xml
    assert open_docx(a).element.xml != open_docx(make(seed=12)[3]).element.xml


def test_bad_options_are_refused():
    for bad in ({"widths": "huge"}, {"rules": "some"}, {"numbering": "A."}):
        with pytest.raises(ValueError):
            DocxOptions(**bad).resolved()


# --- PDF (LibreOffice) ---------------------------------------------------------------------------

PDF_CASES = {
    # split, repeated header, all rules
    "split_repeat": dict(versions=V21, seed=21, rules=True, widths="normal", split_tables=True,
                         repeat_header=True, numbering="一、"),
    # split, header not repeated, partial rules, 2019 format
    "split_norepeat": dict(versions=V19, seed=22, rules="partial", widths="normal", split_tables=True,
                           repeat_header=False, numbering="1、"),
    # table 三 at the top of a page and whole on it; no rules; blank cells
    "whole": dict(versions=HYBRID, seed=23, rules=False, widths="wide", split_tables=False,
                  table_font_size=9.0, numbering="（一）", blank_share=0.4),
}


@pytest.fixture(scope="session")
def pdfs():
    try:
        find_soffice()
    except SofficeNotFoundError as e:
        pytest.fail(f"{e} (the PDF fixture tests need LibreOffice; CI installs it)")
    made = {}
    for name, case in PDF_CASES.items():
        case = dict(case)
        versions, seed = case.pop("versions"), case.pop("seed")
        tables, spec, options, data = make(versions, seed, **case)
        made[name] = {"tables": printed_tables(tables, options), "meta": report_meta(spec, options), "docx": data}
    for name, pdf in zip(made, docx_to_pdf_many([m["docx"] for m in made.values()])):
        made[name]["pdf"] = pdf
        made[name]["layout"] = pdf_layout(pdf, made[name]["meta"]["headings"])
        made[name]["lines"] = text_lines(pdf)
    return made


def test_pdf_page_count(pdfs):
    import pdfplumber

    for name, m in pdfs.items():
        with pdfplumber.open(io.BytesIO(m["pdf"])) as pdf:
            n = len(pdf.pages)
            assert 4 <= n <= 9, (name, n)
            assert m["layout"]["pages"] == n
            # A4 portrait
            assert abs(pdf.pages[0].width - 595.3) < 2 and abs(pdf.pages[0].height - 841.9) < 2


def test_pdf_text_is_real_chinese_text(pdfs):
    import pdfplumber

    for name, m in pdfs.items():
        texts = [ln["text"] for ln in m["lines"]]
        # the exact heading strings, each alone on its line, in order
        heads = m["meta"]["headings"]
        assert [t for t in texts if t in heads] == heads, name
        assert all(h["page"] for h in m["layout"]["headings"])
        full = "".join(texts)
        assert m["meta"]["title"] in full  # the title may wrap over two lines
        assert "(cid:" not in full and "\ufffd" not in full
        assert "本年新收政府信息公开申请数量" in full
        with pdfplumber.open(io.BytesIO(m["pdf"])) as pdf:
            fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
        assert fonts and all("CJK" in f for f in fonts), fonts


def _line(m, prefix: str) -> dict:
    hits = [ln for ln in m["lines"] if ln["text"].startswith(prefix)]
    assert len(hits) == 1, (prefix, hits)
    return hits[0]


def test_pdf_rows_hold_the_values(pdfs):
    for name in ("split_repeat", "split_norepeat"):
        m = pdfs[name]
        apps = m["tables"]["applications"]
        for key in ("new_received", "carried_over", "carried_forward"):
            label = _APP_LABELS[key][0]
            want = label + "".join(cell_text(apps[f"{key}.{c.key}"]) for c in APPLICANT_COLUMNS)
            assert _line(m, label)["text"] == want, name
    m = pdfs["split_repeat"]
    rv = m["tables"]["review_litigation"]
    row = "".join(cell_text(rv[f"{g.key}.{c.key}"]) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    review_page = m["layout"]["tables"]["review_litigation"]["end"]["page"]
    assert any(ln["text"] == row and ln["page"] == review_page for ln in m["lines"])


@pytest.mark.parametrize("name", ["split_repeat", "split_norepeat"])
def test_split_option_puts_table_three_on_two_pages(pdfs, name):
    import pdfplumber

    m = pdfs[name]
    t3 = m["layout"]["tables"]["applications"]
    assert len(t3["pages"]) == 2, t3
    first, second = t3["pages"]
    # the table starts in the lower half of its first page ...
    assert t3["start"]["top"] > 0.5 * m["layout"]["page_height"], t3
    # ... its first row is there and its last row on the next page (char positions)
    top_row = _line(m, "一、本年新收政府信息公开申请数量")
    last_row = _line(m, "四、结转下年度继续办理")
    assert top_row["page"] == first and last_row["page"] == second
    with pdfplumber.open(io.BytesIO(m["pdf"])) as pdf:
        p1, p2 = pdf.pages[first - 1], pdf.pages[second - 1]
        # the last char on the first page's body and the first on the next belong to table 三 rows:
        # p1's lowest body text sits near the bottom margin, p2's table text starts at its top
        body1 = [c for c in p1.chars if c["top"] < p1.height - 100]
        assert max(c["bottom"] for c in body1) > p1.height - 200
        digits2 = [c for c in p2.chars if c["text"].isdigit() and c["top"] < p2.height - 100]
        assert min(c["top"] for c in digits2) < 0.35 * p2.height
    # the header row repeats on the second page only when asked
    repeat = PDF_CASES[name]["repeat_header"]
    assert t3["header_pages"] == ([first, second] if repeat else [first])


def test_no_split_option_keeps_table_three_on_one_page(pdfs):
    m = pdfs["whole"]
    t3 = m["layout"]["tables"]["applications"]
    assert len(t3["pages"]) == 1, t3
    assert t3["start"]["top"] < 0.3 * m["layout"]["page_height"]
    # 2019 layout of table 三 in this hybrid: the single （六）其他处理 row is printed
    assert any(ln["text"].startswith("（六）其他处理") for ln in m["lines"])
    assert not any("逾期不补正" in ln["text"] for ln in m["lines"])


def test_missing_soffice_is_a_clear_error(monkeypatch, tmp_path):
    from nianbao.readers import office

    monkeypatch.delenv("NIANBAO_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(office, "KNOWN_SOFFICE_PATHS", ())  # nor where the installers put it
    with pytest.raises(SofficeNotFoundError) as e:
        docx_to_pdf(b"not used")
    assert INSTALL_HINT in str(e.value)


def test_hanging_soffice_times_out(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    with pytest.raises(ConversionError, match="did not finish"):
        docx_to_pdf(b"x", timeout=1)


# --- corpus --------------------------------------------------------------------------------------

def test_plan_covers_the_options_and_is_deterministic():
    p = plan(20, 1)
    assert [x["options"] for x in p] == [x["options"] for x in plan(20, 1)]
    assert [x["options"] for x in p] != [x["options"] for x in plan(20, 2)]
    c = lambda f: Counter(f(x) for x in p)  # noqa: E731
    assert set(c(lambda x: x["version_set"])) == {name for name, _ in VERSION_SETS}
    assert set(c(lambda x: x["options"].rules)) == set(RULES)
    assert set(c(lambda x: x["options"].widths)) == set(WIDTHS)
    assert set(c(lambda x: (x["options"].split_tables, x["options"].repeat_header))) == set(PLACEMENTS)
    assert c(lambda x: x["options"].blank_share > 0)[True] >= 3
    assert set(c(lambda x: x["options"].numbering)) == {"一、", "1、", "（一）"}
    for x in p:
        vs = x["spec"].versions
        if x["version_set"] != "2019":
            assert x["spec"].year >= 2021
        assert vs in [v for _, v in VERSION_SETS]


def test_corpus_docx_files_match_their_truth(tmp_path):
    paths = generate(tmp_path, 5, seed=4, formats=("docx",))
    assert len(paths) == 10 and all(p.exists() for p in paths)
    for js in [p for p in paths if p.suffix == ".json"]:
        truth = json.loads(js.read_text(encoding="utf-8"))
        assert set(truth) == {"tables", "table_templates", "meta", "options"}
        d = open_docx(js.with_suffix(".docx").read_bytes())
        version = truth["table_templates"]["applications"]
        fmt = table_format("applications", version)
        t_apps = d.tables[1]
        for i, row in enumerate(fmt.rows):
            cells = t_apps.rows[3 + i].cells
            for j, col in enumerate(APPLICANT_COLUMNS):
                assert cells[3 + j].text == cell_text(truth["tables"]["applications"][f"{row.key}.{col.key}"])
        for key in truth["meta"]["blank_cells"]:
            table, k = key.split(".", 1)
            assert truth["tables"][table][k] is None
        assert [p.text for p in d.paragraphs if p.text in truth["meta"]["headings"]] == truth["meta"]["headings"]
        assert sum(truth["meta"]["narrative"]["sentence"] in p.text for p in d.paragraphs) == 1


def test_corpus_with_pdf_and_cli(tmp_path, capsys):
    try:
        find_soffice()
    except SofficeNotFoundError as e:
        pytest.fail(str(e))
    assert main([str(tmp_path), "--n", "2", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    assert out.count("name=synth_") == 2
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"synth_00{i}.{ext}" for i in range(2) for ext in ("docx", "json", "pdf")]
    rows = options_matrix(sorted(tmp_path.glob("*.json")))
    for row in rows:
        assert row["pages"] and row["t3_pages"]
    truth = json.loads((tmp_path / "synth_000.json").read_text(encoding="utf-8"))
    assert truth["meta"]["files"] == {"docx": "synth_000.docx", "pdf": "synth_000.pdf"}
    layout = truth["meta"]["pdf_layout"]
    assert all(h["page"] for h in layout["headings"])
