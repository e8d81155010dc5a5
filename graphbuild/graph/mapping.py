"""Records to RDF: one named graph per document, written as N-Quads without building a graph.

:func:`document_nquads` maps one :class:`~graphbuild.records.Extraction` onto the perfkg
ontology (``ontology/perfkg.ttl``) and writes the quads straight into N-Quads text: IRIs are
minted by :mod:`graphbuild.graph.iris` (already valid), literals are escaped here, and the
terms that repeat (codes, levels, labels, numbers) come from small caches. That is the hot path
of ``perfkg build``: no rdflib object is made. :func:`document_graph` gives the same triples as
an rdflib Graph (parsed from that text) for tests, validation and interchange. The graph's name
is the document's named-graph IRI, so a store replaces exactly that document's triples when it
is re-ingested. The inverse, ``records_from_graph``, is in :mod:`graphbuild.graph.reading`;
``build_graph``, which describes a build run, lives in :mod:`graphbuild.graph.provenance` and
is re-exported here. The mapping is documented in ``docs/iris.md``.

>>> from graphbuild.records import Document, Extraction
>>> doc = Document("d.txt", "unknown", None, 2024, "某部门", None)
>>> name, data, quads = document_nquads(Extraction(doc), base="http://example.org/")
>>> name, quads, len(data.splitlines())
('http://example.org/graph/d.txt', 11, 11)
>>> graph = document_graph(Extraction(doc), base="http://example.org/")
>>> str(graph.identifier), len(graph)
('http://example.org/graph/d.txt', 11)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rdflib import Graph, URIRef
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
    A,
    level2_concept,
    level_concepts,
    unit_concepts,
)
from graphbuild.records import Diagnostic, Document, Extraction, FundingSource, Project, Target
from graphbuild.vocab import ORG, PKC, PREFIXES, QB

__all__ = ["BuildInput", "build_graph", "document_graph", "document_nquads"]


def _iri(term: str) -> str:
    """An IRI as an N-Triples term (the IRIs here are minted valid)."""
    return f"<{term}>"


class _P:
    """The properties and classes the mapping writes, as N-Triples terms."""

    def __getattr__(self, name: str) -> str:
        value = _iri(str(getattr(PKT, name)))
        setattr(self, name, value)
        return value


P = _P()
T_A = _iri(str(A))
T_DERIVED = _iri(str(DERIVED))
T_LINE = _iri(str(LINE))
T_IDENTIFIER = _iri(str(DCTERMS.identifier))
T_PUBLISHER = _iri(str(DCTERMS.publisher))
T_LABEL = _iri(str(RDFS.label))
T_PREF_LABEL = _iri(str(SKOS.prefLabel))
T_IN_SCHEME = _iri(str(SKOS.inScheme))
T_CONCEPT = _iri(str(SKOS.Concept))
T_CONCEPT_SCHEME = _iri(str(SKOS.ConceptScheme))
T_NOTATION = _iri(str(SKOS.notation))
T_BROADER = _iri(str(SKOS.broader))
T_TOP_CONCEPT_OF = _iri(str(SKOS.topConceptOf))
T_ALT_LABEL = _iri(str(SKOS.altLabel))
T_OBSERVATION = _iri(str(QB.Observation))
T_DATASET = _iri(str(QB.dataSet))
T_DATASET_CLASS = _iri(str(QB.DataSet))
T_STRUCTURE = _iri(str(QB.structure))
T_ORGANIZATION = _iri(str(ORG.Organization))
T_ORG_IDENTIFIER = _iri(str(ORG.identifier))
T_VALUE = _iri(str(SCHEMA_VALUE))
T_MIN = _iri(str(SCHEMA_MIN))
T_MAX = _iri(str(SCHEMA_MAX))
T_UNIT_TEXT = _iri(str(SCHEMA_UNIT_TEXT))
T_UNIT_CODE = _iri(str(SCHEMA_UNIT_CODE))
_XSD_INTEGER = f"^^<{XSD.integer}>"
_XSD_DECIMAL = f"^^<{XSD.decimal}>"
_PROJECT_TEXT = tuple((attribute, _iri(str(prop))) for attribute, prop in PROJECT_TEXT)
_PROJECT_MONEY = tuple((attribute, _iri(str(prop))) for attribute, prop in PROJECT_MONEY)
_PROJECT_EVALUATION = tuple((attribute, _iri(str(prop))) for attribute, prop in PROJECT_EVALUATION)
_OPS = {op: _iri(str(iri)) for op, iri in OPS.items()}
_TABLES = {kind: _iri(str(iri)) for kind, iri in TABLES.items()}
_KIND_CLASSES = {kind: _iri(str(iri)) for kind, iri in KIND_CLASSES.items()}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


# ---- literals -------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    return {code: _iri(str(iri)) for code, iri in CODES.items()}


def _code(code: str) -> str:
    """The pkc: concept of a record code (value kind, period, severity, family)."""
    return _codes().get(code) or _iri(str(PKC[code]))


@lru_cache(maxsize=131072)
def _zh(text: str) -> str:
    return f'"{text.translate(_ESCAPES)}"@zh'


@lru_cache(maxsize=131072)
def _str(text: str) -> str:
    return f'"{text.translate(_ESCAPES)}"'


@lru_cache(maxsize=8192)
def _int(value: int) -> str:
    return f'"{int(value)}"{_XSD_INTEGER}'


@lru_cache(maxsize=131072)
def _decimal(value: float) -> str:
    """``value`` as an xsd:decimal whose lexical form reads back as the same float."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a decimal number")
    text = repr(float(value) + 0.0)  # no negative zero in xsd:decimal
    if "e" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return f'"{text}"{_XSD_DECIMAL}'


