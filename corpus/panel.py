"""The research panel: every stored report as a long table and a wide table, both template
versions mapped onto a common core (corpus/panel_core.json; see corpus/PANEL.md).

* long: one row per stored cell: report, agency, agency group, region, year, table, key,
  the core key it maps to and whether that core key is comparable across versions, value,
  origin, page.
* wide: one row per report, one column per core key.  A value is the report's cell (or the
  sum of its cells, e.g. 2021's three （六） rows for the core ``applications.other.*``).
  Empty means no number: the companion table ``wide_status`` (same rows and columns) says
  why: ``value``, ``empty`` (the cell is printed blank or unreadable), ``not_applicable``
  (the key does not exist in this report's version of the table: not comparable, never 0)
  or ``no_table`` (the table was not found).
* duplicates: near-duplicate narratives (corpus.duplicates).

`export(store, fmt, out)` writes them as CSV files, one XLSX workbook, or Parquet files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from corpus.agencies import group_agencies
from corpus.models import ReportRow
from corpus.store import Store

CORE_PATH = Path(__file__).with_name("panel_core.json")
LONG_COLUMNS = ("report_id", "filename", "agency", "agency_group", "region", "year", "template", "table", "key",
                "core_key", "comparable", "value", "origin", "page")
REPORT_COLUMNS = ("report_id", "sha256", "filename", "agency", "agency_group", "region", "year", "template",
                  "template.active", "template.applications", "template.review_litigation")
VALUE, EMPTY, NOT_APPLICABLE, NO_TABLE = "value", "empty", "not_applicable", "no_table"
TABLES = ("active", "applications", "review_litigation")


@lru_cache(maxsize=1)
def core_mapping() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(CORE_PATH.read_text(encoding="utf-8"))["keys"])


@lru_cache(maxsize=1)
def _reverse() -> dict[tuple[str, str, str], tuple[str, bool]]:
    """(table, version, canonical key) -> (core key, comparable)."""
    out = {}
    for e in core_mapping():
        for version in ("2021", "2019"):
            for src in e[version] or ():
                out[(e["table"], version, src)] = (e["core"], e["comparable"])
    return out


def table_version(table: str, keys: Iterable[str]) -> str | None:
    """The format version of a table, from the keys a report has for it."""
    keys = set(keys)
    if not keys:
        return None
    if table == "active":
        if any(k.endswith((".in_force", ".issued", ".repealed", ".amount_10k_yuan")) for k in keys):
            return "2021"
        return "2019"
    if table == "applications":
        if any(k.startswith("other.no_correction.") or k.startswith("other.other.") for k in keys):
            return "2021"
        if any(k.startswith("other.") for k in keys):
            return "2019"
        return "2021"
    return "2021"  # review_litigation: the same 15 keys in both versions


def _reports(store: Store) -> dict[int, dict[str, Any]]:
    with store.sessions() as s:
        rows = s.execute(select(ReportRow.id, ReportRow.sha256, ReportRow.filename, ReportRow.agency,
                                ReportRow.region, ReportRow.year, ReportRow.template)).all()
    reports = {r[0]: {"report_id": r[0], "sha256": r[1], "filename": r[2], "agency": r[3], "region": r[4],
                      "year": r[5], "template": r[6]} for r in rows}
    for agency in group_agencies([{"id": rid, **r} for rid, r in reports.items()]):
        for r in agency.reports:
            reports[r["id"]]["agency_group"] = agency.key
    return reports


def _cells_by_report(store: Store) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    current, cells = None, []
    for cell in store.iter_cells():
        if cell["report_id"] != current:
            if current is not None:
                yield current, cells
            current, cells = cell["report_id"], []
        cells.append(cell)
    if current is not None:
        yield current, cells


def long_rows(store: Store, reports: dict[int, dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    reports = reports if reports is not None else _reports(store)
    reverse = _reverse()
    for rid, cells in _cells_by_report(store):
        rep = reports.get(rid, {})
        versions = {t: table_version(t, [c["key"] for c in cells if c["table"] == t]) for t in TABLES}
        for c in cells:
            core, comparable = reverse.get((c["table"], versions.get(c["table"]) or "", c["key"]), (None, None))
            yield {"report_id": rid, "filename": rep.get("filename"), "agency": rep.get("agency"),
                   "agency_group": rep.get("agency_group"), "region": rep.get("region"), "year": rep.get("year"),
                   "template": rep.get("template"), "table": c["table"], "key": c["key"], "core_key": core,
                   "comparable": None if comparable is None else int(comparable), "value": c["value"],
                   "origin": c["origin"], "page": c["page"]}


def wide_columns() -> list[str]:
    return [*REPORT_COLUMNS, *(e["core"] for e in core_mapping())]


def wide_rows(store: Store, reports: dict[int, dict[str, Any]] | None = None
              ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(values row, status row) per report that has cells."""
    reports = reports if reports is not None else _reports(store)
    mapping = core_mapping()
    for rid, cells in _cells_by_report(store):
        rep = reports.get(rid, {"report_id": rid})
        values: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
        for c in cells:
            values.setdefault(c["table"], {})[c["key"]] = c["value"]
        versions = {t: table_version(t, values[t]) for t in TABLES}
        ident = {k: rep.get(k) for k in REPORT_COLUMNS if not k.startswith("template.")}
        ident.update({f"template.{t}": versions[t] for t in TABLES})
        row, status = dict(ident), dict(ident)
        for e in mapping:
            version = versions.get(e["table"])
            sources = e.get(version) if version else None
            if version is None:
                row[e["core"]], status[e["core"]] = None, NO_TABLE
            elif sources is None:
                row[e["core"]], status[e["core"]] = None, NOT_APPLICABLE
            else:
                got = [values[e["table"]].get(k) for k in sources]
                if any(v is None for v in got):
                    row[e["core"]], status[e["core"]] = None, EMPTY
                else:
                    total = sum(got)
                    row[e["core"]] = int(total) if float(total).is_integer() else total
                    status[e["core"]] = VALUE
        yield row, status


