"""OWL-RL inference into its own named graph (``perfkg reason``).

The ontology graph and every document graph are read into one rdflib graph, owlrl computes
the OWL 2 RL closure, and only the triples it ADDED are written to ``{base}graph/inferred``,
replacing the previous ones. Dropping that graph undoes the reasoning; the asserted graphs
are never touched.

Some of what owlrl adds is not worth storing and is left out: triples about literals
(``"1.5"^^xsd:decimal a xsd:decimal`` is not RDF), triples about blank nodes (the ontology's
restriction and list nodes cannot be referred to from another graph), reflexive
``owl:sameAs`` and ``rdf:type owl:Thing``, which hold for every resource.

owlrl runs at a few thousand triples per second (DESIGN §6): right as a reference on the
samples, not for a store of thousands of documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from graphbuild.graph import iris
from graphbuild.graph.build import data_graph_names, ontology_graph
from graphbuild.stores.base import Store


@dataclass
class ReasonReport:
    """The inferred graph's name, the asserted triples read and the new ones written."""

    graph: str
    asserted: int
    inferred: int


def _worth_storing(triple: tuple[object, object, object]) -> bool:
    s, p, o = triple
    if isinstance(s, Literal | BNode) or isinstance(o, BNode):
        return False
    if p == OWL.sameAs and s == o:
        return False
    return not (p == RDF.type and o == OWL.Thing)


def closure(asserted: Graph) -> Graph:
    """The triples the OWL-RL closure of ``asserted`` adds (without the trivial ones)."""
    expanded = Graph()
    for triple in asserted:
        expanded.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(expanded)
    new = Graph()
    for triple in expanded:
        if triple not in asserted and _worth_storing(triple):
            new.add(triple)
    return new


def reason(store: Store, base: str | None = None) -> ReasonReport:
    """Recompute ``{base}graph/inferred`` from the ontology and document graphs."""
    name = iris.inferred_graph_iri(base)
    asserted = Graph()
    ontology = store.graph(iris.ontology_graph_iri(base))
    if len(ontology) == 0:
        ontology = ontology_graph(base)
    for triple in ontology:
        asserted.add(triple)
    for graph_name in data_graph_names(store, base):
        for triple in store.graph(graph_name):
            asserted.add(triple)
    inferred = Graph(identifier=URIRef(name))
    for triple in closure(asserted):
        inferred.add(triple)
    written = store.replace_graph(inferred)
    return ReasonReport(graph=name, asserted=len(asserted), inferred=written)


def drop_inferred(store: Store, base: str | None = None) -> str:
    """Remove ``{base}graph/inferred``; returns its name."""
    name = iris.inferred_graph_iri(base)
    store.drop_graph(name)
    return name
