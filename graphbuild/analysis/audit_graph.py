"""The audit's findings kept in the store, ``{base}graph/audit``, written at the end of a build.

Running every rule takes about a minute at 1,000 documents, far too long for a page. So
``perfkg build`` (unless ``--no-audit``) and ``perfkg audit --save`` run the audit once with the
default settings and write one node per finding::

    <{base}id/finding/{hash}> a pk:Finding ;
        pk:rule "empty-value" ; pk:auditSeverity "warning" ;
        pk:message "indicator 按期完成 has no value"@en, "指标「按期完成」未填写指标值"@zh ;
        pk:focus <target IRI> ; pk:aboutProject <project IRI> ;
        pk:inDocument <document IRI> ; pk:line 123 .

plus ``<{base}id/audit> a pk:Audit`` with the settings, the time and the number of findings.
Pages list, filter and count them, and show on each project, target and document page the
findings about it, with lookups instead of running rules.

>>> from graphbuild.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> refresh(store, "http://example.org/")[1] > 0
True
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pyoxigraph as ox

from graphbuild.analysis.audit import Finding, rules, run_audit
from graphbuild.analysis.audit_messages import chinese
from graphbuild.graph import iris
from graphbuild.stores.base import Store

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


def findings_nquads(findings: list[Finding], base: str | None = None) -> bytes:
    """The findings (and the audit node) as N-Quads in ``{base}graph/audit``."""
    base = iris.resolve_base(base)
    graph = ox.NamedNode(audit_graph_iri(base))
    titles = {rule.id: rule.title for rule in rules()}
    quads: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph))

    audit = audit_iri(base)
    add(audit, RDF_TYPE, ox.NamedNode(f"{PK}Audit"))
    add(audit, f"{PK}findingCount", _integer(len(findings)))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    add(audit, "http://purl.org/dc/terms/modified", ox.Literal(now, datatype=_xsd("dateTime")))
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


def refresh(store: Store, base: str | None = None) -> tuple[str, int]:
    """Run the audit with its default settings and replace ``{base}graph/audit`` with its
    findings; the graph's name and the number of quads written."""
    name = audit_graph_iri(base)
    store.drop_graph(name)  # the audit reads the documents, never its own earlier findings
    return name, store.replace_nquads(name, findings_nquads(run_audit(store), base))


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
