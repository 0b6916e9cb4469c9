"""Generated reports of two agencies over three years, with known cross-year truth."""

from __future__ import annotations

import random
from pathlib import Path

from nianbao.synth.text import TextReportSpec, render_text
from nianbao.synth.values import random_tables
from nianbao.template.formats import APPLICANT_KEYS

COLUMNS = (*APPLICANT_KEYS, "total")
YEARS = (2021, 2022, 2023)
# Agency A changes its name a little each year; its applications carry over correctly.
AGENCY_A = {2021: "鄂尔多斯市交通运输局", 2022: "鄂尔多斯市交通局", 2023: "鄂爾多斯市交通運輸局"}
AGENCY_B = {2021: "鄂尔多斯市财政局", 2022: "鄂尔多斯市财政局", 2023: "鄂尔多斯市 财政局"}


def _chain_active(prev: dict, cur: dict) -> None:
    for row in ("art20_1.rules", "art20_1.normative_documents"):
        before = prev[f"{row}.in_force"]
        issued = cur[f"{row}.issued"]
        cur[f"{row}.repealed"] = min(cur[f"{row}.repealed"], before + issued)
        cur[f"{row}.in_force"] = before + issued - cur[f"{row}.repealed"]


def _carry(prev: dict, cur: dict) -> None:
    for c in APPLICANT_KEYS:
        cur[f"carried_over.{c}"] = prev[f"carried_forward.{c}"]
        new = cur[f"results_total.{c}"] + cur[f"carried_forward.{c}"] - cur[f"carried_over.{c}"]
        if new < 0:
            cur[f"carried_forward.{c}"] -= new
            new = 0
        cur[f"new_received.{c}"] = new
    for r in ("new_received", "carried_over", "carried_forward"):
        cur[f"{r}.total"] = sum(cur[f"{r}.{c}"] for c in APPLICANT_KEYS)


def agency_series(seed: int, names: dict[int, str], carry: bool) -> dict[int, dict]:
    rng = random.Random(seed)
    out: dict[int, dict] = {}
    for year in YEARS:
        tables = random_tables(rng, scale=60, zero_share=0.3)
        if year - 1 in out:
            _chain_active(out[year - 1]["active"], tables["active"])
            if carry:
                _carry(out[year - 1]["applications"], tables["applications"])
        out[year] = tables
    return out


def write_reports(folder: Path, seed: int = 7) -> dict:
    """Six text reports; returns {"files": {(agency, year): path}, "tables": ..., "expected": set of
    (agency, later year, column) where carried_over(y) != carried_forward(y-1)}."""
    folder.mkdir(parents=True, exist_ok=True)
    series = {"A": agency_series(seed, AGENCY_A, carry=True), "B": agency_series(seed + 1, AGENCY_B, carry=False)}
    names = {"A": AGENCY_A, "B": AGENCY_B}
    files, expected = {}, set()
    for who, by_year in series.items():
        for year, tables in by_year.items():
            spec = TextReportSpec(agency=names[who][year], year=year, published=f"{year + 1}年1月20日",
                                  narrative=f"{names[who][year]}全年主动公开政府信息，编号{who}{year}。")
            path = folder / f"{who}_{year}.txt"
            path.write_text(render_text(tables, spec, "tabs"), encoding="utf-8")
            files[(who, year)] = path
            if year - 1 in by_year:
                prev = by_year[year - 1]["applications"]
                for c in COLUMNS:
                    if tables["applications"][f"carried_over.{c}"] != prev[f"carried_forward.{c}"]:
                        expected.add((who, year, c))
    return {"files": files, "tables": series, "expected": expected}


def crash_task(path, data, overrides, settings=None):
    """parse_task, except that a file whose name holds "crash" kills its worker process."""
    import os

    from corpus.batch import parse_task

    if "crash" in Path(path).name:
        os._exit(3)
    return parse_task(path, data, overrides, settings)
