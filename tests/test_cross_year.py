"""Agencies over years and the cross-year rules, on generated reports with known values."""

from __future__ import annotations

import copy

import pytest

from corpus.agencies import agency_core, agency_key, group_agencies, similarity
from corpus.batch import Batch
from corpus.store import Store, StoreConfig
from nianbao.checks.cross_year import CARRY, IN_FORCE, PREV_COUNT, cross_year_findings, replace_cross_year
from nianbao.model import INFO, WARNING, Meta, Report, Source
from tests.corpus_support import write_reports
from tests.service_support import BACKENDS, client_for, make_store, pg_url, upload_and_process  # noqa: F401 (pg_url: fixture)


# -- agencies ------------------------------------------------------------------------------

@pytest.mark.parametrize("a, ra, b, rb", [
    ("鄂尔多斯市交通运输局", "鄂尔多斯市", "交通运输局", "鄂尔多斯市"),   # region prefix
    ("鄂尔多斯市交通局", None, "鄂尔多斯市交通运输局", None),             # renamed office
    ("廣州市交通運輸局", None, "广州市交通运输局", None),                 # traditional
    ("广州市 交通运输局", None, "广州市交通运输局", "广东省广州市"),       # whitespace, longer region
    ("内蒙古自治区鄂尔多斯市财政局", "内蒙古自治区鄂尔多斯市", "鄂尔多斯市财政局", "鄂尔多斯市"),
])
def test_same_agency(a, ra, b, rb):
    assert agency_key(a, ra) == agency_key(b, rb)
    assert similarity(a, b, ra, rb) == 1.0


def test_different_agencies():
    assert similarity("广州市交通局", "深圳市交通局") == 0.0          # other place
    assert similarity("鄂尔多斯市财政局", "鄂尔多斯市交通局") < 0.85   # other office
    assert agency_core("市场监督管理局") == "市场监管局"                  # 市场 is not a place


def test_group_agencies_joins_a_name_without_region():
    groups = group_agencies([
        {"id": 1, "agency": "鄂尔多斯市交通运输局", "region": "鄂尔多斯市", "year": 2021},
        {"id": 2, "agency": "交通运输局", "region": None, "year": 2022},
        {"id": 3, "agency": "鄂爾多斯市交通運輸局", "region": "鄂爾多斯市", "year": 2023},
        {"id": 4, "agency": "鄂尔多斯市财政局", "region": "鄂尔多斯市", "year": 2022},
    ])
    by_ids = sorted(sorted(r["id"] for r in g.reports) for g in groups)
    assert by_ids == [[1, 2, 3], [4]]


# -- the rules on two reports ------------------------------------------------------------------

def _report(year: int, tables: dict, templates: dict, sha: str = "x") -> Report:
    return Report(source=Source(f"r{year}.txt", sha * 64 if len(sha) == 1 else sha, "text"),
                  meta=Meta(agency="某市交通运输局", region="某市", year=year, template=templates["active"]),
                  tables=copy.deepcopy(tables), table_templates=dict(templates))


T21 = {"active": "2021", "applications": "2021", "review_litigation": "2021"}
T19 = {"active": "2019", "applications": "2019", "review_litigation": "2019"}


def test_in_force_continuity():
    before = _report(2021, {"active": {"art20_1.rules.in_force": 10, "art20_1.normative_documents.in_force": 5}}, T21)
    after = _report(2022, {"active": {"art20_1.rules.issued": 2, "art20_1.rules.repealed": 1,
                                      "art20_1.rules.in_force": 11,
                                      "art20_1.normative_documents.issued": 3,
                                      "art20_1.normative_documents.repealed": 0,
                                      "art20_1.normative_documents.in_force": 9}}, T21, "y")
    found = [f for f in cross_year_findings(before, after, 1, 2) if f.rule == IN_FORCE]
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.reported, f.computed) == (WARNING, 9, 8)
    assert f.cells[0] == "active.art20_1.normative_documents.in_force"
    assert "行政规范性文件" in f.message and "2021年报告" in f.message
    assert [(r["role"], r["report_id"], r["year"]) for r in f.reports] == [("earlier", 1, 2021), ("later", 2, 2022)]


def test_prev_count_chain_2019_and_versions_kept_apart():
    before = _report(2019, {"active": {"art20_5.licensing.prev_count": 40, "art20_5.licensing.change": -3}}, T19)
    after = _report(2020, {"active": {"art20_5.licensing.prev_count": 40}}, T19, "y")
    found = [f for f in cross_year_findings(before, after) if f.rule == PREV_COUNT and f.severity == WARNING]
    assert [(f.reported, f.computed, f.cells) for f in found] == [(40, 37, ["active.art20_5.licensing.prev_count"])]
    # 2019 table 二 one year, 2021 the next: neither active rule applies (对外公开总数量 is not 现行有效件数)
    mixed = _report(2021, {"active": {"art20_1.rules.in_force": 1}}, T21, "z")
    assert [f for f in cross_year_findings(after, mixed) if f.rule.startswith("active.")] == []


