"""What the DOCX and HTML reader tests share."""

from __future__ import annotations

from nianbao.errors import NianbaoError
from nianbao.settings import Settings

STRICT = Settings(strict=True)
COMBOS = [(a, b) for a in ("2021", "2019") for b in ("2021", "2019")]


def assert_one_line(err: NianbaoError) -> None:
    assert err.message.strip()
    assert "\n" not in err.message and "\r" not in err.message


def versions_for(active: str, applications: str) -> tuple[dict, int]:
    """The table versions of a report (and a year that fits them)."""
    year = 2023 if "2021" in (active, applications) else 2020
    return {"active": active, "applications": applications,
            "review_litigation": "2021" if year >= 2021 else "2019"}, year


def assert_cells_point_into_text(doc) -> None:
    for ln in doc.lines:
        assert doc.text[ln.start:ln.end] == ln.text
        for tok in ln.cells:
            assert doc.text[tok.start:tok.start + len(tok.text)] == tok.text
            assert tok.line == ln.number


def assert_generated_report_read(report, fmt: str, versions: dict, printed: dict, agency: str, year: int) -> None:
    """A generated report read back: its format, table versions and printed values, all six
    parts, its meta, and nothing but info findings."""
    assert report.source.format == fmt
    assert report.table_templates == versions
    assert report.tables == printed
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert (report.meta.agency, report.meta.year, report.meta.published) == (agency, year, "2025-01-20")
    assert not [f for f in report.findings if f.severity != "info"]
