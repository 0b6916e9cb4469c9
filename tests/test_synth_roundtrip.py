"""Generated reports with random values that obey the rules come back exactly, in both export styles
and both versions of the format (including the hybrids)."""

from __future__ import annotations

import random

import pytest

from nianbao import parse_bytes
from nianbao.settings import Settings
from nianbao.synth import TextReportSpec, random_tables, render_text

COMBOS = [(a, b, style) for a in ("2021", "2019") for b in ("2021", "2019") for style in ("tabs", "cells")]


@pytest.mark.parametrize("active,applications,style", COMBOS)
def test_roundtrip(active, applications, style):
    for seed in range(5):
        rng = random.Random(hash((active, applications, style, seed)) & 0xFFFF)
        versions = {"active": active, "applications": applications}
        year = 2023 if applications == "2021" or active == "2021" else 2020
        versions["review_litigation"] = "2021" if year >= 2021 else "2019"
        tables = random_tables(rng, versions)
        spec = TextReportSpec(versions=versions, year=year, agency="测试县人民政府办公室")
        report = parse_bytes(render_text(tables, spec, style).encode("utf-8"), "g.txt", Settings(strict=True))
        assert report.table_templates == versions
        assert report.tables == tables
        assert not [f for f in report.findings if f.severity != "info"]
        assert report.meta.agency == "测试县人民政府办公室"
        assert report.meta.year == year
        assert report.meta.published == "2025-01-20"


def test_gbk_encoded_text_reads_the_same():
    tables = random_tables(random.Random(1))
    text = render_text(tables)
    a = parse_bytes(text.encode("utf-8"), "a.txt")
    b = parse_bytes(text.encode("gbk"), "b.txt")
    assert a.tables == b.tables == tables
    assert a.text == b.text