def test_carry_continuity_and_not_assessable():
    before = _report(2021, {"applications": {"carried_forward.natural_person": 2, "carried_forward.total": 2}}, T21)
    after = _report(2022, {"applications": {"carried_over.natural_person": 2, "carried_over.total": 3}}, T21, "y")
    found = [f for f in cross_year_findings(before, after) if f.rule == CARRY]
    warnings = [(f.cells, f.reported, f.computed) for f in found if f.severity == WARNING]
    assert warnings == [(["applications.carried_over.total"], 3, 2)]
    info = [f for f in found if f.severity == INFO]
    assert len(info) == 1 and info[0].status == "not_assessable" and "商业企业" in info[0].message
    assert cross_year_findings(before, _report(2024, {}, T21, "w")) == []  # not consecutive


def test_replace_cross_year_is_idempotent():
    before = _report(2021, {"applications": {"carried_forward.total": 2}}, T21)
    after = _report(2022, {"applications": {"carried_over.total": 3}}, T21, "y")
    findings = cross_year_findings(before, after)
    assert replace_cross_year(after, findings) is True
    assert replace_cross_year(after, cross_year_findings(before, after)) is False
    assert sum(1 for f in after.findings if f.rule == CARRY and f.severity == WARNING) == 1


# -- in a batch: exactly the expected findings, stored with the later report -------------------------

def test_batch_cross_year_findings(tmp_path):
    info = write_reports(tmp_path / "in")
    store = Store(StoreConfig(data_dir=str(tmp_path / "data")))
    result = Batch(store, workers=0, progress=None).run([str(tmp_path / "in")])
    assert result.counts == {"stored": 6}
    assert result.cross_year["agencies"] == 2 and result.cross_year["pairs"] == 4
    got = set()
    names = {"鄂尔多斯市财政局": "B"}
    for summary in store.list_reports()[0]:
        report = store.get_report(summary["id"])
        who = "B" if "财政" in (report.meta.agency or "") else "A"
        for f in report.findings:
            if f.reports:
                assert f.severity == WARNING and f.rule == CARRY
                later = next(r for r in f.reports if r["role"] == "later")
                earlier = next(r for r in f.reports if r["role"] == "earlier")
                assert later["report_id"] == summary["id"] and earlier["year"] == report.meta.year - 1
                col = f.cells[0].rsplit(".", 1)[1]
                truth = info["tables"][who]
                assert f.reported == truth[report.meta.year]["applications"][f"carried_over.{col}"]
                assert f.computed == truth[report.meta.year - 1]["applications"][f"carried_forward.{col}"]
                got.add((who, report.meta.year, col))
    assert names and got == info["expected"]
    assert {w for w, _, _ in got} == {"B"}
    # the flagged cells of the later report are marked in the store too
    flagged = {(c["year"], c["key"]) for c in store.iter_cells() if c["flagged"] and c["agency"] == "鄂尔多斯市财政局"}
    assert {(y, f"carried_over.{c}") for w, y, c in info["expected"]} <= flagged
    store.close()


# -- through the service: each stored upload is checked against its agency's neighbours --------------

def _carry_findings(store: Store) -> dict[int, set[tuple[str, int, int]]]:
    """year -> {(column, cited earlier report id, cited later report id)} of stored carry warnings."""
    out: dict[int, set] = {}
    for summary in store.list_reports()[0]:
        report = store.get_report(summary["id"])
        for f in report.findings:
            if f.rule == CARRY and f.severity == WARNING:
                ids = {r["role"]: r["report_id"] for r in f.reports}
                out.setdefault(report.meta.year, set()).add((f.cells[0].rsplit(".", 1)[1], ids["earlier"], ids["later"]))
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_service_uploads_get_cross_year_findings_and_lose_them_on_delete(backend, tmp_path, request):
    info = write_reports(tmp_path / "in")
    expected = {}
    for who, year, col in info["expected"]:
        assert who == "B"
        expected.setdefault(year, set()).add(col)
    assert set(expected) == {2022, 2023}
    store = make_store(backend, tmp_path, request)
    ids = {}
    with client_for(store) as client:
        # out of order: 2022 before its earlier year; 2023 last, when 2021 lies outside the years
        # looked at (2022's findings against 2021 must stay)
        for year in (2022, 2021, 2023):
            path = info["files"][("B", year)]
            job = upload_and_process(client, store, path.read_bytes(), path.name)
            assert job["status"] == "done", job
            ids[year] = job["report_id"]
        found = _carry_findings(store)
        assert {y: {c for c, _, _ in v} for y, v in found.items()} == expected
        for year, rows in found.items():
            assert {(e, later) for _, e, later in rows} == {(ids[year - 1], ids[year])}
        page = client.get(f"/reports/{ids[2023]}").text  # the finding links to the earlier report
        assert f'<a class="report-ref" href="/reports/{ids[2022]}">2022年报告</a>' in page
        # the 2022 report goes: 2023 has no earlier year any more, and 2022's own findings go with it
        assert client.delete(f"/v1/reports/{ids[2022]}").status_code == 200
        assert _carry_findings(store) == {}
        # uploaded again, both pairs are checked again
        path = info["files"][("B", 2022)]
        ids[2022] = upload_and_process(client, store, path.read_bytes(), path.name)["report_id"]
        assert {y: {c for c, _, _ in v} for y, v in _carry_findings(store).items()} == expected
    store.close()
