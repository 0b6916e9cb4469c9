"""Workers: take queued jobs from the store, parse the file, store the report.

`run_one_job(store, settings)` does one job in the calling process (tests use it);
`worker_main` loops over it in a worker process; `WorkerPool` starts and stops those
processes for `nianbao serve`.  While a job runs a heartbeat thread extends its lease;
a worker killed mid-job stops the heartbeats, the lease runs out and the next claim
takes the job again (see corpus.store).
"""

from __future__ import annotations

import inspect
import logging
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
import uuid
from typing import Any

from corpus.store import Store, StoreConfig
from nianbao.errors import NianbaoError
from nianbao.settings import Settings

PRUNE_INTERVAL_SECONDS = 3600.0  # each worker prunes ended jobs at start and then hourly
log = logging.getLogger("nianbao.worker")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Heartbeat(threading.Thread):
    def __init__(self, store: Store, job_id: str, worker: str, lease: float):
        super().__init__(daemon=True, name=f"heartbeat-{job_id[:8]}")
        self.store, self.job_id, self.worker, self.lease = store, job_id, worker, lease
        self.stopped = threading.Event()
        self.lost = False

    def run(self) -> None:
        while not self.stopped.wait(max(self.lease / 3, 0.05)):
            try:
                if not self.store.heartbeat(self.job_id, self.worker, self.lease):
                    self.lost = True
                    return
            except Exception:  # the database is briefly away: try again next beat
                log.warning("heartbeat failed for job %s", self.job_id, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=5)


def run_one_job(store: Store, settings: Settings | None = None, worker: str | None = None,
                lease_seconds: float | None = None) -> dict[str, Any] | None:
    """Claim one job and do it here.  Returns the job as it ends, or None when none waits."""
    from nianbao import pipeline  # looked up per call, so a test can replace pipeline.process

    settings = settings or Settings.from_env()
    worker = worker or worker_id()
    lease = store.config.lease_seconds if lease_seconds is None else lease_seconds
    job = store.claim(worker, lease)
    if job is None:
        return None
    beat = Heartbeat(store, job["id"], worker, lease)
    beat.start()
    try:
        store.heartbeat(job["id"], worker, lease, stage="parsing", progress=0.2)
        data = store.read_file(job["sha256"])
        if data is None:
            store.fail(job["id"], worker, "file_missing", "上传的文件已不在存储中 (the uploaded file is gone)")
        else:
            def progress(stage: str, done: float) -> None:
                store.heartbeat(job["id"], worker, lease, stage=stage, progress=round(0.2 + 0.7 * done, 3))

            try:
                if _takes_progress(pipeline.process):
                    report = pipeline.process(data, job["filename"], settings, progress=progress)
                else:
                    report = pipeline.process(data, job["filename"], settings)
            except NianbaoError as exc:
                store.fail(job["id"], worker, exc.code, exc.message)
            except Exception as exc:  # a bug in a parser: the job fails with its reason
                log.exception("parser crashed on job %s (%s)", job["id"], job["filename"])
                reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
                store.fail(job["id"], worker, "parser_crash", f"解析程序出错 (parser crashed): {reason}")
            else:
                store.heartbeat(job["id"], worker, lease, stage="storing", progress=0.9)
                report_id = store.finish(job["id"], worker, report)
                if report_id is None:
                    log.warning("job %s was taken over before it was stored; dropped here", job["id"])
                else:
                    _check_across_years(store, report_id)
    finally:
        beat.stop()
    return store.get_job(job["id"])


def _check_across_years(store: Store, report_id: int) -> None:
    """The cross-year rules between the stored report and its agency's neighbouring years.
    The report is stored already: a failure here is logged and costs only these findings."""
    from corpus.cross_year import apply_cross_year

    try:
        apply_cross_year(store, {report_id})
    except Exception:
        log.exception("cross-year checks failed after report %s was stored", report_id)


def _prune(store: Store) -> None:
    """Ended jobs past the retention go (and files only they held); a failure is logged."""
    try:
        pruned = store.prune_jobs()
        if pruned["jobs"]:
            log.info("pruned %d ended jobs and %d files past the retention", pruned["jobs"], pruned["files"])
    except Exception:
        log.exception("pruning old jobs failed")


def _takes_progress(fn) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def worker_main(config: StoreConfig, settings: Settings, poll: float = 0.2,
                stop: Any = None) -> None:
    """The loop of one worker process: jobs until SIGTERM/SIGINT or until the parent is gone."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stopping = threading.Event()

    def _stop(*_):
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:  # parsing is CPU-bound: let the web process answer first (uploads, pages)
        os.nice(int(os.environ.get("NIANBAO_WORKER_NICE", "10")))
    except (OSError, ValueError, AttributeError):
        pass
    parent = os.getppid()
    store = Store(config)
    name = worker_id()
    next_prune = 0.0
    try:
        while not stopping.is_set() and (stop is None or not stop.is_set()):
            if os.getppid() != parent:
                break
            if time.monotonic() >= next_prune:
                next_prune = time.monotonic() + PRUNE_INTERVAL_SECONDS
                _prune(store)
            try:
                job = run_one_job(store, settings, name)
            except Exception:
                log.exception("worker %s: job loop error", name)
                job = None
            if job is None:
                stopping.wait(poll)
    finally:
        store.close()


class WorkerPool:
    """Worker processes for `nianbao serve` (spawned, so each has its own connections)."""

    def __init__(self, config: StoreConfig, settings: Settings, count: int | None = None):
        self.config, self.settings = config, settings
        self.count = count if count is not None else (os.cpu_count() or 1)
        self.processes: list[mp.Process] = []

    def start(self) -> "WorkerPool":
        ctx = mp.get_context("spawn")
        for i in range(self.count):
            p = ctx.Process(target=worker_main, args=(self.config, self.settings), name=f"nianbao-worker-{i}",
                            daemon=True)
            p.start()
            self.processes.append(p)
        return self

    def stop(self, timeout: float = 10) -> None:
        for p in self.processes:
            if p.is_alive():
                p.terminate()
        for p in self.processes:
            p.join(timeout)
            if p.is_alive():
                p.kill()
                p.join(2)
        self.processes.clear()
