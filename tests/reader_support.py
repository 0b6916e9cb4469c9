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