# -- writing ---------------------------------------------------------------------------------


def _plain(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v  # spreadsheet formula injection
    return v


def _write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else _plain(r.get(c)) for c in columns])
    return path


def _write_parquet(path: Path, columns: list[str], rows: list[dict[str, Any]], numeric: set[str]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = []
    for c in columns:
        data = [r.get(c) for r in rows]
        if c in numeric:
            arrays.append(pa.array([None if v is None else float(v) for v in data], type=pa.float64()))
        else:
            arrays.append(pa.array([None if v is None else (v if isinstance(v, (int, str)) else str(v))
                                    for v in data]))
    pq.write_table(pa.Table.from_arrays(arrays, names=columns), path)
    return path


def _targets(out: Path, fmt: str, as_dir: bool = False) -> dict[str, Path]:
    """`--out panel` -> panel_long.csv, panel_wide.csv, ...; `--out dir/` -> dir/long.csv ..."""
    names = ("long", "wide", "wide_status", "duplicates", "mapping")
    if out.is_dir() or as_dir:
        out.mkdir(parents=True, exist_ok=True)
        return {n: out / f"{n}.{fmt}" for n in names}
    stem = out.with_suffix("") if out.suffix.lower() == f".{fmt}" else out
    stem.parent.mkdir(parents=True, exist_ok=True)
    return {n: stem.with_name(f"{stem.name}_{n}.{fmt}") for n in names}


def export(store: Store, fmt: str, out: str | Path, duplicates: bool = True,
           threshold: float | None = None) -> list[Path]:
    """Write the panel; returns the files written."""
    from corpus.duplicates import DUPLICATE_COLUMNS, DEFAULT_THRESHOLD, find_duplicates

    fmt = fmt.lower()
    if fmt not in ("csv", "xlsx", "parquet"):
        raise ValueError(f"unknown format: {fmt}")
    as_dir = str(out).endswith(("/", "\\"))
    out = Path(out)
    reports = _reports(store)
    long = list(long_rows(store, reports))
    wide_pairs = list(wide_rows(store, reports))
    wide, status = [w for w, _ in wide_pairs], [s for _, s in wide_pairs]
    wcols = wide_columns()
    dups = find_duplicates(store, threshold if threshold is not None else DEFAULT_THRESHOLD) if duplicates else []
    mapping = [{"core_key": e["core"], "table": e["table"], "2021": "+".join(e["2021"] or []) or None,
                "2019": "+".join(e["2019"] or []) or None, "comparable": int(e["comparable"]),
                "note": e.get("note")} for e in core_mapping()]
    mcols = ["core_key", "table", "2021", "2019", "comparable", "note"]
    sheets = [("long", list(LONG_COLUMNS), long), ("wide", wcols, wide), ("wide_status", wcols, status),
              ("mapping", mcols, mapping)]
    if duplicates:
        sheets.append(("duplicates", list(DUPLICATE_COLUMNS), dups))
    if fmt == "xlsx":
        from openpyxl import Workbook

        path = out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook(write_only=True)
        for name, cols, rows in sheets:
            ws = wb.create_sheet(name)
            ws.append(cols)
            for r in rows:
                ws.append([_plain(r.get(c)) for c in cols])
        wb.save(path)
        return [path]
    targets = _targets(out, fmt, as_dir)
    written = []
    core_keys = {e["core"] for e in core_mapping()}
    numeric = {"long": {"value"}, "wide": core_keys, "wide_status": set(), "mapping": set(),
               "duplicates": {"similarity"}}
    for name, cols, rows in sheets:
        if fmt == "csv":
            written.append(_write_csv(targets[name], cols, rows))
        else:
            written.append(_write_parquet(targets[name], cols, rows, numeric[name]))
    return written
