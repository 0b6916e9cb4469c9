"""Fixtures and helpers for the service and store tests: one store per test, on SQLite
(a fresh data directory) and on the real PostgreSQL server (a database made for this run,
dropped after it; tables emptied between tests)."""

from __future__ import annotations

import os
import uuid
import warnings

import pytest

from corpus.store import Store, StoreConfig
from corpus.worker import run_one_job
from nianbao.settings import Settings
from service.app import create_app
from service.config import ServiceConfig

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

PG_ADMIN_URL = os.environ.get("NIANBAO_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_url():
    """A database of its own on the PostgreSQL server for this test run."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover
        if _in_ci():
            pytest.fail(f"psycopg is not installed: {exc}")
        pytest.skip("psycopg is not installed")
    name = f"nianbao_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:
        message = f"PostgreSQL does not answer at {PG_ADMIN_URL}: {exc}"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_store(backend: str, tmp_path, request) -> Store:
    data_dir = tmp_path / "data"
    if backend == "sqlite":
        store = Store(StoreConfig(data_dir=str(data_dir)))
        store.migrate()
        return store
    url = request.getfixturevalue("pg_url")
    store = Store(StoreConfig(data_dir=str(data_dir), database_url=url))
    store.migrate()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE cells, reports, jobs RESTART IDENTITY CASCADE")
    return store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = make_store(request.param, tmp_path, request)
    yield s
    s.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


def client_for(store: Store, settings: Settings | None = None, config: ServiceConfig | None = None,
               **kwargs) -> TestClient:
    return TestClient(create_app(settings or Settings(), store, config or ServiceConfig()), **kwargs)


@pytest.fixture
def client(store, settings):
    with client_for(store, settings) as c:
        yield c


def process_all(store: Store, settings: Settings | None = None, limit: int = 200) -> list[dict]:
    """Run queued jobs in this process until none is left."""
    done = []
    for _ in range(limit):
        job = run_one_job(store, settings or Settings())
        if job is None:
            break
        done.append(job)
    return done


def upload(client, data: bytes, filename: str = "report.txt", headers: dict | None = None):
    return client.post("/v1/reports", files={"file": (filename, data, "application/octet-stream")},
                       headers=headers or {})


def upload_and_process(client, store, data: bytes, filename: str = "report.txt",
                       settings: Settings | None = None) -> dict:
    """Upload, run the job here, and return the finished job."""
    response = upload(client, data, filename)
    assert response.status_code == 202, response.text
    process_all(store, settings)
    job = client.get(f"/v1/jobs/{response.json()['id']}").json()
    return job