def _date(text: str) -> str:
    """An ISO date, year-month or year as xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f'"{text}"^^<{XSD.date}>'
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f'"{text}"^^<{XSD.gYearMonth}>'
    if re.fullmatch(r"\d{4}", text):
        return f'"{text}"^^<{XSD.gYear}>'
    return _str(text)


@lru_cache(maxsize=1)
def _levels() -> dict[str, str]:
    return {label: _iri(str(iri)) for label, iri in level_concepts()[0].items()}


@lru_cache(maxsize=4096)
def _level2(level1: str | None, level2: str) -> str | None:
    concept = level2_concept(level1, level2)
    return _iri(str(concept)) if concept is not None else None


@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    return {text: _iri(str(iri)) for text, iri in unit_concepts().items()}


# ---- records -> N-Quads ---------------------------------------------------------------------
def document_nquads(extraction: Extraction, base: str | None = None) -> tuple[str, bytes, int]:
    """The named-graph IRI, the N-Quads (UTF-8) and the number of quads of one document.

    ``base`` defaults to ``$PERFKG_BASE`` or ``iris.DEFAULT_BASE``.
    """
    name, lines = _document_lines(extraction, base)
    graph = f" <{name}> .\n"
    return name, (graph.join(lines) + graph).encode("utf-8") if lines else b"", len(lines)


def document_graph(extraction: Extraction, base: str | None = None) -> Graph:
    """The same triples as an rdflib Graph named by the document's graph IRI (for tests,
    validation and interchange; the build does not make it)."""
    name, lines = _document_lines(extraction, base)
    graph = Graph(identifier=URIRef(name), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(data=" .\n".join(lines) + " .\n" if lines else "", format="nt")
    return graph


def _document_lines(extraction: Extraction, base: str | None) -> tuple[str, list[str]]:
    """The graph IRI and the triples (``s p o`` without the final dot) of one document."""
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
    if extraction.budget_lines:
        import sys

        from graphbuild.graph.budget_rdf import BudgetTriples

        doc = extraction.document
        department = mapper.department(doc.department, doc.department_code)
        writer = BudgetTriples(
            mapper.add, sys.modules[__name__], name, base, mapper.doc, mapper.seen, mapper.lines
        )
        writer.write(extraction, department)
    for n, diagnostic in enumerate(extraction.diagnostics, 1):
        mapper.diagnostic(diagnostic, n)
    return iris.graph_iri(name, base), mapper.lines


class _Mapper:
    """Collects the triples of one document as N-Triples text (``s p o``)."""

    def __init__(self, name: str, base: str) -> None:
        self.name = name
        self.base = base
        self.doc = _iri(iris.document_iri(name, base))
        self.lines: list[str] = []
        self.seen: set[str] = set()
        self.project_prefix = "<" + iris.project_iri(name, 0, base)[:-1]
        self.target_prefix = "<" + iris.target_iri(name, 0, "", base=base)[: -len("0/")]
        self.scheme = _iri(iris.indicator_scheme_iri(base))

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o}")

    def document(self, doc: Document) -> None:
        add = self.add
        s = self.doc
        add(s, T_A, P.Document)
        if doc.kind in _KIND_CLASSES:
            add(s, T_A, _KIND_CLASSES[doc.kind])
        add(s, T_IDENTIFIER, _str(doc.document))
        add(s, P.family, _code(doc.family))
        if doc.year is not None:
            add(s, P.fiscalYear, f'"{doc.year:04d}"^^<{XSD.gYear}>')
        add(s, P.encoding, _str(doc.encoding))
        add(s, P.sourceFormat, _str(doc.source_format))
        add(s, P.lineCount, _int(doc.lines))
        for amount, prop in (
            (doc.budget_total_yuan, P.budgetTotal),
            (doc.basic_expenditure_yuan, P.basicExpenditure),
            (doc.project_expenditure_yuan, P.projectExpenditure),
        ):
            if amount is not None:
                add(s, prop, _decimal(amount))
        if doc.budget_line is not None:
            add(s, P.budgetTotalLine, _int(doc.budget_line))
        department = self.department(doc.department, doc.department_code)
        if department is not None:
            add(s, T_PUBLISHER, department)

    def department(self, name: str | None, code: str | None) -> str | None:
        found = iris.department_iri(name, code, self.base)
        if found is None:
            return None
        iri = _iri(found)
        if iri not in self.seen:
            self.seen.add(iri)
            add = self.add
            add(iri, T_A, P.Department)
            add(iri, T_A, T_ORGANIZATION)
            if name:
                add(iri, T_PREF_LABEL, _zh(name))
            if code:
                add(iri, T_ORG_IDENTIFIER, _str(code))
        return iri

    def project(self, project: Project) -> None:
        add = self.add
        bare = f"{self.project_prefix}{project.line}"
        s = bare + ">"
        add(s, T_A, P.Project)
        add(s, T_DERIVED, self.doc)
        add(s, T_LINE, _int(project.line))
        add(s, T_LABEL, _zh(project.project))
        if project.origin is not None:
            add(s, P.sourceOrigin, _str(project.origin))
        if project.project_code is not None:
            add(s, T_IDENTIFIER, _str(project.project_code))
        department = self.department(project.department, project.department_code)
        if department is not None:
            add(s, P.department, department)
        for attribute, prop in _PROJECT_TEXT:
            text = getattr(project, attribute)
            if text is not None:
                add(s, prop, _zh(text))
        for attribute, prop in _PROJECT_MONEY:
            amount = getattr(project, attribute)
            if amount is not None:
                add(s, prop, _decimal(amount))
        for n, funding in enumerate(project.funding, 1):
            self.funding(bare, funding, n)
        facts = [(prop, getattr(project, attr)) for attr, prop in _PROJECT_EVALUATION]
        if project.grade is not None or any(value is not None for _, value in facts):
            e = f"{bare}#evaluation>"
            add(s, P.evaluation, e)
            add(e, T_A, P.Evaluation)
            for prop, value in facts:
                if value is not None:
                    add(e, prop, _decimal(value))
            if project.grade is not None:
                add(e, P.grade, _zh(project.grade))

    def funding(self, project: str, funding: FundingSource, n: int) -> None:
        add = self.add
        f = f"{project}#funding-{n}>"
        add(project + ">", P.funding, f)
        add(f, T_A, P.FundingSource)
        add(f, P.position, _int(n))
        add(f, P.sourceName, _zh(funding.source))
        if funding.implementation_yuan is not None:
            add(f, P.implementationAmount, _decimal(funding.implementation_yuan))
        if funding.annual_yuan is not None:
            add(f, P.annualAmount, _decimal(funding.annual_yuan))

    def target(self, target: Target, n: int, names: dict[int, str]) -> None:
        add = self.add
        suffix = f"/{n}" if n > 1 else ""
        bare = f"{self.target_prefix}{target.line}/{target.period}{suffix}"
        s = bare + ">"
        add(s, T_A, P.PerformanceTarget)
        add(s, T_DERIVED, self.doc)
        add(s, T_LINE, _int(target.line))
        add(s, P.table, _TABLES[target.table])
        add(s, P.period, _code(target.period))
        if target.origin is not None:
            add(s, P.sourceOrigin, _str(target.origin))
        if target.project_line is not None:
            add(s, P.project, f"{self.project_prefix}{target.project_line}>")
        if target.project is not None and names.get(target.project_line) != target.project:
            add(s, P.projectName, _zh(target.project))
        if target.level1 is not None:
            concept = _levels().get(target.level1)
            if concept is not None:
                add(s, P.level1, concept)
            else:
                add(s, P.level1Label, _zh(target.level1))
        if target.level2 is not None:
            concept = _level2(target.level1, target.level2)
            if concept is not None:
                add(s, P.level2, concept)
            else:
                add(s, P.level2Label, _zh(target.level2))
        for raw, prop in (
            (target.level1_raw, P.level1Raw),
            (target.level2_raw, P.level2Raw),
            (target.level3_raw, P.indicatorRaw),
        ):
            if raw is not None:
                add(s, prop, _zh(raw))
        add(s, P.indicatorName, _zh(target.level3))
        self.indicator(s, target.level3)
        if target.description is not None:
            add(s, P.valueDescription, _zh(target.description))
        if target.direction is not None:
            add(s, P.direction, _str(target.direction))
        if target.level1_weight is not None:
            add(s, P.level1Weight, _decimal(target.level1_weight))
        if target.level2_weight is not None:
            add(s, P.level2Weight, _decimal(target.level2_weight))
        if target.initial_value is not None:
            add(s, P.initialValue, _str(target.initial_value))
        self.value(bare, target)
        if (
            target.actual is not None
            or target.weight is not None
            or target.score is not None
            or target.deviation_reason is not None
        ):
            e = f"{bare}#evaluation>"
            add(s, P.evaluation, e)
            add(e, T_A, P.Evaluation)
            if target.actual is not None:
                add(e, P.actual, _str(target.actual))
            if target.weight is not None:
                add(e, P.weight, _decimal(target.weight))
            if target.score is not None:
                add(e, P.score, _decimal(target.score))
            if target.deviation_reason is not None:
                add(e, P.deviationReason, _zh(target.deviation_reason))

    def indicator(self, target: str, level3: str) -> None:
        name = iris.indicator_name(level3)
        if not name:
            return
        concept = _iri(iris.indicator_iri(level3, self.base))
        add = self.add
        add(target, P.indicator, concept)
        if concept not in self.seen:
            self.seen.add(concept)
            add(concept, T_A, P.Indicator)
            add(concept, T_A, T_CONCEPT)
            add(concept, T_PREF_LABEL, _zh(name))
            add(concept, T_IN_SCHEME, self.scheme)

    def value(self, target: str, t: Target) -> None:
        add = self.add
        v = f"{target}#value>"
        add(target + ">", P.targetValue, v)
        add(v, T_A, P.TargetValue)
        add(v, P.rawValue, _str(t.value))
        add(v, P.valueKind, _code(t.kind))
        if t.op is not None:
            add(v, P.comparator, _OPS[t.op])
        if t.number is not None:
            add(v, T_VALUE, _decimal(t.number))
        if t.number_max is not None:
            add(v, T_MAX, _decimal(t.number_max))
            if t.number is not None:
                add(v, T_MIN, _decimal(t.number))
        if t.unit is not None:
            add(v, T_UNIT_TEXT, _str(t.unit))
            unit = _units().get(t.unit)
            if unit is not None:
                add(v, T_UNIT_CODE, unit)
        if t.date is not None:
            add(v, P.dateValue, _date(t.date))
        if t.placeholder:
            add(v, P.placeholder, f'"true"^^<{XSD.boolean}>')

    def diagnostic(self, diagnostic: Diagnostic, n: int) -> None:
        add = self.add
        s = _iri(iris.diagnostic_iri(self.name, n, self.base))
        add(s, T_A, P.Diagnostic)
        add(s, T_DERIVED, self.doc)
        if diagnostic.line is not None:
            add(s, T_LINE, _int(diagnostic.line))
        add(s, P.reason, _str(diagnostic.reason))
        if diagnostic.origin is not None:
            add(s, P.sourceOrigin, _str(diagnostic.origin))
        add(s, P.severity, _code(diagnostic.severity))
        if diagnostic.cells:
            add(s, P.cells, _str("\t".join(diagnostic.cells)))
