"""Every store behind the one interface, on small hand-made graphs.

Each test runs on rdflib in memory, Oxigraph on disk and a real `oxigraph serve` (marker
``server``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from graphbuild.stores import open_store
from graphbuild.stores._terms import quiet_rdflib
from graphbuild.stores.base import GraphDataError, Store, StoreError
from graphbuild.stores.oxigraph import OxigraphStore

EX = Namespace("http://example.org/")


def graph(name: str, n: int = 3, label: str = "目标") -> Graph:
    g = Graph(identifier=EX[f"graph/{name}"])
    for i in range(n):
        s = EX[f"{name}/t{i}"]
        g.add((s, EX.label, Literal(f"{label} {i}", lang="zh")))
        g.add((s, EX.number, Literal(i)))
        g.add((s, EX.amount, Literal("1.5", datatype=XSD.decimal)))
        g.add((s, EX.text, Literal('quote " back \\ tab \t newline \n ≥95%')))
    return g


def test_replace_graph_and_read_back(store: Store) -> None:
    a, b = graph("a"), graph("b", 2)
    assert store.replace_graph(a) == len(a) == 12
    assert store.replace_graph(b) == 8
    assert store.graph_names() == [str(EX["graph/a"]), str(EX["graph/b"])]
    assert store.quad_count() == 20
    assert store.quad_count(str(EX["graph/b"])) == 8
    assert store.quad_count(str(EX["graph/none"])) == 0
    assert isomorphic(store.graph(str(EX["graph/a"])), a)
    assert len(store.graph(str(EX["graph/none"]))) == 0


def test_replace_is_exact_and_leaves_other_graphs(store: Store) -> None:
    store.replace_graph(graph("a"))
    store.replace_graph(graph("b"))
    changed = graph("a", 1, label="新")
    assert store.replace_graph(changed) == 4
    assert isomorphic(store.graph(str(EX["graph/a"])), changed)
    assert isomorphic(store.graph(str(EX["graph/b"])), graph("b"))
    assert store.quad_count() == 16


def test_replace_with_empty_graph_and_drop(store: Store) -> None:
    store.replace_graph(graph("a"))
    store.replace_graph(graph("b"))
    assert store.replace_graph(Graph(identifier=EX["graph/a"])) == 0
    assert store.graph_names() == [str(EX["graph/b"])]
    store.drop_graph(str(EX["graph/b"]))
    store.drop_graph(str(EX["graph/never"]))  # no error
    assert store.graph_names() == []
    assert store.quad_count() == 0


def test_select_sees_the_union_as_python_values(store: Store) -> None:
    store.replace_graph(graph("a", 2))
    store.replace_graph(graph("b", 1))
    rows = store.select(
        "PREFIX ex: <http://example.org/> "
        "SELECT ?s ?n ?amount ?missing WHERE { ?s ex:number ?n ; ex:amount ?amount "
        "OPTIONAL { ?s ex:nothing ?missing } } ORDER BY ?s"
    )
    assert rows == [
        {"s": str(EX["a/t0"]), "n": 0, "amount": Decimal("1.5"), "missing": None},
        {"s": str(EX["a/t1"]), "n": 1, "amount": Decimal("1.5"), "missing": None},
        {"s": str(EX["b/t0"]), "n": 0, "amount": Decimal("1.5"), "missing": None},
    ]
    count = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count == [{"n": 12}]


@pytest.mark.parametrize(
    ("media_type", "check"),
    [
        ("application/sparql-results+json", lambda b: json.loads(b)["results"]["bindings"]),
        ("application/sparql-results+xml", lambda b: b"<sparql" in b),
        ("text/csv", lambda b: list(csv.reader(io.StringIO(b.decode())))[0] == ["label"]),
        ("text/tab-separated-values", lambda b: b.decode().splitlines()[0] == "?label"),
    ],
)
def test_query_select_in_every_results_format(store: Store, media_type: str, check) -> None:
    store.replace_graph(graph("a", 1))
    body, returned = store.query(
        "SELECT ?label WHERE { ?s <http://example.org/label> ?label }", media_type
    )
    assert returned.split(";")[0] == media_type
    assert check(body)
    assert "目标 0".encode() in body


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_query_construct_in_every_graph_format(
    store: Store, media_type: str, rdflib_format: str
) -> None:
    a = graph("a", 2)
    store.replace_graph(a)
    body, returned = store.query("CONSTRUCT WHERE { ?s ?p ?o }", media_type)
    assert returned.split(";")[0] == media_type
    with quiet_rdflib():
        parsed = Dataset().parse(data=body, format=rdflib_format)
    assert isomorphic(union(parsed), a)


def test_ask_and_update(store: Store) -> None:
    body, media_type = store.query("ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False
    store.update(
        "INSERT DATA { GRAPH <http://example.org/graph/u> { <http://example.org/s> "
        '<http://example.org/p> "o" } }'
    )
    assert store.graph_names() == ["http://example.org/graph/u"]
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "o"}]


def test_errors_are_store_errors(store: Store) -> None:
    with pytest.raises(StoreError):
        store.select("SELEC nonsense")
    with pytest.raises(StoreError):
        store.update("INSERT nonsense")
    with pytest.raises(StoreError, match="bad graph name"):
        store.drop_graph("not an iri")


def union(dataset: Dataset) -> Graph:
    """Every triple of a parsed dataset, whatever graph it landed in."""
    merged = Graph()
    for g in dataset.graphs():
        for triple in g:
            merged.add(triple)
    return merged


class _FailingGraph(Graph):
    """A graph whose triples run out half-way: the writer fails in the middle."""

    def __iter__(self) -> Iterator:  # type: ignore[override]
        for n, triple in enumerate(super().__iter__()):
            if n == 5:
                raise RuntimeError("disk full (simulated)")
            yield triple


def _broken_graph(name: str) -> Graph:
    """A graph with one relative IRI (rdflib writes it, no N-Triples parser accepts it) among
    many good triples."""
    g = graph(name, 50, label="新")
    g.add((URIRef("relative/iri"), EX.p, Literal("x")))
    return g


def test_failure_mid_way_keeps_the_old_graph(store: Store) -> None:
    old = graph("a")
    store.replace_graph(old)
    store.replace_graph(graph("b"))
    broken: Graph
    if isinstance(store, OxigraphStore) or type(store).__name__ == "RemoteStore":
        broken = _broken_graph("a")
        error: type[Exception] = GraphDataError
    else:
        broken = _FailingGraph(identifier=EX["graph/a"])
        for triple in graph("a", 50, label="新"):
            broken.add(triple)
        error = RuntimeError
    with pytest.raises(error):
        store.replace_graph(broken)
    assert isomorphic(store.graph(str(EX["graph/a"])), old)
    assert isomorphic(store.graph(str(EX["graph/b"])), graph("b"))
    assert store.quad_count() == 24


def test_failure_on_a_new_graph_leaves_nothing(store: Store) -> None:
    if isinstance(store, OxigraphStore) or type(store).__name__ == "RemoteStore":
        with pytest.raises(GraphDataError):
            store.replace_graph(_broken_graph("c"))
    assert store.graph_names() == []
    assert store.quad_count() == 0


def test_embedded_store_persists_and_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with open_store(path, None) as first:
        first.replace_graph(graph("a"))
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(path, None)
    with open_store(path, None) as again:
        assert again.graph_names() == [str(EX["graph/a"])]


def test_embedded_store_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a store")
    with pytest.raises(StoreError, match="not a perfkg store"):
        open_store(tmp_path, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    with pytest.raises(StoreError, match="is a file"):
        open_store(tmp_path / "notes.txt", None)


def test_default_store_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFKG_STORE", str(tmp_path / "env-store"))
    with open_store(None, None) as opened:
        assert isinstance(opened, OxigraphStore)
        assert opened.path == tmp_path / "env-store"
    with pytest.raises(StoreError, match="choose one store"):
        open_store(tmp_path, "http://127.0.0.1:1", memory=False)


def test_unreachable_server_is_one_clear_error() -> None:
    with (
        open_store(None, "http://127.0.0.1:9") as remote,
        pytest.raises(StoreError, match="cannot reach the SPARQL server"),
    ):
        remote.graph_names()


def _quad(n: int) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"http://example.org/s{n}"),
        ox.NamedNode("http://example.org/p"),
        ox.Literal(str(n)),
        ox.NamedNode("http://example.org/g"),
    )


def test_the_served_store_counts_once_per_published_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages ask the quad count on every request; counting scans the whole store, so the
    read-only store counts once per opening and again only when it follows a new snapshot."""
    from service.store import ReadOnlyOxigraphStore

    folder = tmp_path / "store"
    writer = OxigraphStore(folder)
    writer._db.extend([_quad(1), _quad(2)])
    writer.publish()
    served = ReadOnlyOxigraphStore(folder)
    scans: list[str | None] = []
    counting = OxigraphStore.quad_count

    def spy(self: OxigraphStore, name: str | None = None) -> int:
        scans.append(name)
        return counting(self, name)

    monkeypatch.setattr(OxigraphStore, "quad_count", spy)
    assert served.quad_count() == 2 and served.quad_count() == 2
    assert served.graph_names() == ["http://example.org/g"]
    assert scans == [None]
    writer._db.extend([_quad(3)])
    writer.publish()
    assert served.quad_count() == 2  # still the state it serves
    served.follow()
    assert served.quad_count() == 3 and scans == [None, None]
    assert served.quad_count("http://example.org/g") == 3  # one graph: asked each time
