"""Limits and headers every request meets, as pure ASGI middlewares, and the HTTP protocol.

- :class:`RequestSizeLimit`: the query string and the body together may not exceed
  ``max_bytes`` (413 in the one error shape). A declared ``Content-Length`` that is too large is
  refused before anything is read; a body sent without one (chunked) is counted while it is
  read and refused when it passes the limit.
- :class:`SecurityHeaders`: the Content-Security-Policy (and ``nosniff``) on every answer.
- :class:`JsonErrorH11Protocol`: what uvicorn answers to a request it cannot read, which never
  reaches the application (a request line longer than the server's own limit, set by
  ``perfkg serve`` a little above ``max_bytes``), in the same JSON error shape.
"""

from __future__ import annotations

import json

import h11
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.errors import ApiError, render

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""Only this server: YASGUI, CodeMirror and Swagger UI set inline styles, nothing else is
relaxed."""


def too_large(limit: int) -> ApiError:
    """The 413 error."""
    return ApiError(
        413,
        "request_too_large",
        f"the request is larger than the {limit} byte limit; shorten the query "
        "(or ask the operator for a larger PERFKG_MAX_REQUEST_BYTES)",
    )


class RequestSizeLimit:
    """Refuse requests whose query string plus body exceed ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        used = len(scope.get("query_string", b""))
        declared = _content_length(scope)
        if used > self.max_bytes or (declared is not None and used + declared > self.max_bytes):
            response = render(Request(scope), too_large(self.max_bytes))
            await response(scope, receive, send)
            return
        limit = self.max_bytes

        async def counted() -> Message:
            nonlocal used
            message = await receive()
            if message["type"] == "http.request":
                used += len(message.get("body", b""))
                if used > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class SecurityHeaders:
    """Every answer, error pages included, says what the browser may load (only this server),
    not to guess media types, and not to send the page's address elsewhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, with_headers)


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, answering a request it cannot read (a request line or
    headers past the limit the server sets, or not HTTP at all) in the one JSON error shape."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(
            ApiError(
                400,
                "bad_request",
                "the request could not be read: its request line or headers are too long or "
                "malformed; send a long query with POST (a form or an application/sparql-query "
                "body)",
            ).payload()
        ).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"connection", b"close"),
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()
