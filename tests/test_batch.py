"""`nianbao batch`: parallel, resumable, one bad file never stops it; Dask gives the same rows."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from corpus.batch import Batch, StopBatch, batch_files, discover
from corpus.batch_models import BatchRunRow
from corpus.store import Store, StoreConfig
from nianbao.cli import main
from nianbao.synth.text import TextReportSpec, render_text
from nianbao.synth.values import random_tables
from tests.corpus_support import write_reports
from tests.service_support import pg_url  # noqa: F401  (fixture: a PostgreSQL database of this run)


def _store(tmp_path, name="data") -> Store:
    return Store(StoreConfig(data_dir=str(tmp_path / name)))


def _rows(store: Store) -> set[tuple]:
    return {(c["sha256"], c["agency"], c["year"], c["table"], c["key"], c["value"], c["origin"], c["flagged"])
            for c in store.iter_cells()}


def _findings(store: Store) -> dict[str, list]:
    out = {}
    for s in store.list_reports(limit=1000)[0]:
        r = store.get_report(s["id"])
        out[r.source.sha256] = sorted((f.rule, f.severity, tuple(f.cells), f.reported, f.computed)
                                      for f in r.findings)
    return out


def test_batch_in_processes_with_bad_files(tmp_path):
    info = write_reports(tmp_path / "in")
    shutil.copy(info["files"][("A", 2021)], tmp_path / "in" / "sub_copy.txt")  # same bytes, other path
    (tmp_path / "in" / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00\x13garbage" * 50)
    (tmp_path / "in" / "notes.json").write_text("{}")  # not a report file: not picked up
    store = _store(tmp_path)
    result = Batch(store, workers=2, progress=None).run([str(tmp_path / "in")])
    status = {f["path"].rsplit("/", 1)[1]: f for f in result.files}
    assert sorted(status) == ["A_2021.txt", "A_2022.txt", "A_2023.txt", "B_2021.txt", "B_2022.txt",
                              "B_2023.txt", "corrupt.pdf", "sub_copy.txt"]
    assert result.counts == {"stored": 6, "failed": 1, "duplicate": 1}
    assert status["corrupt.pdf"]["error"] and status["corrupt.pdf"]["message"]
    assert status["sub_copy.txt"]["duplicate_of"].endswith("A_2021.txt")
    assert status["sub_copy.txt"]["report_id"] is None or status["sub_copy.txt"]["report_id"] > 0
    assert store.count_reports() == 6
    assert all(f["peak_rss_mb"] for f in result.files if f["status"] == "stored")
    assert result.cross_year["findings"] == len(info["expected"])
    rows = _rows(store)
    # rerun: nothing parsed again, nothing stored twice
    again = Batch(store, workers=2, progress=None).run([str(tmp_path / "in")])
    assert again.processed == 0 and not again.resumed
    assert again.counts == {"skipped": 6, "failed": 1, "duplicate": 1}
    assert _rows(store) == rows and store.count_reports() == 6
    store.close()


def test_interrupted_batch_resumes(tmp_path):
    write_reports(tmp_path / "in")
    store = _store(tmp_path)
    first = Batch(store, workers=0, progress=None, stop=lambda n: n >= 2).run([str(tmp_path / "in")])
    assert first.interrupted and first.processed == 2
    assert sorted(f["status"] for f in first.files) == ["pending"] * 4 + ["stored"] * 2
    done_first = {f["path"] for f in first.files if f["status"] == "stored"}
    assert store.count_reports() == 2
    with store.sessions() as s:
        assert s.get(BatchRunRow, first.run_id).status == "interrupted"
    second = Batch(store, workers=0, progress=None).run([str(tmp_path / "in")])
    assert second.resumed and second.run_id == first.run_id
    assert second.processed == 4
    assert second.cross_year["pairs"] == 4  # the reports of the interrupted attempt are checked too
    assert [f["status"] for f in second.files] == ["stored"] * 6
    assert store.count_reports() == 6
    # the two files of the first attempt kept their rows (not parsed again)
    assert {f["path"] for f in second.files} >= done_first
    with store.sessions() as s:
        assert s.get(BatchRunRow, first.run_id).status == "done"
    store.close()


def test_a_worker_that_dies_fails_only_its_file(tmp_path):
    from tests.corpus_support import crash_task

    info = write_reports(tmp_path / "in")
    shutil.copy(info["files"][("B", 2023)], tmp_path / "in" / "crash_me.txt")
    (tmp_path / "in" / "crash_me.txt").write_text("另一份" + info["files"][("B", 2023)].read_text())
    store = _store(tmp_path)
    result = Batch(store, workers=2, progress=None, task=crash_task).run([str(tmp_path / "in")])
    status = {f["path"].rsplit("/", 1)[1]: f for f in result.files}
    assert status["crash_me.txt"]["status"] == "failed" and status["crash_me.txt"]["error"] == "worker_died"
    assert result.counts == {"stored": 6, "failed": 1}
    assert store.count_reports() == 6
    store.close()


def test_conflict_and_manifest_overrides(tmp_path):
    info = write_reports(tmp_path / "in")
    rng_tables = random_tables(__import__("random").Random(99))
    other = render_text(rng_tables, TextReportSpec(agency="鄂尔多斯市财政局", year=2022), "tabs")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "B_2022_revised.txt").write_text(other, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "agency", "region", "year"])
        w.writerow(["in/A_2021.txt", "", "", ""])
        w.writerow(["in/B_2022.txt", "", "", ""])
        w.writerow(["extra/B_2022_revised.txt", "", "内蒙古自治区鄂尔多斯市", ""])
        w.writerow(["in/A_2023.txt", "鄂尔多斯市交通运输局", "", "2023"])
    items, missing = discover([str(manifest)])
    assert len(items) == 4 and not missing
    store = _store(tmp_path)
    result = Batch(store, workers=0, progress=None).run([str(manifest)])
    assert result.counts == {"stored": 4}
    assert len(result.conflicts) == 1 and result.conflicts[0]["year"] == 2022
    assert json.loads(result.conflicts[0]["with"])[0]["filename"] == "B_2022.txt"
    a2023 = next(f for f in result.files if f["path"].endswith("A_2023.txt"))
    assert a2023["agency"] == "鄂尔多斯市交通运输局"  # the manifest's name, not the traditional one printed
    assert store.count_reports() == 4
    store.close()


def test_cli_batch_summary_and_missing_input(tmp_path, capsys):
    write_reports(tmp_path / "in")
    code = main(["batch", str(tmp_path / "in" / "A_*.txt"), str(tmp_path / "nope"), "--workers", "0",
                 "--data-dir", str(tmp_path / "data"), "--files-csv", str(tmp_path / "files.csv"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "已入库 3" in out and "未找到 (no such input)" in out and "跨年核验" in out
    with open(tmp_path / "files.csv", encoding="utf-8-sig") as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["stored"] * 3


def test_dask_local_cluster_gives_the_same_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    write_reports(tmp_path / "in")
    local = _store(tmp_path, "local")
    Batch(local, workers=0, progress=None).run([str(tmp_path / "in")])
    # in-process scheduler and worker (inproc:// transport: nothing listens on the network)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = _store(tmp_path, "dask")
        result = Batch(on_dask, dask=client, progress=None).run([str(tmp_path / "in")])
    assert result.executor == "dask:client" and result.counts == {"stored": 6}
    assert _rows(on_dask) == _rows(local) and len(_rows(local)) == 6 * 200
    assert _findings(on_dask) == _findings(local)
    assert [f["status"] for f in batch_files(on_dask, result.run_id)] == ["stored"] * 6
    local.close()
    on_dask.close()


def test_batch_on_postgresql(tmp_path, request):
    url = request.getfixturevalue("pg_url")
    info = write_reports(tmp_path / "in")
    store = Store(StoreConfig(data_dir=str(tmp_path / "data"), database_url=url))
    store.migrate()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE cells, reports, jobs, batch_runs, batch_files RESTART IDENTITY CASCADE")
    result = Batch(store, workers=0, progress=None).run([str(tmp_path / "in")])
    assert result.counts == {"stored": 6}
    assert result.cross_year["findings"] == len(info["expected"])
    again = Batch(store, workers=0, progress=None).run([str(tmp_path / "in")])
    assert again.processed == 0 and again.counts == {"skipped": 6}
    store.close()
