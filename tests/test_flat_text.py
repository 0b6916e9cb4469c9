"""Text whose table cells were run together without separators (how crawled web pages
often look): the digits of each row are split the only way the rules allow."""

from __future__ import annotations

import random

import pytest

from nianbao import parse_bytes
from nianbao.settings import Settings
from nianbao.synth import TextReportSpec, random_tables, render_text
from nianbao.tables.text_rows import Token, split_run


def test_a_row_of_seven_is_split_by_its_total():
    splits = split_run(Token("801000081", 0, 1), 7, ["count"] * 7)
    assert ["80", "1", "0", "0", "0", "0", "81"] in [[t.text for t in s] for s in splits]
    assert all(not t.text.startswith("0") or t.text == "0" for s in splits for t in s)


def test_spaces_and_signs_are_boundaries():
    splits = [[t.text for t in s] for s in split_run(Token("230 000023", 0, 1), 7, ["count"] * 7)]
    assert ["23", "0", "0", "0", "0", "0", "23"] in splits
    assert all(s[1] == "0" or s[0] == "2" for s in splits)
    assert [[t.text for t in s] for s in split_run(Token("61-20", 0, 1), 2, ["count", "signed"])] == [["61", "-20"]]
    assert split_run(Token("61-20", 0, 1), 2, ["count", "count"]) == []


def test_offsets_point_at_the_digits():
    (split,) = [s for s in split_run(Token("5949.088667", 40, 3), 1, ["amount"])]
    assert (split[0].start, split[0].text) == (40, "5949.088667")


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_generated_flat_reports(version):
    checked = ambiguous = 0
    for seed in range(6):
        rng = random.Random(seed * 31 + int(version))
        versions = {"active": version, "applications": version, "review_litigation": version}
        tables = random_tables(rng, versions)
        text = render_text(tables, TextReportSpec(versions=versions, year=2023 if version == "2021" else 2020),
                           "flat")
        assert "\t" not in text and text.count("\n") == 2
        report = parse_bytes(text.encode(), "flat.txt", Settings(strict=True))
        assert report.table_templates == versions
        # every value given is right; what the rules cannot settle is left empty and said so
        for table in ("active", "applications", "review_litigation"):
            for key, value in tables[table].items():
                got = report.tables[table][key]
                if got is None:
                    ambiguous += 1
                    assert any(f"{table}.{key}" in f.cells for f in report.findings
                               if f.rule == "repair.ambiguous"), key
                else:
                    checked += 1
                    assert got == value, key
        assert not [f for f in report.findings if f.severity == "error"]
    assert checked > 10 * ambiguous  # the rules settle nearly everything
