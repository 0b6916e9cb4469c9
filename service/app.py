"""The FastAPI application: `create_app(settings, store, config)`, and `app` for
`uvicorn service.app:app` (made on first access, so importing this module touches nothing).

The app is thin: the store (corpus.store) keeps reports, cells, jobs and files; worker
processes (corpus.worker, started by `nianbao serve`) do the parsing.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import nianbao
from corpus.store import Store, StoreConfig
from nianbao.settings import Settings
from service import errors
from service.config import ServiceConfig
from service.limits import BodySizeLimit
from service.routers import exports, health, jobs, pages, reports

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, store: Store | None = None,
               config: ServiceConfig | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    config = config or ServiceConfig.from_env()
    if store is None:
        store = Store(StoreConfig.from_env())
    store.migrate()  # `alembic upgrade head`; nothing to do when the schema is current
    store.warm_up()
    docs_assets = _swagger_assets()
    app = FastAPI(
        docs_url=None if docs_assets else "/docs",
        title="nianbao",
        version=nianbao.__version__,
        description="解析并核查政府信息公开工作年度报告 (parse and check government information-disclosure "
                    "annual reports). Uploads are queued as jobs and parsed by worker processes.",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.config = config
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_file_bytes=settings.max_upload_bytes)
    app.include_router(health.router)
    app.include_router(reports.router)
    app.include_router(jobs.router)
    app.include_router(exports.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if docs_assets:
        _local_docs(app, docs_assets)
    return app


def _swagger_assets() -> Path | None:
    """Swagger UI shipped in a Python package (swagger-ui-bundle-v2), so /docs needs no CDN."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").exists() else None


def _local_docs(app: FastAPI, assets: Path) -> None:
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="nianbao · API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


def __getattr__(name: str):
    if name == "app":
        value = create_app()
        globals()["app"] = value
        return value
    raise AttributeError(name)
