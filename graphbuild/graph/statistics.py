"""The counts pages and dashboards show, computed once at the end of each build.

Counting a province's corpus takes seconds; a page must answer in milliseconds. So ``perfkg
build`` ends by running the CONSTRUCT queries ``queries/build/statistics_*.rq`` over the whole
store and writing their triples into ``{base}graph/statistics`` (replacing the previous ones),
where pages read them with small lookups:

- ``{base}id/statistics`` (a ``pk:Statistics``): documents, departments, projects, targets,
  diagnostics and indicators, and the VoID counts (quads, distinct subjects and objects,
  properties, classes, one class and one property partition each);
- one ``pk:Breakdown`` per dimension and member: targets per level 1, level 2 and value kind;
  documents per family and year; diagnostics per severity; projects, targets and diagnostics
  per document; documents, projects and targets per department.

Every build refreshes it, so it always describes the store as the last build left it.
"""

from __future__ import annotations

import pyoxigraph as ox

from graphbuild.graph import iris
from graphbuild.named_queries import QUERIES_DIR, registry
from graphbuild.stores.base import Store

BUILD_QUERIES = QUERIES_DIR / "build"
NTRIPLES = "application/n-triples"


def refresh(store: Store, base: str | None = None) -> tuple[str, int]:
    """Recompute the statistics graph; its name and the number of quads written."""
    name = iris.statistics_graph_iri(base)
    store.drop_graph(name)  # not counted in its own figures
    return name, store.replace_nquads(name, compute(store, base))


def compute(store: Store, base: str | None = None) -> bytes:
    """The statistics graph of the store as it is, as N-Quads (nothing is written). The store
    should not hold a statistics graph: it would be counted (:func:`refresh` drops it first;
    ``perfkg statistics -o`` refuses such a store)."""
    name = iris.statistics_graph_iri(base)
    node = ox.NamedNode(iris.statistics_iri(base))
    parts = []
    for query_name, query in registry(BUILD_QUERIES).items():
        if query_name.startswith("statistics_"):
            body, _ = store.query(query.bind({"statistics": node}), NTRIPLES)
            parts.append(in_graph(body, name))
    return b"".join(parts)


def in_graph(ntriples: bytes, graph: str) -> bytes:
    """N-Triples (one triple per line) as N-Quads in ``graph``.

    >>> in_graph(b'<http://s> <http://p> "o" .\\n', "http://g")
    b'<http://s> <http://p> "o" <http://g> .\\n'
    """
    suffix = f" <{graph}> .\n".encode()
    return b"".join(
        line.rstrip()[:-1].rstrip() + suffix for line in ntriples.splitlines() if line.strip()
    )
