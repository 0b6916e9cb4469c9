"""Pages: server-rendered Jinja2 templates (autoescaped) and a little vanilla JS."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

import nianbao
from service import views
from service.auth import read_allowed
from service.deps import StoreDep

HERE = Path(__file__).resolve().parent.parent
environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                 autoescape=True, trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=environment)

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    if not read_allowed(request):
        return templates.TemplateResponse(request, "login.html", {"version": nianbao.__version__},
                                          status_code=401)
    return templates.TemplateResponse(request, name, {"version": nianbao.__version__, **context},
                                      status_code=status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep, agency: str | None = None, region: str | None = None,
         year: str | None = None, has_findings: str | None = None, page: int = 1) -> HTMLResponse:
    year_value = int(year) if year and year.strip().isdigit() else None
    flag = {"1": True, "0": False}.get(has_findings or "")
    size = 50
    page = max(page, 1)
    items, total = ([], 0)
    if read_allowed(request):
        items, total = store.list_reports(agency, region, year_value, flag, size, (page - 1) * size)
    return _page(request, "list.html", items=items, total=total, page=page, pages=max(1, -(-total // size)),
                 filters={"agency": agency or "", "region": region or "", "year": year or "",
                          "has_findings": has_findings or ""})


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    return _page(request, "upload.html")


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int, store: StoreDep) -> HTMLResponse:
    if not read_allowed(request):
        return _page(request, "report.html")
    report = store.get_report(report_id)
    if report is None:
        raise HTTPException(404, "没有这份年报 (no such report)")
    return _page(request, "report.html", id=report_id, report=report, tables=views.table_views(report),
                 narrative=views.narrative(report), statements=views.statements(report),
                 findings=views.findings(report), is_pdf=report.source.format.startswith("pdf"))
