"""Narrative claims against the tables (seed 000, mutated in place), and inside the narrative."""

from __future__ import annotations

import copy

from nianbao.checks.claims import AGREES, CONTRADICTS, NOT_COMPARABLE, OTHER_SCOPE, check_claims, classify
from nianbao.model import Report, Source
from nlp.claims import extract_claims
from tests.conftest import parsed


def _mutated(old: str, new: str) -> Report:
    r = copy.deepcopy(parsed("000"))
    assert r.text.count(old) == 1
    r.text = r.text.replace(old, new)
    r.claims = extract_claims(r)
    return r


def _rules(report):
    return [(f.rule, f.severity) for f in check_claims(report)]


def test_seed_000_agrees_with_its_table():
    r = parsed("000")
    assert [f for f in r.findings if f.rule.startswith("claim.")] == []
    by_text = {c.text: classify(r, c)[0] for c in r.claims}
    assert by_text["全年共收到政府信息公开申请10件"] == AGREES
    assert by_text["其中自然人申请9件"] == AGREES
    assert by_text["商业企业申请1件"] == AGREES
    assert by_text["现行有效件数4件"] == AGREES
    assert by_text["较2024年增长11.1%"] == NOT_COMPARABLE
    assert by_text["总访问量930160次"] == NOT_COMPARABLE


def test_changed_number_contradicts_exactly_that_cell():
    r = _mutated("全年共收到政府信息公开申请10件", "全年共收到政府信息公开申请13件")
    fs = [f for f in check_claims(r) if f.rule == "claim.contradicts_table"]
    assert len(fs) == 1
    f = fs[0]
    assert f.severity == "warning" and f.cells == ["applications.new_received.total"]
    assert r.claims[f.claims[0]].text == "全年共收到政府信息公开申请13件"
    assert (f.reported, f.computed) == (13, 10)
    assert "不符" in f.message


def test_column_claim_contradicts():
    r = _mutated("其中自然人申请9件", "其中自然人申请8件")
    fs = [f for f in check_claims(r) if f.rule == "claim.contradicts_table"]
    assert [f.cells for f in fs] == [["applications.new_received.natural_person"]]


def test_other_scope_is_info_not_contradiction():
    r = copy.deepcopy(parsed("000"))
    r.tables["applications"]["carried_over.total"] = 2  # 10 new + 2 carried over
    r.tables["applications"]["new_received.total"] = 8
    c = next(c for c in r.claims if c.text == "全年共收到政府信息公开申请10件")
    assert classify(r, c)[0] == OTHER_SCOPE
    rules = _rules(r)
    assert ("claim.other_scope", "info") in rules


def test_legal_person_columns_summed_and_litigation_groups():
    r = copy.deepcopy(parsed("000"))
    r.text += "\n法人或其他组织申请1件。因政府信息公开引起的行政诉讼3件。"
    r.tables["review_litigation"]["litigation_direct.total"] = 1
    r.tables["review_litigation"]["litigation_after_review.total"] = 2
    r.claims = extract_claims(r)
    classes = {c.text: classify(r, c)[0] for c in r.claims[-2:]}
    assert list(classes.values()) == [AGREES, AGREES]
    r.tables["review_litigation"]["litigation_after_review.total"] = 0
    assert classify(r, r.claims[-1])[0] == CONTRADICTS


def test_bounds_are_intervals():
    r = copy.deepcopy(parsed("000"))
    r.text += "\n全年共收到政府信息公开申请近12件。"
    r.claims = extract_claims(r)
    assert classify(r, r.claims[-1])[0] == AGREES  # at most 12, the table says 10
    r.tables["applications"]["new_received.total"] = 13
    r.tables["applications"]["carried_over.total"] = 0
    assert classify(r, r.claims[-1])[0] == CONTRADICTS


def test_empty_cell_is_not_comparable():
    r = copy.deepcopy(parsed("000"))
    r.tables["applications"]["new_received.total"] = None
    c = next(c for c in r.claims if c.text == "全年共收到政府信息公开申请10件")
    assert classify(r, c)[0] == NOT_COMPARABLE


def test_parts_exceed_whole():
    r = _mutated("其中概况类信息31件", "其中概况类信息131件")
    fs = [f for f in check_claims(r) if f.rule == "claim.parts_exceed_whole"]
    assert len(fs) == 1 and (fs[0].reported, fs[0].computed) == (13568, 13668)
    assert not [f for f in check_claims(parsed("000")) if f.rule == "claim.parts_exceed_whole"]


def test_change_inconsistent():
    ok = _mutated("较2024年增长11.1%", "较2024年的9件增长11.1%")
    assert not [f for f in check_claims(ok) if f.rule == "claim.change_inconsistent"]
    bad = _mutated("较2024年增长11.1%", "较2024年的9件增长20%")
    fs = [f for f in check_claims(bad) if f.rule == "claim.change_inconsistent"]
    assert len(fs) == 1 and fs[0].severity == "warning"


def test_narrative_only_report_has_no_table_findings():
    r = Report(source=Source("x.txt", "0" * 64, "text"), text="全年共收到政府信息公开申请10件。")
    r.claims = extract_claims(r)
    assert [c.metric for c in r.claims] == ["applications.new_received.total"]
    assert check_claims(r) == []


def test_figure_of_a_named_subunit_is_not_comparable():
    r = copy.deepcopy(parsed("000"))
    r.text += "\n局办公室代表本局受理政府信息公开申请3件。"  # one office speaking; the table is the agency's
    r.claims = extract_claims(r)
    c = r.claims[-1]
    assert (c.metric, c.value, c.scope) == ("applications.new_received.total", 3, "unit")
    assert classify(r, c)[0] == NOT_COMPARABLE
    assert not [f for f in check_claims(r) if f.rule == "claim.contradicts_table"]
    r.text += "\n全年共受理政府信息公开申请3件。"  # the agency's own figure is compared
    r.claims = extract_claims(r)
    assert classify(r, r.claims[-1])[0] == CONTRADICTS
