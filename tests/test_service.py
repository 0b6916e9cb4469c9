"""The HTTP service through FastAPI's TestClient, on SQLite and on PostgreSQL, plus the
body limit at the ASGI level.  Uploads are queued jobs: the tests run them in-process."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from pathlib import Path

import pytest

import nianbao
from nianbao.model import TABLE_NAMES
from nianbao.settings import Settings
from service.app import create_app
from service.config import ServiceConfig
from service.limits import MULTIPART_OVERHEAD
from tests.pdf_samples import blank_pdf, encrypt, sample_report_pdf
from tests.service_support import (TestClient, client, client_for, make_store, pg_url,  # noqa: F401
                                   process_all, settings, store, upload, upload_and_process)

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_5e842b9e9cf02949.txt"


@pytest.fixture
def sqlite_store(tmp_path, request):
    s = make_store("sqlite", tmp_path, request)
    yield s
    s.close()


def parsed(client, store, data: bytes, filename: str = "report.txt") -> dict:
    job = upload_and_process(client, store, data, filename)
    assert job["status"] == "done", job
    response = client.get(f"/v1/reports/{job['report_id']}")
    assert response.status_code == 200, response.text
    return response.json()


def failed_job(client, store, data: bytes, filename: str, error: str) -> dict:
    job = upload_and_process(client, store, data, filename)
    assert job["status"] == "failed", job
    assert job["error"] == error
    assert isinstance(job["message"], str) and job["message"].strip() and "\n" not in job["message"]
    return job


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


def test_upload_is_a_queued_job(client, store):
    response = upload(client, SEED.read_bytes(), SEED.name)
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued" and job["progress"] == 0
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    assert client.get(f"/v1/jobs/{job['id']}").json()["status"] == "queued"
    process_all(store)
    done = client.get(f"/v1/jobs/{job['id']}").json()
    assert done["status"] == "done" and done["progress"] == 1.0 and done["attempts"] == 1
    assert done["links"]["report"] == f"/v1/reports/{done['report_id']}"


def test_unknown_job_is_404(client):
    assert_error(client.get("/v1/jobs/nope"), 404, "not_found")


def test_upload_the_seed(client, store):
    data = SEED.read_bytes()
    body = parsed(client, store, data, SEED.name)
    assert isinstance(body["id"], int)
    assert body["schema_version"] == 1
    assert body["parser_version"] == nianbao.__version__
    assert body["source"] == {"filename": SEED.name, "sha256": hashlib.sha256(data).hexdigest(),
                              "format": "text", "pages": None, "bytes": len(data)}
    assert set(body["tables"]) <= set(TABLE_NAMES)
    assert isinstance(body["findings"], list) and isinstance(body["cells"], list)
    assert body["text"].startswith("政府信息公开工作年度报告")


def test_upload_a_pdf(client, store):
    data = sample_report_pdf()
    body = parsed(client, store, data, "report.pdf")
    assert body["source"]["format"] == "pdf-text"
    assert body["source"]["pages"] == 2
    assert body["source"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_client_directories_are_dropped_from_the_filename(client, store):
    body = parsed(client, store, SEED.read_bytes(), r"C:\Users\me\年报\2025.txt")
    assert body["source"]["filename"] == "2025.txt"


# -- errors --------------------------------------------------------------------


def test_upload_over_the_limit_is_413(sqlite_store):
    data = SEED.read_bytes()
    prefix = SEED.read_text(encoding="utf-8")[:400].encode("utf-8")
    limit = len(prefix)
    with client_for(sqlite_store, Settings(max_upload_bytes=limit)) as c:
        body = assert_error(upload(c, data), 413, "upload_too_large")
        assert str(limit) in body["message"]
        assert_error(upload(c, prefix + b"x"), 413, "upload_too_large")
        assert upload(c, prefix).status_code == 202  # exactly at the limit is fine


def test_declared_body_over_the_limit_is_refused_before_reading(sqlite_store):
    with client_for(sqlite_store, Settings(max_upload_bytes=1024)) as c:
        response = c.post("/v1/reports", content=b"x" * (1024 + MULTIPART_OVERHEAD + 1),
                          headers={"content-type": "multipart/form-data; boundary=B"})
        assert_error(response, 413, "upload_too_large")


def test_streamed_body_is_cut_off_at_the_limit(sqlite_store):
    """Without a Content-Length the body is counted as it arrives and reading stops early."""
    app = create_app(Settings(max_upload_bytes=1024), sqlite_store, ServiceConfig())
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


def test_upload_limit_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_MAX_UPLOAD_BYTES", "100")
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
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


def test_a_scanned_pdf_is_read_by_ocr_in_the_worker(client, store):
    # A PDF without a text layer goes to OCR in the worker; blank pages make a report saying so.
    job = upload_and_process(client, store, blank_pdf(2), "scan.pdf")
    assert job["status"] == "done"
    report = client.get(f"/v1/reports/{job['report_id']}").json()
    assert report["source"]["format"] == "pdf-scanned"
    assert "report.not_annual_report" in {f["rule"] for f in report["findings"]}


def test_too_many_pages_is_413(sqlite_store):
    with client_for(sqlite_store, Settings(max_pages=1)) as c:
        assert_error(upload(c, sample_report_pdf(), "long.pdf"), 413, "document_too_large")


def test_parser_crash_fails_the_job_with_its_reason(monkeypatch, client, store):
    # A fault injected into the pipeline: the job fails, with the reason, and nothing is stored.
    def broken(data, filename, settings=None):
        raise RuntimeError("stage exploded\nwith a second line")

    monkeypatch.setattr("nianbao.pipeline.process", broken)
    job = failed_job(client, store, SEED.read_bytes(), SEED.name, "parser_crash")
    assert "RuntimeError: stage exploded with a second line" in job["message"]
    assert client.get("/v1/reports").json()["total"] == 0


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/nowhere"), 404, "not_found")
    assert_error(client.put("/v1/reports"), 405, "method_not_allowed")


def test_openapi_documents_the_upload(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/reports"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"202", "413", "415", "422", "500"} <= set(operation["responses"])
    for path in ("/v1/jobs/{job_id}", "/v1/reports/{report_id}", "/v1/reports/{report_id}/tables.csv",
                 "/v1/reports/{report_id}/pages/{page}.png", "/v1/export/cells.csv"):
        assert path in schema["paths"], path
    assert client.get("/docs").status_code == 200


def test_parse_now_answers_with_the_report_json(client):
    response = client.post("/v1/parse", files={"file": (SEED.name, SEED.read_bytes(), "text/plain")})
    assert response.status_code == 200
    report = response.json()
    assert report["schema_version"] == 1
    assert report["source"]["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert report["tables"]["applications"]["new_received.total"] == 10
    assert client.get("/v1/reports").json()["total"] == 0  # nothing stored


def test_parse_now_refuses_unusable_input_with_json(client):
    response = client.post("/v1/parse", files={"file": ("x.bin", bytes(range(256)) * 8, "application/octet-stream")})
    assert response.status_code == 415
    assert set(response.json()) >= {"error", "message"}
