"""/v1/reports: upload (a queued job), list, get, delete, tables as CSV/XLSX, findings,
claims, statements, the original file, evidence images, re-parse."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePosixPath
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from corpus import cross_year, export
from corpus.evidence import PageNotFound, evidence_png
from corpus.intake import precheck
from nianbao.errors import NianbaoError
from nianbao.model import TABLE_NAMES, Report
from service.auth import require_read, require_write
from service.deps import SettingsDep, StoreDep
from service.errors import ErrorBody, UploadTooLarge, nianbao_error_response
from service.routers.jobs import job_body

log = logging.getLogger("nianbao.service")

router = APIRouter(prefix="/v1", tags=["reports"])

ERROR_RESPONSES = {
    401: {"model": ErrorBody, "description": "缺少或错误的访问令牌 (missing or wrong bearer token)"},
    413: {"model": ErrorBody, "description": "上传文件或页数超过上限 (upload or page count too large)"},
    415: {"model": ErrorBody, "description": "无法识别的格式 (unsupported format)"},
    422: {"model": ErrorBody, "description": "文件为空、损坏或加密；或缺少 file 字段"},
    500: {"model": ErrorBody, "description": "服务内部错误 (internal error)"},
}
NOT_FOUND = {404: {"model": ErrorBody, "description": "没有这份年报 (no such report)"}}


def _not_found(what: str = "report") -> HTTPException:
    return HTTPException(404, f"没有找到 (not found: {what})")


def upload_name(name: str | None) -> str:
    """The client's file name without any directory part (browsers on Windows send backslashes)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    return base or "upload"


@router.post("/reports", status_code=202, responses=ERROR_RESPONSES, dependencies=[Depends(require_write)],
             summary="上传一份年报，排队解析 (upload a report; it is queued for parsing)")
async def create_report(
    file: Annotated[UploadFile, File(description="PDF、DOCX、DOC、HTML 或文本文件")],
    settings: SettingsDep, store: StoreDep,
) -> JSONResponse:
    limit = settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(limit)
    filename = upload_name(file.filename)
    try:
        await run_in_threadpool(precheck, data, filename, settings)
    except NianbaoError as exc:
        return nianbao_error_response(exc)
    job = await run_in_threadpool(store.enqueue, data, filename)
    return JSONResponse(job_body(job), status_code=202, headers={"Location": f"/v1/jobs/{job['id']}"})


@router.post("/parse", responses=ERROR_RESPONSES, dependencies=[Depends(require_write)],
             summary="当场解析一份年报，不入库 (parse a report now and answer with its JSON; nothing stored)")
async def parse_now(
    file: Annotated[UploadFile, File(description="PDF、DOCX、DOC、HTML、图片或文本文件")],
    settings: SettingsDep,
) -> JSONResponse:
    from nianbao.pipeline import process

    limit = settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(limit)
    try:
        report = await run_in_threadpool(process, data, upload_name(file.filename), settings)
    except NianbaoError as exc:
        return nianbao_error_response(exc)
    return JSONResponse(report.to_dict())


@router.get("/reports", dependencies=[Depends(require_read)], summary="年报列表 (list reports)")
def list_reports(store: StoreDep, agency: str | None = None, region: str | None = None,
                 year: int | None = None, has_findings: bool | None = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0)] = 0) -> dict:
    items, total = store.list_reports(agency, region, year, has_findings, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/reports/{report_id}", dependencies=[Depends(require_read)], responses=NOT_FOUND,
            summary="一份年报的完整 JSON (one report, the JSON contract, plus its id)")
def get_report(report_id: int, store: StoreDep) -> Response:
    text = store.report_json(report_id)
    if text is None:
        raise _not_found()
    return Response('{"id": %d, ' % report_id + text[1:], media_type="application/json")


@router.delete("/reports/{report_id}", dependencies=[Depends(require_write)], responses=NOT_FOUND,
               summary="删除一份年报 (delete a report and its file)")
def delete_report(report_id: int, store: StoreDep) -> dict:
    if not cross_year.delete_report(store, report_id):
        raise _not_found()
    return {"deleted": report_id}


@router.post("/reports/{report_id}/reparse", status_code=202, dependencies=[Depends(require_write)],
             responses=NOT_FOUND, summary="重新解析 (parse the stored file again)")
def reparse(report_id: int, store: StoreDep) -> JSONResponse:
    job = store.enqueue_reparse(report_id)
    if job is None:
        raise _not_found()
    return JSONResponse(job_body(job), status_code=202, headers={"Location": f"/v1/jobs/{job['id']}"})


def load(store, report_id: int) -> Report:
    report = store.get_report(report_id)
    if report is None:
        raise _not_found()
    return report


def _part(report_id: int, store, name: str) -> list[dict]:
    text = store.report_json(report_id)
    if text is None:
        raise _not_found()
    import json

    return json.loads(text).get(name, [])


@router.get("/reports/{report_id}/findings", dependencies=[Depends(require_read)], responses=NOT_FOUND)
def findings(report_id: int, store: StoreDep) -> list[dict]:
    return _part(report_id, store, "findings")


@router.get("/reports/{report_id}/claims", dependencies=[Depends(require_read)], responses=NOT_FOUND)
def claims(report_id: int, store: StoreDep) -> list[dict]:
    return _part(report_id, store, "claims")


@router.get("/reports/{report_id}/statements", dependencies=[Depends(require_read)], responses=NOT_FOUND)
def statements(report_id: int, store: StoreDep) -> list[dict]:
    return _part(report_id, store, "statements")


