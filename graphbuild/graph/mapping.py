"""Records to RDF: one named graph per document.

``document_graph`` maps one :class:`~graphbuild.records.Extraction` onto the perfkg ontology
(``ontology/perfkg.ttl``); the graph's identifier is the document's named-graph IRI, so a store
replaces exactly that document's triples when it is re-ingested. Its inverse,
``records_from_graph``, is in :mod:`graphbuild.graph.reading`. ``build_graph``,
which describes a build run, lives in :mod:`graphbuild.graph.provenance` and is re-exported here.
The mapping is documented in ``docs/iris.md``.

The mapping collects plain tuples and adds them in one ``addN`` call; literals and IRIs that
repeat (labels, codes, numbers) come from small caches.

>>> from graphbuild.records import Document, Extraction
>>> doc = Document("d.txt", "unknown", None, 2024, "某部门", None)
>>> graph = document_graph(Extraction(doc), base="http://example.org/")
>>> str(graph.identifier), len(graph)
('http://example.org/graph/d.txt', 11)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from graphbuild.graph import iris
from graphbuild.graph.provenance import BuildInput, build_graph
from graphbuild.graph.terms import (
    CODES,
    DERIVED,
    KIND_CLASSES,
    LINE,
    OPS,
    PKT,
    PROJECT_EVALUATION,
    PROJECT_MONEY,
    PROJECT_TEXT,
    SCHEMA_MAX,
    SCHEMA_MIN,
    SCHEMA_UNIT_CODE,
    SCHEMA_UNIT_TEXT,
    SCHEMA_VALUE,
    TABLES,
    ZH,
    A,
    level2_concept,
    level_concepts,
    unit_concepts,
)
from graphbuild.records import Diagnostic, Document, Extraction, FundingSource, Project, Target
from graphbuild.vocab import ORG, PKC, PREFIXES

__all__ = ["BuildInput", "build_graph", "document_graph", "document_triples"]

Triple = tuple[URIRef, URIRef, Any]


# ---- literals and IRIs ----------------------------------------------------------------------
def _code(code: str) -> URIRef:
    """The pkc: concept of a record code (value kind, period, severity, family)."""
    return CODES.get(code) or PKC[code]


@lru_cache(maxsize=131072)
def _zh(text: str) -> Literal:
    return Literal(text, lang=ZH)


@lru_cache(maxsize=131072)
def _str(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=8192)
def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=131072)
def _decimal(value: float) -> Literal:
    """``value`` as an xsd:decimal whose lexical form reads back as the same float."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a decimal number")
    text = repr(float(value) + 0.0)  # no negative zero in xsd:decimal
    if "e" in text or "n" in text:  # exponent, inf, nan
        from decimal import Decimal

        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _date(text: str) -> Literal:
    """An ISO date, year-month or year as xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    return Literal(text)


# ---- records -> graph -----------------------------------------------------------------------
def document_graph(extraction: Extraction, base: str | None = None) -> Graph:
    """The named graph of one document: its department, projects, targets and diagnostics.

    ``base`` defaults to ``$PERFKG_BASE`` or ``iris.DEFAULT_BASE``. The graph's identifier is
    ``iris.graph_iri(document, base)``.
    """
    name, triples = document_triples(extraction, base)
    graph = Graph(identifier=name, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    # The nodes are built by the mapper and valid by construction: skip Graph.addN's checks.
    graph.store.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def document_triples(
    extraction: Extraction, base: str | None = None
) -> tuple[URIRef, list[Triple]]:
    """The named-graph IRI and the triples of ``document_graph``, without building a Graph.

    For stores that load triples straight into another engine: building the rdflib Graph
    costs more than the mapping itself.
    """
    base = iris.resolve_base(base)
    name = extraction.document.document
    mapper = _Mapper(name, base)
    mapper.document(extraction.document)
    names = {project.line: project.project for project in extraction.projects}
    for project in extraction.projects:
        mapper.project(project)
    counts: dict[tuple[int, str], int] = {}
    for target in extraction.targets:
        slot = (target.line, target.period)
        counts[slot] = counts.get(slot, 0) + 1
        mapper.target(target, counts[slot], names)
    for n, diagnostic in enumerate(extraction.diagnostics, 1):
        mapper.diagnostic(diagnostic, n)
    return URIRef(iris.graph_iri(name, base)), mapper.triples


class _Mapper:
    """Collects the triples of one document (private: ``document_graph`` is the interface)."""

    def __init__(self, name: str, base: str) -> None:
        self.name = name
        self.base = base
        self.doc = URIRef(iris.document_iri(name, base))
        self.triples: list[Triple] = []
        self.seen: set[URIRef] = set()
        self.project_prefix = iris.project_iri(name, 0, base)[:-1]
        self.target_prefix = iris.target_iri(name, 0, "", base=base)[: -len("0/")]

    def document(self, doc: Document) -> None:
        add = self.triples.append
        s = self.doc
        add((s, A, PKT.Document))
        if doc.kind in KIND_CLASSES:
            add((s, A, KIND_CLASSES[doc.kind]))
        add((s, DCTERMS.identifier, _str(doc.document)))
        add((s, PKT.family, _code(doc.family)))
        if doc.year is not None:
            add((s, PKT.fiscalYear, Literal(f"{doc.year:04d}", datatype=XSD.gYear)))
        add((s, PKT.encoding, _str(doc.encoding)))
        add((s, PKT.sourceFormat, _str(doc.source_format)))
        add((s, PKT.lineCount, _int(doc.lines)))
        for amount, prop in (
            (doc.budget_total_yuan, PKT.budgetTotal),
            (doc.basic_expenditure_yuan, PKT.basicExpenditure),
            (doc.project_expenditure_yuan, PKT.projectExpenditure),
        ):
            if amount is not None:
                add((s, prop, _decimal(amount)))
        department = self.department(doc.department, doc.department_code)
        if department is not None:
            add((s, DCTERMS.publisher, department))

    def department(self, name: str | None, code: str | None) -> URIRef | None:
        found = iris.department_iri(name, code, self.base)
        if found is None:
            return None
        iri = URIRef(found)
        if iri not in self.seen:
            self.seen.add(iri)
            add = self.triples.append
            add((iri, A, PKT.Department))
            add((iri, A, ORG.Organization))
            if name:
                add((iri, SKOS.prefLabel, _zh(name)))
            if code:
                add((iri, ORG.identifier, _str(code)))
        return iri

    def project(self, project: Project) -> None:
        add = self.triples.append
        s = URIRef(f"{self.project_prefix}{project.line}")
        add((s, A, PKT.Project))
        add((s, DERIVED, self.doc))
        add((s, LINE, _int(project.line)))
        if project.origin is not None:
            add((s, PKT.sourceOrigin, _str(project.origin)))
        add((s, RDFS.label, _zh(project.project)))
        if project.project_code is not None:
            add((s, DCTERMS.identifier, _str(project.project_code)))
        department = self.department(project.department, project.department_code)
        if department is not None:
            add((s, PKT.department, department))
        for attribute, prop in PROJECT_TEXT:
            text = getattr(project, attribute)
            if text is not None:
                add((s, prop, _zh(text)))
        for attribute, prop in PROJECT_MONEY:
            amount = getattr(project, attribute)
            if amount is not None:
                add((s, prop, _decimal(amount)))
        for n, funding in enumerate(project.funding, 1):
            self.funding(s, funding, n)
        facts = [(prop, getattr(project, attr)) for attr, prop in PROJECT_EVALUATION]
        if project.grade is not None or any(value is not None for _, value in facts):
            e = URIRef(f"{s}#evaluation")
            add((s, PKT.evaluation, e))
            add((e, A, PKT.Evaluation))
            for prop, value in facts:
                if value is not None:
                    add((e, prop, _decimal(value)))
            if project.grade is not None:
                add((e, PKT.grade, _zh(project.grade)))

    def funding(self, project: URIRef, funding: FundingSource, n: int) -> None:
        add = self.triples.append
        f = URIRef(f"{project}#funding-{n}")
        add((project, PKT.funding, f))
        add((f, A, PKT.FundingSource))
        add((f, PKT.position, _int(n)))
        add((f, PKT.sourceName, _zh(funding.source)))
        if funding.implementation_yuan is not None:
            add((f, PKT.implementationAmount, _decimal(funding.implementation_yuan)))
        if funding.annual_yuan is not None:
            add((f, PKT.annualAmount, _decimal(funding.annual_yuan)))

    def target(self, target: Target, n: int, names: dict[int, str]) -> None:
        add = self.triples.append
        suffix = f"/{n}" if n > 1 else ""
        s = URIRef(f"{self.target_prefix}{target.line}/{target.period}{suffix}")
        add((s, A, PKT.PerformanceTarget))
        add((s, DERIVED, self.doc))
        add((s, LINE, _int(target.line)))
        if target.origin is not None:
            add((s, PKT.sourceOrigin, _str(target.origin)))
        add((s, PKT.table, TABLES[target.table]))
        add((s, PKT.period, _code(target.period)))
        if target.project_line is not None:
            add((s, PKT.project, URIRef(f"{self.project_prefix}{target.project_line}")))
        if target.project is not None and names.get(target.project_line) != target.project:
            add((s, PKT.projectName, _zh(target.project)))
        level1, _, _ = level_concepts()
        if target.level1 is not None:
            concept = level1.get(target.level1)
            if concept is not None:
                add((s, PKT.level1, concept))
            else:
                add((s, PKT.level1Label, _zh(target.level1)))
        if target.level2 is not None:
            concept = level2_concept(target.level1, target.level2)
            if concept is not None:
                add((s, PKT.level2, concept))
            else:
                add((s, PKT.level2Label, _zh(target.level2)))
        for raw, prop in (
            (target.level1_raw, PKT.level1Raw),
            (target.level2_raw, PKT.level2Raw),
            (target.level3_raw, PKT.indicatorRaw),
        ):
            if raw is not None:
                add((s, prop, _zh(raw)))
        add((s, PKT.indicatorName, _zh(target.level3)))
        self.indicator(s, target.level3)
        if target.description is not None:
            add((s, PKT.valueDescription, _zh(target.description)))
        if target.initial_value is not None:
            add((s, PKT.initialValue, _str(target.initial_value)))
        self.value(s, target)
        if (
            target.actual is not None
            or target.weight is not None
            or target.score is not None
            or target.deviation_reason is not None
        ):
            e = URIRef(f"{s}#evaluation")
            add((s, PKT.evaluation, e))
            add((e, A, PKT.Evaluation))
            if target.actual is not None:
                add((e, PKT.actual, _str(target.actual)))
            if target.weight is not None:
                add((e, PKT.weight, _decimal(target.weight)))
            if target.score is not None:
                add((e, PKT.score, _decimal(target.score)))
            if target.deviation_reason is not None:
                add((e, PKT.deviationReason, _zh(target.deviation_reason)))

    def indicator(self, target: URIRef, level3: str) -> None:
        name = iris.indicator_name(level3)
        if not name:
            return
        concept = URIRef(iris.indicator_iri(level3, self.base))
        add = self.triples.append
        add((target, PKT.indicator, concept))
        if concept not in self.seen:
            self.seen.add(concept)
            add((concept, A, PKT.Indicator))
            add((concept, A, SKOS.Concept))
            add((concept, SKOS.prefLabel, _zh(name)))
            add((concept, SKOS.inScheme, URIRef(iris.indicator_scheme_iri(self.base))))

    def value(self, target: URIRef, t: Target) -> None:
        add = self.triples.append
        v = URIRef(f"{target}#value")
        add((target, PKT.targetValue, v))
        add((v, A, PKT.TargetValue))
        add((v, PKT.rawValue, _str(t.value)))
        add((v, PKT.valueKind, _code(t.kind)))
        if t.op is not None:
            add((v, PKT.comparator, OPS[t.op]))
        if t.number is not None:
            add((v, SCHEMA_VALUE, _decimal(t.number)))
        if t.number_max is not None:
            add((v, SCHEMA_MAX, _decimal(t.number_max)))
            if t.number is not None:
                add((v, SCHEMA_MIN, _decimal(t.number)))
        if t.unit is not None:
            add((v, SCHEMA_UNIT_TEXT, _str(t.unit)))
            unit = unit_concepts().get(t.unit)
            if unit is not None:
                add((v, SCHEMA_UNIT_CODE, unit))
        if t.date is not None:
            add((v, PKT.dateValue, _date(t.date)))
        if t.placeholder:
            add((v, PKT.placeholder, Literal(True)))

    def diagnostic(self, diagnostic: Diagnostic, n: int) -> None:
        add = self.triples.append
        s = URIRef(iris.diagnostic_iri(self.name, n, self.base))
        add((s, A, PKT.Diagnostic))
        add((s, DERIVED, self.doc))
        if diagnostic.line is not None:
            add((s, LINE, _int(diagnostic.line)))
        if diagnostic.origin is not None:
            add((s, PKT.sourceOrigin, _str(diagnostic.origin)))
        add((s, PKT.reason, _str(diagnostic.reason)))
        add((s, PKT.severity, _code(diagnostic.severity)))
        if diagnostic.cells:
            add((s, PKT.cells, _str("\t".join(diagnostic.cells))))
