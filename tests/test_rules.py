"""The rules of the format on hand-built tables: each holds on a consistent table and
fails, naming the changed cell, when any one cell changes."""

from __future__ import annotations

import random

import pytest

from nianbao.checks import check_table_rules
from nianbao.model import Report, Source
from nianbao.synth import random_tables
from nianbao.template.rules import equations

VERSIONS = ["2021", "2019"]


def _report(tables, version) -> Report:
    r = Report(source=Source("t.txt", "0" * 64, "text"))
    r.table_templates = {"active": version, "applications": version, "review_litigation": version}
    r.tables = {t: dict(v) for t, v in tables.items()}
    return r


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


def test_consistent_tables_pass_every_rule(version):
    for seed in range(20):
        tables = random_tables(random.Random(seed), {"active": version, "applications": version,
                                                     "review_litigation": version})
        findings, summaries = check_table_rules(_report(tables, version))
        assert findings == []
        counts = {s.rule: (s.passed, s.failed, s.not_assessable) for s in summaries}
        rows = 25 if version == "2021" else 23
        assert counts == {
            "applications.balance": (7, 0, 0),
            "applications.row_total": (rows, 0, 0),
            "applications.results_sum": (7, 0, 0),
            "review_litigation.group_total": (3, 0, 0),
        }


@pytest.mark.parametrize("table", ["applications", "review_litigation"])
def test_changing_any_one_cell_breaks_a_rule_that_names_it(version, table):
    tables = random_tables(random.Random(7), {"active": version, "applications": version,
                                              "review_litigation": version})
    for key in tables[table]:
        changed = {t: dict(v) for t, v in tables.items()}
        changed[table][key] += 1
        findings, _ = check_table_rules(_report(changed, version))
        errors = [f for f in findings if f.severity == "error"]
        assert errors, key
        assert all(f"{table}.{key}" in f.cells for f in errors), key
        for f in errors:
            assert abs(f.reported - f.computed) == 1


def test_each_rule_reports_reported_and_computed():
    tables = random_tables(random.Random(3))
    tables["applications"]["new_received.total"] += 5
    findings, _ = check_table_rules(_report(tables, "2021"))
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"applications.balance", "applications.row_total"}
    bal = by_rule["applications.balance"]
    assert bal.computed - bal.reported == 5
    row = by_rule["applications.row_total"]
    assert row.reported - row.computed == 5
    assert "总计" in bal.message and "报告数" in bal.message


def test_an_empty_cell_makes_its_rules_not_assessable():
    tables = random_tables(random.Random(4))
    tables["applications"]["granted.research"] = None
    findings, summaries = check_table_rules(_report(tables, "2021"))
    s = {x.rule: x for x in summaries}
    assert (s["applications.row_total"].not_assessable, s["applications.results_sum"].not_assessable) == (1, 1)
    assert s["applications.row_total"].status == "partly_assessable"
    assert all(f.severity == "info" and f.status == "not_assessable" for f in findings)
    assert len(findings) == 2


def test_the_2019_layout_has_one_other_row():
    keys = {k for eq in equations("applications", "2019") for k in eq.keys}
    assert "other.total" in keys and "other.other.total" not in keys
    keys21 = {k for eq in equations("applications", "2021") for k in eq.keys}
    assert {"other.no_correction.total", "other.no_fee.total", "other.other.total"} <= keys21
