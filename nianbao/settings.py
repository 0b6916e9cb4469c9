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
    # HTML pages above this are refused: a report page is well under 1 MB, and parsing costs
    # about 0.2 s and 10-40 MB of memory per MB of markup.
    max_html_bytes: int = 10 * 1024 * 1024
    # A stage that raises is recorded on the report; strict re-raises for debugging.
    strict: bool = False
    # Upper bound on placements tried when repairing one table by its rules.
    repair_max_combinations: int = 200_000

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        base = cls(
            max_pages=_env_int("NIANBAO_MAX_PAGES", cls.max_pages),
            max_upload_bytes=_env_int("NIANBAO_MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            max_html_bytes=_env_int("NIANBAO_MAX_HTML_BYTES", cls.max_html_bytes),
            strict=os.environ.get("NIANBAO_STRICT", "") not in ("", "0", "false"),
        )
        return replace(base, **overrides)


DEFAULT_SETTINGS = Settings()
