"""Time the network analysis and the audit on the samples repeated to many documents.

The four sample documents are extracted once and mapped again and again under distinct
document names (``r0001_000_….txt`` …) with ``graphbuild.graph.mapping.document_triples``, into one
Oxigraph store in memory, until there are ``--documents`` of them (default 1,000). Then each
step runs once and one table is printed: the two SPARQL fetches, the building of each graph,
each metric (degree, PageRank, Louvain, components), the most similar projects, the explorer
(its graph, its metrics, a search, a page of neighbours, a node's details, as the service
answers them once the graph is cached), and the audit (``graphbuild.analysis.audit.run_audit``).

    .venv/bin/python benchmarks/analysis.py [--documents 1000]

Department IRIs are minted from the department's name, and indicator IRIs from the
indicator's name, so the copies share the four samples' departments and indicators: projects
and targets grow with the copies, departments and indicators do not.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import pyoxigraph as ox

from graphbuild.analysis import network
from graphbuild.analysis.explorer import Explorer
from graphbuild.extract import extract_file
from graphbuild.graph.mapping import document_triples
from graphbuild.records import Extraction
from graphbuild.stores.oxigraph import OxigraphStore

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
BASE = "http://127.0.0.1:8000/"
T = TypeVar("T")


def renamed(extraction: Extraction, name: str) -> Extraction:
    """The same extraction as if it came from a document named ``name``."""

    def move(record: Any) -> Any:
        return dataclasses.replace(record, document=name)

    return dataclasses.replace(
        extraction,
        document=move(extraction.document),
        projects=[move(p) for p in extraction.projects],
        targets=[move(t) for t in extraction.targets],
        diagnostics=[move(d) for d in extraction.diagnostics],
    )


def _nquads(graph: str, triples: list[Any], n3: dict[Any, str]) -> str:
    """N-Quads text of ``triples`` in ``graph``; ``n3`` caches each term's N-Triples form."""

    def term(node: Any) -> str:
        text = n3.get(node)
        if text is None:
            text = n3[node] = node.n3()
        return text

    suffix = f" <{graph}> .\n"
    return "".join(f"{term(s)} {term(p)} {term(o)}{suffix}" for s, p, o in triples)


def repeated_store(documents: int) -> tuple[OxigraphStore, int]:
    """An in-memory Oxigraph store with ``documents`` renamed copies of the samples and the
    ontology graph; returns the store and its quad count."""
    from graphbuild.graph.build import ontology_graph

    samples = [extract_file(path) for path in sorted(SAMPLES.glob("*.txt"))]
    store = OxigraphStore()
    store.replace_graph(ontology_graph(BASE))
    db, n3 = store._db, {}
    batch: list[str] = []
    for n in range(documents):
        sample = samples[n % len(samples)]
        name = f"r{n // len(samples) + 1:04d}_{sample.document.document}"
        graph, triples = document_triples(renamed(sample, name), BASE)
        batch.append(_nquads(str(graph), triples, n3))
        if len(batch) == 50 or n == documents - 1:
            db.load("".join(batch), ox.RdfFormat.N_QUADS)
            batch.clear()
    return store, store.quad_count()


def timed(rows: list[tuple[str, float, str]], step: str, work: Callable[[], T]) -> T:
    """Run ``work`` once, append ``(step, seconds, size)`` and return its result."""
    gc.collect()
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    rows.append((step, elapsed, _size(result)))
    return result


def _size(result: object) -> str:
    if isinstance(result, nx.Graph):
        return f"{result.number_of_nodes():,} nodes, {result.number_of_edges():,} edges"
    if isinstance(result, network.NetworkData):
        return f"{len(result.targets):,} targets, {len(result.labels):,} labels"
    if isinstance(result, Explorer):
        graph = result.graph
        return f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"
    if isinstance(result, dict) and "total" in result:
        return f"{result['total']:,} hits"
    if isinstance(result, list | dict | set | tuple):
        return f"{len(result):,} items"
    return ""


def _metrics(rows: list[tuple[str, float, str]], kind: str, graph: nx.Graph) -> None:
    timed(rows, f"{kind}: degree", lambda: dict(graph.degree(weight="weight")))
    timed(rows, f"{kind}: pagerank", lambda: nx.pagerank(graph, weight="weight"))
    timed(
        rows,
        f"{kind}: louvain",
        lambda: nx.community.louvain_communities(graph, weight="weight", seed=network.SEED),
    )
    timed(rows, f"{kind}: components", lambda: list(nx.connected_components(graph)))


def run(documents: int) -> list[tuple[str, float, str]]:
    """Every step once; rows of (step, seconds, size)."""
    rows: list[tuple[str, float, str]] = []
    nx.pagerank(nx.path_graph(3))  # load scipy before the clock starts
    store, quads = timed(
        rows, f"setup: load {documents:,} documents", lambda: repeated_store(documents)
    )
    rows[-1] = (rows[-1][0], rows[-1][1], f"{quads:,} quads")
    timed(rows, "store: quad count (the service's cache key)", store.quad_count)
    data = timed(rows, "fetch: network_targets + network_nodes", lambda: network.fetch(store))
    for kind in ("bipartite", "cooccurrence", "departments", "name-groups"):
        graph = timed(rows, f"{kind}: build graph", lambda k=kind: network.build(k, data))
        _metrics(rows, kind, graph)
        if kind == "bipartite":
            project = next(n for n, k in graph.nodes(data="kind") if k == "project")
            timed(
                rows,
                "bipartite: most similar projects (one project)",
                lambda g=graph, p=project: network.similar_projects(g, p),
            )
    explorer = timed(rows, "explorer: build graph", lambda: Explorer(data))
    timed(rows, "explorer: metrics (condensed graph)", explorer.metrics)
    timed(rows, "explorer: name groups (for node details)", explorer.name_groups)
    found = timed(rows, "explorer: search 满意度 (cached graph)", lambda: explorer.search("满意度"))
    top = found["nodes"][0]["id"]
    timed(rows, "explorer: neighbours, first page", lambda: explorer.neighbours(top)["nodes"])
    timed(rows, "explorer: node details", lambda: explorer.node(top))
    try:
        from graphbuild.analysis.audit import run_audit
    except ImportError as error:
        rows.append((f"audit: not available ({error})", float("nan"), ""))
    else:
        from graphbuild.analysis.audit import AUDIT_PREFIX
        from graphbuild.named_queries import registry

        rules = sum(1 for name in registry() if name.startswith(AUDIT_PREFIX))
        findings = timed(rows, "audit: run_audit(store)", lambda: run_audit(store))
        rows[-1] = (rows[-1][0], rows[-1][1], f"{len(findings):,} findings, {rules} rules")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    rows = run(args.documents)
    width = max(len(step) for step, _, _ in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  size")
    for step, seconds, size in rows:
        print(f"{step:<{width}}  {seconds:8.2f}  {size}")


if __name__ == "__main__":
    main()
