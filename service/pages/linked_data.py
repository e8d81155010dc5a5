"""Linked-data pages: every entity IRI under the configured base dereferences at ``/id/…``.

``GET /id/{path}`` stands for the IRI ``{base}id/{path}``, where ``base`` is the configured
``PERFKG_BASE`` (not the host the request came to), so IRIs minted at build time resolve
whichever host name or proxy serves them. The path is taken as the client sent it
(percent-escapes kept, so ``%2F`` inside a key stays a key character; raw UTF-8 and
lower-case escapes are normalised to the upper-case escapes the IRIs are minted with).

One URL, several representations (200, no redirect): a browser (``Accept: text/html``) gets
the HTML page; RDF clients get Turtle (the default for ``*/*``), JSON-LD compacted with
``ontology/context.jsonld``, or N-Triples, chosen by ``Accept`` or by an extension
(``/id/….ttl``, ``.jsonld``, ``.nt``, ``.html``). A negotiated answer names its
format-specific URL in ``Content-Location``, says ``Vary: Accept`` and lists the other formats
in ``Link: rel="alternate"`` headers. An IRI that is in no triple answers 404 in the JSON
error shape; an ``Accept`` with none of the formats answers 406.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from graphbuild.formats import Format
from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links
from service.negotiation import preferred
from service.pages import budget
from service.pages import entity as model
from service.pages.rendering import page
from service.pages.shared import catalogue_of

router = APIRouter(tags=["linked data"])

HTML = "text/html"
FORMATS = {
    "ttl": Format.TURTLE,
    "jsonld": Format.JSONLD,
    "nt": Format.NTRIPLES,
}
"""Extension → RDF format of the entity's representations."""
_OFFERS = [Format.TURTLE.media_type, HTML, Format.JSONLD.media_type, Format.NTRIPLES.media_type]
_ALIASES = {"application/json": Format.JSONLD, "application/x-turtle": Format.TURTLE}
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/"
)
_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")


def canonical_path(raw: bytes) -> str:
    """A request path as the IRIs are minted: escapes kept and upper-cased, the rest escaped.

    >>> canonical_path("/id/indicator/报纸".encode())
    '/id/indicator/%E6%8A%A5%E7%BA%B8'
    >>> canonical_path(b"/id/department/a%2fb c")
    '/id/department/a%2Fb%20c'
    """
    out: list[str] = []
    position = 0
    while position < len(raw):
        byte = raw[position]
        if byte == 0x25 and _ESCAPE.match(raw, position):
            out.append(raw[position : position + 3].decode("ascii").upper())
            position += 3
            continue
        out.append(chr(byte) if byte in _UNRESERVED else f"%{byte:02X}")
        position += 1
    return "".join(out)


def _entity_path(request: Request) -> str:
    """The part of the request path after ``/id/``, as the client sent it."""
    raw = request.scope.get("raw_path") or quote(request.scope["path"]).encode("ascii")
    path = canonical_path(raw.split(b"?", 1)[0])
    root = request.scope.get("root_path", "").rstrip("/")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return path[len("/id/") :] if path.startswith("/id/") else ""


def _not_found(iri: str) -> ApiError:
    return ApiError(
        404, "not_found", f"no entity <{iri}> in this dataset; the home page links to examples"
    )


@router.get(
    "/id/{path:path}",
    summary="An entity's page (HTML) or description (Turtle, JSON-LD, N-Triples)",
    response_class=Response,
    responses={
        200: {
            "content": {
                HTML: {},
                Format.TURTLE.media_type: {},
                Format.JSONLD.media_type: {},
                Format.NTRIPLES.media_type: {},
            }
        },
        404: {"description": "no triple mentions the IRI"},
        406: {"description": "none of the formats is acceptable"},
    },
)
def entity(path: str, request: Request, store: StoreDep, base: BaseDep) -> Response:
    """Dereference ``{base}id/{path}``; see the module docstring."""
    links = Links(base, request.scope.get("root_path", ""))
    del path  # the decoded path loses escapes such as %2F: read the raw one
    rest = _entity_path(request)
    iri = links.space + rest
    chosen: str | None = None
    if not rest or not model.is_safe_iri(iri):
        raise _not_found(iri)
    if not model.exists(store, iri):
        stem, dot, extension = rest.rpartition(".")
        candidate = links.space + stem
        if not dot or extension not in (*FORMATS, "html") or not model.exists(store, candidate):
            raise _not_found(iri)
        iri, rest = candidate, stem
        chosen = HTML if extension == "html" else FORMATS[extension].media_type
    negotiated = chosen is None
    if chosen is None:
        accept = request.headers.get("accept")
        chosen = preferred(accept, _OFFERS) or _alias(accept)
    if chosen is None:
        offered = ", ".join(_OFFERS)
        raise ApiError(406, "not_acceptable", f"this page is available as {offered}")
    headers = _headers(links, rest, chosen, negotiated)
    if chosen == HTML:
        described = model.describe(store, iri)
        if described is None:
            raise _not_found(iri)
        catalogue = catalogue_of(request, store, links)
        kind, shaped = budget.view(store, catalogue, described, links)
        title = described.label or links.curie(iri)
        if kind == "document" and shaped["record"].get("title"):
            title = shaped["record"]["title"]
        context = {
            "entity": described,
            "kind": kind,
            "view": shaped,
            "title": title,
            "alternates": _alternates(links, rest),
            "describe_link": links.query(f"DESCRIBE {ox.NamedNode(iri)}"),
            "incoming_limit": model.INCOMING_LIMIT,
        }
        return page(request, "entity.html", context, links, headers=headers)
    fmt = Format.from_media_type(chosen)
    body = model.entity_rdf(store, iri, fmt)
    media_type = fmt.media_type
    if fmt is not Format.JSONLD:
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers=headers)


def _alias(accept: str | None) -> str | None:
    found = preferred(accept, list(_ALIASES))
    return _ALIASES[found].media_type if found else None


def _alternates(links: Links, rest: str) -> list[tuple[str, str, str]]:
    """(name, href, media type) of each RDF representation."""
    here = links.path(f"/id/{rest}")
    return [
        ("Turtle", f"{here}.ttl", Format.TURTLE.media_type),
        ("JSON-LD", f"{here}.jsonld", Format.JSONLD.media_type),
        ("N-Triples", f"{here}.nt", Format.NTRIPLES.media_type),
    ]


def _headers(links: Links, rest: str, chosen: str, negotiated: bool) -> dict[str, str]:
    here = links.path(f"/id/{rest}")
    extension = "html" if chosen == HTML else Format.from_media_type(chosen).extension
    alternates = [
        f'<{href}>; rel="alternate"; type="{media}"' for _, href, media in _alternates(links, rest)
    ]
    alternates.append(f'<{here}.html>; rel="alternate"; type="{HTML}"')
    headers = {"Link": ", ".join(alternates), "Vary": "Accept"}
    if negotiated:
        headers["Content-Location"] = f"{here}.{extension}"
    return headers
