"""What the store says about one entity: the model behind the linked-data pages.

:func:`describe` gathers, for one IRI, its labels and types, every property (of the entity
and of its fragment nodes such as ``…#value`` and ``…#evaluation``), the incoming links grouped
by property with counts, the source document and line (``prov:wasDerivedFrom`` and
``pk:sourceLine``) and the named graphs holding it. :func:`entity_rdf` serialises the same
entity for RDF clients. The SPARQL lives in ``queries/service/*.rq``.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> from graphbuild.stores.oxigraph import OxigraphStore
>>> graph = Graph(identifier=URIRef("http://example.org/graph/d.txt"))
>>> _ = graph.add((URIRef("http://example.org/id/x"), RDFS.label, Literal("某项目", lang="zh")))
>>> store = OxigraphStore()
>>> _ = store.replace_graph(graph)
>>> describe(store, "http://example.org/id/x").label
'某项目'
>>> describe(store, "http://example.org/id/unknown") is None
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from graphbuild.formats import Format
from graphbuild.named_queries import QUERIES_DIR, NamedQuery, registry
from graphbuild.stores.base import Store

SERVICE_QUERIES = QUERIES_DIR / "service"
INCOMING_LIMIT = 50
"""Subjects listed per incoming property (``entity_incoming.rq`` has the same LIMIT): any 50
of them, in the store's order (sorting them all first is slow on large stores)."""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
SOURCE_LINE = "https://w3id.org/perfkg/ontology#sourceLine"
INDICATOR_NAME = "https://w3id.org/perfkg/ontology#indicatorName"
_LABELS = (SKOS_PREF_LABEL, RDFS_LABEL, INDICATOR_NAME, DCTERMS_IDENTIFIER)
"""Where a name comes from, best first; the last two only stand in when there is no label."""
_DIGITS = re.compile(r"(\d+)")


@dataclass
class Term:
    """One RDF term as the page shows it: an IRI (with its best label) or a literal."""

    kind: str  # "iri", "literal" or "bnode"
    text: str  # the IRI, the blank node id or the literal's lexical form
    language: str = ""
    datatype: str = ""
    label: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"


@dataclass
class Property:
    """A property of a node with its values, in first-seen order."""

    iri: str
    label: str | None = None
    values: list[Term] = field(default_factory=list)


@dataclass
class Node:
    """The entity or one of its fragment nodes (``{iri}#value`` …) with its properties."""

    iri: str
    properties: list[Property] = field(default_factory=list)

    @property
    def fragment(self) -> str:
        """The fragment id (``value`` for ``…#value``), empty for the entity itself."""
        return self.iri.partition("#")[2]

    def values(self, prop: str) -> list[Term]:
        """The values of one property (empty when the node has none)."""
        for item in self.properties:
            if item.iri == prop:
                return item.values
        return []


@dataclass
class Incoming:
    """The subjects that point at the entity through one property (the first ones only)."""

    iri: str
    label: str | None
    count: int
    subjects: list[Term] = field(default_factory=list)


@dataclass
class Entity:
    """Everything a linked-data page shows about one IRI."""

    iri: str
    label: str | None
    types: list[Term]
    nodes: list[Node]
    incoming: list[Incoming]
    graphs: list[str]
    source: Term | None = None
    source_line: int | None = None

    @property
    def main(self) -> Node:
        """The entity's own node (the first of ``nodes``)."""
        return self.nodes[0]


@cache
def _queries() -> dict[str, NamedQuery]:
    return registry(SERVICE_QUERIES)


def _bind(name: str, **values: str) -> str:
    return _queries()[name].bind({key: ox.NamedNode(value) for key, value in values.items()})


def is_safe_iri(iri: str) -> bool:
    """True when ``iri`` is an absolute IRI by Oxigraph's IRI parser (so it can be written as
    ``<iri>`` in SPARQL and Turtle).

    >>> is_safe_iri("http://example.org/id/a%20b"), is_safe_iri("http://example.org/a b")
    (True, False)
    """
    try:
        ox.NamedNode(iri)
    except (ValueError, UnicodeError):
        return False
    return "://" in iri


def exists(store: Store, iri: str) -> bool:
    """True when the IRI is the subject or the object of some triple."""
    body, _ = store.query(_bind("entity_exists", entity=iri), Format.JSON.media_type)
    return bool(json.loads(body).get("boolean"))


def best_label(candidates: Iterable[tuple[str | None, str | None, str | None]]) -> str | None:
    """The label to show from ``(label predicate, text, language)`` candidates.

    A Chinese label wins, then one without a language, then English, then any other;
    skos:prefLabel before rdfs:label; a target's indicator name or a dcterms:identifier only
    when there is no label.

    >>> best_label([(RDFS_LABEL, "Project", "en"), (RDFS_LABEL, "项目", "zh")])
    '项目'
    >>> best_label([(DCTERMS_IDENTIFIER, "000.txt", ""), (None, None, None)])
    '000.txt'
    """
    ranked = []
    for predicate, text, language in candidates:
        if text is None:
            continue
        lang = (language or "").lower()
        lang_rank = 0 if lang.startswith("zh") else 1 if not lang else 2 if lang == "en" else 3
        kind = _LABELS.index(predicate) if predicate in _LABELS else 0
        ranked.append((kind >= 2, lang_rank, kind, text))
    return min(ranked)[3] if ranked else None


