"""Every export format of every store parses back to what the store holds (compared graph by
graph with rdflib.compare.isomorphic)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from graphbuild.formats import Format, Kind
from graphbuild.graph import iris
from graphbuild.graph.build import build
from graphbuild.stores._terms import quiet_rdflib
from graphbuild.stores.base import Store, StoreError
from tests.conftest import SAMPLES, STORE_KINDS, open_test_store, running_oxigraph

BASE = "http://example.org/kg/"
DOCUMENT = "004_5c2b6dad15e272f5.txt"
RDF_FORMATS = [f for f in Format if f.kind is Kind.RDF]


@pytest.fixture(scope="module", params=STORE_KINDS)
def small(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cached_extractor
) -> Iterator[Store]:
    """One sample, the ontology and the build graph, in each kind of store."""
    directory = tmp_path_factory.mktemp(f"export-{request.param}")
    with ExitStack() as stack:
        server = None
        if request.param == "remote":
            server = stack.enter_context(running_oxigraph(directory / "server"))
        store = stack.enter_context(open_test_store(request.param, directory, server))
        assert not build([SAMPLES / DOCUMENT], store, BASE, extractor=cached_extractor).failed
        yield store


def exported(store: Store, fmt: Format, name: str | None = None) -> Dataset:
    out = io.BytesIO()
    store.export(out, fmt.media_type, name)
    with quiet_rdflib():
        return Dataset().parse(data=out.getvalue(), format=fmt.rdflib)


def graphs(dataset: Dataset) -> dict[str, Graph]:
    return {
        str(g.identifier): g
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and len(g) > 0
    }


def union(store: Store) -> Graph:
    merged = Graph()
    for name in store.graph_names():
        for triple in store.graph(name):
            merged.add(triple)
    return merged


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=str)
def test_whole_store_round_trips(small: Store, fmt: Format) -> None:
    parsed = exported(small, fmt)
    if fmt.datasets:  # named graphs kept: each one is the store's
        found = graphs(parsed)
        assert sorted(found) == small.graph_names()
        for name, graph in found.items():
            assert isomorphic(graph, small.graph(name)), name
    else:  # the union of the graphs
        merged = Graph()
        for g in parsed.graphs():
            for triple in g:
                merged.add(triple)
        assert isomorphic(merged, union(small))


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=str)
def test_one_graph_round_trips(small: Store, fmt: Format) -> None:
    name = iris.graph_iri(DOCUMENT, BASE)
    parsed = exported(small, fmt, name)
    if fmt.datasets:
        assert list(graphs(parsed)) == [name]
        assert isomorphic(graphs(parsed)[name], small.graph(name))
    else:
        assert isomorphic(parsed.default_graph, small.graph(name))


def test_jsonld_is_compacted_with_the_shipped_context(small: Store) -> None:
    out = io.BytesIO()
    small.export(out, Format.JSONLD.media_type, iris.graph_iri(DOCUMENT, BASE))
    document = json.loads(out.getvalue())
    context = json.loads((SAMPLES.parent.parent / "ontology" / "context.jsonld").read_text())
    assert "@context" in document
    assert document["id"] == iris.graph_iri(DOCUMENT, BASE)  # the context aliases @id as id
    nodes = document["@graph"]
    assert any(node.get("type") == "PerformanceTarget" for node in nodes)  # classes compacted
    terms = {key for node in nodes for key in node}
    assert {"rawValue", "comparator", "indicatorName"} <= terms <= set(context["@context"])


def test_unknown_media_type_is_a_store_error(small: Store) -> None:
    with pytest.raises(StoreError, match="supported media types"):
        small.export(io.BytesIO(), "image/png")


def test_export_to_file_is_streamed_by_oxigraph(tmp_path: Path, cached_extractor) -> None:
    """The embedded store writes N-Quads straight to the file object (no rdflib in between)."""
    from graphbuild.stores.oxigraph import OxigraphStore

    with OxigraphStore(tmp_path / "store") as store:
        build([SAMPLES / DOCUMENT], store, BASE, extractor=cached_extractor)
        target = tmp_path / "out.nq"
        with open(target, "wb") as out:
            store.export(out, Format.NQUADS.media_type)
        assert len(target.read_text(encoding="utf-8").splitlines()) == store.quad_count()
