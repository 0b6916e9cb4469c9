"""Bearer tokens: writes need NIANBAO_TOKEN when it is set; reads need NIANBAO_READ_TOKEN
(or the write token) when that is set.  Pages send the token from localStorage as a
header, and as the cookie `nianbao_token` for plain page loads and images."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

COOKIE = "nianbao_token"


class Unauthorized(HTTPException):
    def __init__(self, what: str):
        super().__init__(status_code=401, detail=f"需要有效的访问令牌 (a valid bearer token is required to {what})",
                         headers={"WWW-Authenticate": "Bearer"})


def presented(request: Request, cookie: bool = True) -> str | None:
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if cookie:
        return request.cookies.get(COOKIE) or None
    return None


def _matches(given: str | None, *tokens: str | None) -> bool:
    if not given:
        return False
    return any(t and hmac.compare_digest(given.encode(), t.encode()) for t in tokens)


def require_write(request: Request) -> None:
    config = request.app.state.config
    # Writes take the header only: a cookie alone would let another site post here.
    if config.token and not _matches(presented(request, cookie=False), config.token):
        raise Unauthorized("change data")


def read_allowed(request: Request) -> bool:
    config = request.app.state.config
    return not config.read_token or _matches(presented(request), config.read_token, config.token)


def require_read(request: Request) -> None:
    if not read_allowed(request):
        raise Unauthorized("read data")
