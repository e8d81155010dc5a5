"""The audit's findings kept in the store, written by ``perfkg build`` with each document.

Running every rule over a whole store takes about a minute per 1,000 documents, far too long
for a page and growing with the store. Every rule looks inside one document, so ``perfkg build``
(unless ``--no-audit``) runs them in the worker on each document alone, with the ontology
(:func:`document_findings`, a few milliseconds per document), and writes one node per finding
into the document's own graph, so re-building a document replaces its findings with it::

    <{base}id/finding/{rule}/{hash}> a pk:Finding ;
        pk:rule "empty-value" ; pk:auditSeverity "warning" ;
        pk:message "indicator 按期完成 has no value"@en, "指标「按期完成」未填写指标值"@zh ;
        pk:focus <target IRI> ; pk:aboutProject <project IRI> ;
        pk:inDocument <document IRI> ; pk:line 123 .

At the end of the build :func:`record` writes ``<{base}id/audit> a pk:Audit`` with the time and
the number of findings into ``{base}graph/audit``. Pages list, filter and count the findings,
and show on each project, target and document page the findings about it, with lookups instead
of running rules. The findings use the default settings; ``perfkg audit`` runs others.

>>> from graphbuild.stores.memory import MemoryStore
>>> record(MemoryStore(), "http://example.org/")
('http://example.org/graph/audit', 3)
"""

from __future__ import annotations

import functools
import hashlib
import io
from datetime import UTC, datetime

import pyoxigraph as ox

from graphbuild.analysis.audit import Finding, rules, run_audit, sort_findings
from graphbuild.analysis.audit_messages import chinese
from graphbuild.graph import iris
from graphbuild.graph.build import ontology_graph
from graphbuild.named_queries import QUERIES_DIR
from graphbuild.stores.base import Store
from graphbuild.stores.oxigraph import OxigraphStore

PK = "https://w3id.org/perfkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


def audit_graph_iri(base: str | None = None) -> str:
    """``{base}graph/audit``."""
    return f"{iris.resolve_base(base)}graph/audit"


def audit_iri(base: str | None = None) -> str:
    """``{base}id/audit``, the node describing the stored audit."""
    return f"{iris.resolve_base(base)}id/audit"


def finding_iri(finding: Finding, base: str | None = None) -> str:
    """A finding's IRI: its rule and a hash of what it is about and says."""
    digest = hashlib.sha1(f"{finding.rule}\n{finding.focus}\n{finding.message}".encode())
    return f"{iris.resolve_base(base)}id/finding/{finding.rule}/{digest.hexdigest()[:16]}"


def findings_nquads(findings: list[Finding], graph: str, base: str | None = None) -> bytes:
    """The findings as N-Quads in ``graph``."""
    base = iris.resolve_base(base)
    node_graph = ox.NamedNode(graph)
    titles = _titles()
    quads: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, node_graph))

    seen: set[str] = set()
    for finding in findings:
        node = finding_iri(finding, base)
        if node in seen:
            continue
        seen.add(node)
        add(node, RDF_TYPE, ox.NamedNode(f"{PK}Finding"))
        add(node, f"{PK}rule", ox.Literal(finding.rule))
        add(node, f"{PK}auditSeverity", ox.Literal(finding.severity))
        add(node, f"{PK}message", ox.Literal(finding.message, language="en"))
        zh = chinese(finding.message, titles.get(finding.rule, ""))
        add(node, f"{PK}message", ox.Literal(zh, language="zh"))
        if _is_iri(finding.focus):
            add(node, f"{PK}focus", ox.NamedNode(finding.focus))
        if finding.project and _is_iri(finding.project):
            add(node, f"{PK}aboutProject", ox.NamedNode(finding.project))
        if finding.document:
            add(node, f"{PK}inDocument", ox.NamedNode(iris.document_iri(finding.document, base)))
        if finding.line is not None:
            add(node, f"{PK}line", _integer(finding.line))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)  # type: ignore[no-any-return]


@functools.cache
def _titles() -> dict[str, str]:
    return {rule.id: rule.title for rule in rules()}


AUDITOR_DOCUMENTS = 32
"""Documents audited in one in-memory store before the worker makes a fresh one. Oxigraph's
in-memory store (pyoxigraph 0.5) does not give back what a removed graph held: loading and
removing one document after another, each query got slower and the process larger. With one
store for every document a build of 10,000 documents took 107 minutes (13.4 with this), its
workers at 1.7 GB each a third of the way through. A fresh store per document would cost its
ontology load (~5 ms) every time."""

_auditors: dict[str, tuple[OxigraphStore, int]] = {}
"""This process's auditing store per base, with the documents audited in it so far."""


@functools.cache
def _ontology_nquads(base: str) -> bytes:
    store = OxigraphStore()
    store.replace_graph(ontology_graph(base))
    out = io.BytesIO()
    store.export(out, "application/n-quads")
    return out.getvalue()


def _auditor(base: str) -> OxigraphStore:
    """This process's in-memory store holding the ontology, where the next document is
    audited: a fresh one every :data:`AUDITOR_DOCUMENTS` documents."""
    store, audited = _auditors.get(base, (None, AUDITOR_DOCUMENTS))
    if store is None or audited >= AUDITOR_DOCUMENTS:
        store, audited = OxigraphStore(), 0
        store.load_nquads(_ontology_nquads(base))
    _auditors[base] = (store, audited + 1)
    return store


def document_findings(data: bytes, graph: str, base: str) -> tuple[bytes, int]:
    """Run every rule (default settings) on one document's N-Quads, in ``graph``, with the
    ontology beside them; the findings as N-Quads in the same graph, and their quads.

    The same findings as running the audit on a store holding every document, because each
    rule looks inside one document (``tests/test_audit_graph.py`` checks it on the samples).
    """
    store = _auditor(base)
    try:
        store.load_nquads(data)
        findings = sort_findings(run_audit(store))
    finally:
        store.drop_graph(graph)
    out = findings_nquads(findings, graph, base)
    return out, out.count(b"\n")


def record(store: Store, base: str | None = None) -> tuple[str, int]:
    """Write ``<{base}id/audit>`` (time, number of findings in the store) into
    ``{base}graph/audit``, replacing the previous run's; the graph's name and its quads."""
    base = iris.resolve_base(base)
    rows = store.select(_count_query())
    count = int(str(rows[0]["findings"])) if rows else 0
    audit = ox.NamedNode(audit_iri(base))
    graph = ox.NamedNode(audit_graph_iri(base))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    quads = [
        ox.Quad(audit, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{PK}Audit"), graph),
        ox.Quad(audit, ox.NamedNode(f"{PK}findingCount"), _integer(count), graph),
        ox.Quad(
            audit,
            ox.NamedNode("http://purl.org/dc/terms/modified"),
            ox.Literal(now, datatype=_xsd("dateTime")),
            graph,
        ),
    ]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return graph.value, store.replace_nquads(graph.value, data)


def _count_query() -> str:
    return (QUERIES_DIR / "build" / "audit_findings.rq").read_text(encoding="utf-8")


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_xsd("integer"))


def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return "://" in text
