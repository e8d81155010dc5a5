"""The one interface every store implements.

Commands, the service and the analysis talk to a :class:`Store` and never to an engine
directly. Every store keeps one named graph per source document; queries see the union of the
named graphs as their default graph.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from rdflib import Graph


class StoreError(Exception):
    """A store could not be opened, read or written; the message speaks to the user."""


class Store(Protocol):
    def replace_graph(self, graph: Graph) -> int:
        """Replace the named graph ``graph.identifier`` with ``graph``, atomically.

        Either the whole new graph is visible afterwards or the old one is untouched.
        Returns the number of quads written.
        """
        ...

    def drop_graph(self, name: str) -> None:
        """Remove one named graph (no error when it does not exist)."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        ...

    def quad_count(self, name: str | None = None) -> int:
        """Quads in the whole store, or in one named graph."""
        ...

    def select(self, sparql: str) -> list[dict[str, object]]:
        """Run a SELECT and return rows of Python values (str, int, float, Decimal, None)."""
        ...

    def query(self, sparql: str, media_type: str) -> tuple[bytes, str]:
        """Run any query and return ``(body, media_type)`` serialised in the requested type.

        SELECT/ASK: application/sparql-results+json|xml, text/csv, text/tab-separated-values.
        CONSTRUCT/DESCRIBE: text/turtle, application/n-triples, application/ld+json,
        application/rdf+xml.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        ...

    def export(self, out: BinaryIO, media_type: str, name: str | None = None) -> None:
        """Stream the store (or one named graph) to ``out`` in an RDF media type."""
        ...

    def close(self) -> None: ...
