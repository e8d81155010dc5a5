"""The hand-made graph of ``tests/data/queries/fixture.trig`` in a store, for the query and
audit tests; and a helper that writes answers the way the expected rows are written."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graphbuild.analysis.querying import cell
from graphbuild.graph.build import ontology_graph
from graphbuild.stores._terms import to_rdflib
from graphbuild.stores.base import Store
from graphbuild.stores.oxigraph import OxigraphStore

FIXTURE = Path(__file__).resolve().parent / "data" / "queries" / "fixture.trig"
BASE = "http://example.org/kg/"


def load_fixture(store: Store) -> Store:
    """Write the fixture's named graphs and the ontology graph into ``store``."""
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(path=FIXTURE, format=ox.RdfFormat.TRIG):
        name = quad.graph_name.value  # every quad of the fixture is in a named graph
        graph = graphs.setdefault(name, Graph(identifier=URIRef(name)))
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    for graph in graphs.values():
        store.replace_graph(graph)
    store.replace_graph(ontology_graph(BASE))
    return store


def fixture_store() -> OxigraphStore:
    """A new in-memory Oxigraph store holding the fixture."""
    store = OxigraphStore()
    load_fixture(store)
    return store


def short(value: object) -> str:
    """A value as the expected rows write it: IRIs without the base, numbers without ``.0``."""
    if isinstance(value, str) and value.startswith(BASE):
        return value[len(BASE) :]
    return cell(value)
