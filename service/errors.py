"""Every error leaves the service as JSON: {"error": code, "message": one line}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from nianbao.errors import NianbaoError

log = logging.getLogger("nianbao.service")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
               413: "upload_too_large", 415: "unsupported_media_type"}


class ErrorBody(BaseModel):
    error: str
    message: str


def error_response(status: int, error: str, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


class UploadTooLarge(HTTPException):
    """Raised while the body is still arriving; an HTTPException so FastAPI's form
    parsing lets it through unchanged."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail=(
            f"上传文件超过大小上限 {_size(limit)} (upload exceeds the limit of {limit} bytes)"))


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} 字节"


def nianbao_error_response(exc: NianbaoError) -> JSONResponse:
    return JSONResponse(exc.to_dict(), status_code=exc.http_status)


def internal_error_response() -> JSONResponse:
    return error_response(500, "internal_error", "服务内部错误，请稍后重试或报告问题 (internal server error)")


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail))
    for name, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[name] = value
    return response


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(tuple(e.get("loc", ()))[-1:] == ("file",) for e in errors):
        message = "缺少上传文件：请用 multipart/form-data 字段 file 上传 (multipart field 'file' is required)"
    else:
        message = "请求无效 (invalid request): " + "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors)
    detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in errors]
    return error_response(422, "invalid_request", message, detail=detail)


async def _on_nianbao_error(request: Request, exc: NianbaoError) -> JSONResponse:
    return nianbao_error_response(exc)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return internal_error_response()


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(NianbaoError, _on_nianbao_error)
    app.add_exception_handler(Exception, _on_unexpected)
