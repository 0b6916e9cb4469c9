"""The HTTP service through FastAPI's TestClient, plus the body limit at the ASGI level."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import warnings
from pathlib import Path

import pytest

import nianbao
from nianbao.model import TABLE_NAMES
from nianbao.settings import Settings
from service.app import create_app
from service.limits import MULTIPART_OVERHEAD
from tests.pdf_samples import blank_pdf, encrypt, sample_report_pdf

with warnings.catch_warnings():
    # Starlette asks for httpx2 over httpx; the TestClient works the same with either.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_5e842b9e9cf02949.txt"

@pytest.fixture
def client():
    with TestClient(create_app(Settings())) as c:
        yield c


def upload(client: TestClient, data: bytes, filename: str = "report.txt"):
    return client.post("/v1/reports", files={"file": (filename, data, "application/octet-stream")})


def assert_error(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"].strip()
    assert "\n" not in body["message"]
    return body


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": nianbao.__version__}


def test_upload_the_seed(client):
    data = SEED.read_bytes()
    response = upload(client, data, SEED.name)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["schema_version"] == 1
    assert body["parser_version"] == nianbao.__version__
    assert body["source"] == {"filename": SEED.name, "sha256": hashlib.sha256(data).hexdigest(),
                              "format": "text", "pages": None, "bytes": len(data)}
    assert set(body["tables"]) <= set(TABLE_NAMES)
    assert isinstance(body["findings"], list) and isinstance(body["cells"], list)
    assert body["text"].startswith("政府信息公开工作年度报告")


def test_upload_a_pdf(client):
    data = sample_report_pdf()
    body = upload(client, data, "report.pdf").json()
    assert body["source"]["format"] == "pdf-text"
    assert body["source"]["pages"] == 2
    assert body["source"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_client_directories_are_dropped_from_the_filename(client):
    body = upload(client, SEED.read_bytes(), r"C:\Users\me\年报\2025.txt").json()
    assert body["source"]["filename"] == "2025.txt"


# -- errors --------------------------------------------------------------------


def test_upload_over_the_limit_is_413():
    data = SEED.read_bytes()
    prefix = SEED.read_text(encoding="utf-8")[:400].encode("utf-8")
    limit = len(prefix)
    with TestClient(create_app(Settings(max_upload_bytes=limit))) as c:
        body = assert_error(upload(c, data), 413, "upload_too_large")
        assert str(limit) in body["message"]
        assert_error(upload(c, prefix + b"x"), 413, "upload_too_large")
        assert upload(c, prefix).status_code == 200  # exactly at the limit is fine


def test_declared_body_over_the_limit_is_refused_before_reading():
    with TestClient(create_app(Settings(max_upload_bytes=1024))) as c:
        response = c.post("/v1/reports", content=b"x" * (1024 + MULTIPART_OVERHEAD + 1),
                          headers={"content-type": "multipart/form-data; boundary=B"})
        assert_error(response, 413, "upload_too_large")


def test_streamed_body_is_cut_off_at_the_limit():
    """Without a Content-Length the body is counted as it arrives and reading stops early."""
    app = create_app(Settings(max_upload_bytes=1024))
    chunk = b"y" * 8192
    head = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    total_chunks = 1000
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled == 1:
            return {"type": "http.request", "body": head, "more_body": True}
        return {"type": "http.request", "body": chunk, "more_body": pulled <= total_chunks}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/v1/reports", "raw_path": b"/v1/reports", "query_string": b"",
             "root_path": "", "server": ("testserver", 80), "client": ("testclient", 5000),
             "headers": [(b"host", b"testserver"),
                         (b"content-type", b"multipart/form-data; boundary=B"),
                         (b"transfer-encoding", b"chunked")]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 413
    assert json.loads(body)["error"] == "upload_too_large"
    assert pulled <= 2 + (1024 + MULTIPART_OVERHEAD) // len(chunk)


def test_upload_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_UPLOAD_BYTES", "100")
    with TestClient(create_app()) as c:
        assert_error(upload(c, SEED.read_bytes()), 413, "upload_too_large")


def test_binary_upload_is_415(client):
    data = b"\x00\x01\xfe\xff" + os.urandom(2048) + b"\x00" * 32
    assert_error(upload(client, data, "random.bin"), 415, "unsupported_format")


def test_empty_upload_is_422(client):
    assert_error(upload(client, b"", "empty.txt"), 422, "empty_document")


def test_missing_file_field_is_422(client):
    body = assert_error(client.post("/v1/reports", data={"document": "x"}), 422, "invalid_request")
    assert "file" in body["message"]
    assert_error(client.post("/v1/reports"), 422, "invalid_request")
    assert_error(client.post("/v1/reports", data={"file": "not a file"}), 422, "invalid_request")


def test_corrupt_pdf_is_422(client):
    data = sample_report_pdf()
    assert_error(upload(client, data[: len(data) // 2], "broken.pdf"), 422, "unreadable_document")


def test_password_protected_pdf_is_422(client):
    body = assert_error(upload(client, encrypt(sample_report_pdf(), "secret"), "locked.pdf"),
                        422, "unreadable_document")
    assert "password" in body["message"]


def test_scanned_pdf_is_422(client):
    body = assert_error(upload(client, blank_pdf(2), "scan.pdf"), 422, "scanned_document")
    assert "OCR" in body["message"]


def test_too_many_pages_is_413():
    with TestClient(create_app(Settings(max_pages=1))) as c:
        assert_error(upload(c, sample_report_pdf(), "long.pdf"), 413, "document_too_large")


def test_unexpected_pipeline_error_is_500_json(monkeypatch):
    # A fault injected into the pipeline: the service must answer JSON, never an HTML page.
    def broken(data, filename, settings=None):
        raise RuntimeError("stage exploded")

    monkeypatch.setattr("service.routers.reports.process", broken)
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as c:
        body = assert_error(upload(c, SEED.read_bytes()), 500, "internal_error")
        assert "stage exploded" not in body["message"]


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/nowhere"), 404, "not_found")
    assert_error(client.get("/v1/reports"), 405, "method_not_allowed")


def test_openapi_documents_the_upload(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/reports"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"413", "415", "422", "500"} <= set(operation["responses"])
