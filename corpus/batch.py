"""Whole corpora: `nianbao batch PATH...` parses many files into the store the service uses.

Inputs are folders (searched recursively for report files), globs, single files, or a
manifest CSV (column ``path``, relative to the CSV's folder, and optional ``agency``,
``region``, ``year`` that override what the parser reads).

Work goes to worker processes on this machine (a ProcessPoolExecutor, one per core), or to
an existing Dask distributed cluster (``dask="tcp://scheduler:8786"``).  Only this process
writes to the store: workers parse and hand back the report.

* A file already stored with the same SHA-256 and the same parser version is skipped.
* Every file of a run has a row in ``batch_files`` whose status is written as it goes
  (pending, running, stored, skipped, duplicate, failed); a run interrupted and started
  again over the same inputs resumes: files with a final status are not touched again.
* One bad file never stops the batch: unreadable input, parser errors, a worker process
  that dies (the file it held is tried once more alone, then recorded failed) are
  recorded per file.  A second path with the same bytes is a ``duplicate`` (stored once);
  two different files claiming the same agency and year are both stored and reported as
  a conflict (``conflict_with``).
* Afterwards the cross-year rules (nianbao.checks.cross_year) run over every agency the
  batch touched; their findings are stored with the later report.
"""

from __future__ import annotations

import csv
import glob as globlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select, update

from corpus.agencies import agency_key
from corpus.batch_models import (DUPLICATE, FAILED, FINAL_STATES, PENDING, RUNNING, SKIPPED, STORED,
                                 BatchFileRow, BatchRunRow)
from corpus.cross_year import apply_cross_year
from corpus.models import ReportRow
from corpus.store import Store, StoreConfig
from nianbao import __version__
from nianbao.model import Report
from nianbao.settings import Settings

REPORT_SUFFIXES = (".pdf", ".docx", ".doc", ".html", ".htm", ".shtml", ".txt", ".text", ".wps")
MANIFEST_FIELDS = ("path", "agency", "region", "year")
# Errors worth another try in a later run (a lost worker, the cluster); others are the input's.
TRANSIENT_ERRORS = ("worker_died", "dask_error", "unreadable")
_FAILED_BEFORE = "此前已失败，未重试"


@dataclass(frozen=True)
class BatchItem:
    path: str
    agency: str | None = None
    region: str | None = None
    year: int | None = None

    def overrides(self) -> dict[str, Any]:
        return {k: v for k, v in (("agency", self.agency), ("region", self.region), ("year", self.year))
                if v not in (None, "")}


# -- inputs ------------------------------------------------------------------------------


def _is_report(path: Path) -> bool:
    return path.suffix.lower() in REPORT_SUFFIXES and not path.name.startswith((".", "~$"))


def read_manifest(path: Path) -> list[BatchItem]:
    items = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            if not row.get("path"):
                continue
            p = Path(row["path"])
            if not p.is_absolute():
                p = path.parent / p
            year = row.get("year") or None
            items.append(BatchItem(str(p.resolve()), row.get("agency") or None, row.get("region") or None,
                                   int(year) if year else None))
    return items


def discover(inputs: Iterable[str]) -> tuple[list[BatchItem], list[str]]:
    """Report files named by the inputs (each once, in a stable order) and the inputs that
    matched nothing."""
    items: dict[str, BatchItem] = {}
    missing: list[str] = []
    for raw in inputs:
        path = Path(raw)
        found: list[BatchItem] = []
        if path.is_dir():
            found = [BatchItem(str(p.resolve())) for p in sorted(path.rglob("*")) if p.is_file() and _is_report(p)]
        elif path.suffix.lower() == ".csv" and path.is_file():
            found = read_manifest(path)
        elif path.exists():
            found = [BatchItem(str(path.resolve()))]
        elif any(ch in raw for ch in "*?["):
            found = [BatchItem(str(Path(p).resolve())) for p in sorted(globlib.glob(raw, recursive=True))
                     if Path(p).is_file() and _is_report(Path(p))]
        if not found:
            missing.append(raw)
        for item in found:
            if item.path not in items or item.overrides():
                items[item.path] = item
    return list(items.values()), missing


