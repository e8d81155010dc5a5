"""The dataset's own pages: ``/about`` (source, licence, builds, the SPARQL service described),
``/def/…`` (the ontology, levels, code lists and units, resolved locally), ``/health`` and the
Graph Store Protocol's read side, ``GET /store?graph=…``.

- ``GET /about``: what the data is, where it comes from (documents, their files and hashes on
  each document page, the build runs), its licence (``PERFKG_LICENSE``; "not stated" when unset,
  never guessed), and the SPARQL service (endpoint, formats, limits): the service description
  for browsers (``GET /sparql`` gives it as RDF).
- ``GET /def/ontology``: every class and property of ``ontology/perfkg.ttl`` with labels and
  definitions (each term an anchor: ``https://w3id.org/perfkg/ontology#Project`` links to
  ``/def/ontology#Project``); ``GET /def/{levels|code|units}/{name}``: one concept's page. The
  ``w3id.org`` IRIs need no network: :class:`service.links.Links` points them here.
- ``GET /health``: 200 ``{"status": "ok", …}`` when the store answers a query.
- ``GET /store?graph=IRI`` (or ``?default``): one named graph (or the union) as Turtle or
  N-Triples, streamed (SPARQL 1.1 Graph Store HTTP Protocol, read only).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from graphbuild.formats import Format
from graphbuild.named_queries import named_query
from service.deps import BaseDep, SettingsDep, StoreDep
from service.errors import ApiError
from service.negotiation import preferred
from service.pages import entity as model
from service.pages.catalogue import SERVICE_QUERIES
from service.pages.dumps import stream_export
from service.pages.rendering import page
from service.pages.shared import catalogue_of, links_of

router = APIRouter(tags=["pages"])
VOCABULARY = "https://w3id.org/perfkg/"
PK = "https://w3id.org/perfkg/ontology#"
_GSP_FORMATS = [Format.TURTLE, Format.NTRIPLES, Format.NQUADS]


@router.get("/about", response_class=HTMLResponse, summary="Source, licence and the service")
def about(request: Request, store: StoreDep, settings: SettingsDep, base: BaseDep) -> HTMLResponse:
    links = links_of(request, base)
    catalogue = catalogue_of(request, store, links)
    builds = store.select(named_query("last_build", SERVICE_QUERIES).bind())
    context: dict[str, Any] = {
        "title": "数据来源与许可 About",
        "settings": settings,
        "documents": catalogue.count("documents"),
        "build": builds[0] if builds else {},
        "formats": [fmt for fmt in Format],
        "audit": catalogue.audit,
        "catalogue_seconds": catalogue.seconds,
    }
    return page(request, "about.html", context, links)


@router.get("/def/{path:path}", response_class=HTMLResponse, summary="Ontology terms, locally")
def definition(path: str, request: Request, store: StoreDep, base: BaseDep) -> HTMLResponse:
    links = links_of(request, base)
    if path in ("", "ontology"):
        rows = store.select(named_query("ontology_terms", SERVICE_QUERIES).bind())
        terms: dict[str, dict[str, Any]] = {}
        for row in rows:
            term = terms.setdefault(
                str(row["term"]), {"iri": str(row["term"]), "kinds": set(), "labels": {}}
            )
            term["kinds"].add(str(row["kind"]).rsplit("#", 1)[-1])
            for key in ("label", "definition", "domain", "range"):
                if row.get(key) is not None:
                    lang = str(row.get(f"{key}Lang") or "")
                    term["labels"].setdefault(key, {})[lang] = str(row[key])
        ordered = sorted(terms.values(), key=lambda t: ("Class" not in t["kinds"], t["iri"]))
        context = {"title": "本体 Ontology", "terms": ordered, "pk": PK}
        return page(request, "ontology.html", context, links)
    iri = VOCABULARY + path
    described = model.describe(store, iri) if model.is_safe_iri(iri) else None
    if described is None:
        raise ApiError(404, "not_found", f"no term <{iri}> in the ontology graph")
    catalogue = catalogue_of(request, store, links)
    shaped: dict[str, Any] = {}
    level = catalogue.sql("SELECT level FROM concepts WHERE iri = ?", (iri,))
    if level and level[0][0]:
        column = "level1" if int(level[0][0]) == 1 else "level2"
        counts = catalogue.sql(
            f"SELECT COALESCE(SUM(targets), 0) FROM indicator_usage WHERE {column} = ?", (iri,)
        )
        shaped = {
            "targets": int(counts[0][0]),
            "list": links.path(f"/id/indicator/?{column}={iri}"),
        }
    context = {
        "entity": described,
        "kind": "concept",
        "view": shaped,
        "title": described.label or links.curie(iri),
        "alternates": [],
        "describe_link": links.query(f"DESCRIBE <{iri}>"),
        "incoming_limit": model.INCOMING_LIMIT,
    }
    return page(request, "entity.html", context, links)


@router.get("/health", summary="200 when the store answers")
def health(request: Request, store: StoreDep) -> JSONResponse:
    try:
        store.select("SELECT * WHERE {} LIMIT 1")
    except Exception as error:  # the store is not answering: say so
        return JSONResponse({"status": "error", "message": str(error)}, status_code=503)
    state = request.app.state
    built = getattr(getattr(state, "catalogue", None), "_current", None)
    return JSONResponse(
        {
            "status": "ok",
            "store": str(getattr(store, "serving", "remote")),
            "catalogue": None if built is None else {"seconds": round(built.seconds, 2)},
        }
    )


@router.get("/store", summary="Graph Store Protocol, read: one graph (?graph=IRI) or ?default")
def graph_store(request: Request, store: StoreDep) -> Response:
    params = request.query_params
    name = params.get("graph")
    if name is None and "default" not in params:
        raise ApiError(400, "bad_parameter", "give ?graph=IRI (a named graph) or ?default")
    if name is not None and (not model.is_safe_iri(name) or name not in store.graph_names()):
        raise ApiError(404, "not_found", f"no graph <{name}> in the store")
    accept = request.headers.get("accept")
    chosen = preferred(accept, [fmt.media_type for fmt in _GSP_FORMATS])
    if chosen is None:
        offered = ", ".join(fmt.media_type for fmt in _GSP_FORMATS)
        raise ApiError(406, "not_acceptable", f"graphs are available as {offered}")
    fmt = Format.from_media_type(chosen)
    media_type = fmt.media_type + ("" if fmt is Format.JSONLD else "; charset=utf-8")
    return StreamingResponse(stream_export(store, fmt, name=name), media_type=media_type)
