"""Random table values that obey every rule of the format (known truth for tests and benchmarks)."""

from __future__ import annotations

import random

from nianbao.template.formats import (
    AMOUNT,
    APPLICANT_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SIGNED,
    table_format,
)

Tables = dict[str, dict[str, int | float | None]]


def _small(rng: random.Random, zero_share: float, high: int) -> int:
    return 0 if rng.random() < zero_share else rng.randint(1, high)


def random_active(rng: random.Random, version: str) -> dict[str, int | float]:
    fmt = table_format("active", version)
    out: dict[str, int | float] = {}
    for key in fmt.keys:
        col = fmt.column(key)
        if col.kind == AMOUNT:
            out[key] = round(rng.uniform(0, 5000), rng.choice((0, 1, 2, 4, 6))) if rng.random() > 0.3 else 0
            if isinstance(out[key], float) and out[key].is_integer():
                out[key] = int(out[key])
        elif col.kind == SIGNED:
            out[key] = rng.randint(-50, 50)
        else:
            out[key] = _small(rng, 0.3, rng.choice((9, 99, 9999, 99999)))
    return out


def random_applications(rng: random.Random, version: str, scale: int = 40,
                        zero_share: float = 0.6) -> dict[str, int]:
    """new + carried_over = results_total + carried_forward in every column, rows summed."""
    fmt = table_format("applications", version)
    rows = [r.key for r in fmt.rows]
    results = rows[2:-2]
    out: dict[str, int] = {}
    for c in APPLICANT_KEYS:
        col_results = {r: _small(rng, zero_share, max(1, scale // 4)) for r in results}
        done = sum(col_results.values())
        forward = _small(rng, 0.7, max(1, scale // 10))
        carried = _small(rng, 0.7, max(1, min(done + forward, scale // 10)))
        carried = min(carried, done + forward)
        new = done + forward - carried
        for r, v in col_results.items():
            out[f"{r}.{c}"] = v
        out[f"results_total.{c}"] = done
        out[f"carried_forward.{c}"] = forward
        out[f"carried_over.{c}"] = carried
        out[f"new_received.{c}"] = new
    for r in rows:
        out[f"{r}.total"] = sum(out[f"{r}.{c}"] for c in APPLICANT_KEYS)
    return out


def random_review(rng: random.Random, zero_share: float = 0.6) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in REVIEW_GROUPS:
        parts = {c.key: _small(rng, zero_share, 12) for c in REVIEW_COLUMNS[:-1]}
        for k, v in parts.items():
            out[f"{g.key}.{k}"] = v
        out[f"{g.key}.total"] = sum(parts.values())
    return out


def random_tables(rng: random.Random, versions: dict[str, str] | None = None, **kw) -> Tables:
    versions = versions or {"active": "2021", "applications": "2021", "review_litigation": "2021"}
    return {
        "active": random_active(rng, versions["active"]),
        "applications": random_applications(rng, versions["applications"], **kw),
        "review_litigation": random_review(rng),
    }
