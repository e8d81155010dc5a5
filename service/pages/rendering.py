"""HTML pages: the Jinja2 templates and the headers every page gets.

Templates live in ``service/pages/templates/`` and are always autoescaped (text from the
documents is never trusted); CSS, scripts and the vendored libraries are served from
``service/pages/static/``. Every answer carries a Content-Security-Policy
(:mod:`service.limits`) that lets the browser load and fetch nothing but this server, so no page
can reach a CDN or a remote SPARQL service even by mistake. Links between pages are
:class:`service.links.Links`.

>>> [name for name in sorted(p.name for p in TEMPLATES_DIR.glob("*.html"))][:2]
['_term.html', 'api_docs.html']
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.limits import CONTENT_SECURITY_POLICY
from service.links import Links

SERVICE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"


@cache
def templates() -> Jinja2Templates:
    """The page templates, autoescaped whatever their file extension."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=environment)


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    links: Links,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a template as a page with the security headers."""
    response = templates().TemplateResponse(
        request, name, {"links": links, **context}, status_code=status_code
    )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
