"""Settings resolved once and passed down (pdfplumber style): no stage reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    max_pages: int = 300
    max_upload_bytes: int = 50 * 1024 * 1024
    # A stage that raises is recorded on the report; strict re-raises for debugging.
    strict: bool = False
    # Upper bound on placements tried when repairing one table by its rules.
    repair_max_combinations: int = 200_000

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        base = cls(
            max_pages=_env_int("NIANBAO_MAX_PAGES", cls.max_pages),
            max_upload_bytes=_env_int("NIANBAO_MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            strict=os.environ.get("NIANBAO_STRICT", "") not in ("", "0", "false"),
        )
        return replace(base, **overrides)


DEFAULT_SETTINGS = Settings()
