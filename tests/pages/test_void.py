"""VoID and DCAT: parses, negotiates, and its counts match counts made independently."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, XSD

from service.pages import void as void_page
from tests.pages.conftest import BASE, TestClient, parse

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef(f"{BASE}.well-known/void#dataset")


def number(graph: Graph, subject: object, prop: URIRef) -> int:
    value = graph.value(subject, prop)
    assert isinstance(value, Literal), (subject, prop)
    return int(value)


def test_void_in_turtle_by_default_and_json_ld_by_accept(client: TestClient) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    turtle = parse(response.text, "turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in turtle
    assert (DATASET, RDF.type, DCAT.Dataset) in turtle
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(turtle, parse(jsonld.text, "json-ld"))
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_void_counts_match_the_data(client: TestClient, dataset: Dataset) -> None:
    """The counts the build stored cover every graph but the statistics graph itself; triples
    are counted per graph (quads), the distinct counts over all graphs."""
    graph = parse(client.get("/.well-known/void").text, "turtle")
    statistics = URIRef(f"{BASE}graph/statistics")
    quads = [(s, p, o) for s, p, o, g in dataset.quads() if g != statistics]
    triples = set(quads)
    assert number(graph, DATASET, VOID.triples) == len(quads)
    assert number(graph, DATASET, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert number(graph, DATASET, VOID.distinctObjects) == len({o for _, _, o in triples})
    assert number(graph, DATASET, VOID.properties) == len({p for _, p, _ in triples})
    space = f"{BASE}id/"
    entities = {s for s, _, _ in triples if isinstance(s, URIRef) and str(s).startswith(space)}
    assert number(graph, DATASET, VOID.entities) == len(entities)
    assert str(graph.value(DATASET, VOID.uriSpace)) == space

    instances: dict[object, set[object]] = {}
    for s, _, o in (t for t in triples if t[1] == RDF.type):
        instances.setdefault(o, set()).add(s)
    classes = {
        graph.value(part, VOID["class"]): number(graph, part, VOID.entities)
        for part in graph.objects(DATASET, VOID.classPartition)
    }
    assert classes == {cls: len(members) for cls, members in instances.items()}
    assert number(graph, DATASET, VOID.classes) == len(instances)

    per_property = Counter(p for _, p, _ in quads)
    properties = {
        graph.value(part, VOID.property): number(graph, part, VOID.triples)
        for part in graph.objects(DATASET, VOID.propertyPartition)
    }
    assert properties == dict(per_property)


def test_void_lists_the_dumps_and_the_endpoint(client: TestClient) -> None:
    graph = parse(client.get("/.well-known/void").text, "turtle")
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    expected = {URIRef(f"{BASE}dumps/perfkg.{ext}") for ext in ("ttl", "trig", "nq", "jsonld")}
    assert dumps == expected
    listing = client.get("/dumps", headers={"Accept": "application/json"}).json()
    sizes = {dump["filename"]: dump["bytes"] for dump in listing["dumps"]}
    for distribution in graph.objects(DATASET, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL)
        if url is None:  # the SPARQL endpoint's distribution
            assert graph.value(distribution, DCAT.accessService) is not None
            continue
        size = graph.value(distribution, DCAT.byteSize)
        assert size is not None and size.datatype == XSD.nonNegativeInteger
        assert int(size) == sizes[str(url).rsplit("/", 1)[1]]
        assert graph.value(distribution, DCAT.mediaType) is not None
    examples = set(graph.objects(DATASET, VOID.exampleResource))
    assert examples and all(str(e).startswith(f"{BASE}id/") for e in examples)
    for example in examples:  # example resources dereference
        path = "/id/" + str(example)[len(f"{BASE}id/") :]
        assert client.get(path + ".ttl").status_code == 200


def test_the_examples_are_found_once_per_store_content(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding the example entities scans every document (~250 ms a request at 10,000
    documents): the description reuses them until the store changes."""
    calls: list[str] = []
    real = void_page.example_entities

    def counted(store: object, space: str) -> object:
        calls.append(space)
        return real(store, space)  # type: ignore[arg-type]

    monkeypatch.setattr(void_page, "example_entities", counted)
    first = client.get("/.well-known/void").text
    second = client.get("/.well-known/void").text
    assert first == second and "exampleResource" in first
    assert len(calls) <= 1
