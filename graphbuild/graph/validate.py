"""SHACL validation of the document graphs (``perfkg validate``).

Each document graph is read from the store and checked on its own with pyshacl against
``ontology/shapes.ttl``; the ontology (``ontology/perfkg.ttl``) is mixed in so that ``sh:class``
sees the class hierarchy. One graph at a time keeps memory bounded and names the document of
every finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from graphbuild.graph import iris
from graphbuild.graph.build import data_graph_names
from graphbuild.stores.base import Store
from graphbuild.vocab import ONTOLOGY_FILE, SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    """One SHACL result: where (graph, focus node, path), what (message) and how bad."""

    graph: str
    severity: str  # Violation, Warning or Info
    focus: str
    path: str | None
    message: str
    value: str | None = None


@dataclass
class ValidationReport:
    """The findings over the validated graphs; ``conforms`` when none is a Violation."""

    graphs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


@cache
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@cache
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def validate_graph(graph: Graph) -> list[Finding]:
    """The SHACL findings of one document graph."""
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=_shapes(),
        ont_graph=_ontology(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    assert isinstance(results, Graph)
    name = str(graph.identifier)
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        findings.append(
            Finding(
                graph=name,
                severity=_local(severity) if severity is not None else "Violation",
                focus=str(results.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message="; ".join(sorted(messages)) or "(no message)",
                value=str(value) if isinstance(value, URIRef | Literal) else None,
            )
        )
    return sorted(findings, key=lambda f: (f.severity != "Violation", f.focus, f.path or ""))


def validate(
    store: Store,
    base: str | None = None,
    graphs: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate ``graphs`` (default: every document graph of ``base``) in ``store``."""
    names = list(graphs) if graphs is not None else data_graph_names(store, base)
    report = ValidationReport(graphs=names)
    for name in names:
        report.findings.extend(validate_graph(store.graph(name)))
        if progress is not None:
            progress(name)
    return report


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def report_lines(report: ValidationReport, base: str | None = None, limit: int = 50) -> list[str]:
    """A readable report: per graph its findings (up to ``limit``), then one total line."""
    prefix = iris.resolve_base(base)

    def short(iri: str | None) -> str:
        if iri is None:
            return "-"
        return iri[len(prefix) :] if iri.startswith(prefix) else iri

    lines: list[str] = []
    by_graph: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_graph.setdefault(finding.graph, []).append(finding)
    for name in report.graphs:
        found = by_graph.get(name, [])
        if not found:
            continue
        lines.append(f"{short(name)}: {len(found)} finding(s)")
        for finding in found[:limit]:
            value = f" (value {finding.value})" if finding.value else ""
            lines.append(
                f"  {finding.severity}: {short(finding.focus)} {short(finding.path)}: "
                f"{finding.message}{value}"
            )
        if len(found) > limit:
            lines.append(f"  … and {len(found) - limit} more")
    warnings = len(report.findings) - len(report.violations)
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"{len(report.graphs)} graph(s) validated: {len(report.violations)} violation(s), "
        f"{warnings} warning(s)/info — {verdict} to ontology/shapes.ttl"
    )
    return lines