def _attachment(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


@router.get("/reports/{report_id}/tables.csv", dependencies=[Depends(require_read)], responses=NOT_FOUND,
            summary="表格数字，CSV (the tables in long format)")
def tables_csv(report_id: int, store: StoreDep) -> StreamingResponse:
    rows = export.report_rows(load(store, report_id))
    return StreamingResponse(export.to_csv(rows, export.REPORT_COLUMNS), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": _attachment(f"report-{report_id}-tables.csv")})


@router.get("/reports/{report_id}/tables.xlsx", dependencies=[Depends(require_read)], responses=NOT_FOUND,
            summary="表格数字，XLSX (one sheet per table)")
def tables_xlsx(report_id: int, store: StoreDep) -> Response:
    rows = export.report_rows(load(store, report_id))
    sheets = {t: [r for r in rows if r["table"] == t] for t in TABLE_NAMES}
    data = export.to_xlsx(sheets, export.REPORT_COLUMNS)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": _attachment(f"report-{report_id}-tables.xlsx")})


@router.get("/reports/{report_id}/file", dependencies=[Depends(require_read)], responses=NOT_FOUND,
            summary="原始文件 (the uploaded file)")
def original_file(report_id: int, store: StoreDep) -> Response:
    summary = store.report_summary(report_id)
    data = store.read_file(summary["sha256"]) if summary else None
    if data is None:
        raise _not_found("file")
    media = mimetypes.guess_type(summary["filename"])[0] or "application/octet-stream"
    if media.startswith("text/") or media in ("application/xhtml+xml",):
        media = "application/octet-stream"  # never served as a page of this site
    return Response(data, media_type=media, headers={
        "Content-Disposition": _attachment(summary["filename"]), "X-Content-Type-Options": "nosniff"})


def _cell(report: Report, table: str, key: str):
    cell = report.cell(table, key)
    if cell is None:
        raise _not_found(f"cell {table}.{key}")
    return cell


def text_context(text: str, start: int, end: int, lines: int = 3) -> dict:
    """The cell's text with the non-blank lines around it (tables in flat text are one
    number per line), for showing where a value was read."""
    line_start = text.rfind("\n", 0, start) + 1
    before: list[str] = []
    p = line_start - 1
    while p > 0 and len(before) < lines and start - p < 400:
        q = text.rfind("\n", 0, p) + 1
        if text[q:p].strip():
            before.insert(0, text[q:p].strip())
        p = q - 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after: list[str] = []
    p = line_end + 1
    while p < len(text) and len(after) < 1 and p - end < 400:
        q = text.find("\n", p)
        q = len(text) if q < 0 else q
        if text[p:q].strip():
            after.append(text[p:q].strip())
        p = q + 1
    head, tail = text[line_start:start].lstrip(), text[end:line_end].rstrip()
    return {"before": "".join(f"{ln}\n" for ln in before) + head, "text": text[start:end],
            "after": tail + "".join(f"\n{ln}" for ln in after)}


@router.get("/reports/{report_id}/cells/{table}/{key}", dependencies=[Depends(require_read)],
            responses=NOT_FOUND, summary="一个单元格的出处 (where a cell was read, and the findings naming it)")
def cell_evidence(report_id: int, table: str, key: str, store: StoreDep) -> dict:
    report = load(store, report_id)
    cell = _cell(report, table, key)
    ref = cell.ref
    snippet = None
    if cell.start is not None and cell.end is not None:
        snippet = text_context(report.text, cell.start, cell.end)
    image = None
    if report.source.format.startswith("pdf") and cell.page and cell.bbox:
        image = f"/v1/reports/{report_id}/pages/{cell.page}.png?cell={quote(ref)}&crop=1"
    return {"cell": cell.to_dict(), "ref": ref,
            "findings": [f.to_dict() for f in report.findings if ref in f.cells],
            "snippet": snippet, "image": image}


@router.get("/reports/{report_id}/pages/{page}.png", dependencies=[Depends(require_read)],
            responses={404: {"model": ErrorBody, "description": "没有这一页，或原件不是 PDF (no such page, or not a PDF)"}},
            response_class=Response, summary="一页的图像，可画出单元格的框 (a page image with a cell's box)")
def page_image(report_id: int, page: int, store: StoreDep, cell: str | None = None,
               bbox: str | None = None, crop: bool = False,
               scale: Annotated[float, Query(gt=0, le=4)] = 2.0) -> Response:
    report = load(store, report_id)
    if not report.source.format.startswith("pdf"):
        raise HTTPException(404, "原件不是 PDF，没有页面图像 (the source is not a PDF; no page images)")
    box = None
    if cell:
        table, _, key = cell.partition(".")
        c = _cell(report, table, key)
        box = c.bbox
        if c.page and c.page != page:
            raise HTTPException(404, f"单元格在第 {c.page} 页 (the cell is on page {c.page})")
    elif bbox:
        try:
            box = [float(v) for v in bbox.split(",")]
            assert len(box) == 4
        except (ValueError, AssertionError):
            raise HTTPException(400, "bbox 应为 x0,y0,x1,y1 (bbox must be x0,y0,x1,y1)") from None
    data = store.read_file(report.source.sha256)
    if data is None:
        raise _not_found("file")
    try:
        png = evidence_png(data, page, box, crop=crop and box is not None, scale=scale)
    except PageNotFound:
        raise HTTPException(404, f"没有第 {page} 页 (no page {page})") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
