"""The SPARQL 1.1 Service Description of ``/sparql`` (what a bare ``GET /sparql`` returns).

>>> from service.settings import Settings
>>> graph = service_description("http://127.0.0.1:8000/sparql", Settings())
>>> (URIRef("http://127.0.0.1:8000/sparql"), SD.feature, SD.UnionDefaultGraph) in graph
True
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from graphbuild import __version__
from graphbuild.formats import Format, Kind
from service.negotiation import served_formats
from service.settings import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_FORMAT_IRIS = {
    Format.JSON: FORMATS.SPARQL_Results_JSON,
    Format.XML: FORMATS.SPARQL_Results_XML,
    Format.CSV: FORMATS.SPARQL_Results_CSV,
    Format.TSV: FORMATS.SPARQL_Results_TSV,
    Format.TURTLE: FORMATS.Turtle,
    Format.NTRIPLES: FORMATS["N-Triples"],
    Format.JSONLD: FORMATS["JSON-LD"],
    Format.RDFXML: FORMATS.RDF_XML,
}


def service_description(endpoint: str, settings: Settings) -> Graph:
    """An ``sd:Service`` for the endpoint at ``endpoint`` with these settings."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.updates_enabled:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for kind in (Kind.RESULTS, Kind.RDF):
        for fmt in served_formats(kind):
            graph.add((service, SD.resultFormat, _FORMAT_IRIS[fmt]))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                f"perfkg {__version__}: Chinese budget performance targets. The default graph "
                "is the union of the named graphs (one per source document). Answers are cut "
                f"at {settings.max_rows} rows (header X-PerfKG-Truncated); queries stop after "
                f"{settings.query_timeout:g} s.",
                lang="en",
            ),
        )
    )
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((dataset, VOID.sparqlEndpoint, service))
    graph.add((dataset, DCTERMS.source, URIRef(settings.base)))
    return graph
