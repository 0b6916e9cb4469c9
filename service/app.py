"""The FastAPI application: `create_app(settings)`, and `app` for `uvicorn service.app:app`."""

from __future__ import annotations

from fastapi import FastAPI

import nianbao
from nianbao.settings import Settings
from service import errors
from service.limits import BodySizeLimit
from service.routers import health, reports


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="nianbao",
        version=nianbao.__version__,
        description="解析并核查政府信息公开工作年度报告 (parse and check government information-disclosure annual reports)",
    )
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_file_bytes=settings.max_upload_bytes)
    app.include_router(health.router)
    app.include_router(reports.router)
    return app


app = create_app()
