"""Near-duplicate reports: a narrative part that repeats another year's or another agency's
text (the 2021 format names 内容雷同 as a fault).

Each narrative part (一 总体情况, 五 存在的主要问题及改进情况, 六 其他需要报告的事项) is
normalised (simplified characters, no whitespace or punctuation, every digit run -> "0",
the report's own agency name removed, so that last year's text with new numbers, or another
agency's text under a new name, still matches) and cut into character 5-grams.  Candidate
pairs come from MinHash with LSH banding (128 hashes, 32 bands of 4), and every candidate's
similarity is the exact Jaccard index of the two shingle sets; pairs at or above the
threshold are listed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from corpus.agencies import agency_key, normalize_name
from nianbao.model import Report

PARTS = {1: "总体情况", 5: "存在的主要问题及改进情况", 6: "其他需要报告的事项"}
SHINGLE = 5
MIN_CHARS = 60  # parts shorter than this (after normalising) are boilerplate, not compared
DEFAULT_THRESHOLD = 0.8
N_HASHES, BANDS = 128, 32
DUPLICATE_COLUMNS = ("part", "similarity", "relation", "report_a", "filename_a", "agency_a", "year_a",
                     "report_b", "filename_b", "agency_b", "year_b", "chars_a", "chars_b")

_DIGITS = re.compile(r"[0-9０-９]+([.．][0-9０-９]+)?")
_DROP = re.compile(r"[\s\u3000，。、；：？！“”‘’（）()《》【】〔〕,.;:?!\"'\[\]<>·—…-]+")


def normalize_text(text: str, agency: str | None = None) -> str:
    try:
        import zhconv

        text = zhconv.convert(text, "zh-cn")
    except Exception:
        pass
    if agency:
        for name in {agency, normalize_name(agency)}:
            if name:
                text = text.replace(name, "")
    text = _DIGITS.sub("0", text)
    return _DROP.sub("", text)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    if len(text) < k:
        return {text} if text else set()
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_RNG = np.random.default_rng(20211)
_A = _RNG.integers(1, 2**63 - 1, size=N_HASHES, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, size=N_HASHES, dtype=np.uint64)


def minhash(sh: set[str]) -> np.ndarray:
    h = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in sh],
                 dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (h[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(16)
    return mixed.min(axis=1)


@dataclass
class Part:
    report_id: int
    filename: str
    agency: str | None
    region: str | None
    year: int | None
    part: int
    shingles: set[str]
    chars: int


def report_parts(report: Report, report_id: int) -> list[Part]:
    out = []
    for number in PARTS:
        text = normalize_text(report.section_text(number), report.meta.agency)
        if len(text) < MIN_CHARS:
            continue
        out.append(Part(report_id, report.source.filename, report.meta.agency, report.meta.region,
                        report.meta.year, number, shingles(text), len(text)))
    return out


def _relation(a: Part, b: Part) -> str:
    same = a.agency and b.agency and agency_key(a.agency, a.region) == agency_key(b.agency, b.region)
    if same:
        return "same_agency_same_year" if a.year == b.year else "same_agency_other_year"
    return "other_agency"


def duplicate_pairs(parts: Iterable[Part], threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    by_part: dict[int, list[Part]] = {}
    for p in parts:
        by_part.setdefault(p.part, []).append(p)
    rows = []
    rows_per_band = N_HASHES // BANDS
    for number, items in sorted(by_part.items()):
        candidates: set[tuple[int, int]] = set()
        if len(items) <= 60:  # few enough to compare every pair exactly
            candidates = set(combinations(range(len(items)), 2))
        else:
            sigs = [minhash(p.shingles) for p in items]
            for band in range(BANDS):
                buckets: dict[bytes, list[int]] = {}
                for i, sig in enumerate(sigs):
                    buckets.setdefault(sig[band * rows_per_band:(band + 1) * rows_per_band].tobytes(), []).append(i)
                for members in buckets.values():
                    if 1 < len(members) <= 500:
                        candidates.update(combinations(members, 2))
        for i, j in sorted(candidates):
            a, b = items[i], items[j]
            if a.report_id == b.report_id:
                continue
            sim = jaccard(a.shingles, b.shingles)
            if sim < threshold:
                continue
            if (a.year or 0, a.report_id) > (b.year or 0, b.report_id):
                a, b = b, a
            rows.append({"part": f"{number} {PARTS[number]}", "similarity": round(sim, 4),
                         "relation": _relation(a, b), "report_a": a.report_id, "filename_a": a.filename,
                         "agency_a": a.agency, "year_a": a.year, "report_b": b.report_id,
                         "filename_b": b.filename, "agency_b": b.agency, "year_b": b.year,
                         "chars_a": a.chars, "chars_b": b.chars})
    rows.sort(key=lambda r: (-r["similarity"], r["part"], r["report_a"], r["report_b"]))
    return rows


def duplicates_of_reports(reports: Iterable[Report], threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """Near-duplicate narrative parts among reports in memory (e.g. `nianbao compare`, which parses
    folders without a store); `report_a`/`report_b` are then positions in `reports`."""
    parts: list[Part] = []
    for i, report in enumerate(reports):
        parts.extend(report_parts(report, i))
    return duplicate_pairs(parts, threshold)


def find_duplicates(store, threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """Near-duplicate narrative parts among every report in the store."""
    from sqlalchemy import select

    from corpus.models import ReportRow

    with store.sessions() as s:
        ids = list(s.scalars(select(ReportRow.id).order_by(ReportRow.id)))
    parts: list[Part] = []
    for rid in ids:
        report = store.get_report(rid)
        if report is not None:
            parts.extend(report_parts(report, rid))
    return duplicate_pairs(parts, threshold)


def write_duplicates_csv(rows: list[dict[str, Any]], path) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=DUPLICATE_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)
