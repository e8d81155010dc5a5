"""RDF to records: the inverse of :func:`graphbuild.graph.mapping.document_graph`.

Used by the round-trip tests and by anyone holding only a document's graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from graphbuild.graph.terms import (
    KIND_BACK,
    LINE,
    OPS_BACK,
    PKT,
    PROJECT_EVALUATION,
    PROJECT_MONEY,
    PROJECT_TEXT,
    SCHEMA_MAX,
    SCHEMA_UNIT_TEXT,
    SCHEMA_VALUE,
    TABLES_BACK,
    A,
    level_concepts,
)
from graphbuild.records import Diagnostic, Document, Extraction, FundingSource, Project, Target
from graphbuild.vocab import ORG, PKC


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
        documents = [s for s in graph.subjects(A, PKT.Document) if (s, A, PKT.Document) in graph]
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

    def integer(self, s: Any, p: URIRef) -> int | None:
        value = self.one(s, p)
        return None if value is None else int(value)

    def code(self, s: Any, p: URIRef, namespace: str) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)[len(namespace) :]

    def of_type(self, cls: URIRef) -> Iterable[Any]:
        return [s for s, props in self.props.items() if cls in props.get(A, ())]

    def extraction(self) -> Extraction:
        document = self.document()
        projects = sorted((self.project(s) for s in self.of_type(PKT.Project)), key=_by_line)
        names = {project.line: project.project for project in projects}
        targets = [
            self.target(s, document.document, names) for s in self.of_type(PKT.PerformanceTarget)
        ]
        targets.sort(key=_target_order)
        diagnostics = sorted(
            self.of_type(PKT.Diagnostic), key=lambda s: int(str(s).rsplit("/", 1)[1])
        )
        from graphbuild.graph.budget_rdf import budget_lines_from_graph

        return Extraction(
            document,
            projects,
            [target for target, _ in targets],
            [self.diagnostic(s, document.document) for s in diagnostics],
            budget_lines=budget_lines_from_graph(self.props, document.document),
        )

    def document(self) -> Document:
        s = self.doc
        kind = next((KIND_BACK[str(t)] for t in self.props[s][A] if str(t) in KIND_BACK), None)
        year = self.text(s, PKT.fiscalYear)
        publisher = self.one(s, DCTERMS.publisher)
        return Document(
            document=self.text(s, DCTERMS.identifier) or "",
            family=self.code(s, PKT.family, str(PKC)),  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            year=int(year) if year is not None else None,
            department=self.text(publisher, SKOS.prefLabel) if publisher is not None else None,
            department_code=self.text(publisher, ORG.identifier) if publisher is not None else None,
            encoding=self.text(s, PKT.encoding) or "utf-8",
            lines=int(self.one(s, PKT.lineCount) or 0),
            source_format=self.text(s, PKT.sourceFormat) or "text",
            budget_total_yuan=self.number(s, PKT.budgetTotal),
            basic_expenditure_yuan=self.number(s, PKT.basicExpenditure),
            project_expenditure_yuan=self.number(s, PKT.projectExpenditure),
            budget_line=self.integer(s, PKT.budgetTotalLine),
        )

    def project(self, s: Any) -> Project:
        department = self.one(s, PKT.department)
        project = Project(
            document="",
            project=self.text(s, RDFS.label) or "",
            line=int(self.one(s, LINE)),
            origin=self.text(s, PKT.sourceOrigin),
            project_code=self.text(s, DCTERMS.identifier),
            department=self.text(department, SKOS.prefLabel) if department is not None else None,
            department_code=self.text(department, ORG.identifier)
            if department is not None
            else None,
        )
        for attribute, prop in PROJECT_TEXT:
            setattr(project, attribute, self.text(s, prop))
        for attribute, prop in PROJECT_MONEY:
            setattr(project, attribute, self.number(s, prop))
        lines = sorted(
            self.props.get(s, {}).get(PKT.funding, []), key=lambda f: int(self.one(f, PKT.position))
        )
        project.funding = [
            FundingSource(
                source=self.text(f, PKT.sourceName) or "",
                implementation_yuan=self.number(f, PKT.implementationAmount),
                annual_yuan=self.number(f, PKT.annualAmount),
            )
            for f in lines
        ]
        evaluation = self.one(s, PKT.evaluation)
        if evaluation is not None:
            for attribute, prop in PROJECT_EVALUATION:
                setattr(project, attribute, self.number(evaluation, prop))
            project.grade = self.text(evaluation, PKT.grade)
        project.document = self.text(self.doc, DCTERMS.identifier) or ""
        return project

    def target(self, s: Any, document: str, names: dict[int, str]) -> tuple[Target, tuple]:
        _, _, labels = level_concepts()
        project = self.one(s, PKT.project)
        project_line = int(str(project).rsplit("/", 1)[1]) if project is not None else None
        project_name = self.text(s, PKT.projectName)
        if project_name is None and project_line is not None:
            project_name = names.get(project_line)
        level1 = self.one(s, PKT.level1)
        level2 = self.one(s, PKT.level2)
        v = self.one(s, PKT.targetValue)
        e = self.one(s, PKT.evaluation)
        period = self.code(s, PKT.period, str(PKC)) or "annual"
        op = self.one(v, PKT.comparator)
        target = Target(
            document=document,
            table=TABLES_BACK[str(self.one(s, PKT.table))],  # type: ignore[arg-type]
            project=project_name,
            period=period,  # type: ignore[arg-type]
            level1=labels[str(level1)] if level1 is not None else self.text(s, PKT.level1Label),
            level2=labels[str(level2)] if level2 is not None else self.text(s, PKT.level2Label),
            level3=self.text(s, PKT.indicatorName) or "",
            value=self.text(v, PKT.rawValue) or "",
            line=int(self.one(s, LINE)),
            origin=self.text(s, PKT.sourceOrigin),
            op=OPS_BACK[str(op)] if op is not None else None,
            number=self.number(v, SCHEMA_VALUE),
            number_max=self.number(v, SCHEMA_MAX),
            unit=self.text(v, SCHEMA_UNIT_TEXT),
            kind=self.code(v, PKT.valueKind, str(PKC)) or "empty",  # type: ignore[arg-type]
            date=self.text(v, PKT.dateValue),
            placeholder=bool(
                self.one(v, PKT.placeholder) and self.one(v, PKT.placeholder).toPython()
            ),
            level1_raw=self.text(s, PKT.level1Raw),
            level2_raw=self.text(s, PKT.level2Raw),
            level3_raw=self.text(s, PKT.indicatorRaw),
            description=self.text(s, PKT.valueDescription),
            initial_value=self.text(s, PKT.initialValue),
            actual=self.text(e, PKT.actual) if e is not None else None,
            weight=self.number(e, PKT.weight) if e is not None else None,
            score=self.number(e, PKT.score) if e is not None else None,
            deviation_reason=self.text(e, PKT.deviationReason) if e is not None else None,
            project_line=project_line,
            direction=self.text(s, PKT.direction),
            level1_weight=self.number(s, PKT.level1Weight),
            level2_weight=self.number(s, PKT.level2Weight),
        )
        tail = str(s).rsplit("/", 1)[1]
        n = int(tail) if tail.isdigit() else 1
        return target, (target.line, period, n)

    def diagnostic(self, s: Any, document: str) -> Diagnostic:
        line = self.one(s, LINE)
        cells = self.text(s, PKT.cells)
        return Diagnostic(
            document=document,
            line=int(line) if line is not None else None,
            reason=self.text(s, PKT.reason) or "",
            cells=cells.split("\t") if cells is not None else [],
            severity=self.code(s, PKT.severity, str(PKC)) or "warning",  # type: ignore[arg-type]
            origin=self.text(s, PKT.sourceOrigin),
        )


def _by_line(project: Project) -> int:
    return project.line


def _target_order(item: tuple[Target, tuple]) -> tuple:
    return item[1]
