"""POST /v1/reports: one uploaded report in, the parsed report (spec/output.md) out."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from nianbao.errors import NianbaoError
from nianbao.pipeline import process
from service.deps import SettingsDep
from service.errors import (ErrorBody, UploadTooLarge, internal_error_response,
                            nianbao_error_response)

log = logging.getLogger("nianbao.service")

router = APIRouter(prefix="/v1", tags=["reports"])

ERROR_RESPONSES = {
    413: {"model": ErrorBody, "description": "上传文件或页数超过上限 (upload or page count too large)"},
    415: {"model": ErrorBody, "description": "无法识别的格式 (unsupported format)"},
    422: {"model": ErrorBody, "description": "文件为空、损坏、加密或是扫描件；或缺少 file 字段"},
    500: {"model": ErrorBody, "description": "服务内部错误 (internal error)"},
}


@router.post("/reports", responses=ERROR_RESPONSES,
             summary="解析一份年报 (parse one annual report)")
async def create_report(
    file: Annotated[UploadFile, File(description="PDF、DOCX、DOC、HTML 或文本文件")],
    settings: SettingsDep,
) -> JSONResponse:
    limit = settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(limit)
    filename = upload_name(file.filename)
    try:
        report = await run_in_threadpool(process, data, filename, settings)
    except NianbaoError as exc:
        return nianbao_error_response(exc)
    except Exception:
        log.exception("pipeline failed on upload %r (%d bytes)", filename, len(data))
        return internal_error_response()
    return JSONResponse(report.to_dict())


def upload_name(name: str | None) -> str:
    """The client's file name without any directory part (browsers on Windows send backslashes)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    return base or "upload"
