"""Parts and metadata; a text that is not a report says which parts are missing."""

from __future__ import annotations

from nianbao import parse_bytes
from nianbao.structure import parse_date, region_of


def test_a_text_that_is_not_a_report():
    r = parse_bytes("今天天气很好，我们去公园散步。\n然后回家吃饭。".encode(), "note.txt")
    assert r.sections == []
    rules = [f.rule for f in r.findings if f.severity == "warning"]
    assert rules.count("report.not_annual_report") == 1
    assert rules.count("table.missing") == 3
    assert set(r.tables["applications"].values()) == {None}
    assert r.status == "ok"


def test_missing_parts_are_named():
    text = "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n今年工作。\n五、存在的主要问题及改进情况\n一是人员不足。\n"
    r = parse_bytes(text.encode(), "r.txt")
    missing = sorted(f.message for f in r.findings if f.rule == "report.part_missing")
    assert len(missing) == 4
    assert any("收到和处理政府信息公开申请情况" in m for m in missing)
    assert r.meta.agency == "某县人民政府" and r.meta.year == 2024


def test_a_subsection_does_not_open_a_part():
    text = ("某局2024年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开政府信息情况\n内容。\n"
            "二、主动公开政府信息情况\n规章\t0\t0\t0\n")
    r = parse_bytes(text.encode(), "r.txt")
    assert r.text[r.section(2).start:].startswith("二、主动公开政府信息情况")


def test_dates():
    assert parse_date("2025年1月10日") == "2025-01-10"
    assert parse_date("二〇二五年一月二十日") == "2025-01-20"
    assert parse_date("2025年13月1日") is None


def test_region_from_agency():
    assert region_of("鄂尔多斯市交通运输局") == "鄂尔多斯市"
    assert region_of("尧都区交通运输局") == "尧都区"
    assert region_of("鄂托克旗") == "鄂托克旗"


def test_tables_are_found_by_their_words_when_part_headings_are_lost():
    from .conftest import expected, seed_path

    text = seed_path("000").read_text(encoding="utf-8")
    for heading in ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        assert heading in text
        text = text.replace(heading, "")
    r = parse_bytes(text.encode(), "000-no-headings.txt")
    assert r.tables == expected("000")["tables"]
    lost = [f for f in r.findings if f.rule == "table.part_heading_missing"]
    assert len(lost) == 2
    assert not [f for f in r.findings if f.severity == "error"]
