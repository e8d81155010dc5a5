"""Building the samples into every store (rdflib in memory, Oxigraph on disk, a real Oxigraph
server): SPARQL counts equal the extractor's, re-building replaces exactly one graph, a failing
document leaves nothing behind and the other documents intact."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.compare import isomorphic

from graphbuild.cli import main
from graphbuild.extract import extract_file
from graphbuild.graph import iris
from graphbuild.graph.build import build, data_graph_names, ontology_graph
from graphbuild.graph.mapping import document_graph, document_nquads
from graphbuild.named_queries import named_query
from graphbuild.records import Extraction
from graphbuild.stores.base import Store
from graphbuild.stores.memory import MemoryStore
from graphbuild.stores.oxigraph import OxigraphStore
from graphbuild.vocab import PK
from tests.conftest import STORE_KINDS, open_test_store, running_oxigraph

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
BASE = "http://example.org/kg/"
CHANGED = "004_5c2b6dad15e272f5.txt"
FAILING = "002_c6a9cc9c84081a5e.txt"
SMALL = [SAMPLES / FAILING, SAMPLES / CHANGED]


def query(name: str) -> str:
    return named_query(name).sparql


def canonical(graph: Graph) -> Graph:
    """``graph`` as Oxigraph stores it (numbers in canonical form: "20000.0" → "20000")."""
    store = OxigraphStore()
    copy = Graph(identifier=graph.identifier)
    for triple in graph:
        copy.add(triple)
    store.replace_graph(copy)
    return store.graph(str(graph.identifier))


def same(store: Store, stored: Graph, expected: Graph) -> bool:
    if isinstance(store, MemoryStore):
        return same_graph(stored, expected)
    return same_graph(stored, canonical(expected))


def without_source_text(graph: Graph) -> Graph:
    """The graph without its blocks of source lines (``graphbuild.graph.source_text``), which
    the build adds to what ``document_graph`` maps."""
    blocks = set(graph.subjects(RDF.type, PK.SourceLines))
    kept = Graph(identifier=graph.identifier)
    for triple in graph:
        if triple[0] not in blocks:
            kept.add(triple)
    return kept


def same_graph(a: Graph, b: Graph) -> bool:
    """Isomorphism; for graphs without blank nodes (ours) that is equality of the triple sets,
    which is much faster than rdflib.compare's canonical hashing."""
    if any(isinstance(term, BNode) for triple in a for term in triple):
        return isomorphic(a, b)
    return set(a) == set(b)


def snapshot(store: Store) -> dict[str, Graph]:
    return {name: store.graph(name) for name in store.graph_names()}


@pytest.fixture(scope="module")
def extract_counts() -> dict[str, Counter[str]]:
    """Counts of `perfkg extract` records: per (record kind) → document, and level 1."""
    result = CliRunner().invoke(main, ["extract", str(SAMPLES)])
    assert result.exit_code == 0, result.stderr
    counts: dict[str, Counter[str]] = {
        "projects": Counter(),
        "targets": Counter(),
        "diagnostics": Counter(),
        "budget_lines": Counter(),
        "level1": Counter(),
    }
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record["record"] == "document":
            continue
        counts[record["record"] + "s"][record["document"]] += 1
        if record["record"] == "target":
            counts["level1"][record["level1"] or "(none)"] += 1
    return counts


@pytest.fixture(scope="module", params=STORE_KINDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cached_extractor
) -> Iterator[Store]:
    """The samples built once per store kind for the read-only tests (a server of its own)."""
    directory = tmp_path_factory.mktemp(f"built-{request.param}")
    with ExitStack() as stack:
        server = None
        if request.param == "remote":
            server = stack.enter_context(running_oxigraph(directory / "server"))
        store = stack.enter_context(open_test_store(request.param, directory, server))
        assert not build([SAMPLES], store, BASE, extractor=cached_extractor).failed
        yield store


@pytest.fixture
def rebuilt(store: Store, cached_extractor) -> Store:
    """The two smaller samples built into a fresh store, for the tests that change it."""
    assert not build(SMALL, store, BASE, extractor=cached_extractor).failed
    return store


def test_build_writes_one_graph_per_document_and_the_shared_graphs(built: Store) -> None:
    names = built.graph_names()
    documents = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert data_graph_names(built, BASE) == [iris.graph_iri(d, BASE) for d in documents]
    assert iris.ontology_graph_iri(BASE) in names
    assert iris.build_graph_iri(BASE) in names
    assert iris.manifest_graph_iri(BASE) in names
    assert iris.statistics_graph_iri(BASE) in names
    assert len(names) == len(documents) + 4
    ontology = built.graph(iris.ontology_graph_iri(BASE))
    assert same(built, ontology, ontology_graph(BASE))


def test_each_fact_about_a_document_is_stated_in_one_graph(built: Store) -> None:
    """The build graph names the documents it used but does not repeat their identifiers: the
    union of the graphs would meet each document twice, doubling every join through it."""
    rows = built.select(
        "SELECT ?doc ?graph WHERE { GRAPH ?graph { ?doc <http://purl.org/dc/terms/identifier> "
        "?name } }"
    )
    documents = sorted(p.name for p in SAMPLES.glob("*.txt"))
    graphs: dict[str, list[str]] = {}
    for row in rows:
        if str(row["doc"]).startswith(f"{BASE}id/document/"):  # projects have codes too
            graphs.setdefault(str(row["doc"]), []).append(str(row["graph"]))
    assert graphs == {
        iris.document_iri(name, BASE): [iris.graph_iri(name, BASE)] for name in documents
    }


