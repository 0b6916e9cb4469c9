"""Service configuration from the environment (the parser's own Settings stay in nianbao)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceConfig:
    # When set, POST and DELETE need `Authorization: Bearer <token>`.
    token: str | None = None
    # When set, reads need a bearer token too (this one or the write token).
    read_token: str | None = None
    # Worker processes started by `nianbao serve` (default: as many as cores).
    workers: int | None = None

    @classmethod
    def from_env(cls) -> "ServiceConfig":
        raw = (os.environ.get("NIANBAO_WORKERS") or "").strip()
        return cls(token=os.environ.get("NIANBAO_TOKEN") or None,
                   read_token=os.environ.get("NIANBAO_READ_TOKEN") or None,
                   workers=int(raw) if raw.isdigit() else None)
