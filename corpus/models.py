"""The store's tables (times are seconds since the epoch, UTC) (SQLAlchemy 2 declarative).  The schema itself is made by the
Alembic migrations in corpus/migrations; these classes must stay in step with them."""

from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Job states.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class Base(DeclarativeBase):
    pass


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    filename: Mapped[str] = mapped_column(String(512), nullable=False)
    format: Mapped[str] = mapped_column(String(32), nullable=False)
    pages: Mapped[int | None] = mapped_column(Integer)
    agency: Mapped[str | None] = mapped_column(String(512), index=True)
    region: Mapped[str | None] = mapped_column(String(512), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    template: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # ok | partial
    parser_version: Mapped[str] = mapped_column(String(32), nullable=False)
    n_errors: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    n_warnings: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    has_findings: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    report_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[float] = mapped_column(Float, nullable=False)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False)


class CellRow(Base):
    """One canonical table cell of one report (long format), with its provenance."""

    __tablename__ = "cells"
    __table_args__ = (Index("ix_cells_table_key", "table_name", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           nullable=False, index=True)
    table_name: Mapped[str] = mapped_column(String(32), nullable=False)
    key: Mapped[str] = mapped_column(String(128), nullable=False)
    value: Mapped[float | None] = mapped_column(Float)
    raw: Mapped[str | None] = mapped_column(String(256))
    origin: Mapped[str | None] = mapped_column(String(16))
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list | None] = mapped_column(JSON)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    path: Mapped[str | None] = mapped_column(String(256))
    flagged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(512), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="parse")  # parse | reparse
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=QUEUED)
    stage: Mapped[str | None] = mapped_column(String(32))
    progress: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    worker: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float, nullable=False)
    updated_at: Mapped[float] = mapped_column(Float, nullable=False)
