"""Links between documents, computed once at the end of each build into ``{base}graph/links``.

A document's graph holds only what that document says, so that re-building it replaces
exactly its triples. What relates two documents is therefore computed over the whole store
after every build, by the queries ``queries/build/links_*.rq``:

- plan versus actual: where a department's final accounts and its budget of the same year are
  both in the store, each project of the final accounts gets ``pk:plannedProject`` (the budget's
  project of the same name) and each of its targets ``pk:plannedTarget`` (that project's annual
  target with the same indicator).

Every build drops and recomputes the graph, so it always describes the store as the build left
it.
"""

from __future__ import annotations

import pyoxigraph as ox

from graphbuild.graph import iris
from graphbuild.graph.statistics import BUILD_QUERIES, NTRIPLES, in_graph
from graphbuild.named_queries import registry
from graphbuild.stores.base import Store


def refresh(store: Store, base: str | None = None) -> tuple[str, int]:
    """Recompute the links graph; its name and the number of quads written."""
    name = iris.links_graph_iri(base)
    store.drop_graph(name)
    return name, store.replace_nquads(name, compute(store, base))


def compute(store: Store, base: str | None = None) -> bytes:
    """The links graph of the store as it is, as N-Quads (nothing is written).

    The pairs of documents come first (``links_plan_actual_pairs``), then the links of each
    pair (``links_plan_actual``): one query over the whole store would join every project of
    every document by name (minutes and gigabytes at a few hundred documents)."""
    name = iris.links_graph_iri(base)
    queries = registry(BUILD_QUERIES)
    pairs = store.select(queries["links_plan_actual_pairs"].bind())
    links = queries["links_plan_actual"]
    parts = []
    for pair in pairs:
        values = {
            "finalDoc": ox.NamedNode(str(pair["finalDoc"])),
            "budgetDoc": ox.NamedNode(str(pair["budgetDoc"])),
        }
        body, _ = store.query(links.bind(values), NTRIPLES)
        parts.append(in_graph(body, name))
    return b"".join(parts)
