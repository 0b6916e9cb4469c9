from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao import parse_file
from nianbao.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEED_IDS = [p.name[:3] for p in SEEDS]


def seed_path(seed_id: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(seed_id))


def expected(seed_id: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{seed_id}.json").read_text(encoding="utf-8"))


_CACHE: dict[str, object] = {}


def parsed(seed_id: str):
    if seed_id not in _CACHE:
        _CACHE[seed_id] = parse_file(seed_path(seed_id), Settings(strict=True))
    return _CACHE[seed_id]


@pytest.fixture(params=SEED_IDS)
def seed_id(request) -> str:
    return request.param