# -- the work (runs in a worker process or on a Dask worker) ---------------------------------


def _peak_rss_mb() -> float | None:
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024, 1)
    except Exception:
        return None


def parse_task(path: str, data: bytes | None, overrides: dict[str, Any],
               settings: Settings | None = None) -> dict[str, Any]:
    """Parse one file; never raises for a bad file (the error is the result)."""
    from nianbao.errors import NianbaoError
    from nianbao.pipeline import process

    t0 = time.perf_counter()
    out: dict[str, Any] = {"path": path, "pid": os.getpid()}
    try:
        if data is None:
            data = Path(path).read_bytes()
        report = process(data, Path(path).name, settings or Settings.from_env())
        for k, v in overrides.items():
            setattr(report.meta, k, v)
        out.update(ok=True, report=report.to_dict())
    except NianbaoError as exc:
        out.update(ok=False, error=exc.code, message=exc.message)
    except OSError as exc:
        out.update(ok=False, error="unreadable", message=f"无法读取文件 (cannot read file): {exc}")
    except Exception as exc:  # a bug in a parser: recorded for this file, the batch goes on
        out.update(ok=False, error="parser_crash",
                   message=" ".join(f"解析程序出错 (parser crashed): {type(exc).__name__}: {exc}".split())[:500])
    out["seconds"] = round(time.perf_counter() - t0, 4)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


_WARM_UP_TEXT = ("示例局2024年政府信息公开工作年度报告\n一、总体情况\n本年度共收到政府信息公开申请3件。\n"
                 "五、存在的主要问题及改进情况\n一是公开内容不够全面。\n").encode()


def _warm_up() -> None:  # each worker loads the parser (spaCy, jieba) once, before its first file
    try:
        from nianbao.pipeline import process

        process(_WARM_UP_TEXT, "warm-up.txt")
    except Exception:
        pass


# -- progress ----------------------------------------------------------------------------


class Progress:
    """Plain-text progress on stderr: files, pages, errors, rate, time left."""

    def __init__(self, total: int, out: TextIO | None = sys.stderr, interval: float = 0.5):
        self.total, self.out, self.interval = total, out, interval
        self.done = self.pages = self.errors = 0
        self.started = time.monotonic()
        self.last = 0.0
        self._shown: tuple[int, int, int] | None = None
        self.tty = bool(out is not None and getattr(out, "isatty", lambda: False)())
        if not self.tty:
            self.interval = max(interval, 5.0)

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return (f"[{self.done}/{self.total}] {pct:5.1f}%  页 pages {self.pages}  错误 errors {self.errors}  "
                f"{rate * 60:.1f} 份/分钟 files/min  用时 {_clock(elapsed)}  剩余 left {_clock(left)}")

    def update(self, done: int = 0, pages: int = 0, errors: int = 0, force: bool = False) -> None:
        self.done += done
        self.pages += pages
        self.errors += errors
        if self.out is None:
            return
        t = time.monotonic()
        state = (self.done, self.pages, self.errors)
        if (force or t - self.last >= self.interval or self.done == self.total) and state != self._shown:
            self.last, self._shown = t, state
            self.out.write(("\r" + self.line() + " " * 4) if self.tty else self.line() + "\n")
            self.out.flush()

    def close(self) -> None:
        if self.out is not None:
            self.update(force=True)
            if self.tty:
                self.out.write("\n")
                self.out.flush()


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"


# -- the batch ---------------------------------------------------------------------------


@dataclass
class BatchResult:
    run_id: int
    resumed: bool
    executor: str
    files: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    cross_year: dict[str, int] = field(default_factory=dict)
    processed: int = 0  # files parsed in this invocation
    pages: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    def summary(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "resumed": self.resumed, "executor": self.executor,
                "files": len(self.files), "counts": self.counts, "missing": self.missing,
                "conflicts": self.conflicts, "cross_year": self.cross_year, "processed": self.processed,
                "pages": self.pages, "seconds": round(self.seconds, 3), "interrupted": self.interrupted,
                "parser_version": __version__}


