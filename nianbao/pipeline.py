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
from nianbao.template.formats import PARTS, V2019, V2021, Part
from nianbao.template.labels import core

log = logging.getLogger(__name__)

OCR_CONFIDENT = 0.8  # an OCR cell below this character confidence is flagged


# --- stages ------------------------------------------------------------------------

def stage_structure(report: Report, doc: Document, settings: Settings) -> None:
    report.sections = find_sections(doc.lines, len(doc.text))
    report.meta = extract_meta(doc.lines, doc.text, report.sections)


def _content_start(doc: Document, part: Part, after: int) -> Line | None:
    """Where a table whose part heading was not found begins: the first line (after
    `after`) holding one of the table's own start markers."""
    for ln in doc.lines:
        if ln.start >= after and any(m in core(ln.text) for m in part.start_markers):
            return ln
    return None


def table_regions(report: Report, doc: Document) -> dict[str, tuple[list[Line], Line | None]]:
    """Each table's lines: its part, or from its own words when the heading is lost
    (then the line it was found at); a region ends where the next part or table begins."""
    starts: dict[str, tuple[int, Line | None]] = {}
    after = 0
    for part in (p for p in PARTS if p.table):
        sec = report.section(part.number)
        if sec is not None:
            starts[part.table] = (sec.start, None)
        else:
            found = _content_start(doc, part, after)
            if found is not None:
                starts[part.table] = (found.start, found)
        if part.table in starts:
            after = starts[part.table][0] + 1
    bounds = sorted({s.start for s in report.sections} | {st for st, _ in starts.values()})
    regions = {}
    for table, (start, found) in starts.items():
        end = next((b for b in bounds if b > start), len(doc.text))
        regions[table] = ([ln for ln in doc.lines if start <= ln.start < end], found)
    return regions


def stage_tables(report: Report, doc: Document, settings: Settings) -> None:
    """The three tables, each from its part (or, when the heading is lost, from its own words)."""
    regions = table_regions(report, doc)
    for part in (p for p in PARTS if p.table):
        lines, found = regions.get(part.table, ([], None))
        if found is not None:
            report.findings.append(Finding(
                "table.part_heading_missing", WARNING,
                f"未找到第{part.number}部分“{part.title}”的标题，已按表格内容定位（第{found.number}行起）",
                [], status="missing"))
        elif part.table not in regions:
            report.findings.append(Finding(
                "table.missing", WARNING,
                f"未找到表格“{part.title}”（第{part.number}部分），表格数字全部留空", [], status="missing"))
        if part.table == "review_litigation":
            report.meta.template = _report_template(report.table_templates, report.meta.year)
        hint = report.meta.template if part.table == "review_litigation" else None
        res = extract_table(part.table, doc.region_rows(lines), _text_of(lines), report.meta.year, hint,
                            settings.repair_max_combinations)
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


def stage_claims(report: Report, doc: Document, settings: Settings) -> None:
    from nlp.claims import extract_claims  # spaCy and jieba load here, on first use only

    report.claims = extract_claims(report)


def stage_statements(report: Report, doc: Document, settings: Settings) -> None:
    from nlp.classify import label, pair
    from nlp.statements import report_statements

    report.statements = pair(label(report_statements(report)))


def stage_ocr_confidence(report: Report, doc: Document, settings: Settings) -> None:
    """Cells read from OCR pages: their confidence, and a warning where a digit is uncertain."""
    if not doc.ocr_pages:
        return
    from nianbao.readers.ocr import confidence_in, suspects_in

    uncertain = []
    for cell in report.cells:
        page = doc.ocr_pages.get(cell.page) if cell.page else None
        if page is None or not cell.bbox:
            continue
        cell.confidence = confidence_in(page, cell.bbox)
        if cell.raw and ((cell.confidence is not None and cell.confidence < OCR_CONFIDENT)
                         or suspects_in(page, cell.bbox)):
            uncertain.append(cell.ref)
    if uncertain:
        report.findings.append(Finding(
            "ocr.low_confidence", WARNING,
            "以下单元格为扫描识别，字符置信度较低或经数字纠正，请核对原件：" + "、".join(uncertain),
            uncertain, status="failed"))


def stage_checks(report: Report, doc: Document, settings: Settings) -> None:
    run_checks(report)


STAGES: tuple[tuple[str, Callable[[Report, Document, Settings], None]], ...] = (
    ("structure", stage_structure),
    ("tables", stage_tables),
    ("ocr_confidence", stage_ocr_confidence),
    ("statements", stage_statements),
    ("claims", stage_claims),
    ("checks", stage_checks),
)


def process(data: bytes, filename: str = "report.txt", settings: Settings | None = None,
            progress: Callable[[str, float], None] | None = None) -> Report:
    """`progress(stage_name, fraction_done)`, when given, is called before each stage."""
    settings = settings or DEFAULT_SETTINGS
    doc = read(data, filename, settings)
    report = Report(source=doc.source, text=doc.text, parser_version=__version__)
    for number, (name, stage) in enumerate(STAGES):
        if progress is not None:
            progress(name, number / len(STAGES))
        try:
            stage(report, doc, settings)
        except Exception as exc:  # a stage failed on this report: record it, go on
            if settings.strict:
                raise
            log.exception("stage %s failed on %s", name, doc.source.filename)
            report.stage_errors.append(StageError(name, f"{type(exc).__name__}: {exc}"))
    return report
