"""The ordered stages: process(bytes, filename, settings) -> Report.

Each stage is a function over the report and fills only what it names.  A stage
that raises is recorded in `Report.stage_errors` (status "partial") and the rest
still runs; `Settings.strict` re-raises for debugging.  Unusable input raises a
`NianbaoError` before any stage runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from nianbao import __version__
from nianbao.checks import run_checks
from nianbao.model import TABLE_NAMES, WARNING, Finding, Report, StageError
from nianbao.readers.dispatch import Document, read
from nianbao.readers.text import Line
from nianbao.settings import DEFAULT_SETTINGS, Settings
from nianbao.structure import extract_meta, find_sections
from nianbao.tables.extract import extract_table
from nianbao.template.formats import PARTS, V2019, V2021

log = logging.getLogger(__name__)


# --- stages ------------------------------------------------------------------------

def stage_structure(report: Report, doc: Document, settings: Settings) -> None:
    report.sections = find_sections(doc.lines, len(doc.text))
    report.meta = extract_meta(doc.lines, doc.text, report.sections)


def _section_lines(report: Report, doc: Document, number: int) -> list[Line] | None:
    sec = report.section(number)
    if sec is None:
        return None
    # The heading line too: in run-together text it also holds the table.
    return [ln for ln in doc.lines if sec.start <= ln.start < sec.end]


def stage_tables(report: Report, doc: Document, settings: Settings) -> None:
    versions: dict[str, str] = {}
    for part in PARTS:
        if part.table is None or part.table == "review_litigation":
            continue
        lines = _section_lines(report, doc, part.number)
        if lines is None:
            report.findings.append(Finding("table.missing", WARNING,
                                           f"未找到表格“{part.title}”所在的第{part.number}部分，表格数字全部留空",
                                           [], status="missing"))
            lines = []
        res = extract_table(part.table, doc.region_rows(lines), _text_of(lines), report.meta.year, None,
                            settings.repair_max_combinations)
        _store(report, res)
        versions[part.table] = res.version
    report.meta.template = _report_template(versions, report.meta.year)
    lines = _section_lines(report, doc, 4)
    if lines is None:
        report.findings.append(Finding("table.missing", WARNING,
                                       "未找到表格“政府信息公开行政复议、行政诉讼情况”所在的第4部分，表格数字全部留空",
                                       [], status="missing"))
        lines = []
    res = extract_table("review_litigation", doc.region_rows(lines), _text_of(lines), report.meta.year,
                        report.meta.template, settings.repair_max_combinations)
    _store(report, res)
    report.table_templates = {t: report.table_templates[t] for t in TABLE_NAMES if t in report.table_templates}


def _text_of(lines: list[Line]) -> str:
    return "\n".join(ln.text for ln in lines)


def _store(report: Report, res) -> None:
    report.table_templates[res.table] = res.version
    report.tables[res.table] = res.values
    report.cells.extend(res.cells)
    report.findings.extend(res.findings)


def _report_template(versions: dict[str, str], year: int | None) -> str:
    """The format of the report as a whole: the applications table decides, the year breaks ties."""
    vs = set(versions.values())
    if len(vs) == 1:
        return vs.pop()
    if year is not None:
        return V2021 if year >= 2021 else V2019
    return versions.get("applications", V2021)


def stage_checks(report: Report, doc: Document, settings: Settings) -> None:
    run_checks(report)


STAGES: tuple[tuple[str, Callable[[Report, Document, Settings], None]], ...] = (
    ("structure", stage_structure),
    ("tables", stage_tables),
    ("checks", stage_checks),
)


def process(data: bytes, filename: str = "report.txt", settings: Settings | None = None) -> Report:
    settings = settings or DEFAULT_SETTINGS
    doc = read(data, filename, settings)
    report = Report(source=doc.source, text=doc.text, parser_version=__version__)
    for name, stage in STAGES:
        try:
            stage(report, doc, settings)
        except Exception as exc:  # a stage failed on this report: record it, go on
            if settings.strict:
                raise
            log.exception("stage %s failed on %s", name, doc.source.filename)
            report.stage_errors.append(StageError(name, f"{type(exc).__name__}: {exc}"))
    return report
