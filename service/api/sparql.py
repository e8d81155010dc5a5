"""The SPARQL 1.1 Protocol at ``/sparql``.

- ``GET /sparql?query=…`` and ``POST /sparql`` with a form (``query=`` or ``update=``) or a
  direct body (``application/sparql-query``, ``application/sparql-update``);
- ``default-graph-uri`` / ``named-graph-uri`` set the dataset (without them the default graph
  is the union of all named graphs, one per source document);
- answers in the negotiated format (``Accept`` with q-values and wildcards) or the one named
  by ``format=`` (json, xml, csv, tsv for SELECT/ASK; turtle, ntriples, jsonld, rdfxml for
  CONSTRUCT/DESCRIBE, or a media type); none acceptable → 406 listing the choices;
- a bare ``GET /sparql`` is the service description (browsers go to the query page);
- read-only unless an admin token is configured and sent as ``Authorization: Bearer …``;
  ``SERVICE`` and ``LOAD`` only to allow-listed endpoints (checked by the executor, which runs
  every query and update, see :mod:`service.sparql.policy`);
- answers cut at ``max_rows`` carry ``X-PerfKG-Truncated: true`` and ``X-PerfKG-Row-Limit``
  (and, in JSON results, ``"truncated": true``); every answer carries ``X-PerfKG-Rows``.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from urllib.parse import parse_qs

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.routing import Match

from graphbuild.formats import DEFAULTS, Format, Kind
from service.deps import SettingsDep, get_executor
from service.errors import ApiError, not_acceptable
from service.negotiation import from_parameter, negotiate, prefers_html, served_formats
from service.settings import Settings
from service.sparql.description import service_description
from service.sparql.executor import QueryJob
from service.sparql.policy import dataset_of, form_of, mentions

router = APIRouter(tags=["SPARQL"])

_KINDS = {"SELECT": Kind.RESULTS, "ASK": Kind.RESULTS, "CONSTRUCT": Kind.RDF, "DESCRIBE": Kind.RDF}

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

_ERROR = {
    "description": "The one error shape",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {
                            "status": {"type": "integer"},
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "position": {
                                "type": ["object", "null"],
                                "properties": {
                                    "line": {"type": "integer"},
                                    "column": {"type": "integer"},
                                },
                            },
                        },
                        "required": ["status", "code", "message", "position"],
                    }
                },
                "required": ["error"],
            }
        }
    },
}
_RESULT_CONTENT: dict[str, Any] = {
    fmt.media_type: {"schema": {"type": "string"}}
    for kind in (Kind.RESULTS, Kind.RDF)
    for fmt in served_formats(kind)
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Query results or a graph", "content": _RESULT_CONTENT},
    400: _ERROR,
    401: _ERROR,
    403: _ERROR,
    406: _ERROR,
    413: _ERROR,
    415: _ERROR,
    503: _ERROR,
    504: _ERROR,
}
_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "A SPARQL query"},
                        "update": {"type": "string", "description": "A SPARQL update"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
            SPARQL_QUERY: {"schema": {"type": "string"}},
            SPARQL_UPDATE: {"schema": {"type": "string"}},
        },
    }
}

QueryText = Annotated[
    str | None, Query(description="A SPARQL query; without it, the service description.")
]
DefaultGraphs = Annotated[
    list[str] | None,
    Query(alias="default-graph-uri", description="IRIs of the graphs merged as default graph."),
]
NamedGraphs = Annotated[
    list[str] | None,
    Query(alias="named-graph-uri", description="IRIs of the graphs GRAPH can reach."),
]
FormatName = Annotated[
    str | None,
    Query(
        alias="format",
        description="Answer format, overriding Accept: json, xml, csv, tsv, turtle, ntriples, "
        "jsonld, rdfxml (or a media type).",
    ),
]


@router.get("/sparql", name="sparql", summary="SPARQL query (GET)", responses=_RESPONSES)
async def sparql_get(
    request: Request,
    settings: SettingsDep,
    query: QueryText = None,
    default_graph_uri: DefaultGraphs = None,
    named_graph_uri: NamedGraphs = None,
    format_name: FormatName = None,
) -> Response:
    """Run a query given in the URL; without ``query``, describe the service."""
    params = request.query_params
    if "update" in params:
        raise ApiError(
            400, "bad_request", "send updates with POST (update= in a form, or sparql-update)"
        )
    queries = params.getlist("query")
    if not queries:
        return _describe(request, settings, format_name)
    if len(queries) > 1:
        raise ApiError(400, "bad_request", "send one query= parameter, not several")
    return await _query(
        request,
        settings,
        queries[0],
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        format_name,
    )


@router.post(
    "/sparql",
    summary="SPARQL query or update (POST)",
    responses={**_RESPONSES, 204: {"description": "Update done"}},
    openapi_extra=_POST_BODY,
)
async def sparql_post(
    request: Request, settings: SettingsDep, format_name: FormatName = None
) -> Response:
    """A form with ``query=`` or ``update=``, or a query or update as the body."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    url = request.query_params
    if content_type == FORM:
        form = _form(await request.body())
        queries, updates = form.get("query", []), form.get("update", [])
        if len(queries) + len(updates) != 1:
            raise ApiError(400, "bad_request", "send exactly one query= or update= in the form")
        if form.get("using-graph-uri") or form.get("using-named-graph-uri"):
            raise ApiError(
                400,
                "bad_request",
                "using-graph-uri and using-named-graph-uri are not supported; "
                "write USING / USING NAMED in the update",
            )
        if updates:
            return await _update(request, settings, updates[0])
        return await _query(
            request,
            settings,
            queries[0],
            form.get("default-graph-uri", []) + url.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + url.getlist("named-graph-uri"),
            format_name or (form.get("format") or [None])[0],
        )
    if content_type == SPARQL_QUERY:
        return await _query(
            request,
            settings,
            _text(await request.body()),
            url.getlist("default-graph-uri"),
            url.getlist("named-graph-uri"),
            format_name,
        )
    if content_type == SPARQL_UPDATE:
        return await _update(request, settings, _text(await request.body()))
    raise ApiError(
        415,
        "unsupported_media_type",
        f"POST a form ({FORM}) or a body of type {SPARQL_QUERY} or {SPARQL_UPDATE}, "
        f"not {content_type or 'no Content-Type'}",
    )


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "the request body is not UTF-8") from None


