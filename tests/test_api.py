"""The /v1 API over the store, on SQLite and on PostgreSQL: list, get, delete, tables,
findings, claims, statements, the original file, evidence images, re-parse, exports, tokens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PIL import Image

from service.config import ServiceConfig
from tests.pdf_samples import sample_report_pdf
from tests.service_support import (client, client_for, pg_url, process_all, settings, store,  # noqa: F401, F811
                                   upload, upload_and_process)

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
BALANCE_SEED = SEEDS / "004_af208e539dc26293.txt"  # its applications table breaks applications.balance


def seed(name: str) -> bytes:
    return next(SEEDS.glob(f"{name}_*.txt")).read_bytes()


def stored(client, store, data: bytes, filename: str = "report.txt") -> int:
    job = upload_and_process(client, store, data, filename)
    assert job["status"] == "done", job
    return job["report_id"]


def test_same_file_twice_is_one_report(client, store):
    data = BALANCE_SEED.read_bytes()
    first, second = upload(client, data, "a.txt").json(), upload(client, data, "b.txt").json()
    assert first["id"] == second["id"]  # still queued: the same job
    process_all(store)
    third = upload(client, data, "c.txt").json()
    assert third["status"] == "done" and third["report_id"] == client.get(f"/v1/jobs/{first['id']}").json()["report_id"]
    assert client.get("/v1/reports").json()["total"] == 1
    assert store.count_jobs("queued") == 0


def test_list_and_filters(client, store):
    ids = {name: stored(client, store, seed(name), f"{name}.txt") for name in ("000", "001", "004")}
    listing = client.get("/v1/reports").json()
    assert listing["total"] == 3 and {r["id"] for r in listing["items"]} == set(ids.values())
    r4 = client.get(f"/v1/reports/{ids['004']}").json()
    assert client.get("/v1/reports", params={"year": r4["meta"]["year"]}).json()["total"] >= 1
    agency = r4["meta"]["agency"]
    hits = client.get("/v1/reports", params={"agency": agency}).json()["items"]
    assert ids["004"] in {r["id"] for r in hits} and all(agency in r["agency"] for r in hits)
    flagged = client.get("/v1/reports", params={"has_findings": "true"}).json()["items"]
    assert ids["004"] in {r["id"] for r in flagged} and all(r["has_findings"] for r in flagged)
    clean = client.get("/v1/reports", params={"has_findings": "false"}).json()["items"]
    assert all(not r["has_findings"] for r in clean)
    assert client.get("/v1/reports", params={"agency": "没有这个机关%_"}).json()["total"] == 0
    page = client.get("/v1/reports", params={"limit": 2, "offset": 2}).json()
    assert len(page["items"]) == 1 and page["total"] == 3


def test_get_report_is_the_json_contract(client, store):
    rid = stored(client, store, BALANCE_SEED.read_bytes(), BALANCE_SEED.name)
    body = client.get(f"/v1/reports/{rid}").json()
    assert body["id"] == rid and body["schema_version"] == 1
    assert any(f["rule"] == "applications.balance" and f["severity"] == "error" for f in body["findings"])
    assert client.get(f"/v1/reports/{rid}/findings").json() == body["findings"]
    assert client.get(f"/v1/reports/{rid}/claims").json() == body["claims"]
    assert client.get(f"/v1/reports/{rid}/statements").json() == body["statements"]
    summary = client.get("/v1/reports").json()["items"][0]
    assert summary["parser_version"] == body["parser_version"] and summary["errors"] >= 1


def test_missing_report_is_404_json(client):
    for path in ("/v1/reports/999", "/v1/reports/999/findings", "/v1/reports/999/tables.csv",
                 "/v1/reports/999/file", "/v1/reports/999/pages/1.png", "/reports/999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found"
    assert client.delete("/v1/reports/999").status_code == 404


def test_tables_as_csv_and_xlsx(client, store):
    from openpyxl import load_workbook

    rid = stored(client, store, BALANCE_SEED.read_bytes())
    report = client.get(f"/v1/reports/{rid}").json()
    response = client.get(f"/v1/reports/{rid}/tables.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(report["cells"])
    total = next(r for r in rows if r["table"] == "applications" and r["key"] == "new_received.total")
    assert total["flagged"] == "1"
    assert float(total["value"]) == report["tables"]["applications"]["new_received.total"]
    xlsx = client.get(f"/v1/reports/{rid}/tables.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert set(book.sheetnames) == {"active", "applications", "review_litigation"}
    assert sum(len(list(ws.iter_rows())) - 1 for ws in book.worksheets) == len(report["cells"])


def test_export_whole_store(client, store):
    from openpyxl import load_workbook

    a = stored(client, store, seed("000"))
    b = stored(client, store, BALANCE_SEED.read_bytes())
    n = sum(len(client.get(f"/v1/reports/{i}").json()["cells"]) for i in (a, b))
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/export/cells.csv").content.decode("utf-8-sig"))))
    assert len(rows) == n and {int(r["report_id"]) for r in rows} == {a, b}
    assert {"sha256", "agency", "year", "table", "key", "value", "origin", "page", "parser_version"} <= set(rows[0])
    only = client.get("/v1/export/cells.csv", params={"has_findings": "true"}).content.decode("utf-8-sig")
    with_findings = {r["id"] for r in client.get("/v1/reports", params={"has_findings": "true"}).json()["items"]}
    assert b in with_findings
    assert {int(r["report_id"]) for r in csv.DictReader(io.StringIO(only))} == with_findings
    book = load_workbook(io.BytesIO(client.get("/v1/export/cells.xlsx").content), read_only=True)
    assert len(list(book["cells"].iter_rows())) == n + 1
    parquet = client.get("/v1/export/cells.parquet")
    if parquet.status_code == 200:
        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(parquet.content)).num_rows == n
    else:
        assert parquet.json()["error"] == "not_found"


def test_original_file_and_delete(client, store):
    data = BALANCE_SEED.read_bytes()
    rid = stored(client, store, data, "原件.txt")
    response = client.get(f"/v1/reports/{rid}/file")
    assert response.content == data
    assert response.headers["content-type"] == "application/octet-stream"  # never rendered as a page
    assert "attachment" in response.headers["content-disposition"]
    sha = client.get(f"/v1/reports/{rid}").json()["source"]["sha256"]
    assert store.file_path(sha).exists()
    assert client.delete(f"/v1/reports/{rid}").json() == {"deleted": rid}
    assert client.get(f"/v1/reports/{rid}").status_code == 404
    assert not store.file_path(sha).exists()
    assert list(csv.DictReader(io.StringIO(client.get("/v1/export/cells.csv").content.decode("utf-8-sig")))) == []


def test_page_image_with_the_cell_box(client, store):
    rid = stored(client, store, sample_report_pdf(), "report.pdf")
    report = client.get(f"/v1/reports/{rid}").json()
    cell = next(c for c in report["cells"] if c.get("bbox"))
    ref = f"{cell['table']}.{cell['key']}"
    evidence = client.get(f"/v1/reports/{rid}/cells/{cell['table']}/{cell['key']}").json()
    assert evidence["image"].startswith(f"/v1/reports/{rid}/pages/{cell['page']}.png")
    full = client.get(f"/v1/reports/{rid}/pages/{cell['page']}.png", params={"cell": ref})
    assert full.status_code == 200 and full.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(full.content)).convert("RGB")
    assert image.width > 1000  # A4 at scale 2
    x0, y0, x1, y1 = (v * 2 for v in cell["bbox"])
    # The box is drawn in red just outside the cell's bbox.
    red = [image.getpixel((int(x), int(y0 - 4))) for x in range(int(x0), int(x1))]
    assert any(p[0] > 180 and p[1] < 80 and p[2] < 80 for p in red)
    crop = client.get(evidence["image"])
    assert crop.status_code == 200 and Image.open(io.BytesIO(crop.content)).height < image.height
    assert client.get(f"/v1/reports/{rid}/pages/99.png").status_code == 404
    bad = client.get(f"/v1/reports/{rid}/pages/1.png", params={"bbox": "1,2"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"


def test_page_image_of_a_text_source_is_404_json(client, store):
    rid = stored(client, store, BALANCE_SEED.read_bytes())
    response = client.get(f"/v1/reports/{rid}/pages/1.png")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    report = client.get(f"/v1/reports/{rid}").json()
    cell = next(c for c in report["cells"] if c["table"] == "applications" and c["key"] == "new_received.total")
    evidence = client.get(f"/v1/reports/{rid}/cells/applications/new_received.total").json()
    assert evidence["image"] is None
    assert evidence["snippet"]["text"] == cell["raw"]
    assert any(f["rule"] == "applications.balance" for f in evidence["findings"])


def test_reparse(client, store):
    rid = stored(client, store, BALANCE_SEED.read_bytes())
    before = client.get(f"/v1/reports/{rid}").json()
    response = client.post(f"/v1/reports/{rid}/reparse")
    assert response.status_code == 202 and response.json()["kind"] == "reparse"
    process_all(store)
    job = client.get(f"/v1/jobs/{response.json()['id']}").json()
    assert job["status"] == "done" and job["report_id"] == rid
    after = client.get(f"/v1/reports/{rid}").json()
    assert after["tables"] == before["tables"]
    assert client.get("/v1/reports").json()["total"] == 1
    assert client.post("/v1/reports/999/reparse").status_code == 404


def test_write_token(store):
    data = BALANCE_SEED.read_bytes()
    with client_for(store, config=ServiceConfig(token="s3cret")) as c:
        refused = upload(c, data)
        assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        assert upload(c, data, headers={"Authorization": "Bearer wrong"}).status_code == 401
        # A cookie is not enough for a write (another site could make the browser send it).
        c.cookies.set("nianbao_token", "s3cret")
        assert upload(c, data).status_code == 401
        c.cookies.clear()
        ok = upload(c, data, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 202
        process_all(store)
        rid = c.get(f"/v1/jobs/{ok.json()['id']}").json()["report_id"]
        assert c.get(f"/v1/reports/{rid}").status_code == 200  # reads stay open
        assert c.delete(f"/v1/reports/{rid}").status_code == 401
        assert c.post(f"/v1/reports/{rid}/reparse").status_code == 401
        assert c.delete(f"/v1/reports/{rid}", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_read_token(store):
    with client_for(store, config=ServiceConfig(token="w", read_token="r")) as c:
        assert c.get("/v1/reports").status_code == 401
        assert c.get("/v1/reports", headers={"Authorization": "Bearer r"}).status_code == 200
        assert c.get("/v1/reports", headers={"Authorization": "Bearer w"}).status_code == 200
        assert c.get("/healthz").status_code == 200
        page = c.get("/")
        assert page.status_code == 401 and "访问令牌" in page.text
        c.cookies.set("nianbao_token", "r")
        assert c.get("/").status_code == 200
        assert c.get("/v1/reports").status_code == 200
