"""The research panel (long and wide tables, both versions on one core) and near-duplicate narratives."""

from __future__ import annotations

import csv
import random

import pytest

from corpus.batch import Batch
from corpus.duplicates import find_duplicates
from corpus.panel import core_mapping, export
from corpus.store import Store, StoreConfig
from nianbao.cli import main
from nianbao.synth.text import TextReportSpec, render_text
from nianbao.synth.values import random_tables

V21 = {"active": "2021", "applications": "2021", "review_litigation": "2021"}
V19 = {"active": "2019", "applications": "2019", "review_litigation": "2019"}

WORDS = ("政务公开", "政策解读", "依申请公开", "门户网站", "政务新媒体", "基层政务", "公开目录", "信息发布",
         "回应关切", "规范性文件", "行政许可", "保密审查", "考核评议", "培训", "重点领域", "便民服务",
         "数据开放", "公众参与", "会议开放", "互动交流")


def _narrative(seed: int, n: int = 40) -> str:
    rng = random.Random(seed)
    parts = [f"{rng.choice(WORDS)}{rng.choice(('工作', '机制', '渠道', '平台'))}{rng.choice(('持续完善', '稳步推进', '不断加强', '进一步规范'))}，"
             f"全年办理{rng.randint(1, 999)}件" for _ in range(n)]
    return "；".join(parts) + "。"


def _write(folder, name, agency, year, versions, tables, narrative=None):
    spec = TextReportSpec(agency=agency, year=year, versions=versions,
                          narrative=narrative or "本年度共收到政府信息公开申请若干件。")
    path = folder / name
    path.write_text(render_text(tables, spec, "tabs"), encoding="utf-8")
    return path


@pytest.fixture()
def panel_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    t21 = random_tables(random.Random(3), V21, scale=60, zero_share=0.3)
    t19 = random_tables(random.Random(4), V19, scale=60, zero_share=0.3)
    _write(folder, "x2021.txt", "鄂尔多斯市交通运输局", 2021, V21, t21)
    _write(folder, "y2019.txt", "鄂尔多斯市财政局", 2019, V19, t19)
    store = Store(StoreConfig(data_dir=str(tmp_path / "data")))
    result = Batch(store, workers=0, progress=None).run([str(folder)])
    assert result.counts == {"stored": 2}
    ids = {f["path"].rsplit("/", 1)[1]: f["report_id"] for f in result.files}
    yield store, ids, {"x2021.txt": t21, "y2019.txt": t19}
    store.close()


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text):
    return "" if text is None else str(text)


def test_long_csv_has_exactly_the_report_cells(panel_store, tmp_path):
    store, ids, truth = panel_store
    files = export(store, "csv", tmp_path / "out" / "panel")
    assert sorted(f.name for f in files) == ["panel_duplicates.csv", "panel_long.csv", "panel_mapping.csv",
                                             "panel_wide.csv", "panel_wide_status.csv"]
    rows = [r for r in _read(tmp_path / "out" / "panel_long.csv") if r["report_id"] == str(ids["x2021.txt"])]
    expected = {(t, k): _num(v) for t, vals in truth["x2021.txt"].items() for k, v in vals.items()}
    assert len(rows) == len(expected) == 200
    assert {(r["table"], r["key"]): r["value"] for r in rows} == expected
    first = rows[0]
    assert (first["agency"], first["region"], first["year"], first["template"], first["origin"], first["page"]) == \
        ("鄂尔多斯市交通运输局", "鄂尔多斯市", "2021", "2021", "text", "")
    by_key = {(r["table"], r["key"]): r for r in rows}
    assert by_key[("applications", "other.no_fee.total")]["core_key"] == "applications.other.no_fee.total"
    assert by_key[("applications", "other.no_fee.total")]["comparable"] == "0"
    assert by_key[("applications", "granted.total")]["comparable"] == "1"
    assert by_key[("active", "art20_1.rules.in_force")]["comparable"] == "0"


