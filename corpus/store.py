"""The store: parsed reports, their cells in long format, upload jobs, and the uploaded files.

SQLAlchemy 2 over SQLite (default: ``<data dir>/nianbao.sqlite3``) or PostgreSQL (a URL,
psycopg 3).  The schema is made and upgraded by Alembic (corpus/migrations), run by
`Store.migrate()` at start.  Uploaded files are kept content-addressed by SHA-256 under
``<data dir>/files``; a report is identified by the SHA-256 of its file, so the same file
uploaded twice is one report.

Jobs are rows in the database.  A worker claims one by a compare-and-set UPDATE (status
queued, or running with an expired lease) and keeps its lease alive by heartbeats; a worker
that dies leaves a lease that runs out, and the next claim takes the job again.  Finishing
a job stores the report and marks the job done in one transaction, and only while the
worker still holds the lease, so a job taken over is never stored twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, create_engine, delete, event, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from corpus.models import DONE, FAILED, QUEUED, RUNNING, CellRow, JobRow, ReportRow
from nianbao.model import ERROR, WARNING, Report

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_DATA_DIR = "./data"
DEFAULT_LEASE_SECONDS = 60.0
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_JOB_RETENTION_DAYS = 30.0
# Findings of these severities mark the cells they name as flagged.
FLAG_SEVERITIES = (ERROR, WARNING)


def database_url(data_dir: str | os.PathLike, url: str | None = None) -> str:
    """The SQLAlchemy URL: the one given (postgresql:// is read through psycopg 3), else
    an SQLite file in the data directory."""
    if url:
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{Path(data_dir).resolve() / 'nianbao.sqlite3'}"


@dataclass(frozen=True)
class StoreConfig:
    data_dir: str = DEFAULT_DATA_DIR
    database_url: str | None = None
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    job_retention_days: float = DEFAULT_JOB_RETENTION_DAYS  # 0: keep ended jobs for ever

    @classmethod
    def from_env(cls) -> "StoreConfig":
        retention = os.environ.get("NIANBAO_JOB_RETENTION_DAYS")
        return cls(data_dir=os.environ.get("NIANBAO_DATA_DIR") or DEFAULT_DATA_DIR,
                   database_url=os.environ.get("NIANBAO_DATABASE_URL") or None,
                   lease_seconds=float(os.environ.get("NIANBAO_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS),
                   job_retention_days=float(retention) if retention else DEFAULT_JOB_RETENTION_DAYS)


def now() -> float:
    return time.time()


class Store:
    def __init__(self, config: StoreConfig | None = None, **overrides):
        config = config or StoreConfig.from_env()
        if overrides:
            config = StoreConfig(**{**config.__dict__, **overrides})
        self.config = config
        self.data_dir = Path(config.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.files_dir = self.data_dir / "files"
        self.files_dir.mkdir(exist_ok=True)
        self.url = database_url(self.data_dir, config.database_url)
        self.engine = _engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- schema --------------------------------------------------------------------

    def migrate(self) -> None:
        """`alembic upgrade head`, programmatically."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def warm_up(self) -> None:
        """Open a connection and compile the hot queries, so the first request is not slow."""
        self.get_job("warm-up")
        self.report_json(-1)
        self.count_reports()
        with self.sessions() as s:  # the ORM's first flush configures the mappers
            s.add(JobRow(id="warm-up", sha256="0" * 64, filename="", created_at=0, updated_at=0))
            s.flush()
            s.rollback()

    # -- files ---------------------------------------------------------------------

    def file_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.files_dir / sha256[:2] / sha256

    def put_file(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.file_path(sha)
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            tmp = path.with_name(f".{sha}.{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return sha

    def read_file(self, sha256: str) -> bytes | None:
        try:
            return self.file_path(sha256).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    # -- jobs ----------------------------------------------------------------------

    def enqueue(self, data: bytes, filename: str) -> dict[str, Any]:
        """Keep the file and queue a parse job.  A file already stored as a report gives a
        job that is done at once; a file already queued or running gives that job."""
        sha = self.put_file(data)
        with self.sessions.begin() as s:
            report_id = s.scalar(select(ReportRow.id).where(ReportRow.sha256 == sha))
            t = now()
            if report_id is not None:
                job = JobRow(id=str(uuid.uuid4()), sha256=sha, filename=filename, kind="parse",
                             status=DONE, stage="stored", progress=1.0, report_id=report_id,
                             message="同一文件已解析过 (already stored)", created_at=t, updated_at=t)
                s.add(job)
                return _job_dict(job)
            active = s.scalars(select(JobRow).where(JobRow.sha256 == sha,
                                                    JobRow.status.in_((QUEUED, RUNNING)))
                               .order_by(JobRow.created_at).limit(1)).first()
            if active is not None:
                return _job_dict(active)
            job = JobRow(id=str(uuid.uuid4()), sha256=sha, filename=filename, kind="parse",
                         status=QUEUED, progress=0.0, attempts=0, created_at=t, updated_at=t)
            s.add(job)
            return _job_dict(job)

    def enqueue_reparse(self, report_id: int) -> dict[str, Any] | None:
        with self.sessions.begin() as s:
            row = s.get(ReportRow, report_id)
            if row is None:
                return None
            t = now()
            job = JobRow(id=str(uuid.uuid4()), sha256=row.sha256, filename=row.filename, kind="reparse",
                         status=QUEUED, progress=0.0, attempts=0, report_id=report_id,
                         created_at=t, updated_at=t)
            s.add(job)
            return _job_dict(job)

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        with self.sessions() as s:
            job = s.get(JobRow, job_id)
            return _job_dict(job) if job else None

    def count_jobs(self, status: str | None = None) -> int:
        with self.sessions() as s:
            q = select(func.count()).select_from(JobRow)
            if status:
                q = q.where(JobRow.status == status)
            return s.scalar(q) or 0

    def claim(self, worker: str, lease_seconds: float | None = None) -> dict[str, Any] | None:
        """Take the oldest job that is queued, or running with an expired lease."""
        lease = self.config.lease_seconds if lease_seconds is None else lease_seconds
        for _ in range(20):
            t = now()
            with self.sessions.begin() as s:
                self._fail_exhausted(s, t)
                candidate = s.scalars(
                    select(JobRow.id).where(_claimable(t)).order_by(JobRow.created_at).limit(1)).first()
                if candidate is None:
                    return None
                taken = s.execute(
                    update(JobRow).where(JobRow.id == candidate, _claimable(t))
                    .values(status=RUNNING, worker=worker, lease_until=t + lease, stage="claimed",
                            progress=0.05, attempts=JobRow.attempts + 1, updated_at=t)
                    .execution_options(synchronize_session=False)).rowcount
                if taken == 1:
                    job = s.get(JobRow, candidate, populate_existing=True)
                    return _job_dict(job)
        return None

    def _fail_exhausted(self, s: Session, t: float) -> None:
        """A job whose worker died max_attempts times is not tried again."""
        s.execute(update(JobRow).where(JobRow.status == RUNNING, JobRow.lease_until < t,
                                       JobRow.attempts >= self.config.max_attempts)
                  .values(status=FAILED, error="worker_lost", updated_at=t, worker=None,
                          message=f"处理该文件的进程多次中断（{self.config.max_attempts} 次），已放弃 "
                                  "(the worker died on every attempt)")
                  .execution_options(synchronize_session=False))

    def heartbeat(self, job_id: str, worker: str, lease_seconds: float | None = None,
                  stage: str | None = None, progress: float | None = None) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        lease = self.config.lease_seconds if lease_seconds is None else lease_seconds
        t = now()
        values: dict[str, Any] = {"lease_until": t + lease, "updated_at": t}
        if stage is not None:
            values["stage"] = stage
        if progress is not None:
            values["progress"] = progress
        with self.sessions.begin() as s:
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker,
                                                  JobRow.status == RUNNING).values(**values)
                             .execution_options(synchronize_session=False)).rowcount == 1

    def finish(self, job_id: str, worker: str, report: Report) -> int | None:
        """Store the report and mark the job done, atomically, if the job is still this
        worker's.  Returns the report id, or None when the lease was lost."""
        for attempt in range(3):
            try:
                with self.sessions.begin() as s:
                    t = now()
                    owned = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker,
                                                           JobRow.status == RUNNING)
                                      .values(stage="storing", updated_at=t)
                                      .execution_options(synchronize_session=False)).rowcount
                    if owned != 1:
                        return None
                    report_id = _save(s, report, t)
                    s.execute(update(JobRow).where(JobRow.id == job_id)
                              .values(status=DONE, stage="stored", progress=1.0, report_id=report_id,
                                      lease_until=None, updated_at=t, error=None, message=None)
                              .execution_options(synchronize_session=False))
                    return report_id
            except IntegrityError:  # another job stored the same file at the same moment
                if attempt == 2:
                    raise
        return None

    def fail(self, job_id: str, worker: str, error: str, message: str) -> bool:
        t = now()
        with self.sessions.begin() as s:
            return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker,
                                                  JobRow.status == RUNNING)
                             .values(status=FAILED, error=error, message=message, lease_until=None,
                                     progress=1.0, updated_at=t)
                             .execution_options(synchronize_session=False)).rowcount == 1

    def prune_jobs(self, older_than_days: float | None = None) -> dict[str, int]:
        """Delete the rows of jobs that ended (done or failed) more than `older_than_days`
        ago (default: the configured retention; 0 keeps them all), and the uploaded files
        that only those jobs held: a file no report and no remaining job refers to.
        Reports are never touched."""
        days = self.config.job_retention_days if older_than_days is None else older_than_days
        if days <= 0:
            return {"jobs": 0, "files": 0}
        cutoff = now() - days * 86400
        with self.sessions.begin() as s:
            old = select(JobRow.id).where(JobRow.status.in_((DONE, FAILED)), JobRow.updated_at < cutoff)
            shas = set(s.scalars(select(JobRow.sha256).where(JobRow.id.in_(old))))
            jobs = s.execute(delete(JobRow).where(JobRow.id.in_(old))
                             .execution_options(synchronize_session=False)).rowcount
        files = 0
        for sha in sorted(shas):
            if self._file_in_use(sha):  # a report, a remaining job, or uploaded again meanwhile
                continue
            try:
                self.file_path(sha).unlink()
                files += 1
            except FileNotFoundError:
                pass
        return {"jobs": jobs, "files": files}

    def _file_in_use(self, sha256: str) -> bool:
        with self.sessions() as s:
            return (s.scalar(select(ReportRow.id).where(ReportRow.sha256 == sha256).limit(1)) is not None
                    or s.scalar(select(JobRow.id).where(JobRow.sha256 == sha256).limit(1)) is not None)

    # -- reports -------------------------------------------------------------------

    def save_report(self, report: Report) -> int:
        with self.sessions.begin() as s:
            return _save(s, report, now())

    def report_json(self, report_id: int) -> str | None:
        with self.sessions() as s:
            return s.scalar(select(ReportRow.report_json).where(ReportRow.id == report_id))

    def get_report(self, report_id: int) -> Report | None:
        text = self.report_json(report_id)
        return Report.from_json(text) if text is not None else None

    def report_summary(self, report_id: int) -> dict[str, Any] | None:
        with self.sessions() as s:
            row = s.get(ReportRow, report_id)
            return _summary(row) if row else None

    def report_id_for(self, sha256: str) -> int | None:
        with self.sessions() as s:
            return s.scalar(select(ReportRow.id).where(ReportRow.sha256 == sha256))

    def list_reports(self, agency: str | None = None, region: str | None = None, year: int | None = None,
                     has_findings: bool | None = None, limit: int = 100,
                     offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        where = _report_filters(agency, region, year, has_findings)
        with self.sessions() as s:
            total = s.scalar(select(func.count()).select_from(ReportRow).where(*where)) or 0
            rows = s.scalars(select(ReportRow).where(*where)
                             .order_by(ReportRow.id.desc()).limit(limit).offset(offset)).all()
            return [_summary(r) for r in rows], total

    def count_reports(self) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(ReportRow)) or 0

    def delete_report(self, report_id: int) -> bool:
        with self.sessions.begin() as s:
            row = s.get(ReportRow, report_id)
            if row is None:
                return False
            sha = row.sha256
            s.execute(delete(CellRow).where(CellRow.report_id == report_id))
            s.execute(delete(ReportRow).where(ReportRow.id == report_id))
            pending = s.scalar(select(func.count()).select_from(JobRow).where(
                JobRow.sha256 == sha, JobRow.status.in_((QUEUED, RUNNING))))
        if not pending:
            try:
                self.file_path(sha).unlink()
            except FileNotFoundError:
                pass
        return True

    def iter_cells(self, agency: str | None = None, region: str | None = None, year: int | None = None,
                   has_findings: bool | None = None, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every stored cell, one row each, with its report's identity and provenance."""
        where = _report_filters(agency, region, year, has_findings)
        q = (select(ReportRow.id, ReportRow.sha256, ReportRow.filename, ReportRow.agency, ReportRow.region,
                    ReportRow.year, ReportRow.template, ReportRow.parser_version, CellRow)
             .join(CellRow, CellRow.report_id == ReportRow.id).where(*where)
             .order_by(ReportRow.id, CellRow.id))
        with self.sessions() as s:
            for rid, sha, filename, agency_, region_, year_, template, version, cell in \
                    s.execute(q.execution_options(yield_per=batch)):
                yield {"report_id": rid, "sha256": sha, "filename": filename, "agency": agency_,
                       "region": region_, "year": year_, "template": template, "parser_version": version,
                       **_cell_dict(cell)}


EXPORT_COLUMNS = ("report_id", "sha256", "filename", "agency", "region", "year", "template",
                  "parser_version", "table", "key", "value", "raw", "origin", "page", "bbox",
                  "start", "end", "path", "flagged")


# -- helpers ---------------------------------------------------------------------------


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _claimable(t: float):
    return or_(JobRow.status == QUEUED, and_(JobRow.status == RUNNING, JobRow.lease_until < t))


def _report_filters(agency, region, year, has_findings) -> list:
    where = []
    if agency:
        where.append(ReportRow.agency.contains(agency, autoescape=True))
    if region:
        where.append(ReportRow.region.contains(region, autoescape=True))
    if year is not None:
        where.append(ReportRow.year == year)
    if has_findings is not None:
        where.append(ReportRow.has_findings.is_(has_findings))
    return where


def flagged_refs(report: Report) -> set[str]:
    """`table.key` of every cell named by an error or warning finding."""
    return {ref for f in report.findings if f.severity in FLAG_SEVERITIES for ref in f.cells}


def _save(s: Session, report: Report, t: float) -> int:
    """Insert or replace the report of this file (by SHA-256) and its cells."""
    data = report.to_dict()
    errors = sum(1 for f in report.findings if f.severity == ERROR)
    warnings = sum(1 for f in report.findings if f.severity == WARNING)
    fields = dict(filename=report.source.filename, format=report.source.format, pages=report.source.pages,
                  agency=report.meta.agency, region=report.meta.region, year=report.meta.year,
                  template=report.meta.template, status=report.status,
                  parser_version=report.parser_version or "unknown", n_errors=errors, n_warnings=warnings,
                  has_findings=bool(errors or warnings),
                  report_json=json.dumps(data, ensure_ascii=False), updated_at=t)
    row = s.scalars(select(ReportRow).where(ReportRow.sha256 == report.source.sha256)).first()
    if row is None:
        row = ReportRow(sha256=report.source.sha256, created_at=t, **fields)
        s.add(row)
        s.flush()
    else:
        for k, v in fields.items():
            setattr(row, k, v)
        s.execute(delete(CellRow).where(CellRow.report_id == row.id))
    flagged = flagged_refs(report)
    if report.cells:
        s.execute(CellRow.__table__.insert(), [
            {"report_id": row.id, "table_name": c.table, "key": c.key,
             "value": float(c.value) if c.value is not None else None, "raw": c.raw, "origin": c.origin,
             "page": c.page, "bbox": c.bbox, "start": c.start, "end": c.end, "path": c.path,
             "flagged": c.ref in flagged}
            for c in report.cells])
    return row.id


def _num(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _cell_dict(c: CellRow) -> dict[str, Any]:
    return {"table": c.table_name, "key": c.key, "value": _num(c.value), "raw": c.raw, "origin": c.origin,
            "page": c.page, "bbox": c.bbox, "start": c.start, "end": c.end, "path": c.path,
            "flagged": bool(c.flagged)}


def _summary(r: ReportRow) -> dict[str, Any]:
    return {"id": r.id, "sha256": r.sha256, "filename": r.filename, "format": r.format, "pages": r.pages,
            "agency": r.agency, "region": r.region, "year": r.year, "template": r.template,
            "status": r.status, "parser_version": r.parser_version, "errors": r.n_errors,
            "warnings": r.n_warnings, "has_findings": bool(r.has_findings),
            "created_at": _iso(r.created_at), "updated_at": _iso(r.updated_at)}


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _job_dict(j: JobRow) -> dict[str, Any]:
    return {"id": j.id, "status": j.status, "kind": j.kind, "filename": j.filename, "sha256": j.sha256,
            "stage": j.stage, "progress": j.progress, "attempts": j.attempts, "report_id": j.report_id,
            "error": j.error, "message": j.message, "lease_until": j.lease_until, "worker": j.worker,
            "created_at": _iso(j.created_at), "updated_at": _iso(j.updated_at)}
