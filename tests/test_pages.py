"""The pages: the list with filters and badges, the upload page, the report view (national
tables with flagged and inferred cells, claims, statements), and hostile report text."""

from __future__ import annotations

import re
from pathlib import Path

from nianbao import parse_bytes
from nianbao.model import Claim, Statement
from tests.service_support import client, pg_url, settings, store, upload_and_process  # noqa: F401

SEED = Path(__file__).parent / "fixtures" / "seeds" / "004_af208e539dc26293.txt"


def test_list_page_with_badges_and_filters(client, store):
    job = upload_and_process(client, store, SEED.read_bytes(), SEED.name)
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'href="/reports/{job["report_id"]}"' in page.text
    assert 'class="badge error"' in page.text
    assert "年报列表" in page.text and 'name="viewport"' in page.text
    none = client.get("/", params={"has_findings": "0"})
    assert f'href="/reports/{job["report_id"]}"' not in none.text
    assert client.get("/", params={"year": "abc"}).status_code == 200


def test_upload_page(client):
    page = client.get("/upload")
    assert page.status_code == 200
    assert 'id="drop"' in page.text and 'type="file" multiple' in page.text
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "XMLHttpRequest" in js.text and "localStorage" in js.text


def test_report_page_shows_the_national_tables(client, store):
    job = upload_and_process(client, store, SEED.read_bytes(), SEED.name)
    rid = job["report_id"]
    report = client.get(f"/v1/reports/{rid}").json()
    html = client.get(f"/reports/{rid}").text
    for title in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况"):
        assert title in html
    flagged = re.findall(r'<td class="cell ([^"]*)" data-table="applications" data-key="new_received.total"', html)
    assert flagged and "flagged" in flagged[0]
    for key, value in report["tables"]["applications"].items():
        if value is not None:
            assert f'data-table="applications" data-key="{key}"' in html
    assert "applications.balance" in html


def test_claims_and_statements_are_shown(client, store):
    report = parse_bytes(SEED.read_bytes(), SEED.name)
    at = report.text.index("政府信息公开")
    report.claims = [Claim("applications.new_received.total", 10, "件", report.text[at:at + 6], at, at + 6)]
    report.statements = [Statement("一是人员紧缺", "problem", "staffing", 0, 6),
                         Statement("二是加强培训", "measure", "training", 7, 13)]
    rid = store.save_report(report)
    html = client.get(f"/reports/{rid}").text
    assert '<mark class="claim" data-claim="0"' in html
    assert "一是人员紧缺" in html and ">问题<" in html and ">措施<" in html and "staffing" in html


def test_report_text_is_shown_as_text_never_run(client, store):
    hostile = SEED.read_text(encoding="utf-8").replace(
        "一、总体情况", "一、总体情况\n<script>alert('xss')</script><img src=x onerror=alert(2)>", 1)
    job = upload_and_process(client, store, hostile.encode("utf-8"), "<b onclick=alert(3)>年报.txt")
    assert job["status"] == "done", job
    html = client.get(f"/reports/{job['report_id']}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;b onclick=alert(3)&gt;年报.txt" in html and "<b onclick" not in html
    listing = client.get("/").text
    assert "<b onclick" not in listing and "&lt;b onclick=alert(3)&gt;年报.txt" in listing
