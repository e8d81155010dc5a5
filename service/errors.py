"""One error shape for the whole service.

Every error answer is JSON::

    {"error": {"status": 400, "code": "malformed_query",
               "message": "error at 1:10: expected CONSTRUCT",
               "position": {"line": 1, "column": 10}}}

``position`` is null unless the message comes from a parser. A browser (an ``Accept`` that
names ``text/html`` before JSON) gets the same content as a small HTML page. Errors are raised
as :class:`ApiError` (which carries its status, code and extra headers); HTTP errors from
routing, request validation and unexpected exceptions are mapped onto the same shape, and an
unexpected exception never shows its text to the client.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphbuild.formats import Kind
from graphbuild.stores import StoreError
from service.negotiation import prefers_html, served_formats

log = logging.getLogger("perfkg.service")

_POSITION = re.compile(r"\berror at (\d+):(\d+)\b")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "bad_request",
    500: "internal_error",
    502: "upstream_error",
    503: "unavailable",
    504: "query_timeout",
}


class ApiError(Exception):
    """An error answer: HTTP status, a stable machine code, a message for people."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        position: tuple[int, int] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.position = position
        self.headers = headers or {}

    def payload(self) -> dict[str, Any]:
        """The JSON body."""
        position = {"line": self.position[0], "column": self.position[1]} if self.position else None
        return {
            "error": {
                "status": self.status,
                "code": self.code,
                "message": self.message,
                "position": position,
            }
        }


def parser_position(message: str) -> tuple[int, int] | None:
    """(line, column) from an Oxigraph parser message (``error at 3:14: …``), else None.

    >>> parser_position("error at 3:14: expected IRI parsing failed")
    (3, 14)
    """
    match = _POSITION.search(message)
    return (int(match.group(1)), int(match.group(2))) if match else None


def malformed(message: str, code: str = "malformed_query") -> ApiError:
    """A 400 for a SPARQL text the parser refused, with the parser's position."""
    return ApiError(400, code, message, parser_position(message))


def render(request: Request, error: ApiError) -> Response:
    """The error as JSON, or as HTML when the client is a browser."""
    headers = {"Vary": "Accept", **error.headers}
    if prefers_html(request.headers.get("accept")):
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return HTMLResponse(_html(error, root), status_code=error.status, headers=headers)
    return JSONResponse(error.payload(), status_code=error.status, headers=headers)


_TITLES = {404: "找不到 Not found", 400: "请求有误 Bad request", 406: "格式不可用 Not acceptable"}


def _html(error: ApiError, root: str = "") -> str:
    """The site's page layout (its stylesheet, navigation and a search box), no script."""
    where = (
        f"<p>At line {error.position[0]}, column {error.position[1]}.</p>" if error.position else ""
    )
    title = _TITLES.get(error.status, f"{error.status} {error.code}")
    nav = "".join(
        f'<a href="{root}{path}">{name}</a>'
        for path, name in (
            ("/", "首页 Home"),
            ("/id/", "浏览 Browse"),
            ("/query", "查询 Query"),
            ("/explore", "探索 Explore"),
            ("/audit", "审核 Audit"),
        )
    )
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{error.status} {html.escape(error.code)} · perfkg</title>"
        f'<link rel="stylesheet" href="{root}/static/style.css"></head>\n'
        f'<body><header class="site"><a class="brand" href="{root}/">perfkg '
        f"<span>预算绩效目标知识图谱</span></a><nav>{nav}</nav></header>"
        f'<main class="error-page"><h1>{error.status} {html.escape(title)}</h1>'
        f'<p class="error-message">{html.escape(error.message)}</p>{where}'
        f'<form class="filter big-search" role="search" action="{root}/search" method="get">'
        '<input type="search" name="q" placeholder="搜索 部门 / 项目 / 指标" aria-label="Search">'
        '<button type="submit">搜索 Search</button></form>'
        f'<p><a href="{root}/">首页 Home</a> · <a href="{root}/id/">浏览 Browse</a></p>'
        "</main></body></html>\n"
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return render(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    headers = dict(exc.headers or {})
    return render(
        request,
        ApiError(
            exc.status_code, _CODES.get(exc.status_code, "http_error"), message, None, headers
        ),
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors():
        where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        problems.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return render(request, ApiError(400, "bad_request", "; ".join(problems) or "bad request"))


async def _store_error(request: Request, exc: Exception) -> Response:
    return render(
        request, ApiError(503, "store_unavailable", str(exc), headers={"Retry-After": "5"})
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return render(
        request,
        ApiError(500, "internal_error", "the server failed on this request; it has been logged"),
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)


def not_acceptable(kind: Kind | None, reason: str | None = None) -> ApiError:
    """406 listing the formats there are for ``kind`` (both kinds when None)."""
    kinds = [kind] if kind is not None else [Kind.RESULTS, Kind.RDF]
    offers = "; ".join(
        f"{'SELECT/ASK' if k is Kind.RESULTS else 'CONSTRUCT/DESCRIBE'}: "
        + ", ".join(f"{f.media_type} (format={f.value})" for f in served_formats(k))
        for k in kinds
    )
    if reason is None:
        reason = f"no acceptable format for this {kind.value} answer" if kind else "no format"
    return ApiError(406, "not_acceptable", f"{reason}; available: {offers}")
