"""Liveness: the service runs and which parser version answers."""

from __future__ import annotations

from fastapi import APIRouter

import nianbao

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok", "version": nianbao.__version__}
