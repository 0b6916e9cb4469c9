"""The cross-year rules over the stored corpus: each agency's reports of consecutive years.

The rules themselves (nianbao.checks.cross_year) compare two reports; here they run against
the store, after a batch, after every report a service worker stores, and after a report is
deleted (its neighbour's findings that cited it go).  Findings are kept with the later report.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from corpus.agencies import group_agencies
from corpus.models import ReportRow
from corpus.store import Store
from nianbao.checks.cross_year import cross_year_findings, replace_cross_year
from nianbao.model import Report


def _summaries(store: Store) -> list[dict]:
    with store.sessions() as s:
        return [{"id": rid, "agency": a, "region": r, "year": y} for rid, a, r, y in s.execute(
            select(ReportRow.id, ReportRow.agency, ReportRow.region, ReportRow.year))]


def agency_peers(store: Store, report_id: int) -> set[int]:
    """The ids of the stored reports of the same agency as `report_id` (itself included)."""
    for agency in group_agencies(_summaries(store)):
        ids = {r["id"] for r in agency.reports}
        if report_id in ids:
            return ids
    return set()


def apply_cross_year(store: Store, touched: Iterable[int] | None = None) -> dict[str, int]:
    """Run the cross-year rules on every agency holding a touched report (all when None) and
    store each later report whose cross-year findings changed.  Where two reports claim one
    agency-year, the one stored last stands for that year."""
    touched = set(touched) if touched is not None else None
    counts = {"agencies": 0, "pairs": 0, "findings": 0, "updated": 0}
    if touched is not None and not touched:
        return counts
    cache: dict[int, Report] = {}

    def load(rid: int) -> Report:
        if rid not in cache:
            cache[rid] = store.get_report(rid)
        return cache[rid]

    for agency in group_agencies(_summaries(store)):
        ids = {r["id"] for r in agency.reports}
        if touched is not None and not ids & touched:
            continue
        counts["agencies"] += 1
        years = {y: max(r["id"] for r in rs) for y, rs in agency.by_year().items()}
        for year, later_id in sorted(years.items()):
            earlier_id = years.get(year - 1)
            later = load(later_id)
            findings = []
            if earlier_id is not None:
                counts["pairs"] += 1
                findings = cross_year_findings(load(earlier_id), later, earlier_id, later_id)
            counts["findings"] += sum(1 for f in findings if f.severity != "info")
            if replace_cross_year(later, findings):
                store.save_report(later)
                counts["updated"] += 1
    return counts


def delete_report(store: Store, report_id: int) -> bool:
    """Delete a stored report and re-run the cross-year rules of its agency's other reports,
    so no finding cites a report that is gone.  False when there was no such report."""
    peers = agency_peers(store, report_id) - {report_id}
    if not store.delete_report(report_id):
        return False
    apply_cross_year(store, peers)
    return True