def _form(body: bytes) -> dict[str, list[str]]:
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(
            400, "bad_request", "the form is not valid URL-encoded UTF-8 (percent-encode it)"
        ) from None


# queries


async def _query(
    request: Request,
    settings: Settings,
    sparql: str,
    default_graphs: list[str],
    named_graphs: list[str],
    format_name: str | None,
) -> Response:
    results_format, rdf_format = await _formats(request.headers.get("accept"), format_name, sparql)
    dataset = bool(default_graphs or named_graphs)
    own_dataset = False
    if not dataset and mentions(sparql, "from"):  # the query's FROM then replaces the union
        found = await anyio.to_thread.run_sync(dataset_of, sparql, settings.base)
        own_dataset = bool(found and (found[0] or found[1]))
    job = QueryJob(
        sparql=sparql,
        results_format=results_format.value if results_format else None,
        rdf_format=rdf_format.value if rdf_format else None,
        max_rows=settings.max_rows,
        union=not own_dataset,
        default_graphs=tuple(_iris(default_graphs, "default-graph-uri")) if dataset else None,
        named_graphs=tuple(_iris(named_graphs, "named-graph-uri")) if dataset else None,
        base_iri=settings.base,
    )
    executor = await get_executor(request)
    outcome = await executor.query(job)
    headers = {"Vary": "Accept", "X-PerfKG-Rows": str(outcome.rows)}
    if outcome.truncated:
        headers["X-PerfKG-Truncated"] = "true"
        headers["X-PerfKG-Row-Limit"] = str(settings.max_rows)
    return Response(outcome.body, media_type=outcome.format.media_type, headers=headers)


async def _formats(
    accept: str | None, format_name: str | None, sparql: str
) -> tuple[Format | None, Format | None]:
    """The results format and the graph format to answer in, None for a kind the client
    accepts no format of (406 once the answer turns out to be of that kind); 406 at once when
    neither kind has one, listing the formats of the query's kind when it can be read."""
    chosen: dict[Kind, Format | None] = {}
    if format_name:
        for kind in (Kind.RESULTS, Kind.RDF):
            try:
                named = from_parameter(format_name, kind)
            except ValueError:
                continue
            if named.kind is kind and named in served_formats(kind):
                chosen[kind] = named
        if chosen:
            return chosen.get(Kind.RESULTS), chosen.get(Kind.RDF)
        reason = f"format={format_name!r} is not a format"
    else:
        chosen = {kind: negotiate(accept, kind) for kind in (Kind.RESULTS, Kind.RDF)}
        if any(fmt is not None for fmt in chosen.values()):
            return chosen.get(Kind.RESULTS), chosen.get(Kind.RDF)
        reason = "no acceptable format"
    form = await anyio.to_thread.run_sync(form_of, sparql)
    kind = _KINDS.get(form or "")
    if kind is not None:
        reason = f"no acceptable format for this {kind.value} answer"
    raise not_acceptable(kind, reason)


def _iris(values: list[str], parameter: str) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise ApiError(
                400, "bad_request", f"{parameter}={value!r} is not an absolute IRI"
            ) from None
        if ":" not in value:
            raise ApiError(400, "bad_request", f"{parameter}={value!r} is not an absolute IRI")
    return values


# updates


async def _update(request: Request, settings: Settings, sparql: str) -> Response:
    _authorize(request, settings)
    executor = await get_executor(request)
    await executor.update(sparql)
    return Response(status_code=204)


def _authorize(request: Request, settings: Settings) -> None:
    if settings.admin_token is None:
        raise ApiError(
            403,
            "updates_disabled",
            "this endpoint is read-only; the operator enables updates with PERFKG_ADMIN_TOKEN",
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.admin_token.get_secret_value().encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode("utf-8"), expected
    ):
        raise ApiError(
            401,
            "unauthorized",
            "updates need the admin token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="perfkg"'},
        )


# the service description


def _describe(request: Request, settings: Settings, format_name: str | None) -> Response:
    accept = request.headers.get("accept")
    if format_name is None and prefers_html(accept) and _has_route(request, "/query"):
        return RedirectResponse("/query", status_code=303)
    fmt: Format | None
    if format_name:
        try:
            fmt = from_parameter(format_name, Kind.RDF)
        except ValueError:
            raise not_acceptable(Kind.RDF, f"format={format_name!r} is not a format") from None
    else:
        fmt = negotiate(accept, Kind.RDF) or DEFAULTS[Kind.RDF]
    if fmt not in served_formats(Kind.RDF):
        raise not_acceptable(Kind.RDF, "the service description is a graph")
    endpoint = str(request.url_for("sparql"))
    body = service_description(endpoint, settings).serialize(format=fmt.rdflib, encoding="utf-8")
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def _has_route(request: Request, path: str) -> bool:
    """Whether the application answers ``GET path`` (the UI's routers are optional)."""
    scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "headers": []}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)
