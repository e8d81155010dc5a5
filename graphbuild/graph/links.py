"""Links between documents, computed once at the end of each build into ``{base}graph/links``.

A document's graph holds only what that document says, so that re-building it replaces
exactly its triples. What relates two documents is therefore computed over the whole store
after every build, by the CONSTRUCT queries ``queries/build/links_*.rq``:

- plan versus actual: where a department's final accounts and its budget of the same year are
  both in the store, each project of the final accounts gets ``pk:plannedProject`` (the budget's
  project of the same name) and each of its targets ``pk:plannedTarget`` (that project's annual
  target with the same indicator).

Every build drops and recomputes the graph, so it always describes the store as the build left
it.
"""

from __future__ import annotations

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
    """The links graph of the store as it is, as N-Quads (nothing is written)."""
    name = iris.links_graph_iri(base)
    parts = []
    for query_name, query in registry(BUILD_QUERIES).items():
        if query_name.startswith("links_"):
            body, _ = store.query(query.bind(), NTRIPLES)
            parts.append(in_graph(body, name))
    return b"".join(parts)
