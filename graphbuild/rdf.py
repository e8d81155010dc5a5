"""Records to RDF and back: one named graph per document.

``document_graph`` maps one :class:`~graphbuild.records.Extraction` onto the perfkg ontology
(``ontology/perfkg.ttl``); the graph's identifier is the document's named-graph IRI, so a store
replaces exactly that document's triples when it is re-ingested. ``records_from_graph`` is its
inverse (used by the round-trip tests and by anyone holding only the graph). ``build_graph``,
which describes a build run, lives in :mod:`graphbuild.provenance` and is re-exported here.
The mapping is documented in ``docs/iris.md``.

The mapping collects plain tuples and adds them in one ``addN`` call; literals and IRIs that
repeat (labels, codes, numbers) come from small caches.

>>> from graphbuild.records import Document, Extraction
>>> doc = Document("d.txt", "unknown", None, 2024, "某部门", None)
>>> graph = document_graph(Extraction(doc), base="http://example.org/")
>>> str(graph.identifier), len(graph)
('http://example.org/graph/d.txt', 10)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graphbuild import iris
from graphbuild.levels import vocabulary
from graphbuild.provenance import BuildInput, build_graph
from graphbuild.records import Diagnostic, Document, Extraction, FundingSource, Project, Target
from graphbuild.vocab import ORG, PK, PKC, PREFIXES, SCHEMA, UNITS_FILE

__all__ = [
    "BuildInput",
    "build_graph",
    "document_graph",
    "document_triples",
    "records_from_graph",
]

Triple = tuple[URIRef, URIRef, Any]

# ---- vocabulary terms, bound once (DefinedNamespace lookups are not free) -------------------
_PK = SimpleNamespace(**{name: PK[name] for name in PK.__annotations__})
_SCHEMA_value = SCHEMA["value"]
_SCHEMA_minValue = SCHEMA["minValue"]
_SCHEMA_maxValue = SCHEMA["maxValue"]
_SCHEMA_unitText = SCHEMA["unitText"]
_SCHEMA_unitCode = SCHEMA["unitCode"]
_PREF_LABEL = SKOS.prefLabel
_A = RDF.type
_DERIVED = PROV.wasDerivedFrom
_LINE = _PK.sourceLine
_ZH = "zh"

# Project text fields: record attribute -> property (natural language, tagged @zh).
_PROJECT_TEXT: tuple[tuple[str, URIRef], ...] = (
    ("implementing_unit", _PK.implementingUnit),
    ("attribute", _PK.attribute),
    ("term", _PK.term),
    ("overview", _PK.overview),
    ("basis", _PK.basis),
    ("necessity", _PK.necessity),
    ("measures", _PK.measures),
    ("plan", _PK.plan),
    ("goal_implementation", _PK.goalImplementation),
    ("goal_annual", _PK.goalAnnual),
)
_PROJECT_MONEY: tuple[tuple[str, URIRef], ...] = (
    ("total_funds_yuan", _PK.totalFunds),
    ("annual_funds_yuan", _PK.annualFunds),
)
# Final accounts, per project: attribute -> property of the project's evaluation node.
_PROJECT_EVALUATION: tuple[tuple[str, URIRef], ...] = (
    ("budget_yuan", _PK.budgetAmount),
    ("spent_yuan", _PK.spentAmount),
    ("execution_rate", _PK.executionRate),
    ("execution_score", _PK.executionScore),
    ("total_score", _PK.score),
)

_OPS = {">=": PKC.ge, "<=": PKC.le, ">": PKC.gt, "<": PKC.lt, "=": PKC.eq}
_OPS_BACK = {str(iri): op for op, iri in _OPS.items()}
_CODES = {
    code: PKC[code]
    for code in (
        *("quantity", "percent", "date", "qualitative", "text", "empty"),  # value kinds
        *("implementation", "annual"),  # periods
        *("info", "warning", "error"),  # severities
        *("shanxi_budget", "henan_budget", "final_accounts", "unknown"),  # families
    )
}
_TABLES = {"project": PKC["project-table"], "department": PKC["department-table"]}
_TABLES_BACK = {str(iri): kind for kind, iri in _TABLES.items()}
_KIND_CLASSES = {"budget": _PK.BudgetDocument, "final_accounts": _PK.FinalAccountsDocument}
_KIND_BACK = {str(iri): kind for kind, iri in _KIND_CLASSES.items()}


# ---- literals and IRIs ----------------------------------------------------------------------
def _code(code: str) -> URIRef:
    """The pkc: concept of a record code (value kind, period, severity, family)."""
    return _CODES.get(code) or PKC[code]


@lru_cache(maxsize=131072)
def _zh(text: str) -> Literal:
    return Literal(text, lang=_ZH)


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


@lru_cache(maxsize=1)
def _levels() -> tuple[
    dict[str, URIRef], dict[str, list[tuple[URIRef, str | None]]], dict[str, str]
]:
    """Level 1 label -> concept; level 2 label -> [(concept, parent label)]; concept -> label."""
    level1: dict[str, URIRef] = {}
    level2: dict[str, list[tuple[URIRef, str | None]]] = {}
    labels: dict[str, str] = {}
    for level in vocabulary().levels:
        labels[level.iri] = level.label
        if level.level == 1:
            level1[level.label] = URIRef(level.iri)
        else:
            level2.setdefault(level.label, []).append((URIRef(level.iri), level.parent))
    return level1, level2, labels


@lru_cache(maxsize=4096)
def _level2_concept(level1: str | None, level2: str) -> URIRef | None:
    """The level 2 concept for a canonical label: the one under ``level1``, else the only one."""
    candidates = _levels()[1].get(level2, [])
    for concept, parent in candidates:
        if parent == level1:
            return concept
    return candidates[0][0] if len(candidates) == 1 else None


@lru_cache(maxsize=1)
def _units() -> dict[str, URIRef]:
    """Unit text (notation, Chinese labels) -> unit concept, from ``ontology/units.ttl``."""
    if not UNITS_FILE.exists():
        return {}
    graph = Graph().parse(UNITS_FILE, format="turtle")
    found: dict[str, URIRef] = {}
    for prop in (SKOS.hiddenLabel, SKOS.altLabel, SKOS.prefLabel, SKOS.notation):
        for concept, label in graph.subject_objects(prop):
            if isinstance(concept, URIRef) and getattr(label, "language", None) in (None, "zh"):
                found[str(label)] = concept
    return found


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
        add((s, _A, _PK.Document))
        if doc.kind in _KIND_CLASSES:
            add((s, _A, _KIND_CLASSES[doc.kind]))
        add((s, DCTERMS.identifier, _str(doc.document)))
        add((s, _PK.family, _code(doc.family)))
        if doc.year is not None:
            add((s, _PK.fiscalYear, Literal(f"{doc.year:04d}", datatype=XSD.gYear)))
        add((s, _PK.encoding, _str(doc.encoding)))
        add((s, _PK.lineCount, _int(doc.lines)))
        for amount, prop in (
            (doc.budget_total_yuan, _PK.budgetTotal),
            (doc.basic_expenditure_yuan, _PK.basicExpenditure),
            (doc.project_expenditure_yuan, _PK.projectExpenditure),
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
            add((iri, _A, _PK.Department))
            add((iri, _A, ORG.Organization))
            if name:
                add((iri, SKOS.prefLabel, _zh(name)))
            if code:
                add((iri, ORG.identifier, _str(code)))
        return iri

    def project(self, project: Project) -> None:
        add = self.triples.append
        s = URIRef(f"{self.project_prefix}{project.line}")
        add((s, _A, _PK.Project))
        add((s, _DERIVED, self.doc))
        add((s, _LINE, _int(project.line)))
        add((s, RDFS.label, _zh(project.project)))
        if project.project_code is not None:
            add((s, DCTERMS.identifier, _str(project.project_code)))
        department = self.department(project.department, project.department_code)
        if department is not None:
            add((s, _PK.department, department))
        for attribute, prop in _PROJECT_TEXT:
            text = getattr(project, attribute)
            if text is not None:
                add((s, prop, _zh(text)))
        for attribute, prop in _PROJECT_MONEY:
            amount = getattr(project, attribute)
            if amount is not None:
                add((s, prop, _decimal(amount)))
        for n, funding in enumerate(project.funding, 1):
            self.funding(s, funding, n)
        facts = [(prop, getattr(project, attr)) for attr, prop in _PROJECT_EVALUATION]
        if project.grade is not None or any(value is not None for _, value in facts):
            e = URIRef(f"{s}#evaluation")
            add((s, _PK.evaluation, e))
            add((e, _A, _PK.Evaluation))
            for prop, value in facts:
                if value is not None:
                    add((e, prop, _decimal(value)))
            if project.grade is not None:
                add((e, _PK.grade, _zh(project.grade)))

    def funding(self, project: URIRef, funding: FundingSource, n: int) -> None:
        add = self.triples.append
        f = URIRef(f"{project}#funding-{n}")
        add((project, _PK.funding, f))
        add((f, _A, _PK.FundingSource))
        add((f, _PK.position, _int(n)))
        add((f, _PK.sourceName, _zh(funding.source)))
        if funding.implementation_yuan is not None:
            add((f, _PK.implementationAmount, _decimal(funding.implementation_yuan)))
        if funding.annual_yuan is not None:
            add((f, _PK.annualAmount, _decimal(funding.annual_yuan)))

    def target(self, target: Target, n: int, names: dict[int, str]) -> None:
        add = self.triples.append
        suffix = f"/{n}" if n > 1 else ""
        s = URIRef(f"{self.target_prefix}{target.line}/{target.period}{suffix}")
        add((s, _A, _PK.PerformanceTarget))
        add((s, _DERIVED, self.doc))
        add((s, _LINE, _int(target.line)))
        add((s, _PK.table, _TABLES[target.table]))
        add((s, _PK.period, _code(target.period)))
        if target.project_line is not None:
            add((s, _PK.project, URIRef(f"{self.project_prefix}{target.project_line}")))
        if target.project is not None and names.get(target.project_line) != target.project:
            add((s, _PK.projectName, _zh(target.project)))
        level1, _, _ = _levels()
        if target.level1 is not None:
            concept = level1.get(target.level1)
            if concept is not None:
                add((s, _PK.level1, concept))
            else:
                add((s, _PK.level1Label, _zh(target.level1)))
        if target.level2 is not None:
            concept = _level2_concept(target.level1, target.level2)
            if concept is not None:
                add((s, _PK.level2, concept))
            else:
                add((s, _PK.level2Label, _zh(target.level2)))
        for raw, prop in (
            (target.level1_raw, _PK.level1Raw),
            (target.level2_raw, _PK.level2Raw),
            (target.level3_raw, _PK.indicatorRaw),
        ):
            if raw is not None:
                add((s, prop, _zh(raw)))
        add((s, _PK.indicatorName, _zh(target.level3)))
        self.indicator(s, target.level3)
        if target.description is not None:
            add((s, _PK.valueDescription, _zh(target.description)))
        if target.initial_value is not None:
            add((s, _PK.initialValue, _str(target.initial_value)))
        self.value(s, target)
        if (
            target.actual is not None
            or target.weight is not None
            or target.score is not None
            or target.deviation_reason is not None
        ):
            e = URIRef(f"{s}#evaluation")
            add((s, _PK.evaluation, e))
            add((e, _A, _PK.Evaluation))
            if target.actual is not None:
                add((e, _PK.actual, _str(target.actual)))
            if target.weight is not None:
                add((e, _PK.weight, _decimal(target.weight)))
            if target.score is not None:
                add((e, _PK.score, _decimal(target.score)))
            if target.deviation_reason is not None:
                add((e, _PK.deviationReason, _zh(target.deviation_reason)))

    def indicator(self, target: URIRef, level3: str) -> None:
        name = iris.indicator_name(level3)
        if not name:
            return
        concept = URIRef(iris.indicator_iri(level3, self.base))
        add = self.triples.append
        add((target, _PK.indicator, concept))
        if concept not in self.seen:
            self.seen.add(concept)
            add((concept, _A, _PK.Indicator))
            add((concept, _A, SKOS.Concept))
            add((concept, SKOS.prefLabel, _zh(name)))
            add((concept, SKOS.inScheme, URIRef(iris.indicator_scheme_iri(self.base))))

    def value(self, target: URIRef, t: Target) -> None:
        add = self.triples.append
        v = URIRef(f"{target}#value")
        add((target, _PK.targetValue, v))
        add((v, _A, _PK.TargetValue))
        add((v, _PK.rawValue, _str(t.value)))
        add((v, _PK.valueKind, _code(t.kind)))
        if t.op is not None:
            add((v, _PK.comparator, _OPS[t.op]))
        if t.number is not None:
            add((v, _SCHEMA_value, _decimal(t.number)))
        if t.number_max is not None:
            add((v, _SCHEMA_maxValue, _decimal(t.number_max)))
            if t.number is not None:
                add((v, _SCHEMA_minValue, _decimal(t.number)))
        if t.unit is not None:
            add((v, _SCHEMA_unitText, _str(t.unit)))
            unit = _units().get(t.unit)
            if unit is not None:
                add((v, _SCHEMA_unitCode, unit))
        if t.date is not None:
            add((v, _PK.dateValue, _date(t.date)))
        if t.placeholder:
            add((v, _PK.placeholder, Literal(True)))

    def diagnostic(self, diagnostic: Diagnostic, n: int) -> None:
        add = self.triples.append
        s = URIRef(iris.diagnostic_iri(self.name, n, self.base))
        add((s, _A, _PK.Diagnostic))
        add((s, _DERIVED, self.doc))
        if diagnostic.line is not None:
            add((s, _LINE, _int(diagnostic.line)))
        add((s, _PK.reason, _str(diagnostic.reason)))
        add((s, _PK.severity, _code(diagnostic.severity)))
        if diagnostic.cells:
            add((s, _PK.cells, _str("\t".join(diagnostic.cells))))


# ---- graph -> records -----------------------------------------------------------------------
def records_from_graph(graph: Graph) -> Extraction:
    """The records a document graph was made from (the inverse of ``document_graph``).

    Projects come back ordered by line; targets by line, period and their place on the line;
    diagnostics in their original order. Raises ``ValueError`` unless the graph holds exactly
    one document.
    """
    reader = _Reader(graph)
    return reader.extraction()


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.props: dict[Any, dict[Any, list[Any]]] = {}
        for s, p, o in graph:
            self.props.setdefault(s, {}).setdefault(p, []).append(o)
        documents = [s for s in graph.subjects(_A, _PK.Document) if (s, _A, _PK.Document) in graph]
        if len(documents) != 1:
            raise ValueError(f"expected one pk:Document in the graph, found {len(documents)}")
        self.doc = documents[0]

    def one(self, s: Any, p: URIRef) -> Any:
        values = self.props.get(s, {}).get(p)
        return values[0] if values else None

    def text(self, s: Any, p: URIRef) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)

    def number(self, s: Any, p: URIRef) -> float | None:
        value = self.one(s, p)
        return None if value is None else float(str(value))

    def code(self, s: Any, p: URIRef, namespace: str) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)[len(namespace) :]

    def of_type(self, cls: URIRef) -> Iterable[Any]:
        return [s for s, props in self.props.items() if cls in props.get(_A, ())]

    def extraction(self) -> Extraction:
        document = self.document()
        projects = sorted((self.project(s) for s in self.of_type(_PK.Project)), key=_by_line)
        names = {project.line: project.project for project in projects}
        targets = [
            self.target(s, document.document, names) for s in self.of_type(_PK.PerformanceTarget)
        ]
        targets.sort(key=_target_order)
        diagnostics = sorted(
            self.of_type(_PK.Diagnostic), key=lambda s: int(str(s).rsplit("/", 1)[1])
        )
        return Extraction(
            document,
            projects,
            [target for target, _ in targets],
            [self.diagnostic(s, document.document) for s in diagnostics],
        )

    def document(self) -> Document:
        s = self.doc
        kind = next((_KIND_BACK[str(t)] for t in self.props[s][_A] if str(t) in _KIND_BACK), None)
        year = self.text(s, _PK.fiscalYear)
        publisher = self.one(s, DCTERMS.publisher)
        return Document(
            document=self.text(s, DCTERMS.identifier) or "",
            family=self.code(s, _PK.family, str(PKC)),  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            year=int(year) if year is not None else None,
            department=self.text(publisher, SKOS.prefLabel) if publisher is not None else None,
            department_code=self.text(publisher, ORG.identifier) if publisher is not None else None,
            encoding=self.text(s, _PK.encoding) or "utf-8",
            lines=int(self.one(s, _PK.lineCount) or 0),
            budget_total_yuan=self.number(s, _PK.budgetTotal),
            basic_expenditure_yuan=self.number(s, _PK.basicExpenditure),
            project_expenditure_yuan=self.number(s, _PK.projectExpenditure),
        )

    def project(self, s: Any) -> Project:
        department = self.one(s, _PK.department)
        project = Project(
            document="",
            project=self.text(s, RDFS.label) or "",
            line=int(self.one(s, _LINE)),
            project_code=self.text(s, DCTERMS.identifier),
            department=self.text(department, SKOS.prefLabel) if department is not None else None,
            department_code=self.text(department, ORG.identifier)
            if department is not None
            else None,
        )
        for attribute, prop in _PROJECT_TEXT:
            setattr(project, attribute, self.text(s, prop))
        for attribute, prop in _PROJECT_MONEY:
            setattr(project, attribute, self.number(s, prop))
        lines = sorted(
            self.props.get(s, {}).get(_PK.funding, []), key=lambda f: int(self.one(f, _PK.position))
        )
        project.funding = [
            FundingSource(
                source=self.text(f, _PK.sourceName) or "",
                implementation_yuan=self.number(f, _PK.implementationAmount),
                annual_yuan=self.number(f, _PK.annualAmount),
            )
            for f in lines
        ]
        evaluation = self.one(s, _PK.evaluation)
        if evaluation is not None:
            for attribute, prop in _PROJECT_EVALUATION:
                setattr(project, attribute, self.number(evaluation, prop))
            project.grade = self.text(evaluation, _PK.grade)
        project.document = self.text(self.doc, DCTERMS.identifier) or ""
        return project

    def target(self, s: Any, document: str, names: dict[int, str]) -> tuple[Target, tuple]:
        _, _, labels = _levels()
        project = self.one(s, _PK.project)
        project_line = int(str(project).rsplit("/", 1)[1]) if project is not None else None
        project_name = self.text(s, _PK.projectName)
        if project_name is None and project_line is not None:
            project_name = names.get(project_line)
        level1 = self.one(s, _PK.level1)
        level2 = self.one(s, _PK.level2)
        v = self.one(s, _PK.targetValue)
        e = self.one(s, _PK.evaluation)
        period = self.code(s, _PK.period, str(PKC)) or "annual"
        op = self.one(v, _PK.comparator)
        target = Target(
            document=document,
            table=_TABLES_BACK[str(self.one(s, _PK.table))],  # type: ignore[arg-type]
            project=project_name,
            period=period,  # type: ignore[arg-type]
            level1=labels[str(level1)] if level1 is not None else self.text(s, _PK.level1Label),
            level2=labels[str(level2)] if level2 is not None else self.text(s, _PK.level2Label),
            level3=self.text(s, _PK.indicatorName) or "",
            value=self.text(v, _PK.rawValue) or "",
            line=int(self.one(s, _LINE)),
            op=_OPS_BACK[str(op)] if op is not None else None,
            number=self.number(v, _SCHEMA_value),
            number_max=self.number(v, _SCHEMA_maxValue),
            unit=self.text(v, _SCHEMA_unitText),
            kind=self.code(v, _PK.valueKind, str(PKC)) or "empty",  # type: ignore[arg-type]
            date=self.text(v, _PK.dateValue),
            placeholder=bool(
                self.one(v, _PK.placeholder) and self.one(v, _PK.placeholder).toPython()
            ),
            level1_raw=self.text(s, _PK.level1Raw),
            level2_raw=self.text(s, _PK.level2Raw),
            level3_raw=self.text(s, _PK.indicatorRaw),
            description=self.text(s, _PK.valueDescription),
            initial_value=self.text(s, _PK.initialValue),
            actual=self.text(e, _PK.actual) if e is not None else None,
            weight=self.number(e, _PK.weight) if e is not None else None,
            score=self.number(e, _PK.score) if e is not None else None,
            deviation_reason=self.text(e, _PK.deviationReason) if e is not None else None,
            project_line=project_line,
        )
        tail = str(s).rsplit("/", 1)[1]
        n = int(tail) if tail.isdigit() else 1
        return target, (target.line, period, n)

    def diagnostic(self, s: Any, document: str) -> Diagnostic:
        line = self.one(s, _LINE)
        cells = self.text(s, _PK.cells)
        return Diagnostic(
            document=document,
            line=int(line) if line is not None else None,
            reason=self.text(s, _PK.reason) or "",
            cells=cells.split("\t") if cells is not None else [],
            severity=self.code(s, _PK.severity, str(PKC)) or "warning",  # type: ignore[arg-type]
        )


def _by_line(project: Project) -> int:
    return project.line


def _target_order(item: tuple[Target, tuple]) -> tuple:
    return item[1]
