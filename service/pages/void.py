"""The VoID and DCAT self-description of the dataset at ``/.well-known/void``.

One document (RFC 5785 well-known location, as the VoID guide recommends) describes the
dataset ``{base}.well-known/void#dataset`` as both a ``void:Dataset`` and a ``dcat:Dataset``:
title and description, the SPARQL endpoint, the URI space ``{base}id/``, the vocabularies,
the counts (distinct triples, entities, classes, properties, distinct subjects and objects),
one class partition per class and one property partition per property with their counts,
example resources, the modification time of the latest build, and the dumps as
``void:dataDump`` and ``dcat:Distribution`` (with ``dcat:byteSize`` where the size is known).
The counts come from ``queries/void_*.rq``, over the union of all graphs, distinct triples.

Turtle by default; JSON-LD or N-Triples by ``Accept``.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from graphbuild.formats import Format
from graphbuild.named_queries import named_query
from graphbuild.stores.base import Store
from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links, prefixes
from service.negotiation import preferred, prefers_html
from service.pages.dumps import Dump, dumps, fingerprint
from service.pages.rendering import page
from service.pages.statistics import (
    SERVICE_QUERIES,
    Cached,
    VoidStatistics,
    example_entities,
    void_statistics,
)

router = APIRouter(tags=["dataset description"])

VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
IANA = "http://www.iana.org/assignments/media-types/"
CACHE_SECONDS = 3600.0
"""How long counts are reused while the store's fingerprint (quad count, graph names) stays the
same; counting a store of millions of quads takes tens of seconds."""
_OFFERS = [Format.TURTLE, Format.JSONLD, Format.NTRIPLES]
_FEATURES = {
    Format.TURTLE: FORMATS_NS.Turtle,
    Format.TRIG: FORMATS_NS.TriG,
    Format.NQUADS: FORMATS_NS["N-Quads"],
    Format.JSONLD: FORMATS_NS["JSON-LD"],
    Format.NTRIPLES: FORMATS_NS["N-Triples"],
}
_VOCABULARIES = ("pk", "pkc", "lv", "pku", "skos", "prov", "dcterms", "org", "schema")


def _cache(request: Request) -> Cached[VoidStatistics]:
    state = request.app.state
    if not hasattr(state, "void_cache"):
        state.void_cache = Cached[VoidStatistics](CACHE_SECONDS)
    return state.void_cache  # type: ignore[no-any-return]


def _examples_cache(request: Request) -> Cached[list[str]]:
    """The example entities of the description, per store content (finding the first document
    scans every document: ~250 ms a request at 10,000 documents)."""
    state = request.app.state
    if not hasattr(state, "void_examples_cache"):
        state.void_examples_cache = Cached[list[str]](CACHE_SECONDS)
    return state.void_examples_cache  # type: ignore[no-any-return]


def void_graph(
    base: str,
    stats: VoidStatistics,
    dump_list: list[Dump],
    examples: Sequence[str] = (),
    modified: str | None = None,
    license: str | None = None,  # noqa: A002 (the DCTERMS term)
) -> Graph:
    """The VoID + DCAT description as an rdflib graph (pure: the caller gathers the facts)."""
    doc = URIRef(f"{base}.well-known/void")
    dataset = URIRef(f"{doc}#dataset")
    endpoint = URIRef(f"{base}sparql")
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("xsd", XSD),
        ("rdf", RDF),
        ("formats", FORMATS_NS),
        *((name, Namespace(prefixes()[name])) for name in _VOCABULARIES if name in prefixes()),
    ):
        graph.bind(prefix, namespace)
    add = graph.add
    add((doc, RDF.type, VOID.DatasetDescription))
    add((doc, DCTERMS.title, Literal("perfkg 数据集描述 (VoID / DCAT)", lang="zh")))
    add((doc, FOAF.primaryTopic, dataset))

    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal("预算绩效目标知识图谱", lang="zh")))
    add(
        (
            dataset,
            DCTERMS.title,
            Literal("perfkg: Chinese public-budget performance targets", lang="en"),
        )
    )
    add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Performance targets (绩效目标) read from published Chinese department budgets "
                "and final accounts: documents, departments, projects, targets with their "
                "indicator levels and values, self-evaluations and diagnostics, each linked to "
                "its source document and line. One named graph per source document.",
                lang="en",
            ),
        )
    )
    for keyword in ("预算绩效", "绩效目标", "部门预算", "部门决算"):
        add((dataset, DCAT.keyword, Literal(keyword, lang="zh")))
    add((dataset, DCAT.landingPage, URIRef(base)))
    add((dataset, FOAF.homepage, URIRef(base)))
    add((dataset, VOID.sparqlEndpoint, endpoint))
    add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    add((dataset, VOID.uriLookupEndpoint, URIRef(f"{base}id/")))
    for name in _VOCABULARIES:
        if name in prefixes():
            add((dataset, VOID.vocabulary, URIRef(prefixes()[name])))
    if modified:
        add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    if license:
        add((dataset, DCTERMS.license, URIRef(license)))

    totals = stats.totals
    for key, prop in (
        ("triples", VOID.triples),
        ("entities", VOID.entities),
        ("classes", VOID.classes),
        ("properties", VOID.properties),
        ("distinctSubjects", VOID.distinctSubjects),
        ("distinctObjects", VOID.distinctObjects),
    ):
        if key in totals:
            add((dataset, prop, Literal(totals[key], datatype=XSD.integer)))
    for n, (cls, entities) in enumerate(stats.classes, 1):
        part = URIRef(f"{doc}#class-{n}")
        add((dataset, VOID.classPartition, part))
        add((part, RDF.type, VOID.Dataset))
        add((part, VOID["class"], URIRef(cls)))
        add((part, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for n, (prop_iri, triples, subjects, objects) in enumerate(stats.properties, 1):
        part = URIRef(f"{doc}#property-{n}")
        add((dataset, VOID.propertyPartition, part))
        add((part, RDF.type, VOID.Dataset))
        add((part, VOID.property, URIRef(prop_iri)))
        add((part, VOID.triples, Literal(triples, datatype=XSD.integer)))
        if subjects is not None and objects is not None:
            add((part, VOID.distinctSubjects, Literal(subjects, datatype=XSD.integer)))
            add((part, VOID.distinctObjects, Literal(objects, datatype=XSD.integer)))
    for example in examples:
        add((dataset, VOID.exampleResource, URIRef(example)))

    for fmt in (Format.TURTLE, Format.NTRIPLES, Format.JSONLD):
        add((dataset, VOID.feature, _FEATURES[fmt]))
    for dump in dump_list:
        url = URIRef(dump.url(base))
        dist = URIRef(f"{doc}#dump-{dump.format.extension}")
        add((dataset, VOID.dataDump, url))
        add((dataset, DCAT.distribution, dist))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.title, Literal(f"{dump.filename} ({dump.format.value})")))
        add((dist, DCAT.downloadURL, url))
        add((dist, DCAT.accessURL, url))
        add((dist, DCAT.mediaType, URIRef(IANA + dump.format.media_type)))
        add((dist, DCTERMS.format, Literal(dump.format.media_type)))
        add((dist, DCTERMS.conformsTo, _FEATURES[dump.format]))
        if dump.size is not None:
            add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))

    service = URIRef(f"{doc}#sparql")
    access = URIRef(f"{doc}#sparql-distribution")
    add((service, RDF.type, DCAT.DataService))
    add((service, DCTERMS.title, Literal("perfkg SPARQL 1.1 endpoint", lang="en")))
    add((service, DCAT.endpointURL, endpoint))
    add((service, DCAT.servesDataset, dataset))
    add((service, DCTERMS.conformsTo, URIRef("http://www.w3.org/TR/sparql11-protocol/")))
    add((dataset, DCAT.distribution, access))
    add((access, RDF.type, DCAT.Distribution))
    add((access, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    add((access, DCAT.accessURL, endpoint))
    add((access, DCAT.accessService, service))
    return graph


def _context() -> dict[str, str]:
    names = ("void", "dcat", "dcterms", "foaf", "xsd", "rdf", *_VOCABULARIES)
    found = {name: prefixes()[name] for name in names if name in prefixes()}
    found.setdefault("foaf", str(FOAF))
    found["formats"] = str(FORMATS_NS)
    return found


def serialize(graph: Graph, fmt: Format) -> bytes:
    """The description in Turtle, N-Triples or JSON-LD (compacted with the VoID prefixes)."""
    if fmt is Format.JSONLD:
        return graph.serialize(format="json-ld", context=_context(), encoding="utf-8")
    return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")


def _page(request: Request, store: Store, base: str) -> Response:
    """The description as a page: totals, partitions, dumps, licence."""
    links = Links(base, request.scope.get("root_path", ""))
    known = fingerprint(store)
    stats = _cache(request).get(
        (known[0], links.space), lambda: void_statistics(store, links.space)
    )
    dump_list, _, _ = dumps(request, store, links, known)
    context = {
        "title": "数据集描述 VoID",
        "stats": stats,
        "classes": sorted(stats.classes, key=lambda c: -c[1]),
        "properties": sorted(stats.properties, key=lambda p: -p[1])[:60],
        "dumps": dump_list,
        "modified": _modified(store),
        "settings": request.app.state.settings,
        "vocabularies": [prefixes()[n] for n in _VOCABULARIES if n in prefixes()],
    }
    return page(request, "void.html", context, links, headers={"Vary": "Accept"})


def _modified(store: Store) -> str | None:
    rows = store.select(named_query("last_build", SERVICE_QUERIES).bind())
    value = rows[0].get("modified") if rows else None
    return None if value is None else str(value)


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset",
    response_class=Response,
    responses={200: {"content": {fmt.media_type: {} for fmt in _OFFERS}}},
)
def void(request: Request, store: StoreDep, base: BaseDep) -> Response:
    """Turtle unless the client prefers JSON-LD or N-Triples; a page for browsers (Accept
    naming text/html first, or ``format=html``); ``format=turtle|jsonld|ntriples`` overrides."""
    accept = request.headers.get("accept")
    asked = request.query_params.get("format")
    if asked is not None:
        by_name = {"html": "text/html", **{f.extension: f.media_type for f in _OFFERS}}
        by_name.update({"turtle": Format.TURTLE.media_type, "ntriples": Format.NTRIPLES.media_type})
        if asked not in by_name:
            raise ApiError(400, "bad_parameter", f"format= takes {', '.join(sorted(by_name))}")
        accept = by_name[asked]
    if prefers_html(accept):
        return _page(request, store, base)
    chosen = preferred(accept, [fmt.media_type for fmt in _OFFERS])
    if chosen is None and preferred(accept, ["application/json"]):
        chosen = Format.JSONLD.media_type
    if chosen is None:
        offered = ", ".join(fmt.media_type for fmt in _OFFERS)
        raise ApiError(406, "not_acceptable", f"the description is available as {offered}")
    fmt = Format.from_media_type(chosen)
    links = Links(base, request.scope.get("root_path", ""))
    known = fingerprint(store)
    stats = _cache(request).get(
        (known[0], links.space), lambda: void_statistics(store, links.space)
    )
    dump_list, _, _ = dumps(request, store, links, known)
    examples = _examples_cache(request).get(
        (known[0], links.space), lambda: [e.iri for e in example_entities(store, links.space)]
    )
    settings = request.app.state.settings
    graph = void_graph(base, stats, dump_list, examples, _modified(store), settings.license)
    media_type = fmt.media_type if fmt is Format.JSONLD else f"{fmt.media_type}; charset=utf-8"
    return Response(serialize(graph, fmt), media_type=media_type, headers={"Vary": "Accept"})
