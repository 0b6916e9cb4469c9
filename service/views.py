"""Presentation helpers for the pages: a Report -> what the templates show.

Nothing here builds HTML: the templates do, with autoescaping on, since every string
from a report is hostile input."""

from __future__ import annotations

from typing import Any

from corpus.store import flagged_refs
from nianbao.model import ORIGIN_INFERRED, TABLE_NAMES, Report
from nianbao.template.formats import V2021, table_format

TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_LABELS = {"problem": "问题", "measure": "措施"}
ORIGIN_LABELS = {"layout": "版面", "text": "文本", "inferred": "推算"}
TABLE_PARTS = {2, 3, 4}


def _show(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def table_views(report: Report) -> list[dict[str, Any]]:
    flagged = flagged_refs(report)
    views = []
    for table in TABLE_NAMES:
        version = report.table_templates.get(table) or report.meta.template or V2021
        try:
            fmt = table_format(table, version)
        except KeyError:
            fmt = table_format(table, V2021)
        cells = {c.key: c for c in report.cells if c.table == table}
        values = report.tables.get(table, {})
        blocks = []
        for block in fmt.blocks:
            rows = []
            for i, row in enumerate(block.rows):
                prev = block.rows[i - 1].group if i else None
                span = 0
                if row.group and row.group != prev:
                    span = sum(1 for _ in _run(block.rows, i))
                row_cells = []
                for col in block.columns:
                    key = f"{row.key}.{col.key}"
                    cell = cells.get(key)
                    value = values.get(key, cell.value if cell else None)
                    classes = []
                    if f"{table}.{key}" in flagged:
                        classes.append("flagged")
                    if cell is not None and cell.origin == ORIGIN_INFERRED:
                        classes.append("inferred")
                    if value is None:
                        classes.append("empty")
                    row_cells.append({"key": key, "value": _show(value), "classes": " ".join(classes),
                                      "present": cell is not None,
                                      "origin": ORIGIN_LABELS.get(cell.origin, cell.origin) if cell else None})
                rows.append({"label": row.labels[0], "group": row.group, "group_span": span,
                             "grouped": row.group is not None, "cells": row_cells})
            blocks.append({"heading": block.heading[0], "columns": [c.labels[0] for c in block.columns],
                           "rows": rows, "has_groups": any(r.group for r in block.rows)})
        views.append({"name": table, "title": TABLE_TITLES[table], "version": version, "blocks": blocks})
    return views


def _run(rows, i):
    group = rows[i].group
    for r in rows[i:]:
        if r.group != group:
            return
        yield r


def narrative(report: Report) -> list[dict[str, Any]]:
    """The report text outside the table parts, cut into plain runs and claims."""
    text = report.text
    if report.sections:
        ranges = [(s.start, s.end, f"{s.number}. {s.title}") for s in report.sections
                  if s.number not in TABLE_PARTS]
        first = min(s.start for s in report.sections)
        if first > 0:
            ranges.insert(0, (0, first, ""))
    else:
        ranges = [(0, len(text), "")]
    claims = sorted(((i, c) for i, c in enumerate(report.claims)
                     if 0 <= c.start < c.end <= len(text)), key=lambda ic: ic[1].start)
    parts = []
    for start, end, title in ranges:
        segments, pos = [], start
        for i, c in claims:
            if c.start < pos or c.end > end or c.start >= end:
                continue
            if c.start > pos:
                segments.append({"text": text[pos:c.start], "claim": None})
            segments.append({"text": text[c.start:c.end], "claim": i,
                             "title": f"{c.metric} = {_show(c.value)}{c.unit or ''}"})
            pos = c.end
        if pos < end:
            segments.append({"text": text[pos:end], "claim": None})
        parts.append({"title": title, "segments": segments})
    return parts


def statements(report: Report) -> list[dict[str, Any]]:
    return [{"text": s.text, "kind": s.kind, "kind_label": KIND_LABELS.get(s.kind, s.kind),
             "topic": s.topic} for s in report.statements]


def findings(report: Report) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "severity": f.severity, "label": SEVERITY_LABELS.get(f.severity, f.severity),
             "message": f.message, "cells": f.cells, "status": f.status,
             "reports": [r for r in f.reports or () if r.get("role") != "later" and r.get("report_id") is not None]}
            for f in report.findings]