def describe(store: Store, iri: str) -> Entity | None:
    """The entity's page model, or None when the IRI appears in no triple."""
    if not is_safe_iri(iri):
        return None
    nodes = _outgoing(store, iri)
    incoming = _incoming(store, iri)
    if not nodes and not incoming:
        return None
    main = nodes.get(iri) or Node(iri)
    others = [node for key, node in nodes.items() if key != iri]
    label_rows = [(p.iri, v.text, v.language) for p in main.properties for v in p.values]
    label = best_label(row for row in label_rows if row[0] in _LABELS)
    source = next(iter(main.values(DERIVED_FROM)), None)
    line = next(iter(main.values(SOURCE_LINE)), None)
    graphs = [str(row["graph"]) for row in store.select(_bind("entity_graphs", entity=iri))]
    return Entity(
        iri=iri,
        label=label,
        types=main.values(RDF_TYPE),
        nodes=[main, *others],
        incoming=incoming,
        graphs=graphs,
        source=source,
        source_line=int(line.text) if line is not None and line.text.isdigit() else None,
    )


def _outgoing(store: Store, iri: str) -> dict[str, Node]:
    rows = store.select(_bind("entity_outgoing", entity=iri))
    nodes: dict[str, Node] = {}
    properties: dict[tuple[str, str], Property] = {}
    values: dict[tuple[str, str, str, str, str, str], Term] = {}
    property_labels: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    value_labels: dict[tuple[str, str, str, str, str, str], list] = {}
    for row in rows:
        s, p = str(row["s"]), str(row["p"])
        node = nodes.setdefault(s, Node(s))
        prop = properties.get((s, p))
        if prop is None:
            prop = properties[(s, p)] = Property(p)
            node.properties.append(prop)
        kind, text = str(row["kind"]), str(row["text"])
        lang, datatype = str(row["lang"] or ""), str(row["datatype"] or "")
        key = (s, p, kind, text, lang, datatype)
        if key not in values:
            values[key] = Term(kind, text, lang, datatype)
            prop.values.append(values[key])
        property_labels.setdefault(p, []).append(
            (RDFS_LABEL, _opt(row["plabel"]), _opt(row["plang"]))
        )
        value_labels.setdefault(key, []).append(
            (_opt(row["lp"]), _opt(row["olabel"]), _opt(row["olang"]))
        )
    for (_, p), prop in properties.items():
        prop.label = best_label(property_labels.get(p, ()))
    for key, term in values.items():
        term.label = best_label(value_labels.get(key, ()))
    for node in nodes.values():
        node.properties.sort(key=_property_order)
        for prop in node.properties:
            prop.values.sort(key=lambda term: _natural(term.label or term.text))
    return dict(sorted(nodes.items(), key=lambda item: _natural(item[0])))


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts ``funding-2`` before ``funding-10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text))


def _property_order(prop: Property) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """rdf:type first, then the labels, then the rest by local name."""
    if prop.iri == RDF_TYPE:
        return (0, ())
    if prop.iri in _LABELS:
        return (1, ((0, _LABELS.index(prop.iri)),))
    return (2, _natural(re.split(r"[#/]", prop.iri)[-1].lower()))


def _incoming(store: Store, iri: str) -> list[Incoming]:
    groups: dict[str, Incoming] = {}
    labels: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    for row in store.select(_bind("entity_incoming_counts", entity=iri)):
        p = str(row["p"])
        groups.setdefault(p, Incoming(p, None, int(row["count"] or 0)))  # type: ignore[call-overload]
        labels.setdefault(p, []).append((RDFS_LABEL, _opt(row["plabel"]), _opt(row["plang"])))
    for p, group in groups.items():
        group.label = best_label(labels[p])
        subjects: dict[str, Term] = {}
        subject_labels: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
        for row in store.select(_bind("entity_incoming", entity=iri, property=p)):
            s = str(row["s"])
            subjects.setdefault(s, Term(str(row["kind"]), s))
            subject_labels.setdefault(s, []).append(
                (_opt(row["lp"]), _opt(row["slabel"]), _opt(row["slang"]))
            )
        for s, term in subjects.items():
            term.label = best_label(subject_labels[s])
        group.subjects = sorted(subjects.values(), key=lambda term: _natural(term.text))
    return sorted(groups.values(), key=lambda g: (-g.count, g.iri))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def entity_rdf(store: Store, iri: str, fmt: Format) -> bytes:
    """The entity's triples (and its fragment nodes', and up to 1000 incoming) in ``fmt``."""
    body, _ = store.query(_bind("entity_describe", entity=iri), fmt.media_type)
    return body
