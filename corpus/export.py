"""Exports in long format (one row per cell, with provenance): CSV, XLSX, and Parquet
where pyarrow is installed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from corpus.store import EXPORT_COLUMNS
from nianbao.model import TABLE_NAMES, Report
from corpus.store import flagged_refs

REPORT_COLUMNS = ("table", "key", "value", "raw", "origin", "page", "bbox", "start", "end", "path",
                  "flagged")


def _plain(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return int(v)
    return v


def _safe(v: Any) -> Any:
    """Spreadsheet formula injection: text starting with = + - @ is kept as text."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def report_rows(report: Report) -> list[dict[str, Any]]:
    flagged = flagged_refs(report)
    order = {t: i for i, t in enumerate(TABLE_NAMES)}
    cells = sorted(report.cells, key=lambda c: order.get(c.table, 99))
    return [{"table": c.table, "key": c.key, "value": c.value, "raw": c.raw, "origin": c.origin,
             "page": c.page, "bbox": c.bbox, "start": c.start, "end": c.end, "path": c.path,
             "flagged": c.ref in flagged} for c in cells]


def to_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterable[str]:
    """CSV text in chunks (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_safe(_plain(row.get(c))) for c in columns])
        n += 1
        if n % 1000 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def to_xlsx(sheets: dict[str, Iterable[dict[str, Any]]], columns: tuple[str, ...]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append(list(columns))
        for row in rows:
            ws.append([_safe(_plain(row.get(c))) for c in columns])
    if not sheets:
        wb.create_sheet("cells").append(list(columns))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def to_parquet(rows: Iterable[dict[str, Any]], columns: tuple[str, ...] = EXPORT_COLUMNS) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data: dict[str, list] = {c: [] for c in columns}
    for row in rows:
        for c in columns:
            v = row.get(c)
            if c == "value":
                v = float(v) if v is not None else None
            elif c == "bbox":
                v = json.dumps(v) if v is not None else None
            data[c].append(v)
    out = io.BytesIO()
    pq.write_table(pa.table(data), out)
    return out.getvalue()