class StopBatch(Exception):
    """Raised by a `stop` callback to interrupt a batch (tests; Ctrl-C does the same)."""


def fingerprint(inputs: Sequence[str]) -> str:
    keys = sorted(str(Path(p).resolve()) if Path(p).exists() else p for p in inputs)
    return hashlib.sha256(json.dumps(keys, ensure_ascii=False).encode()).hexdigest()


class Batch:
    def __init__(self, store: Store, settings: Settings | None = None, workers: int | None = None,
                 dask: str | Any | None = None, progress: TextIO | None = sys.stderr,
                 stop: Callable[[int], bool] | None = None, cross_year: bool = True,
                 retry_failed: bool = False, task: Callable[..., dict[str, Any]] | None = None):
        self.store = store
        self.settings = settings or Settings.from_env()
        # workers=0: parse in this process, one file after another (debugging, small tests)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.task = task or parse_task  # a module-level function with parse_task's signature
        self.dask = dask if dask is not None else (os.environ.get("NIANBAO_DASK") or None)
        self.progress_out = progress
        self.stop = stop  # stop(files_finished) -> True to interrupt (simulated Ctrl-C)
        self.run_cross_year = cross_year
        self.retry_failed = retry_failed
        self._finished = 0

    # -- bookkeeping in the store ------------------------------------------------------

    def _open_run(self, inputs: Sequence[str], executor: str) -> tuple[int, bool]:
        fp = fingerprint(inputs)
        with self.store.sessions.begin() as s:
            run = s.scalars(select(BatchRunRow).where(BatchRunRow.fingerprint == fp)
                            .order_by(BatchRunRow.id.desc()).limit(1)).first()
            if run is not None and run.status != "done":
                run.status, run.executor = "running", executor
                return run.id, True
            run = BatchRunRow(fingerprint=fp, inputs=json.dumps(list(inputs), ensure_ascii=False),
                              status="running", executor=executor, parser_version=__version__,
                              started_at=time.time())
            s.add(run)
            s.flush()
            return run.id, False

    def _rows(self, run_id: int) -> dict[str, BatchFileRow]:
        with self.store.sessions() as s:
            return {r.path: r for r in s.scalars(select(BatchFileRow).where(BatchFileRow.run_id == run_id))}

    def _set(self, run_id: int, path: str, **values) -> None:
        values["updated_at"] = time.time()
        with self.store.sessions.begin() as s:
            done = s.execute(update(BatchFileRow).where(BatchFileRow.run_id == run_id, BatchFileRow.path == path)
                             .values(**values).execution_options(synchronize_session=False)).rowcount
            if not done:
                s.add(BatchFileRow(run_id=run_id, path=path, **{"status": PENDING, **values}))

    def _failed_before(self) -> dict[str, tuple[str, str]]:
        """sha256 -> (error, message) of files that failed for a reason that will not go away
        by itself (the input, not a lost worker) under this parser version."""
        with self.store.sessions() as s:
            rows = s.execute(select(BatchFileRow.sha256, BatchFileRow.error, BatchFileRow.message)
                             .join(BatchRunRow, BatchRunRow.id == BatchFileRow.run_id)
                             .where(BatchFileRow.status == FAILED, BatchFileRow.sha256.is_not(None),
                                    BatchRunRow.parser_version == __version__,
                                    BatchFileRow.error.not_in(TRANSIENT_ERRORS + ("failed_before",))))
            return {sha: (err, msg) for sha, err, msg in rows if not (msg or "").startswith(_FAILED_BEFORE)}

    def _stored_index(self) -> tuple[dict[str, tuple], dict[tuple[str, int], list[dict[str, Any]]]]:
        """sha256 -> (report id, parser version, meta); (agency key, year) -> reports."""
        by_sha: dict[str, tuple] = {}
        by_agency_year: dict[tuple[str, int], list[dict[str, Any]]] = {}
        with self.store.sessions() as s:
            for rid, sha, version, agency, region, year, filename in s.execute(
                    select(ReportRow.id, ReportRow.sha256, ReportRow.parser_version, ReportRow.agency,
                           ReportRow.region, ReportRow.year, ReportRow.filename)):
                by_sha[sha] = (rid, version, {"agency": agency, "region": region, "year": year})
                if agency and year is not None:
                    by_agency_year.setdefault((agency_key(agency, region), year), []).append(
                        {"report_id": rid, "sha256": sha, "filename": filename, "agency": agency, "year": year})
        return by_sha, by_agency_year

    # -- the run -----------------------------------------------------------------------

    def run(self, inputs: Sequence[str]) -> BatchResult:
        t0 = time.monotonic()
        self.store.migrate()
        items, missing = discover(inputs)
        executor = (f"dask:{self.dask if isinstance(self.dask, str) else 'client'}" if self.dask
                    else f"local:{self.workers}" if self.workers else "inline")
        run_id, resumed = self._open_run(inputs, executor)
        result = BatchResult(run_id=run_id, resumed=resumed, executor=executor, missing=missing)
        rows = self._rows(run_id)
        by_sha, by_agency_year = self._stored_index()
        self._by_agency_year = by_agency_year
        seen: dict[str, str] = {r.sha256: p for p, r in rows.items() if r.sha256 and r.status in (STORED, SKIPPED)}
        failed_before = self._failed_before()
        todo: list[tuple[BatchItem, str]] = []
        progress = Progress(len(items), self.progress_out)
        self._touched: set[int] = set()
        for item in items:
            row = rows.get(item.path)
            if row is not None and row.status in FINAL_STATES:
                progress.update(done=1, errors=int(row.status == FAILED), pages=row.pages or 0)
                continue  # done in the interrupted run: not again
            try:
                data = Path(item.path).read_bytes()
            except OSError as exc:
                self._set(run_id, item.path, status=FAILED, error="unreadable",
                          message=f"无法读取文件 (cannot read file): {exc.strerror or exc}")
                progress.update(done=1, errors=1)
                continue
            sha = hashlib.sha256(data).hexdigest()
            del data
            fields = dict(sha256=sha, size=Path(item.path).stat().st_size)
            if sha in seen and seen[sha] != item.path:
                self._set(run_id, item.path, status=DUPLICATE, duplicate_of=seen[sha],
                          report_id=by_sha.get(sha, (None,))[0],
                          message=f"与 {seen[sha]} 内容相同，未重复入库 (same bytes as another file; stored once)",
                          **fields)
                progress.update(done=1)
                continue
            seen[sha] = item.path
            stored = by_sha.get(sha)
            if stored is not None and stored[1] == __version__ and all(
                    stored[2].get(k) == v for k, v in item.overrides().items()):
                self._set(run_id, item.path, status=SKIPPED, report_id=stored[0],
                          message="已入库，文件与解析程序版本均未变 (already stored, unchanged)", **fields)
                progress.update(done=1)
                continue
            before = failed_before.get(sha)
            if before is not None and not self.retry_failed:
                self._set(run_id, item.path, status=FAILED, error=before[0],
                          message=f"{_FAILED_BEFORE}（--retry-failed 可重试）(failed before, not retried): {before[1]}",
                          **fields)
                progress.update(done=1, errors=1)
                continue
            self._set(run_id, item.path, status=PENDING, error=None, message=None, **fields)
            todo.append((item, sha))
        try:
            if todo:
                if self.dask:
                    self._run_dask(run_id, todo, progress, result)
                elif self.workers == 0:
                    for item, sha in todo:
                        self._set(run_id, item.path, status=RUNNING)
                        self._record(run_id, item, sha, self.task(item.path, None, item.overrides(), self.settings),
                                     progress, result)
                else:
                    self._run_local(run_id, todo, progress, result)
        except (KeyboardInterrupt, StopBatch):
            result.interrupted = True
        finally:
            progress.close()
        result.files = batch_files(self.store, run_id)
        # every report this run stored (an interrupted attempt's too), so a resumed run checks them all
        touched = self._touched | {f["report_id"] for f in result.files if f["status"] == STORED and f["report_id"]}
        if self.run_cross_year and not result.interrupted and touched:
            result.cross_year = apply_cross_year(self.store, touched)
        for f in result.files:
            result.counts[f["status"]] = result.counts.get(f["status"], 0) + 1
            if f["conflict_with"]:
                result.conflicts.append({"path": f["path"], "agency": f["agency"], "year": f["year"],
                                         "with": f["conflict_with"]})
        result.pages = sum(f["pages"] or 0 for f in result.files)
        result.seconds = time.monotonic() - t0
        with self.store.sessions.begin() as s:
            s.execute(update(BatchRunRow).where(BatchRunRow.id == run_id).values(
                status="interrupted" if result.interrupted else "done",
                finished_at=None if result.interrupted else time.time(),
                summary=json.dumps(result.summary(), ensure_ascii=False)))
        return result

    # -- one result back from a worker --------------------------------------------------

    def _record(self, run_id: int, item: BatchItem, sha: str, out: dict[str, Any], progress: Progress,
                result: BatchResult) -> None:
        if not out.get("ok"):
            self._set(run_id, item.path, status=FAILED, error=out.get("error"), message=out.get("message"),
                      seconds=out.get("seconds"), peak_rss_mb=out.get("peak_rss_mb"))
            progress.update(done=1, errors=1)
        else:
            report = Report.from_dict(out["report"])
            report_id = self.store.save_report(report)
            self._touched.add(report_id)
            meta = report.meta
            conflict = None
            if meta.agency and meta.year is not None:
                key = (agency_key(meta.agency, meta.region), meta.year)
                others = [o for o in self._by_agency_year.get(key, []) if o["sha256"] != sha]
                if others:
                    conflict = json.dumps(others, ensure_ascii=False)
                self._by_agency_year.setdefault(key, []).append(
                    {"report_id": report_id, "sha256": sha, "filename": report.source.filename,
                     "agency": meta.agency, "year": meta.year})
            self._set(run_id, item.path, status=STORED, report_id=report_id, agency=meta.agency,
                      region=meta.region, year=meta.year, pages=report.source.pages, conflict_with=conflict,
                      seconds=out.get("seconds"), peak_rss_mb=out.get("peak_rss_mb"),
                      message="同一机关同一年度已有另一份报告 (another report claims this agency and year)"
                      if conflict else None)
            progress.update(done=1, pages=report.source.pages or 0)
        result.processed += 1
        self._finished += 1
        if self.stop is not None and self.stop(self._finished):
            raise StopBatch()

    # -- local processes -----------------------------------------------------------------

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing as mp

        return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                                   initializer=_warm_up)

    def _run_local(self, run_id: int, todo: list[tuple[BatchItem, str]], progress: Progress,
                   result: BatchResult) -> None:
        queue = list(todo)
        suspects: list[tuple[BatchItem, str]] = []
        pool = self._pool(min(self.workers, len(queue)))
        try:
            while queue:
                in_flight: dict[Any, tuple[BatchItem, str]] = {}
                broken = False
                while (queue or in_flight) and not broken:
                    while queue and len(in_flight) < 2 * self.workers:
                        item, sha = queue.pop(0)
                        self._set(run_id, item.path, status=RUNNING)
                        fut = pool.submit(self.task, item.path, None, item.overrides(), self.settings)
                        in_flight[fut] = (item, sha)
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for fut in done:
                        item, sha = in_flight.pop(fut)
                        try:
                            out = fut.result()
                        except BrokenProcessPool:
                            suspects.append((item, sha))
                            broken = True
                            continue
                        self._record(run_id, item, sha, out, progress, result)
                if broken:  # a worker died: every file in flight is a suspect
                    suspects += list(in_flight.values())
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._isolate(run_id, suspects, progress, result)
                    suspects = []
                    pool = self._pool(min(self.workers, max(1, len(queue))))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _isolate(self, run_id: int, suspects: list[tuple[BatchItem, str]], progress: Progress,
                 result: BatchResult) -> None:
        """Each file that was in flight when a worker died, alone in a fresh process: the one
        that kills its worker again is recorded failed; the others are parsed normally."""
        for item, sha in suspects:
            pool = self._pool(1)
            try:
                out = pool.submit(self.task, item.path, None, item.overrides(), self.settings).result()
            except BrokenProcessPool:
                out = {"ok": False, "error": "worker_died",
                       "message": "解析该文件的进程意外终止（重试一次仍然终止）(the worker process died on this file, twice)"}
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
            self._record(run_id, item, sha, out, progress, result)

    # -- Dask -----------------------------------------------------------------------------

    def _run_dask(self, run_id: int, todo: list[tuple[BatchItem, str]], progress: Progress,
                  result: BatchResult) -> None:
        from distributed import Client, as_completed

        own = isinstance(self.dask, str)
        client = Client(self.dask) if own else self.dask
        try:
            workers = max(1, sum(client.nthreads().values()))
            try:  # load the parser on every worker before the first file
                client.run(_warm_up)
            except Exception:
                pass
            queue = list(todo)
            in_flight: dict[str, tuple[BatchItem, str]] = {}
            pending = as_completed()

            def submit() -> None:
                item, sha = queue.pop(0)
                self._set(run_id, item.path, status=RUNNING)
                data = Path(item.path).read_bytes()  # workers need not see this file system
                fut = client.submit(self.task, item.path, data, item.overrides(), self.settings,
                                    pure=False, key=f"nianbao-parse-{sha[:16]}-{os.urandom(4).hex()}")
                in_flight[fut.key] = (item, sha)
                pending.add(fut)

            while queue and len(in_flight) < 2 * workers:
                submit()
            for fut in pending:
                item, sha = in_flight.pop(fut.key)
                try:
                    out = fut.result()
                except Exception as exc:  # KilledWorker: the file killed its workers
                    name = type(exc).__name__
                    out = {"ok": False, "error": "worker_died" if name == "KilledWorker" else "dask_error",
                           "message": f"Dask 任务失败 (task failed on the cluster): {name}: {exc}"[:500]}
                fut.release()
                self._record(run_id, item, sha, out, progress, result)
                while queue and len(in_flight) < 2 * workers:
                    submit()
        finally:
            if own:
                client.close()


# -- results, cross-year ----------------------------------------------------------------------


FILE_COLUMNS = ("path", "status", "sha256", "size", "report_id", "agency", "region", "year", "pages",
                "seconds", "peak_rss_mb", "error", "message", "duplicate_of", "conflict_with")


def batch_files(store: Store, run_id: int) -> list[dict[str, Any]]:
    with store.sessions() as s:
        rows = s.scalars(select(BatchFileRow).where(BatchFileRow.run_id == run_id).order_by(BatchFileRow.id))
        return [{c: getattr(r, c) for c in FILE_COLUMNS} for r in rows]


def last_run(store: Store) -> int | None:
    with store.sessions() as s:
        return s.scalar(select(BatchRunRow.id).order_by(BatchRunRow.id.desc()).limit(1))


def write_files_csv(files: list[dict[str, Any]], path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FILE_COLUMNS)
        w.writeheader()
        for f in files:
            w.writerow(f)


def run_batch(inputs: Sequence[str], store: Store | None = None, **kw) -> BatchResult:
    own = store is None
    store = store or Store(StoreConfig.from_env())
    try:
        return Batch(store, **kw).run(inputs)
    finally:
        if own:
            store.close()
