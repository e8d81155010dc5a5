"""Fixtures for the web pages: one store built from the samples, served by the app factory.

The base IRI is deliberately not the test client's host (``testserver``): entity IRIs must
resolve through the configured base, whatever host the request came to. One extra graph holds
an entity whose literals are HTML/JavaScript, to check they are rendered inert.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graphbuild.analysis.audit_graph import document_findings, record
from graphbuild.graph.build import build
from graphbuild.graph.statistics import refresh
from graphbuild.stores.oxigraph import OxigraphStore
from graphbuild.vocab import PK

with warnings.catch_warnings():
    # starlette asks for httpx2 where httpx is installed; the client works the same
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
BASE = "http://data.example.org/kg/"
EVIL_DOCUMENT = f"{BASE}id/document/evil.txt"
EVIL = f"{BASE}id/project/evil.txt/7"
SCRIPT = "<script>alert('perfkg')</script>档案服务"
IMAGE = '<img src="x" onerror="alert(1)">'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def evil_graph() -> Graph:
    """A document graph whose project label and overview are markup."""
    graph = Graph(identifier=URIRef(f"{BASE}graph/evil.txt"))
    doc, project = URIRef(EVIL_DOCUMENT), URIRef(EVIL)
    graph.add((doc, RDF.type, PK.Document))
    graph.add((doc, DCTERMS.identifier, Literal("evil.txt")))
    graph.add((project, RDF.type, PK.Project))
    graph.add((project, RDFS.label, Literal(SCRIPT, lang="zh")))
    graph.add((project, PK.overview, Literal(IMAGE, lang="zh")))
    graph.add((project, PROV.wasDerivedFrom, doc))
    graph.add((project, PK.sourceLine, Literal(7, datatype=XSD.integer)))
    return graph


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph store directory with the four samples and the evil graph."""
    path = tmp_path_factory.mktemp("pages") / "store"
    with OxigraphStore(path) as store:
        report = build([SAMPLES], store, base=BASE, finishing=[record], check=document_findings)
        assert not report.failed
        store.replace_graph(evil_graph())
        refresh(store, BASE)  # a writer after the build keeps the statistics right,
        store.publish()  # and publishes what a running server reads
    return path


@pytest.fixture(scope="session")
def dataset(store_dir: Path) -> Dataset:
    """Every quad of the store as an rdflib Dataset (the reference for counts).

    Read with Oxigraph's own N-Quads writer and rdflib's parser, not through the service.
    """
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_dir))
    return parse_dataset(store.dump(format=pyoxigraph.RdfFormat.N_QUADS), "nquads")


@pytest.fixture(scope="session")
def client(store_dir: Path) -> Iterator[TestClient]:
    """The app over the store, through its lifespan (one query worker)."""
    from service.app import create_app
    from service.settings import Settings

    settings = Settings(store=store_dir, base=BASE, max_concurrent_queries=1)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def parse(text: str | bytes, rdf_format: str) -> Graph:
    """A graph (the union, for dataset formats) parsed from a response body."""
    found = Graph()
    for s, p, o, _ in parse_dataset(text, rdf_format).quads():
        found.add((s, p, o))
    return found


def parse_dataset(text: str | bytes, rdf_format: str) -> Dataset:
    """A dataset parsed from a response body (rdflib's JSON-LD parser warns about itself)."""
    dataset = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format=rdf_format)
    return dataset
