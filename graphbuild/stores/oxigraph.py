"""The default store: an embedded Oxigraph (pyoxigraph) database in a directory, or in memory.

Queries run with the union of the named graphs as the default graph. A named graph is
replaced in one Oxigraph transaction: a new graph is loaded with Oxigraph's N-Triples parser
(``load`` is transactional), an existing one is dropped and re-inserted by one SPARQL update,
which Oxigraph runs as a single transaction. Either way a failure leaves the old graph as it
was and no part of the new one.

>>> from rdflib import Graph, Literal, URIRef
>>> graph = Graph(identifier=URIRef("http://example.org/graph/a"))
>>> _ = graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1)))
>>> store = OxigraphStore()          # in memory; OxigraphStore("perfkg-data") on disk
>>> store.replace_graph(graph)
1
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }")
[{'o': 1}]
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from graphbuild.formats import Format, Kind, choose
from graphbuild.stores import snapshots
from graphbuild.stores._export import named_dataset, prefixes, rdf_format, write_jsonld
from graphbuild.stores._terms import (
    add_quads,
    add_triples,
    count_lines,
    graph_ntriples,
    named_node,
    ntriples,
    python_value,
)
from graphbuild.stores.base import GraphDataError, Store, StoreError

# Protocol template (not an analysis query): drop a graph and insert its new triples, in
# one update request, hence one Oxigraph transaction.
_REPLACE = "DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{triples}\n}} }}\n"
"""``graph``: a graph IRI written by pyoxigraph (validated); ``triples``: N-Triples."""


def _open(path: Path) -> ox.Store:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory; choose a directory (--store)")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise StoreError(
            f"{path} is not a perfkg store: the folder holds other files. "
            "Choose a new or empty folder with --store (or set PERFKG_STORE)"
        )
    try:
        return ox.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreError(
                f"the store {path} is in use by another process (a running perfkg command or "
                "an oxigraph server); wait for it or stop it, or reach the server with --endpoint"
            ) from None
        raise StoreError(f"cannot open the store {path}: {error}") from None


class OxigraphStore(Store):
    """A pyoxigraph Store: on disk in ``path`` (created if missing) or in memory (``path=None``)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._store: ox.Store | None = _open(self.path) if self.path else ox.Store()

    @property
    def _db(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else 'memory'!r})"

    # writing

    def replace_graph(self, graph: Graph) -> int:
        name = _graph_node(str(graph.identifier))
        count = len(graph)
        if count == 0:
            self.drop_graph(name.value)
            return 0
        triples = ntriples(graph)
        try:
            if self._db.contains_named_graph(name):
                self._db.update(_REPLACE.format(graph=name, triples=triples.decode("utf-8")))
            else:
                self._db.load(triples, ox.RdfFormat.N_TRIPLES, to_graph=name)
        except (SyntaxError, ValueError) as error:
            raise GraphDataError(
                f"the graph <{name.value}> is not valid RDF, nothing was written: {error}"
            ) from None
        except OSError as error:
            raise StoreError(f"could not write the graph <{name.value}>: {error}") from None
        return count

    def replace_nquads(self, name: str, data: bytes) -> int:
        node = _graph_node(name)
        count = count_lines(data)
        if count == 0:
            self.drop_graph(name)
            return 0
        try:
            if self._db.contains_named_graph(node):
                triples = graph_ntriples(name, data).decode("utf-8")
                self._db.update(_REPLACE.format(graph=node, triples=triples))
            else:
                self._db.load(data, ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as error:
            raise GraphDataError(
                f"the graph <{name}> is not valid RDF, nothing was written: {error}"
            ) from None
        except OSError as error:
            raise StoreError(f"could not write the graph <{name}>: {error}") from None
        return count

    def load_nquads(self, data: bytes) -> int:
        try:
            if self.path is None:
                self._db.load(data, ox.RdfFormat.N_QUADS)
            else:  # Oxigraph's bulk loader: new files on disk, no transaction
                self._db.bulk_load(data, ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as error:
            raise GraphDataError(f"the data is not valid N-Quads: {error}") from None
        except OSError as error:
            raise StoreError(f"could not load the data: {error}") from None
        return count_lines(data)

    def drop_graph(self, name: str) -> None:
        node = _graph_node(name)
        try:
            if self._db.contains_named_graph(node):
                self._db.remove_graph(node)
        except OSError as error:
            raise StoreError(f"could not drop the graph <{name}>: {error}") from None

    def update(self, sparql: str) -> None:
        try:
            self._db.update(sparql)
        except SyntaxError as error:
            raise StoreError(f"SPARQL update syntax error: {error}") from None
        except (OSError, ValueError) as error:
            raise StoreError(f"SPARQL update failed: {error}") from None

    # reading

    def graph_names(self) -> list[str]:
        names = []
        for node in self._db.named_graphs():
            if isinstance(node, ox.NamedNode) and self._has_quads(node):
                names.append(node.value)
        return sorted(names)

    def _has_quads(self, node: ox.NamedNode) -> bool:
        return next(iter(self._db.quads_for_pattern(None, None, None, node)), None) is not None

    def quad_count(self, name: str | None = None) -> int:
        if name is None:
            return len(self._db)
        return sum(1 for _ in self._db.quads_for_pattern(None, None, None, _graph_node(name)))

    def graph(self, name: str) -> Graph:
        node = _graph_node(name)
        return add_triples(
            Graph(identifier=URIRef(name)), self._db.quads_for_pattern(None, None, None, node)
        )

    def _run(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self._db.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise StoreError(f"SPARQL syntax error: {error}") from None
        except (OSError, ValueError) as error:
            raise StoreError(f"SPARQL query failed: {error}") from None

    def select(self, sparql: str) -> list[dict[str, object]]:
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [variable.value for variable in result.variables]
        return [{name: python_value(row[name]) for name in names} for row in result]

    def query(self, sparql: str, media_type: str) -> tuple[bytes, str]:
        result = self._run(sparql)
        if isinstance(result, ox.QueryTriples):
            fmt = choose(media_type, Kind.RDF)
            if fmt is Format.JSONLD:
                out = io.BytesIO()
                write_jsonld(add_triples(Graph(), result), out)
                return out.getvalue(), fmt.media_type
            return ox.serialize(result, None, fmt.rdf_format, prefixes=_prefixes(fmt)), (
                fmt.media_type
            )
        fmt = choose(media_type, Kind.RESULTS)
        return result.serialize(format=fmt.results_format), fmt.media_type

    def export(self, out: BinaryIO, media_type: str, name: str | None = None) -> None:
        fmt = rdf_format(media_type)
        node = _graph_node(name) if name is not None else None
        try:
            if fmt is Format.JSONLD:
                self._export_jsonld(out, node)
            elif node is not None and fmt.datasets:
                quads = self._db.quads_for_pattern(None, None, None, node)
                ox.serialize(quads, out, fmt.rdf_format, prefixes=_prefixes(fmt))
            elif node is not None:
                self._db.dump(out, fmt.rdf_format, from_graph=node, prefixes=_prefixes(fmt))
            elif fmt.datasets:
                self._db.dump(out, fmt.rdf_format, prefixes=_prefixes(fmt))
            else:  # the union of the graphs, streamed (a triple in two graphs is written twice)
                triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self._db)
                ox.serialize(triples, out, fmt.rdf_format, prefixes=_prefixes(fmt))
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not a store problem
        except OSError as error:
            raise StoreError(f"export failed: {error}") from None

    def _export_jsonld(self, out: BinaryIO, node: ox.NamedNode | None) -> None:
        if node is not None:
            write_jsonld(named_dataset(self.graph(node.value)), out)
            return
        dataset = Dataset()
        add_quads(dataset, self._db)
        write_jsonld(dataset, out)

    def publish(self) -> None:
        """Checkpoint the store as the snapshot a running server reads (on disk only)."""
        if self.path is not None:
            snapshots.publish(self._db, self.path)

    def flush(self) -> None:
        """Write buffered changes to disk (no-op in memory)."""
        if self.path is not None:
            self._db.flush()

    def close(self) -> None:
        if self._store is not None:
            if self.path is not None:
                self._store.flush()
            self._store = None  # releases the directory lock


def _graph_node(name: str) -> ox.NamedNode:
    try:
        return named_node(name)
    except ValueError as error:
        raise GraphDataError(f"bad graph name: {error}") from None


def _prefixes(fmt: Format) -> dict[str, str] | None:
    return prefixes() if fmt in (Format.TURTLE, Format.TRIG, Format.RDFXML) else None
