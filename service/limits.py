"""Request-size limit as a pure ASGI middleware: 413 in the one error shape.

The query string and the body together may not exceed ``max_bytes``. A declared
``Content-Length`` that is too large is refused before anything is read; a body sent without
one (chunked) is counted while it is read and refused when it passes the limit.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import ApiError, render


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
