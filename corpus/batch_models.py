"""Tables of `nianbao batch` (SQLAlchemy 2 declarative, own metadata): one row per batch run
and one per file of a run, with its status as it goes.  Made by the Alembic revision
corpus/migrations/versions/0101_batch.py, chained after the store's own revisions."""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# File states: pending -> running -> stored | skipped | duplicate | failed.
PENDING, RUNNING, STORED, SKIPPED, DUPLICATE, FAILED = (
    "pending", "running", "stored", "skipped", "duplicate", "failed")
FINAL_STATES = (STORED, SKIPPED, DUPLICATE, FAILED)


class BatchBase(DeclarativeBase):
    pass


class BatchRunRow(BatchBase):
    __tablename__ = "batch_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # SHA-256 of the sorted list of input paths: a rerun over the same inputs resumes the run.
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    inputs: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of the PATH arguments
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # running | done | interrupted
    executor: Mapped[str] = mapped_column(String(256), nullable=False)  # local:N | dask:ADDRESS
    parser_version: Mapped[str] = mapped_column(String(32), nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)  # JSON
    started_at: Mapped[float] = mapped_column(Float, nullable=False)
    finished_at: Mapped[float | None] = mapped_column(Float)


class BatchFileRow(BatchBase):
    __tablename__ = "batch_files"
    __table_args__ = (UniqueConstraint("run_id", "path", name="uq_batch_files_run_path"),
                      Index("ix_batch_files_run_status", "run_id", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer, nullable=False)
    path: Mapped[str] = mapped_column(String(1024), nullable=False)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    error: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(Integer)
    duplicate_of: Mapped[str | None] = mapped_column(String(1024))  # the path holding the same bytes
    conflict_with: Mapped[str | None] = mapped_column(Text)  # JSON: reports claiming the same agency-year
    agency: Mapped[str | None] = mapped_column(String(512))
    region: Mapped[str | None] = mapped_column(String(512))
    year: Mapped[int | None] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    peak_rss_mb: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False)
