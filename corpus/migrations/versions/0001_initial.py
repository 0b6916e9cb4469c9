"""reports, cells and jobs

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("pages", sa.Integer),
        sa.Column("agency", sa.String(512)),
        sa.Column("region", sa.String(512)),
        sa.Column("year", sa.Integer),
        sa.Column("template", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("n_errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_warnings", sa.Integer, nullable=False, server_default="0"),
        sa.Column("has_findings", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_reports_agency", "reports", ["agency"])
    op.create_index("ix_reports_region", "reports", ["region"])
    op.create_index("ix_reports_year", "reports", ["year"])
    op.create_index("ix_reports_has_findings", "reports", ["has_findings"])
    op.create_table(
        "cells",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("raw", sa.String(256)),
        sa.Column("origin", sa.String(16)),
        sa.Column("page", sa.Integer),
        sa.Column("bbox", sa.JSON),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("path", sa.String(256)),
        sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_cells_report_id", "cells", ["report_id"])
    op.create_index("ix_cells_table_key", "cells", ["table_name", "key"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, server_default="parse"),
        sa.Column("status", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("stage", sa.String(32)),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("worker", sa.String(128)),
        sa.Column("lease_until", sa.Float),
        sa.Column("error", sa.String(64)),
        sa.Column("message", sa.Text),
        sa.Column("report_id", sa.Integer),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_jobs_sha256", "jobs", ["sha256"])
    op.create_index("ix_jobs_status_created", "jobs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("jobs")
    op.drop_table("cells")
    op.drop_table("reports")
