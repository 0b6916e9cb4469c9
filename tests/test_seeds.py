"""The five seed reports, parsed end to end: every canonical cell against hand-verified truth.

The truth files in fixtures/expected/ were written by reading the seeds by hand
(see their "notes"); they are not parser output.
"""

from __future__ import annotations

import pytest

from nianbao.template.formats import table_format

from .conftest import SEED_IDS, expected, parsed

CASES = [(sid, table, key) for sid in SEED_IDS for table, kv in expected(sid)["tables"].items() for key in kv]


def test_truth_covers_over_980_cells():
    assert len(CASES) == 984


@pytest.mark.parametrize("sid,table,key", CASES, ids=[f"{s}-{t}.{k}" for s, t, k in CASES])
def test_cell_value(sid, table, key):
    report = parsed(sid)
    assert report.tables[table][key] == expected(sid)["tables"][table][key]


def test_key_sets_are_the_templates(seed_id):
    report = parsed(seed_id)
    for table, version in report.table_templates.items():
        assert tuple(report.tables[table]) == table_format(table, version).keys


def test_table_templates(seed_id):
    assert parsed(seed_id).table_templates == expected(seed_id)["table_templates"]


def test_meta(seed_id):
    meta = parsed(seed_id).meta
    exp = expected(seed_id)["meta"]
    assert (meta.agency, meta.year, meta.published) == (exp["agency"], exp["year"], exp["published"])


def test_inferred_cells_are_exactly_the_ones_the_rules_had_to_place(seed_id):
    report = parsed(seed_id)
    inferred = sorted(c.ref for c in report.cells if c.origin == "inferred")
    assert inferred == sorted(expected(seed_id)["inferred"])


def test_every_table_value_has_one_cell_with_provenance(seed_id):
    report = parsed(seed_id)
    refs = [c.ref for c in report.cells]
    assert len(refs) == len(set(refs))
    assert set(refs) == {f"{t}.{k}" for t, kv in report.tables.items() for k in kv}
    for c in report.cells:
        assert report.tables[c.table][c.key] == c.value
        if c.origin == "text" and c.raw:
            # the raw text sits exactly where the cell says it was read
            assert report.text[c.start:c.end] == c.raw
            assert report.text.count("\n", 0, c.start) + 1 == c.line


def test_printed_numbers_keep_their_raw_text():
    report = parsed("000")
    cell = report.cell("active", "art20_5.licensing.decisions")
    assert (cell.value, cell.raw, cell.origin, cell.line) == (14368, "14368", "text", 41)


def test_only_seed_004_has_errors_and_they_are_the_balance_rule(seed_id):
    errors = {f.rule for f in parsed(seed_id).findings if f.severity == "error"}
    assert errors == ({"applications.balance"} if seed_id == "004" else set())


def test_seed_004_balance_error_keeps_the_printed_numbers():
    report = parsed("004")
    (finding,) = [f for f in report.findings if f.severity == "error"]
    assert (finding.reported, finding.computed) == (10, 0)
    assert set(finding.cells) == {
        "applications.results_total.total", "applications.carried_forward.total",
        "applications.new_received.total", "applications.carried_over.total"}
    assert report.value("applications", "results_total.total") == 10
    assert report.value("applications", "new_received.total") == 0
    # the blank applicant columns stay blank: not zero, not inferred
    assert report.value("applications", "new_received.natural_person") is None
    assert report.cell("applications", "new_received.natural_person").origin == "text"


def test_blank_cells_make_rules_not_assessable_not_passed():
    report = parsed("004")
    checks = {c.rule: c for c in report.checks}
    assert checks["applications.row_total"].passed == 0
    assert checks["applications.row_total"].not_assessable == 23
    assert checks["applications.row_total"].status == "not_assessable"
    assert (checks["applications.balance"].failed, checks["applications.balance"].not_assessable) == (1, 6)
    assert any(f.rule == "applications.row_total" and f.status == "not_assessable" for f in report.findings)


def test_seed_003_lost_numbers_are_placed_and_reported():
    report = parsed("003")
    granted = [report.value("applications", f"granted.{c}") for c in
               ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")]
    assert granted == [20, 5, 0, 0, 0, 0, 25]
    total = report.cell("applications", "unavailable.not_held.total")
    assert (total.value, total.origin, total.raw) == (30, "inferred", None)
    rules = {f.rule for f in report.findings if f.status == "inferred"}
    assert "applications.row_total" in rules
    assert all(f.severity == "info" for f in report.findings if f.status == "inferred")


def test_seed_003_review_table_without_numbers_is_all_null_and_said_so():
    report = parsed("003")
    assert set(report.tables["review_litigation"].values()) == {None}
    assert [f.rule for f in report.findings if f.rule == "table.values_missing"] == ["table.values_missing"]
    checks = {c.rule: c for c in report.checks}
    assert checks["review_litigation.group_total"].status == "not_assessable"


def test_seed_000_review_table_ignores_stray_header_values():
    report = parsed("000")
    assert list(report.tables["review_litigation"].values()) == [0] * 15
    cell = report.cell("review_litigation", "litigation_after_review.total")
    assert cell.line == report.text[:cell.start].count("\n") + 1


def test_sections_are_the_six_parts_in_order(seed_id):
    report = parsed(seed_id)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert all(a.end == b.start for a, b in zip(report.sections, report.sections[1:]))
    assert report.sections[-1].end == len(report.text)


@pytest.mark.parametrize("sid,part,start_text", [
    ("000", 5, "五、存在的主要问题及改进情况"),
    ("001", 5, "5、 [bookmark: _GoBack]存在的主要问题及改进情况"),
    ("002", 6, "六、其他需要报告的事项无。"),
    ("004", 3, "3、 收到和处理政府信息公开申请情况"),
])
def test_section_starts_at_its_heading(sid, part, start_text):
    report = parsed(sid)
    sec = report.section(part)
    heading = report.text[sec.start:report.text.index("\n", sec.start)]
    assert heading.strip().startswith(start_text)
