"""The cross-year rules over the stored corpus: each agency's reports of consecutive years.

The rules themselves (nianbao.checks.cross_year) compare two reports; here they run against
the store, after a batch, after every report a service worker stores, and after a report is
deleted (its neighbour's findings that cited it go).  Findings are kept with the later report.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from corpus.agencies import group_agencies, region_key
from corpus.models import ReportRow
from corpus.store import Store
from nianbao.checks.cross_year import cross_year_findings, replace_cross_year
from nianbao.model import Report

NEAR_LIMIT = 50  # up to this many touched reports, only their neighbourhood is loaded


def _summaries(store: Store, near: Iterable[int] | None = None) -> list[dict]:
    """Every stored report's (id, agency, region, year); with `near` (report ids), only those
    that can share an agency with one of them in a neighbouring year: the years around theirs,
    and the same place or none known (so one upload does not cluster the whole corpus)."""
    q = select(ReportRow.id, ReportRow.agency, ReportRow.region, ReportRow.year)
    with store.sessions() as s:
        if near is None:
            return [{"id": rid, "agency": a, "region": r, "year": y} for rid, a, r, y in s.execute(q)]
        mine = list(s.execute(q.where(ReportRow.id.in_(list(near)))))
        years = {y + d for _, _, _, y in mine if y is not None for d in (-1, 0, 1)}
        places = {region_key(r, a) for _, a, r, _ in mine}
        rows = s.execute(q.where(ReportRow.year.in_(sorted(years)))) if years else []
        return [{"id": rid, "agency": a, "region": r, "year": y} for rid, a, r, y in rows
                if not region_key(r, a) or region_key(r, a) in places or "" in places]


def agency_peers(store: Store, report_id: int) -> set[int]:
    """The ids of the stored reports of the same agency as `report_id` (itself included)."""
    for agency in group_agencies(_summaries(store, [report_id])):
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

    # a few reports (an upload): only their neighbourhood is clustered; a batch: everything
    near = touched if touched is not None and len(touched) <= NEAR_LIMIT else None
    for agency in group_agencies(_summaries(store, near)):
        ids = {r["id"] for r in agency.reports}
        if touched is not None and not ids & touched:
            continue
        counts["agencies"] += 1
        years = {y: max(r["id"] for r in rs) for y, rs in agency.by_year().items()}
        if near is not None:  # only the pairs a touched report is in: its year's and the next one's
            mine = {r["year"] for r in agency.reports if r["id"] in touched and r["year"] is not None}
            years_to_check = {y + d for y in mine for d in (0, 1)}
        for year, later_id in sorted(years.items()):
            if near is not None and year not in years_to_check:
                continue  # its earlier year was not loaded
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
