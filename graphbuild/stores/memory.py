"""A store in memory on an rdflib Dataset: for small jobs and tests (rdflib's SPARQL is slow).

The dataset's default graph is the union of its named graphs (``default_union=True``).

>>> from rdflib import Graph, Literal, URIRef
>>> graph = Graph(identifier=URIRef("http://example.org/graph/a"))
>>> _ = graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1)))
>>> store = MemoryStore()
>>> store.replace_graph(graph)
1
>>> store.graph_names()
['http://example.org/graph/a']
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graphbuild.formats import Format, Kind, choose
from graphbuild.stores._export import bind_prefixes, named_dataset, rdf_format, write_jsonld
from graphbuild.stores._terms import (
    add_quads,
    add_triples,
    graph_ntriples,
    named_node,
    python_value,
    quiet_rdflib,
)
from graphbuild.stores.base import GraphDataError, Store, StoreError


class MemoryStore(Store):
    """Named graphs in an rdflib Dataset, gone when the process ends."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)

    def __repr__(self) -> str:
        return "MemoryStore()"

    def _context(self, name: str) -> Graph:
        try:
            named_node(name)
        except ValueError as error:
            raise StoreError(f"bad graph name: {error}") from None
        return self._ds.get_context(URIRef(name))

    def _exists(self, name: URIRef) -> bool:
        return any(g.identifier == name for g in self._ds.graphs())

    # writing

    def replace_graph(self, graph: Graph) -> int:
        name = URIRef(str(graph.identifier))
        try:
            named_node(name)
        except ValueError as error:
            raise GraphDataError(f"bad graph name: {error}") from None
        old = list(self._context(name))
        self.drop_graph(name)
        try:
            target = self._ds.graph(name)
            target.addN((s, p, o, target) for s, p, o in graph)
        except Exception:  # put the old graph back, whatever went wrong
            self.drop_graph(name)
            if old:
                restored = self._ds.graph(name)
                restored.addN((s, p, o, restored) for s, p, o in old)
            raise
        if len(graph) == 0:
            self.drop_graph(name)
        return len(graph)

    def replace_nquads(self, name: str, data: bytes) -> int:
        graph = Graph(identifier=URIRef(name))
        try:
            add_triples(graph, ox.parse(graph_ntriples(name, data), ox.RdfFormat.N_TRIPLES))
        except SyntaxError as error:
            raise GraphDataError(f"the graph <{name}> is not valid RDF: {error}") from None
        return self.replace_graph(graph)

    def load_nquads(self, data: bytes) -> int:
        try:
            quads = list(ox.parse(data, ox.RdfFormat.N_QUADS))
        except SyntaxError as error:
            raise GraphDataError(f"the data is not valid N-Quads: {error}") from None
        with quiet_rdflib():
            add_quads(self._ds, quads)
        return len(quads)

    def drop_graph(self, name: str) -> None:
        context = self._context(name)
        if self._exists(context.identifier):  # type: ignore[arg-type]
            self._ds.remove_graph(context)

    def update(self, sparql: str) -> None:
        try:
            with quiet_rdflib():
                self._ds.update(sparql)
        except Exception as error:  # rdflib raises pyparsing and assorted errors
            raise StoreError(f"SPARQL update failed: {error}") from None

    # reading

    def graph_names(self) -> list[str]:
        return sorted(
            str(g.identifier)
            for g in self._ds.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0
        )

    def quad_count(self, name: str | None = None) -> int:
        if name is not None:
            return len(self._context(name))
        return sum(len(g) for g in self._ds.graphs())

    def graph(self, name: str) -> Graph:
        copy = Graph(identifier=URIRef(name))
        for triple in self._context(name):
            copy.add(triple)
        return copy

    def _run(self, sparql: str) -> Any:
        """Run a query and materialise its answer (rdflib evaluates lazily)."""
        try:
            with quiet_rdflib():
                result = self._ds.query(sparql)
                if result.type == "SELECT":
                    rows = list(result)
                    return result.type, [str(v) for v in result.vars or []], rows, result
                if result.type == "ASK":
                    return result.type, [], [], result
                return result.type, [], [], result.graph
        except Exception as error:  # rdflib raises pyparsing and assorted errors
            raise StoreError(f"SPARQL query failed: {error}") from None

    def select(self, sparql: str) -> list[dict[str, object]]:
        kind, names, rows, _ = self._run(sparql)
        if kind != "SELECT":
            raise StoreError("select() needs a SELECT query")
        return [{n: python_value(row[n]) for n in names} for row in rows]

    def query(self, sparql: str, media_type: str) -> tuple[bytes, str]:
        kind, _, _, result = self._run(sparql)
        out = io.BytesIO()
        with quiet_rdflib():
            if kind in ("CONSTRUCT", "DESCRIBE"):
                fmt = choose(media_type, Kind.RDF)
                graph = bind_prefixes(result)
                if fmt is Format.JSONLD:
                    write_jsonld(graph, out)
                else:
                    graph.serialize(out, format=fmt.rdflib, encoding="utf-8")
                return out.getvalue(), fmt.media_type
            fmt = choose(media_type, Kind.RESULTS)
            body = result.serialize(format="json")
        if fmt is not Format.JSON:  # rdflib lacks TSV: convert through pyoxigraph
            parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=fmt.results_format)
        return body, fmt.media_type

    def export(self, out: BinaryIO, media_type: str, name: str | None = None) -> None:
        fmt = rdf_format(media_type)
        data: Graph
        if name is not None and fmt.datasets:
            data = named_dataset(self.graph(name))
        elif name is not None:
            data = self.graph(name)
        elif fmt.datasets:
            data = self._ds
        else:  # the union of the named graphs
            data = Graph()
            for graph in self._ds.graphs():
                for triple in graph:
                    data.add(triple)
        with quiet_rdflib():
            if fmt is Format.JSONLD:
                write_jsonld(data, out)
            else:
                bind_prefixes(data).serialize(out, format=fmt.rdflib, encoding="utf-8")

    def publish(self) -> None:
        """Readers see every write: nothing to publish."""

    def close(self) -> None:
        pass
