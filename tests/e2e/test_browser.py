"""End to end in a real browser: `nianbao serve` on a free localhost port, Debian's
Chromium driven by Playwright.  Upload the seed whose applications table breaks
applications.balance, wait for its job, open the report, click a flagged cell and see
its evidence; and a report whose text holds <script> shows it as text.

Needs /usr/bin/chromium (Debian package `chromium`; override with NIANBAO_CHROMIUM) and
the Python package playwright (dev extra).  Missing either fails, with how to install it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service.local_server import local_server

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "fixtures" / "seeds" / "004_af208e539dc26293.txt"
CHROMIUM = os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium")
# Headless as root on a machine with no network but loopback (see the env notes).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("NIANBAO_E2E_SHOTS", "/tmp/nianbao-e2e"))


def _requirements():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(or set NIANBAO_CHROMIUM to a Chromium binary)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: `pip install -e '.[dev]'` installs it "
                    "(no browser download is needed; Debian's Chromium is used)", pytrace=False)
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with local_server(tmp_path_factory.mktemp("e2e") / "data",
                      log=tmp_path_factory.mktemp("e2e-log") / "server.log") as running:
        yield running.base


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _requirements()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser, width=390, height=844):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return context, page, dialogs


def test_upload_open_and_see_the_evidence_of_a_flagged_cell(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page, dialogs = _page(browser)
    try:
        page.goto(server + "/upload")
        page.set_input_files("#file-input", str(SEED))
        row = page.locator("li.upload").first
        row.locator("a.open").wait_for(state="visible", timeout=90_000)
        assert "完成" in row.locator(".state").inner_text()
        assert row.locator("progress").get_attribute("value") == "100"
        page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
        row.locator("a.open").click()
        page.wait_for_selector("article.report")
        cell = page.locator('td.cell.flagged[data-table="applications"][data-key="new_received.total"]')
        assert cell.count() == 1, "the cell named by applications.balance is marked flagged"
        value = cell.inner_text().strip()
        cell.click()
        panel = page.locator("#evidence")
        panel.wait_for(state="visible", timeout=10_000)
        assert "applications.new_received.total" in panel.locator(".ev-title").inner_text()
        assert "applications.balance" in panel.locator(".ev-findings").inner_text()
        snippet = panel.locator(".ev-snippet mark")
        assert snippet.inner_text().strip() == value
        page.screenshot(path=str(SHOTS / "evidence.png"), full_page=False)
        panel.locator(".close").click()
        panel.wait_for(state="hidden")
        page.goto(server + "/?has_findings=1")
        assert page.locator("ul.reports .badge.error").count() >= 1
        assert not dialogs
    finally:
        context.close()


def test_dropped_report_with_script_shows_it_as_text(server, browser, tmp_path):
    hostile = SEED.read_text(encoding="utf-8").replace(
        "一、总体情况", "一、总体情况\n<script>alert('xss')</script><img src=x onerror=alert(2)>", 1)
    context, page, dialogs = _page(browser, 1280, 900)
    try:
        page.goto(server + "/upload")
        # A real drop: a DataTransfer holding the file, dispatched on the drop zone.
        transfer = page.evaluate_handle(
            """(text) => { const dt = new DataTransfer();
                 dt.items.add(new File([text], "hostile.txt", {type: "text/plain"})); return dt; }""",
            hostile)
        page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
        row = page.locator("li.upload").first
        row.locator("a.open").wait_for(state="visible", timeout=90_000)
        row.locator("a.open").click()
        page.wait_for_selector("article.report")
        narrative = page.locator("section.narrative").inner_text()
        assert "<script>alert('xss')</script>" in narrative
        assert page.locator("section.narrative script, section.narrative img").count() == 0
        page.wait_for_timeout(300)
        assert not dialogs, f"report text ran as script: {dialogs}"
        page.screenshot(path=str(SHOTS / "hostile.png"), full_page=False)
    finally:
        context.close()


def test_api_docs_render_without_a_cdn(server, browser):
    context, page, _ = _page(browser, 1280, 900)
    try:
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert "/v1/reports" in page.locator(".swagger-ui").inner_text()
        assert "cdn.jsdelivr" not in page.content()
    finally:
        context.close()

