"""Jobs and leases, on SQLite and on PostgreSQL: claiming, heartbeats, a server that died
(expired lease picked up again), a worker killed mid-job (retried, stored once), a parser
crash, and real worker processes."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from sqlalchemy import func, select, text, update

from corpus.models import CellRow, JobRow, ReportRow
from corpus.store import Store, StoreConfig
from corpus.worker import WorkerPool, run_one_job, worker_main
from nianbao import parse_bytes
from nianbao.settings import Settings
from tests.service_support import pg_url, process_all, store  # noqa: F401

SEED = Path(__file__).parent / "fixtures" / "seeds" / "004_af208e539dc26293.txt"
OTHER = Path(__file__).parent / "fixtures" / "seeds" / "000_5e842b9e9cf02949.txt"


def counts(store: Store) -> tuple[int, int]:
    with store.sessions() as s:
        return (s.scalar(select(func.count()).select_from(ReportRow)),
                s.scalar(select(func.count()).select_from(CellRow)))


def expire(store: Store, job_id: str) -> None:
    with store.sessions.begin() as s:
        s.execute(update(JobRow).where(JobRow.id == job_id).values(lease_until=time.time() - 1))


def test_schema_is_at_head_and_migrating_again_is_harmless(store):
    store.migrate()
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from corpus.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with store.engine.connect() as conn:
        assert {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))} == heads
        tables = set(store.engine.dialect.get_table_names(conn))
    assert {"reports", "cells", "jobs"} <= tables


def test_a_running_job_with_a_live_lease_is_left_alone(store):
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    assert store.claim("worker-a", lease_seconds=60)["id"] == job["id"]
    assert run_one_job(store, Settings(), "worker-b") is None
    assert store.get_job(job["id"])["status"] == "running"


def test_restart_picks_up_a_job_whose_lease_expired(store):
    """The server died while a job ran: the row says running, the lease is past."""
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    claimed = store.claim("died-with-the-server", lease_seconds=60)
    assert claimed["status"] == "running" and claimed["attempts"] == 1
    expire(store, job["id"])
    restarted = Store(store.config)  # a new start: new engine, same database
    try:
        done = run_one_job(restarted, Settings(), "after-restart")
    finally:
        restarted.close()
    assert done["id"] == job["id"] and done["status"] == "done" and done["attempts"] == 2
    assert counts(store)[0] == 1


def test_killed_worker_is_retried_and_nothing_is_stored_twice(store):
    data = SEED.read_bytes()
    job = store.enqueue(data, SEED.name)
    store.claim("killed", lease_seconds=0.3)
    time.sleep(0.4)
    done = run_one_job(store, Settings(), "survivor")
    assert done["status"] == "done"
    reports, cells = counts(store)
    # The killed worker comes back to life late and tries to store its result: refused.
    assert store.finish(job["id"], "killed", parse_bytes(data, SEED.name)) is None
    assert not store.heartbeat(job["id"], "killed")
    assert counts(store) == (reports, cells) == (1, len(parse_bytes(data, SEED.name).cells))


def test_a_job_is_given_up_after_max_attempts(store):
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    for i in range(store.config.max_attempts):
        store.claim(f"dies-{i}", lease_seconds=60)
        expire(store, job["id"])
    assert run_one_job(store, Settings()) is None
    failed = store.get_job(job["id"])
    assert failed["status"] == "failed" and failed["error"] == "worker_lost"


def test_heartbeat_extends_the_lease(store):
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    first = store.claim("w", lease_seconds=5)["lease_until"]
    time.sleep(0.05)
    assert store.heartbeat(job["id"], "w", lease_seconds=60, stage="parsing", progress=0.5)
    now = store.get_job(job["id"])
    assert now["lease_until"] > first + 50 and now["stage"] == "parsing" and now["progress"] == 0.5
    assert not store.heartbeat(job["id"], "someone-else")


def test_concurrent_claims_never_share_a_job(store):
    for i in range(12):
        store.enqueue(SEED.read_bytes() + f"\n{i}".encode(), f"{i}.txt")
    taken: list[str] = []
    lock = threading.Lock()

    def claimer(n: int):
        while True:
            job = store.claim(f"t{n}", lease_seconds=60)
            if job is None:
                return
            with lock:
                taken.append(job["id"])

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(taken) == 12 and len(set(taken)) == 12


def test_parser_crash_fails_the_job_and_the_worker_goes_on(store, monkeypatch):
    bad = store.enqueue(SEED.read_bytes(), SEED.name)
    good = store.enqueue(OTHER.read_bytes(), OTHER.name)
    import nianbao.pipeline as pipeline

    real = pipeline.process

    def sometimes_broken(data, filename, settings=None):
        if filename == SEED.name:
            raise ZeroDivisionError("division by zero in a parser")
        return real(data, filename, settings)

    monkeypatch.setattr(pipeline, "process", sometimes_broken)
    process_all(store)
    failed, done = store.get_job(bad["id"]), store.get_job(good["id"])
    assert failed["status"] == "failed" and failed["error"] == "parser_crash"
    assert "ZeroDivisionError: division by zero in a parser" in failed["message"]
    assert done["status"] == "done" and counts(store)[0] == 1


# -- real worker processes ------------------------------------------------------------


def wait_for(store: Store, job_id: str, statuses: tuple[str, ...], timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get_job(job_id)
        if job["status"] in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {store.get_job(job_id)['status']} after {timeout}s")


def test_a_worker_process_does_the_job(store):
    pool = WorkerPool(store.config, Settings(), count=1).start()
    try:
        job = store.enqueue(SEED.read_bytes(), SEED.name)
        done = wait_for(store, job["id"], ("done", "failed"))
        assert done["status"] == "done", done
        assert done["worker"] is None or ":" in done["worker"]
    finally:
        pool.stop()
    assert counts(store)[0] == 1


def hanging_worker(config: StoreConfig) -> None:
    """A worker whose parser never returns (run in a child process, then killed)."""
    import nianbao.pipeline as pipeline

    def hang(data, filename, settings=None):
        time.sleep(3600)

    pipeline.process = hang
    worker_main(config, Settings())


def test_a_worker_process_killed_mid_job_is_retried(store):
    import multiprocessing as mp

    config = StoreConfig(**{**store.config.__dict__, "lease_seconds": 1.0})
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    child = mp.get_context("spawn").Process(target=hanging_worker, args=(config,), daemon=True)
    child.start()
    try:
        running = wait_for(store, job["id"], ("running",), timeout=60)
        assert running["attempts"] == 1
        time.sleep(1.5)  # its heartbeats keep the lease alive meanwhile
        assert store.claim("thief", lease_seconds=60) is None
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    finally:
        if child.is_alive():
            child.kill()
    time.sleep(1.2)  # the lease runs out
    done = run_one_job(store, Settings(), "next-worker")
    assert done["id"] == job["id"] and done["status"] == "done" and done["attempts"] == 2
    assert counts(store)[0] == 1


def test_progress_follows_the_stages(store, monkeypatch):
    seen: list[tuple[str | None, float | None]] = []
    real = store.heartbeat

    def spy(job_id, worker, lease_seconds=None, stage=None, progress=None):
        if stage is not None:
            seen.append((stage, progress))
        return real(job_id, worker, lease_seconds, stage, progress)

    monkeypatch.setattr(store, "heartbeat", spy)
    job = store.enqueue(SEED.read_bytes(), SEED.name)
    done = run_one_job(store, Settings())
    stages = [s for s, _ in seen]
    assert {"parsing", "structure", "tables", "checks", "storing"} <= set(stages)
    values = [p for _, p in seen]
    assert values == sorted(values) and values[-1] < 1
    assert done["id"] == job["id"] and done["stage"] == "stored" and done["progress"] == 1.0


def _age(store: Store, job_id: str, days: float) -> None:
    with store.sessions.begin() as s:
        s.execute(update(JobRow).where(JobRow.id == job_id).values(updated_at=time.time() - days * 86400))


def test_ended_jobs_past_the_retention_are_pruned_with_the_files_only_they_held(store):
    good = store.enqueue(SEED.read_bytes(), SEED.name)
    bad = store.enqueue(b"%PDF-1.7\n not really a pdf", "broken.pdf")
    recent_bad = store.enqueue(b"%PDF-1.4\n also broken", "broken-too.pdf")
    process_all(store)
    queued_long_ago = store.enqueue(OTHER.read_bytes(), OTHER.name)  # no worker has taken it yet
    assert [store.get_job(j["id"])["status"] for j in (good, bad, recent_bad)] == ["done", "failed", "failed"]
    for job in (good, bad, queued_long_ago):
        _age(store, job["id"], 40)
    _age(store, recent_bad["id"], 10)

    assert store.prune_jobs(older_than_days=0) == {"jobs": 0, "files": 0}  # 0 keeps everything
    assert store.prune_jobs() == {"jobs": 2, "files": 1}  # default retention: 30 days
    assert store.get_job(good["id"]) is None and store.get_job(bad["id"]) is None
    assert store.get_job(recent_bad["id"])["status"] == "failed"
    assert store.get_job(queued_long_ago["id"])["status"] == "queued"  # never pruned
    assert not store.file_path(bad["sha256"]).exists()  # held by the pruned failed job only
    assert store.file_path(good["sha256"]).exists()  # its report keeps it
    assert store.report_id_for(good["sha256"]) is not None
    assert store.file_path(recent_bad["sha256"]).exists() and store.file_path(queued_long_ago["sha256"]).exists()
    assert store.prune_jobs() == {"jobs": 0, "files": 0}
