"""Layout-aware table recovery from PDFs with known truth: generated reports (DOCX with real
merged cells rendered by LibreOffice), ruled, unruled and partly ruled, narrow and wide,
tables split over pages with and without a repeated header, blank cells."""

from __future__ import annotations

import json

import pytest

from nianbao import parse_file
from nianbao.settings import Settings
from nianbao.synth.corpus import generate

N = 8


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    generate(out, N, seed=5, formats=("pdf",))
    cases = []
    for truth_path in sorted(out.glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        report = parse_file(truth_path.with_suffix(".pdf"), Settings(strict=True))
        cases.append((truth, report))
    assert len(cases) == N
    return cases


def test_the_set_covers_the_hard_layouts(generated):
    options = [t["options"] for t, _ in generated]
    assert {o["rules"] for o in options} == {True, False, "partial"}
    assert {o["widths"] for o in options} == {"normal", "narrow", "wide"}
    spans = [len(t["meta"]["pdf_layout"]["tables"]["applications"]["pages"]) for t, _ in generated]
    assert max(spans) >= 2  # table 三 runs over a page break


def test_every_cell_is_right(generated):
    for truth, report in generated:
        assert report.table_templates == truth["table_templates"], truth["options"]
        for table, values in truth["tables"].items():
            assert report.tables[table] == values, (table, truth["options"])


def test_no_rule_is_broken_and_nothing_is_inferred(generated):
    for truth, report in generated:
        assert not [f for f in report.findings if f.severity == "error"]
        assert not [c for c in report.cells if c.origin == "inferred"]


def test_cells_keep_page_and_box(generated):
    for truth, report in generated:
        assert report.source.format == "pdf-text"
        for cell in report.cells:
            assert cell.origin == "layout"
            assert 1 <= cell.page <= report.source.pages
            x0, top, x1, bottom = cell.bbox
            assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 850
            if cell.raw and cell.start is not None:
                assert report.text[cell.start:cell.end] == cell.raw


def test_running_page_numbers_are_not_in_the_text(generated):
    for truth, report in generated:
        for n in range(1, report.source.pages + 1):
            assert f"- {n} -" not in report.text


def test_meta(generated):
    for truth, report in generated:
        assert report.meta.agency == truth["meta"]["agency"]
        assert report.meta.year == truth["meta"]["year"]
        assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