@pytest.mark.parametrize("kind", ["projects", "targets", "diagnostics"])
def test_sparql_counts_per_document_equal_extract(
    built: Store, extract_counts: dict[str, Counter[str]], kind: str
) -> None:
    rows = built.select(query(f"count_{kind}_by_document"))
    assert {row["document"]: row[kind] for row in rows} == dict(extract_counts[kind])


def test_sparql_count_by_level1_equals_extract(
    built: Store, extract_counts: dict[str, Counter[str]]
) -> None:
    rows = built.select(query("count_targets_by_level1"))
    assert {row["level1"]: row["targets"] for row in rows} == dict(extract_counts["level1"])
    assert [row["targets"] for row in rows] == sorted(
        (row["targets"] for row in rows), reverse=True
    )


def test_rebuilding_a_changed_document_replaces_exactly_its_graph(
    rebuilt: Store, tmp_path: Path
) -> None:
    built = rebuilt
    before = snapshot(built)
    text = (SAMPLES / CHANGED).read_text(encoding="utf-8")
    assert text.count("≥90%") > 0
    changed = tmp_path / CHANGED
    changed.write_text(text.replace("≥90%", "≥91%"), encoding="utf-8")
    report = build([changed], built, BASE)
    assert [d.path for d in report.built] == [changed]
    after = snapshot(built)
    name = iris.graph_iri(CHANGED, BASE)
    assert set(after) == set(before)
    assert not same_graph(after[name], before[name])
    assert same(
        built, without_source_text(after[name]), document_graph(extract_file(changed), BASE)
    )
    lines = {s for s in after[name].subjects(RDF.type, PK.SourceLines)}
    assert lines and all("/lines/" in str(s) for s in lines)  # the text near its facts
    build_name = iris.build_graph_iri(BASE)
    derived = {
        iris.manifest_graph_iri(BASE),
        iris.statistics_graph_iri(BASE),
    }  # follow the document
    for other in set(before) - {name, build_name} - derived:
        assert same_graph(after[other], before[other]), other
    assert len(after[build_name]) > len(before[build_name])  # the earlier run stays described


def _failing_for(document: str):  # type: ignore[no-untyped-def]
    def mapper(extraction: Extraction, base: str | None) -> tuple[str, bytes, int]:
        if extraction.document.document == document:
            raise RuntimeError("mapper bug (simulated)")
        return document_nquads(extraction, base)

    return mapper


def test_a_failing_document_leaves_its_old_graph_and_the_others(
    rebuilt: Store, cached_extractor
) -> None:
    built = rebuilt
    before = snapshot(built)
    report = build(
        SMALL, built, BASE, mapper=_failing_for(FAILING), extractor=cached_extractor, force=True
    )
    assert [d.path.name for d in report.failed] == [FAILING]
    assert "mapper bug (simulated)" in (report.failed[0].error or "")
    assert FAILING in (report.failed[0].error or "")
    after = snapshot(built)
    assert set(after) == set(before)
    # the build graph describes the new run, the statistics count it (its quads)
    described = {iris.build_graph_iri(BASE), iris.statistics_graph_iri(BASE)}
    for name in set(before) - described:
        assert same_graph(after[name], before[name]), name


def test_a_failing_document_writes_nothing_and_the_others_are_built(
    store: Store, cached_extractor
) -> None:
    report = build(SMALL, store, BASE, mapper=_failing_for(FAILING), extractor=cached_extractor)
    assert [d.path.name for d in report.failed] == [FAILING]
    assert [d.path.name for d in report.built] == [CHANGED]
    assert iris.graph_iri(FAILING, BASE) not in store.graph_names()
    assert data_graph_names(store, BASE) == [iris.graph_iri(CHANGED, BASE)]
    run = store.graph(iris.build_graph_iri(BASE))
    assert (URIRef(iris.graph_iri(FAILING, BASE)), None, None) not in run


def test_invalid_rdf_from_the_mapper_is_refused_whole(store: Store, cached_extractor) -> None:
    if isinstance(store, MemoryStore):
        pytest.skip("rdflib in memory does not check IRIs; see test_stores for its rollback")
    build([SAMPLES / FAILING], store, BASE, extractor=cached_extractor)
    before = snapshot(store)

    def broken(extraction: Extraction, base: str | None) -> tuple[str, bytes, int]:
        name, data, quads = document_nquads(extraction, base)
        bad = f"<relative/iri> <http://example.org/p> <x:y> <{name}> .\n".encode()
        return name, data + bad, quads + 1

    report = build(
        [SAMPLES / FAILING], store, BASE, mapper=broken, extractor=cached_extractor, force=True
    )
    assert [d.path.name for d in report.failed] == [FAILING]
    assert "not valid RDF" in (report.failed[0].error or "")
    after = snapshot(store)
    name = iris.graph_iri(FAILING, BASE)
    assert same_graph(after[name], before[name])


def test_unreadable_and_duplicate_files_are_reported(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(SAMPLES / CHANGED, tmp_path / "a" / CHANGED)
    shutil.copy(SAMPLES / CHANGED, tmp_path / "b" / CHANGED)
    (tmp_path / "a" / "empty.txt").write_bytes(b"")
    report = build([tmp_path], store, BASE)
    assert [d.path.name for d in report.built] == [CHANGED]
    errors = sorted(d.error or "" for d in report.failed)
    assert len(errors) == 2
    assert any("empty" in e for e in errors)
    assert any("same document name" in e for e in errors)
    assert len(data_graph_names(store, BASE)) == 1
