"""The one interface every store implements.

Commands, the service and the analysis talk to a :class:`Store` and never to an engine
directly. Every store keeps one named graph per source document (plus the ontology, build and
inferred graphs); queries see the union of the named graphs as their default graph. Nothing is
written to the store's own default graph.

Stores subclass :class:`Store` explicitly, which gives them ``with`` support::

    with open_store(None, None, memory=True) as store:
        store.replace_graph(graph)
"""

from __future__ import annotations

from types import TracebackType
from typing import BinaryIO, Protocol

from rdflib import Graph


class StoreError(Exception):
    """A store could not be opened, read or written; the message speaks to the user."""


class GraphDataError(StoreError):
    """The graph given to :meth:`Store.replace_graph` is not valid RDF (e.g. a relative or
    malformed IRI); nothing of it was written. The store itself is fine."""


class Store(Protocol):
    """A dataset of named graphs with SPARQL 1.1 query and update over their union."""

    def replace_graph(self, graph: Graph) -> int:
        """Replace the named graph ``graph.identifier`` with ``graph``, atomically.

        Either the whole new graph is visible afterwards or the old one is untouched.
        Replacing with an empty graph removes it. Returns the number of quads written.
        Raises :class:`GraphDataError` when the graph is not valid RDF.
        """
        ...

    def replace_nquads(self, name: str, data: bytes) -> int:
        """Replace the named graph ``name`` with the quads of ``data`` (N-Quads, UTF-8, every
        quad in that graph), atomically, as :meth:`replace_graph` does. Returns the number of
        quads; raises :class:`GraphDataError` when the data is not valid N-Quads of that graph.
        """
        ...

    def load_nquads(self, data: bytes) -> int:
        """Add the quads of ``data`` (N-Quads, UTF-8) to graphs that do not exist yet, as fast
        as the store can. Not atomic: a failure part-way may leave part of the data. The
        build only loads validated data this way and records each document once it is in.
        Returns the number of quads."""
        ...

    def drop_graph(self, name: str) -> None:
        """Remove one named graph (no error when it does not exist)."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the non-empty named graphs, sorted."""
        ...

    def quad_count(self, name: str | None = None) -> int:
        """Quads in the whole store, or in one named graph (0 when it does not exist)."""
        ...

    def graph(self, name: str) -> Graph:
        """A copy of one named graph as an rdflib Graph (empty when it does not exist)."""
        ...

    def select(self, sparql: str) -> list[dict[str, object]]:
        """Run a SELECT and return rows of Python values (str, int, float, Decimal, bool, None).

        IRIs come back as their string, blank nodes as ``_:id``; unbound variables are None.
        """
        ...

    def query(self, sparql: str, media_type: str) -> tuple[bytes, str]:
        """Run any query and return ``(body, media_type)`` serialised in the requested type.

        SELECT/ASK: application/sparql-results+json|xml, text/csv, text/tab-separated-values.
        CONSTRUCT/DESCRIBE: text/turtle, application/n-triples, application/ld+json,
        application/rdf+xml. A media type of the wrong kind falls back to the kind's default
        (JSON results, Turtle graphs); the returned media type says which was used.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        ...

    def export(self, out: BinaryIO, media_type: str, name: str | None = None) -> None:
        """Stream the store (or one named graph) to ``out`` in an RDF media type.

        N-Quads and TriG keep the graph names; Turtle, N-Triples and RDF/XML of the whole
        store write the union of the graphs; JSON-LD is compacted with the shipped context.
        """
        ...

    def publish(self) -> None:
        """Make what was written visible to readers of published states (a running ``perfkg
        serve`` over an embedded store, see :mod:`graphbuild.stores.snapshots`); nothing to do
        for stores whose readers see every write."""
        ...

    def close(self) -> None:
        """Release the store (its lock, its connections); the store is unusable afterwards."""
        ...

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
