"""HTML pages: the Jinja2 templates and the headers every page gets.

Templates live in ``service/pages/templates/`` and are always autoescaped (text from the
documents is never trusted); CSS, scripts and the vendored libraries are served from
``service/pages/static/``. Every answer carries a Content-Security-Policy
(:mod:`service.limits`) that lets the browser load and fetch nothing but this server, so no page
can reach a CDN or a remote SPARQL service even by mistake. Links between pages are
:class:`service.links.Links`.

>>> [name for name in sorted(p.name for p in TEMPLATES_DIR.glob("*.html"))][:2]
['_excerpt.html', '_findings.html']
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
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
    environment.filters["money"] = money
    environment.filters["yuan"] = yuan
    environment.filters["num"] = number
    return Jinja2Templates(env=environment)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(value: object) -> str:
    """A number with thousands separators and no trailing zeros ("" for none).

    >>> number(1234567), number("95.50"), number(None)
    ('1,234,567', '95.5', '')
    """
    found = _decimal(value)
    if found is None:
        return "" if value is None else str(value)
    text = f"{found.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: object) -> str:
    """Yuan as 万元 (as budgets print them): ``30000`` → ``3万元``.

    >>> money(30000), money("5163100"), money(0), money(None)
    ('3万元', '516.31万元', '0万元', '')
    """
    found = _decimal(value)
    if found is None:
        return ""
    return f"{number(round(found / 10000, 4))}万元"


def yuan(value: object) -> str:
    """Yuan with separators: ``30000`` → ``30,000元``."""
    found = _decimal(value)
    return "" if found is None else f"{number(found)}元"


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
