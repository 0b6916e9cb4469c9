"""Printed rows -> canonical rows: label fragments and rows broken across a page."""

from __future__ import annotations

from nianbao.tables.mapping import align, observe
from nianbao.tables.text_rows import TextRow, Token
from nianbao.template.formats import table_format

APPLICATIONS = table_format("applications", "2021")
NO_FEE = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


def row(*texts: str, page: int = 1) -> TextRow:
    return TextRow([Token(t, -1, 0, page) for t in texts])


def test_a_row_broken_across_a_page_is_one_row():
    # page 4 ends with the label's first line and six of the values; page 5 goes on with the
    # label and the total; the label wraps over many short lines on both sides
    rows = [row("2.申请人逾", "0", "1", "0", "0", "0", "0", ""),
            row("期未按收费", page=5), row("通知要求缴", page=5), row("纳费用、行", page=5),
            row("政机关不再", "处理其政府信息公开申", "", "", "", "", "", "", "1", page=5),
            row("请", page=5)]
    observed = observe(rows, APPLICATIONS, 7)
    assert len(observed) == 1
    assert observed[0].labels == [NO_FEE[:-1]]  # the last line (请) completes nothing more
    _, pairs = align(observed, APPLICATIONS.rows)
    assert [APPLICATIONS.rows[i].key for i in pairs] == ["other.no_fee"]
    assert [t.text for t in observed[0].row.value_slots()] == ["0", "1", "0", "0", "0", "0", "1"]


def test_two_rows_that_both_print_a_total_stay_two_rows():
    rows = [row("1.本机关不掌握相关政府信息", "1", "0", "0", "0", "0", "0", "1"),
            row("2.没有现成信息需要另行制作", "", "", "", "", "", "", "2")]
    observed = observe(rows, APPLICATIONS, 7)
    assert [o.labels for o in observed] == [["1.本机关不掌握相关政府信息"], ["2.没有现成信息需要另行制作"]]


def test_label_lines_left_over_above_a_row_start_its_label():
    # the same row printed by a browser: the page break falls after 期未按收费, and the line
    # 政机关不再 stands alone above the part that holds the total
    rows = [row("2.申请人逾", "0", "0", "0", "0", "0", "0", ""), row("期未按收费"),
            row("通知要求缴", page=5), row("纳费用、行", page=5), row("政机关不再", page=5),
            row("处理其政府", "", "", "", "", "", "", "0", page=5), row("信息公开申", page=5), row("请", page=5)]
    observed = observe(rows, APPLICATIONS, 7)
    assert [o.labels for o in observed] == [[NO_FEE[:-1]]]
    assert [t.text for t in observed[0].row.value_slots()] == ["0"] * 7
