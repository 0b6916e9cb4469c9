"""Service benchmark: `nianbao serve` on a free loopback port with its worker processes.

    .venv/bin/python benchmarks/service.py [--database-url postgresql://…] [--json OUT]

Targets (exit 1 when one is missed):
  * an upload is accepted (202 with its job) in under 200 ms;
  * GET /v1/reports/{id} has p95 under 50 ms with 1,000 reports stored;
  * 100 concurrent uploads of distinct files are all processed, none lost.
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.local_server import local_server  # noqa: E402  (the repository first: this file is service.py too)

SEED = REPO / "tests" / "fixtures" / "seeds" / "004_af208e539dc26293.txt"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def variant(n: int, tag: str) -> bytes:
    """The seed with a unique trailing line: a distinct file (and report) per n."""
    return SEED.read_bytes() + f"\n附注：基准测试副本 {tag}-{n}\n".encode("utf-8")


def seed_store(data_dir: str, database_url: str | None, count: int) -> list[int]:
    """Store `count` reports directly (parse once, vary the identity): the 1,000-report store."""
    from corpus.store import Store, StoreConfig
    from nianbao import parse_bytes

    store = Store(StoreConfig(data_dir=data_dir, database_url=database_url))
    store.migrate()
    base = parse_bytes(SEED.read_bytes(), SEED.name)
    ids = []
    for i in range(count):
        r = replace(base, source=replace(base.source, sha256=f"{i:064x}", filename=f"bench-{i}.txt"),
                    meta=replace(base.meta, agency=f"{base.meta.agency or '机关'}{i}"))
        ids.append(store.save_report(r))
    store.close()
    return ids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in a temp dir)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--gets", type=int, default=500)
    ap.add_argument("--concurrent", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for the concurrent jobs")
    ap.add_argument("--json", default=None, help="write the figures here as JSON")
    args = ap.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="nianbao-bench-")
    data_dir = os.path.join(tmp, "data")
    tag = f"{time.time():.0f}"
    t0 = time.perf_counter()
    ids = seed_store(data_dir, args.database_url, args.reports)
    seeded = time.perf_counter() - t0

    results: dict = {"reports_stored": len(ids), "seed_seconds": round(seeded, 2)}
    ok = True
    with local_server(data_dir, database_url=args.database_url, workers=args.workers,
                      log=os.path.join(tmp, "server.log")) as server:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            time.sleep(3)  # let the worker processes finish starting (imports) before timing

            # 1. upload accepted (one at a time)
            accept = []
            for n in range(20):
                t = time.perf_counter()
                r = c.post("/v1/reports", files={"file": (f"single-{n}.txt", variant(n, tag + "s"))})
                accept.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 202, r.text
            results["upload_accept_ms"] = {"n": len(accept), "median": round(statistics.median(accept), 1),
                                           "p95": round(pct(accept, 95), 1), "max": round(max(accept), 1)}
            ok &= max(accept) < 200

            # 2. GET one report, 1,000 stored
            rng = random.Random(7)
            for rid in ids[:20]:  # warm up connections and caches
                c.get(f"/v1/reports/{rid}")
            lat = []
            for _ in range(args.gets):
                rid = rng.choice(ids)
                t = time.perf_counter()
                r = c.get(f"/v1/reports/{rid}")
                lat.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
            results["get_report_ms"] = {"n": len(lat), "median": round(statistics.median(lat), 2),
                                        "p95": round(pct(lat, 95), 2), "max": round(max(lat), 2),
                                        "bytes": len(r.content)}
            ok &= pct(lat, 95) < 50

        # 3. concurrent uploads, all processed
        def send(n: int) -> tuple[str, float]:
            with httpx.Client(base_url=server.base, timeout=60) as cc:
                t = time.perf_counter()
                r = cc.post("/v1/reports", files={"file": (f"many-{n}.txt", variant(n, tag + "c"))})
                assert r.status_code == 202, r.text
                return r.json()["id"], (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=args.concurrent) as pool:
            sent = list(pool.map(send, range(args.concurrent)))
        posted = time.perf_counter() - t
        jobs = {job_id for job_id, _ in sent}
        status: dict[str, str] = {}
        with httpx.Client(base_url=server.base, timeout=30) as c:
            deadline = time.monotonic() + args.timeout
            pending = set(jobs)
            while pending and time.monotonic() < deadline:
                for job_id in list(pending):
                    s = c.get(f"/v1/jobs/{job_id}").json()["status"]
                    if s in ("done", "failed"):
                        status[job_id] = s
                        pending.discard(job_id)
                if pending:
                    time.sleep(0.5)
            total = c.get("/v1/reports", params={"limit": 1}).json()["total"]
        elapsed = time.perf_counter() - t
        done = sum(1 for s in status.values() if s == "done")
        results["concurrent_uploads"] = {
            "n": args.concurrent, "distinct_jobs": len(jobs), "done": done,
            "failed": sum(1 for s in status.values() if s == "failed"), "lost": args.concurrent - len(status),
            "post_all_seconds": round(posted, 2), "accept_p95_ms": round(pct([m for _, m in sent], 95), 1),
            "all_processed_seconds": round(elapsed, 2), "reports_after": total,
            "expected_reports": len(ids) + 20 + args.concurrent}
        ok &= done == args.concurrent and len(jobs) == args.concurrent
        ok &= total == len(ids) + 20 + args.concurrent
    results["backend"] = "postgresql" if args.database_url else "sqlite"
    results["workers"] = args.workers or os.cpu_count()
    results["targets_met"] = bool(ok)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
