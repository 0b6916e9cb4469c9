"""Repair by the rules: lost numbers placed where every rule holds, forced cells computed,
ambiguity left empty, and genuine source errors never repaired away."""

from __future__ import annotations

import random

import pytest

from nianbao import parse_bytes
from nianbao.settings import Settings
from nianbao.synth import TextReportSpec, random_tables, render_text
from nianbao.tables.repair import solve
from nianbao.template.rules import equations

EQ_REVIEW = equations("review_litigation", "2021")
GROUP = ("review.upheld", "review.corrected", "review.other", "review.pending", "review.total")


def test_a_lost_total_is_computed():
    # (1, 2, 4, 3, ?) is the only placement: a lost inner cell would have to be negative
    sol = solve(EQ_REVIEW, {}, [(GROUP, [1, 2, 4, 3])], set())
    assert [sol.values[k] for k in GROUP] == [1, 2, 4, 3, 10]
    assert sol.derived == {"review.total": "review_litigation.group_total"}
    assert sol.placements == {"review.upheld": 0, "review.corrected": 1, "review.other": 2, "review.pending": 3}


def test_a_lost_zero_has_certain_values_but_uncertain_place():
    sol = solve(EQ_REVIEW, {}, [(GROUP, [0, 0, 0, 0])], set())
    assert [sol.values[k] for k in GROUP] == [0, 0, 0, 0, 0]
    assert sol.placements == {}  # which 0 was lost is not known
    assert not sol.ambiguous


def test_several_answers_leave_every_disputed_cell_empty():
    # (4, 1, 1, 6, 12), (4, 1, 1, 0, 6), (4, 1, 0, 1, 6), (4, 0, 1, 1, 6), (0, 4, 1, 1, 6) all fit
    sol = solve(EQ_REVIEW, {}, [(GROUP, [4, 1, 1, 6])], set())
    assert sol.ambiguous == set(GROUP)
    assert [sol.values[k] for k in GROUP] == [None] * 5


def test_unknown_cells_that_must_sum_to_zero_are_zero():
    sol = solve(EQ_REVIEW, {"review.total": 0, "review.upheld": 0, "review.corrected": 0},
                [], {"review.other", "review.pending"})
    assert (sol.values["review.other"], sol.values["review.pending"]) == (0, 0)


def test_a_printed_blank_is_not_used_by_any_rule():
    sol = solve(EQ_REVIEW, {"review.total": 5, "review.upheld": None, "review.corrected": 1,
                            "review.other": 1}, [], {"review.pending"})
    assert sol.values["review.pending"] is None


def _drop(text: str, line_prefix: str, index: int) -> str:
    """Remove the index-th value of the tab row that starts with line_prefix."""
    out = []
    for line in text.split("\n"):
        if line_prefix in line:
            cells = line.split("\t")
            labels = [c for c in cells if c and not c.isdigit()]
            values = [c for c in cells if c.isdigit()]
            del values[index]
            line = "\t".join(labels + values)
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_a_lost_number_in_a_generated_report_is_recovered(seed):
    rng = random.Random(100 + seed)
    tables = random_tables(rng, zero_share=0.2, scale=200)
    text = render_text(tables, TextReportSpec(year=2024), "tabs")
    # The natural-person count of 予以公开 goes missing from its row.
    broken = _drop(text, "（一）予以公开", 0)
    report = parse_bytes(broken.encode(), "r.txt", Settings(strict=True))
    assert report.tables["applications"] == tables["applications"]
    cell = report.cell("applications", "granted.natural_person")
    assert cell.origin == "inferred"
    assert not [f for f in report.findings if f.severity == "error"]


def test_a_source_error_is_reported_not_repaired():
    rng = random.Random(5)
    tables = random_tables(rng, zero_share=0.2, scale=200)
    tables["applications"]["results_total.total"] += 10  # the report prints a wrong 总计
    text = render_text(tables, TextReportSpec(year=2024), "tabs")
    report = parse_bytes(text.encode(), "r.txt", Settings(strict=True))
    assert report.value("applications", "results_total.total") == tables["applications"]["results_total.total"]
    rules = {f.rule for f in report.findings if f.severity == "error"}
    assert rules == {"applications.balance", "applications.row_total", "applications.results_sum"}
    assert not [c for c in report.cells if c.origin == "inferred"]


def test_a_table_that_lost_too_much_is_given_up_within_bounded_time():
    import time

    tables = random_tables(random.Random(3))
    lines = render_text(tables).split("\n")
    start = lines.index("三、收到和处理政府信息公开申请情况")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    for k in range(start, end):  # every 0 of table 三 lost
        lines[k] = "\t".join(c for c in lines[k].split("\t") if c != "0")
    t0 = time.monotonic()
    report = parse_bytes("\n".join(lines).encode(), "r.txt", Settings(strict=True))
    assert time.monotonic() - t0 < 20
    assert "repair.gave_up" in {f.rule for f in report.findings}
    # nothing is guessed: what is given (rows the rules could still settle apart) is right
    for cell in report.cells:
        if cell.table == "applications" and cell.value is not None:
            assert cell.value == tables["applications"][cell.key], cell.key
