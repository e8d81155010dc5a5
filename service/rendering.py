"""HTML pages: the Jinja2 templates, links between pages and the headers every page gets.

Templates live in ``service/templates/`` and are always autoescaped (text from the documents
is never trusted); CSS, scripts and the vendored YASGUI are served from ``service/static/``.
Pages carry a Content-Security-Policy that lets the browser load and fetch nothing but this
server, so no page can reach a CDN or a remote SPARQL service even by mistake.

>>> links = Links("http://example.org/kg/", "")
>>> links.href("http://example.org/kg/id/project/d.txt/12#value")
'/id/project/d.txt/12#value'
>>> links.href("https://w3id.org/perfkg/ontology#Project")
'https://w3id.org/perfkg/ontology#Project'
>>> links.curie("https://w3id.org/perfkg/ontology#Project")
'pk:Project'
>>> links.curie("http://example.org/kg/id/indicator/%E6%8A%A5%E7%BA%B8")
'indicator/报纸'
>>> preferred("text/html;q=0.9, text/turtle", ["text/html", "text/turtle"])
'text/turtle'
>>> preferred("*/*", ["text/html", "text/turtle"]), preferred("image/png", ["text/html"])
('text/html', None)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from graphbuild.vocab import CONTEXT_FILE, STANDARD_PREFIXES

SERVICE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""Only this server: YASGUI and CodeMirror set inline styles, nothing else is relaxed."""

_STANDARD_PREFIXES = {
    **STANDARD_PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


@cache
def prefixes() -> dict[str, str]:
    """Prefix → namespace: the standard ones and those of ``ontology/context.jsonld``."""
    found = dict(_STANDARD_PREFIXES)
    try:
        context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8")).get("@context", {})
    except (OSError, ValueError):
        context = {}
    for key, value in context.items():
        if isinstance(value, str) and value.endswith(("/", "#")) and "://" in value:
            found[key] = value
    return found


class Links:
    """Links between pages: IRIs under ``{base}id/`` become local ``/id/…`` links."""

    def __init__(self, base: str, root_path: str = "") -> None:
        self.base = base
        self.space = base + "id/"
        self.root = root_path.rstrip("/")

    def is_local(self, iri: str) -> bool:
        """True when the IRI is an entity of this dataset (under ``{base}id/``)."""
        return iri.startswith(self.space)

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: the local page, or the IRI itself."""
        if self.is_local(iri):
            return f"{self.root}/id/{iri[len(self.space) :]}"
        return iri

    def path(self, path: str) -> str:
        """A path of this service (``/dumps``) under the root path it is mounted at."""
        return f"{self.root}{path}"

    def curie(self, iri: str) -> str:
        """``prefix:local`` for a known namespace, the readable path of a local entity, else
        the IRI."""
        if self.is_local(iri):
            return unquote(iri[len(self.space) :])
        best = ""
        for prefix, namespace in prefixes().items():
            if iri.startswith(namespace) and len(namespace) > len(prefixes().get(best, "")):
                best = prefix
        if not best:
            return iri
        local = iri[len(prefixes()[best]) :]
        return f"{best}:{local}" if local and "/" not in local and "#" not in local else iri

    def query(self, sparql: str) -> str:
        """The query page, prefilled with ``sparql``."""
        return f"{self.root}/query?query={quote(sparql, safe='')}"


def preferred(accept: str | None, offers: list[str]) -> str | None:
    """The offer the ``Accept`` header prefers (q-values, ``type/*``, ``*/*``), or None.

    A missing or empty header gets the first offer; among equal qualities the first offer wins.
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges: list[tuple[str, float]] = []
    for item in accept.split(","):
        parts = [part.strip() for part in item.split(";")]
        quality = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if parts[0]:
            ranges.append((parts[0].lower(), quality))
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        major = offer.split("/")[0] + "/*"
        quality = None
        for candidates in ({offer}, {major}, {"*/*", "*"}):  # the most specific range wins
            matches = [q for media_range, q in ranges if media_range in candidates]
            if matches:
                quality = max(matches)
                break
        if quality is None or quality <= 0:
            continue
        score = (quality, -index)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen


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
