"""batch runs and their files (`nianbao batch`)

Revision ID: 0101_batch
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0101_batch"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("executor", sa.String(256), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
    )
    op.create_index("ix_batch_runs_fingerprint", "batch_runs", ["fingerprint"])
    op.create_table(
        "batch_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("size", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("error", sa.String(64)),
        sa.Column("message", sa.Text),
        sa.Column("report_id", sa.Integer),
        sa.Column("duplicate_of", sa.String(1024)),
        sa.Column("conflict_with", sa.Text),
        sa.Column("agency", sa.String(512)),
        sa.Column("region", sa.String(512)),
        sa.Column("year", sa.Integer),
        sa.Column("pages", sa.Integer),
        sa.Column("seconds", sa.Float),
        sa.Column("peak_rss_mb", sa.Float),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.UniqueConstraint("run_id", "path", name="uq_batch_files_run_path"),
    )
    op.create_index("ix_batch_files_sha256", "batch_files", ["sha256"])
    op.create_index("ix_batch_files_run_status", "batch_files", ["run_id", "status"])


def downgrade() -> None:
    op.drop_table("batch_files")
    op.drop_table("batch_runs")
