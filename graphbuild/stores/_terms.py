"""Moving RDF terms between pyoxigraph and rdflib, and turning them into plain Python values."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graphbuild.stores.base import GraphDataError

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {XSD + "double", XSD + "float"}


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7.x raises from inside its own SPARQL, JSON-LD
    and Dataset code (``Dataset.default_context``, ``ConjunctiveGraph``): not ours to fix."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r".*is deprecated, use Dataset", DeprecationWarning)
        warnings.filterwarnings("ignore", r"Dataset\.\w+ is deprecated", DeprecationWarning)
        yield


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> Node:
    """The rdflib term for a pyoxigraph term (simple literals get no datatype, as rdflib's parsers do)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def add_quads(dataset: Dataset, quads: Iterable[ox.Quad]) -> None:
    """Add pyoxigraph quads to an rdflib Dataset (named graphs kept, default graph kept)."""
    graphs: dict[str, Graph] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            graph = dataset.default_graph
        else:
            key = quad.graph_name.value
            graph = graphs.get(key) or graphs.setdefault(
                key,
                dataset.graph(to_rdflib(quad.graph_name)),  # type: ignore[arg-type]
            )
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))


def add_triples(graph: Graph, quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """Add the triples of pyoxigraph quads (graph names ignored) to an rdflib Graph."""
    add = graph.add
    for quad in quads:
        add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def literal_value(lexical: str, datatype: str | None, language: str | None) -> object:
    """A plain Python value for a literal: int, Decimal, float or bool by datatype, else str."""
    if language or datatype is None:
        return lexical
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype == XSD + "decimal":
            return Decimal(lexical)
        if datatype in _FLOATS:
            return float(lexical)
        if datatype == XSD + "boolean":
            return lexical.strip() in ("true", "1")
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


def python_value(term: object) -> object:
    """A plain Python value for a pyoxigraph or rdflib term (None stays None).

    >>> python_value(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
    3
    >>> python_value(Literal("1.50", datatype=URIRef(XSD + "decimal")))
    Decimal('1.50')
    >>> python_value(URIRef("http://example.org/a"))
    'http://example.org/a'
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value, term.language)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return literal_value(str(term), datatype, term.language)
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, URIRef):
        return str(term)
    return str(term)


def ntriples(graph: Graph) -> bytes:
    """The graph as N-Triples (UTF-8); :class:`GraphDataError` if rdflib cannot write it."""
    try:
        return graph.serialize(format="nt", encoding="utf-8")
    except Exception as error:  # rdflib raises a bare Exception for a malformed IRI
        raise GraphDataError(
            f"the graph <{graph.identifier}> is not valid RDF, nothing was written: {error}"
        ) from None


def named_node(name: str) -> ox.NamedNode:
    """A validated graph IRI; raises ValueError with a readable message when it is not one."""
    try:
        return ox.NamedNode(name)
    except ValueError as error:
        raise ValueError(f"{name!r} is not a valid IRI ({error})") from None


def graph_ntriples(name: str, data: bytes) -> bytes:
    """The N-Triples of one graph's N-Quads (each line's graph term removed);
    :class:`GraphDataError` if a line is in another graph.

    >>> graph_ntriples("http://g/", b"<http://s> <http://p> \\"o\\" <http://g/> .\\n")
    b'<http://s> <http://p> "o" .\\n'
    """
    suffix = f" <{name}> .\n".encode()
    lines = data.count(b"\n")
    triples = data.replace(suffix, b" .\n")
    if lines != data.count(suffix):
        raise GraphDataError(f"the data for the graph <{name}> holds quads of another graph")
    return triples


def count_lines(data: bytes) -> int:
    """Quads in N-Quads data written one per line."""
    return data.count(b"\n")