def test_wide_csv_maps_both_versions_onto_the_core(panel_store, tmp_path):
    store, ids, truth = panel_store
    export(store, "csv", tmp_path / "out" / "panel", duplicates=False)
    wide = {r["filename"]: r for r in _read(tmp_path / "out" / "panel_wide.csv")}
    status = {r["filename"]: r for r in _read(tmp_path / "out" / "panel_wide_status.csv")}
    for name, version in (("x2021.txt", "2021"), ("y2019.txt", "2019")):
        row, st = wide[name], status[name]
        assert row["template.active"] == row["template.applications"] == version
        for e in core_mapping():
            sources = e[version]
            if sources is None:
                assert row[e["core"]] == "" and st[e["core"]] == "not_applicable", e["core"]
            else:
                value = sum(truth[name][e["table"]][k] for k in sources)
                assert row[e["core"]] == _num(value), e["core"]
                assert st[e["core"]] == "value"
    t21, t19 = truth["x2021.txt"]["applications"], truth["y2019.txt"]["applications"]
    assert wide["x2021.txt"]["applications.other.total"] == str(
        t21["other.no_correction.total"] + t21["other.no_fee.total"] + t21["other.other.total"])
    assert wide["y2019.txt"]["applications.other.total"] == str(t19["other.total"])
    # 对外公开总数量 is not 现行有效件数: the 2019 report has no in_force, and it is not 0
    assert wide["y2019.txt"]["active.art20_1.rules.in_force"] == ""
    assert status["y2019.txt"]["active.art20_1.rules.in_force"] == "not_applicable"
    assert wide["x2021.txt"]["active.art20_1.rules.total_public"] == ""
    zero = next(k for k, v in truth["x2021.txt"]["review_litigation"].items() if v == 0)
    assert wide["x2021.txt"][f"review_litigation.{zero}"] == "0"
    assert status["x2021.txt"][f"review_litigation.{zero}"] == "value"


def test_xlsx_and_parquet(panel_store, tmp_path):
    store, ids, truth = panel_store
    from openpyxl import load_workbook

    (path,) = export(store, "xlsx", tmp_path / "panel.xlsx", duplicates=False)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["long", "wide", "wide_status", "mapping"]
    assert sum(1 for _ in wb["long"].iter_rows()) == 1 + 200 + sum(len(v) for v in truth["y2019.txt"].values())
    assert sum(1 for _ in wb["wide"].iter_rows()) == 3
    pq = pytest.importorskip("pyarrow.parquet")
    files = export(store, "parquet", str(tmp_path / "pq") + "/", duplicates=False)
    wide = pq.read_table(tmp_path / "pq" / "wide.parquet").to_pylist()
    x = next(r for r in wide if r["filename"] == "x2021.txt")
    assert x["applications.new_received.total"] == truth["x2021.txt"]["applications"]["new_received.total"]
    assert x["active.art20_1.rules.total_public"] is None
    assert len(files) == 4


def test_near_duplicate_narratives(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    copied = _narrative(1)
    renumbered = "".join(str((int(ch) + 3) % 10) if ch.isdigit() else ch for ch in copied)
    tables = random_tables(random.Random(5))
    _write(folder, "x2021.txt", "甲市交通运输局", 2021, V21, tables, copied)
    _write(folder, "x2022.txt", "甲市交通运输局", 2022, V21, random_tables(random.Random(6)), renumbered)
    _write(folder, "z2022.txt", "乙县交通运输局", 2022, V21, random_tables(random.Random(7)),
           copied.replace("办理", "受理", 3))
    _write(folder, "w2022.txt", "丙市财政局", 2022, V21, random_tables(random.Random(8)), _narrative(2))
    store = Store(StoreConfig(data_dir=str(tmp_path / "data")))
    Batch(store, workers=0, progress=None).run([str(folder)])
    rows = find_duplicates(store)
    pairs = {(r["filename_a"], r["filename_b"], r["relation"]) for r in rows}
    assert pairs == {("x2021.txt", "x2022.txt", "same_agency_other_year"),
                     ("x2021.txt", "z2022.txt", "other_agency"),
                     ("x2022.txt", "z2022.txt", "other_agency")}
    assert all(r["part"] == "1 总体情况" for r in rows)
    same = next(r for r in rows if r["relation"] == "same_agency_other_year")
    assert same["similarity"] == 1.0  # only the numbers changed
    store.close()
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "e" / "p"), "--data-dir",
                 str(tmp_path / "data")]) == 0
    dup = _read(tmp_path / "e" / "p_duplicates.csv")
    assert len(dup) == 3 and dup[0]["similarity"] == "1.0"


def test_duplicates_of_reports_in_memory():
    from corpus.duplicates import duplicates_of_reports
    from nianbao.pipeline import process

    text = _narrative(11)
    reports = [process(render_text(random_tables(random.Random(i)),
                                   TextReportSpec(agency=agency, year=year, narrative=narrative), "tabs").encode(),
                       f"{i}.txt")
               for i, (agency, year, narrative) in enumerate([("甲市民政局", 2022, text), ("甲市民政局", 2023, text),
                                                               ("乙市民政局", 2023, _narrative(12))])]
    rows = duplicates_of_reports(reports)
    assert [(r["report_a"], r["report_b"], r["relation"], r["similarity"]) for r in rows] == \
        [(0, 1, "same_agency_other_year", 1.0)]
