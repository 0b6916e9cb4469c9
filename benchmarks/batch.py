"""Batch throughput: `nianbao batch` over generated text-PDF reports.

    .venv/bin/python benchmarks/batch.py [--sizes 100,200,400] [--workers 2] [--dask-size 200]

Reports are generated once (nianbao.synth values and text, drawn as text PDFs with reportlab:
benchmarks/textpdf.py) and cached under benchmarks/.cache/batch/.  For each size n a fresh
store (SQLite in a temporary data dir) receives the first n reports through
`corpus.batch.Batch` with `--workers` local processes; then the same is done on a Dask
LocalCluster of `--workers` single-thread worker processes (loopback only).  Measured: wall
time (worker start and warm-up included), reports per minute, seconds per report, peak RSS
of the worker processes early and late in the run, and whether every table came out exactly
as generated.  Writes benchmarks/results/batch.md and batch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

CACHE = HERE / ".cache" / "batch"
RESULTS = HERE / "results"
V21 = {"active": "2021", "applications": "2021", "review_litigation": "2021"}
V19 = {"active": "2019", "applications": "2019", "review_litigation": "2019"}
PLACES = ("鄂尔多斯市", "包头市", "呼和浩特市", "赤峰市", "通辽市", "乌海市", "广州市", "深圳市", "珠海市", "汕头市",
          "佛山市", "韶关市", "湛江市", "肇庆市", "江门市", "茂名市", "惠州市", "梅州市", "汕尾市", "河源市",
          "阳江市", "清远市", "东莞市", "中山市", "潮州市")
OFFICES = ("交通运输局", "财政局", "教育局", "民政局", "司法局", "审计局", "统计局", "应急管理局", "水务局", "林业局")


def generate(n: int) -> list[Path]:
    """The first n reports (made once, cached): 250 agencies x 4 years, 2021 format from 2021."""
    from nianbao.synth.text import TextReportSpec, render_text
    from nianbao.synth.values import random_tables
    from textpdf import text_to_pdf

    folder = CACHE / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        pdf, truth = folder / f"r{i:05d}.pdf", folder / f"r{i:05d}.json"
        if not pdf.exists() or not truth.exists():
            rng = random.Random(i)
            agency = PLACES[(i // 4) % len(PLACES)] + OFFICES[(i // 4 // len(PLACES)) % len(OFFICES)]
            year = 2020 + i % 4
            versions = V21 if year >= 2021 else V19
            tables = random_tables(rng, versions, scale=rng.choice((20, 60, 400)))
            spec = TextReportSpec(agency=agency, year=year, versions=versions, published=f"{year + 1}年1月20日")
            truth.write_text(json.dumps({"tables": tables, "agency": agency, "year": year}, ensure_ascii=False))
            pdf.write_bytes(text_to_pdf(render_text(tables, spec, "tabs")))
        paths.append(pdf)
    return paths


def stage(paths: list[Path], n: int) -> Path:
    """A folder holding exactly the first n reports (symlinks)."""
    folder = Path(tempfile.mkdtemp(prefix=f"nianbao-bench-{n}-")) / "in"
    folder.mkdir()
    for p in paths[:n]:
        (folder / p.name).symlink_to(p)
    return folder


def accuracy(store, paths: dict[str, Path]) -> tuple[int, int]:
    good = total = 0
    for s in store.list_reports(limit=100000)[0]:
        report = store.get_report(s["id"])
        truth = json.loads(paths[report.source.filename].with_suffix(".json").read_text())
        total += 1
        good += all(report.tables.get(t) == v for t, v in truth["tables"].items())
    return good, total


def run_once(paths: list[Path], n: int, workers: int, dask_client=None) -> dict:
    from corpus.batch import Batch
    from corpus.store import Store, StoreConfig

    folder = stage(paths, n)
    store = Store(StoreConfig(data_dir=str(folder.parent / "data")))
    t0 = time.perf_counter()
    result = Batch(store, workers=workers, dask=dask_client, progress=None).run([str(folder)])
    wall = time.perf_counter() - t0
    files = result.files
    rss = [f["peak_rss_mb"] for f in files if f["peak_rss_mb"]]
    q = max(1, len(rss) // 4)
    parse = sorted(f["seconds"] for f in files if f["seconds"] is not None)
    good, total = accuracy(store, {p.name: p for p in paths[:n]})
    store.close()
    return {"n": n, "executor": result.executor, "wall_s": round(wall, 2),
            "reports_per_min": round(n / wall * 60, 1), "s_per_report": round(wall / n, 4),
            "parse_s_median": round(parse[len(parse) // 2], 3) if parse else None,
            "parse_s_p95": round(parse[int(len(parse) * 0.95)], 3) if parse else None,
            "peak_rss_mb_first_quarter": max(rss[:q]) if rss else None,
            "peak_rss_mb_last_quarter": max(rss[-q:]) if rss else None,
            "counts": result.counts, "cross_year": result.cross_year, "tables_exact": f"{good}/{total}"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,200,400")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dask-size", type=int, default=200)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--name", default="batch", help="results file name (benchmarks/results/NAME.md, .json)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    paths = generate(max(sizes + [args.dask_size]))
    gen_s = time.perf_counter() - t0
    runs = []
    for n in sizes:
        r = run_once(paths, n, args.workers)
        print(json.dumps(r, ensure_ascii=False), flush=True)
        runs.append(r)
    dask_run = None
    if not args.no_dask:
        import distributed

        t1 = time.perf_counter()
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            up = time.perf_counter() - t1
            dask_run = run_once(paths, args.dask_size, args.workers, client)
            dask_run["cluster_start_s"] = round(up, 2)
        print(json.dumps(dask_run, ensure_ascii=False), flush=True)
    # linear fit t = a + b n over the local runs
    xs, ys = [r["n"] for r in runs], [r["wall_s"] for r in runs]
    if len(xs) >= 2:
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        a = my - b * mx
    else:
        a, b = 0.0, ys[0] / xs[0]
    local_same = next((r for r in runs if r["n"] == args.dask_size), None)
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                       "load_average_before": [round(x, 1) for x in load_before],
                       "load_average_after": [round(x, 1) for x in os.getloadavg()]},
           "workers": args.workers, "generate_s": round(gen_s, 1), "runs": runs, "dask": dask_run,
           "fit": {"fixed_s": round(a, 2), "per_report_s": round(b, 4),
                   "projected_1000_s": round(a + 1000 * b, 1)},
           "dask_vs_local": round(dask_run["wall_s"] / local_same["wall_s"], 3)
           if dask_run and local_same else None}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / f"{args.name}.md").write_text(render(out))
    print(render(out))
    return 0


def render(out: dict) -> str:
    m = out["machine"]
    lines = ["# Batch throughput (`nianbao batch`)", "",
             f"Generated text-PDF reports (nianbao.synth values, `tabs` text drawn by reportlab, 2 pages each; "
             f"2021 and 2019 formats), {out['workers']} local worker processes, {m['cpus']} CPUs, "
             f"Python {m['python']}.  Command: `.venv/bin/python benchmarks/batch.py`.  Wall time includes "
             "starting the workers and loading the parser in each (a few seconds), hashing, storing "
             "into SQLite and the cross-year pass.  Load average (1/5/15 min) before the run "
             f"{m['load_average_before']}, after {m['load_average_after']}: other work shared the machine "
             "when the load exceeds the CPU count, so times are upper bounds.", "",
             "| reports | executor | wall (s) | reports/min | s/report (wall) | parse s median / p95 | "
             "peak RSS per worker, first / last quarter (MB) | tables exact |",
             "|---|---|---|---|---|---|---|---|"]
    for r in out["runs"] + ([out["dask"]] if out.get("dask") else []):
        lines.append(f"| {r['n']} | {r['executor']} | {r['wall_s']} | {r['reports_per_min']} | {r['s_per_report']} | "
                     f"{r['parse_s_median']} / {r['parse_s_p95']} | {r['peak_rss_mb_first_quarter']} / "
                     f"{r['peak_rss_mb_last_quarter']} | {r['tables_exact']} |")
    fit = out["fit"]
    lines += ["", f"Linear fit over the local runs: wall ≈ {fit['fixed_s']} s + {fit['per_report_s']} s × n; "
                  f"1,000 reports ≈ **{fit['projected_1000_s']} s** "
                  f"({'within' if fit['projected_1000_s'] <= 600 else 'over'} the 10-minute target)."]
    if out.get("dask"):
        d = out["dask"]
        lines += ["", f"Dask LocalCluster ({out['workers']} worker processes, 1 thread each, 127.0.0.1; started in "
                      f"{d['cluster_start_s']} s, not counted): {d['wall_s']} s for {d['n']} reports, "
                      f"{out['dask_vs_local']}× the local run of the same size (target ≤ 1.2×)."]
    lines += ["", "Memory: the peak RSS of a worker is read (ru_maxrss) after each file; \"first quarter\" is the "
                  "highest value over the first quarter of the files, \"last quarter\" over the last: equal or "
                  "close means memory stays flat as the batch goes on.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
