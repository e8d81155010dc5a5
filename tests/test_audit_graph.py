"""The audit run with each document at build time (graphbuild/analysis/audit_graph.py).

Every rule looks inside one document, so auditing each document alone (with the ontology) must
find exactly what the audit finds on a store holding all of them: on the hand-made fixture,
whose expected findings tests/test_audit.py lists, and on the sample documents built for real.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuild.analysis import audit_graph
from graphbuild.analysis.audit import run_audit
from graphbuild.analysis.audit_graph import audit_graph_iri, document_findings, record
from graphbuild.graph.build import build
from graphbuild.stores.oxigraph import OxigraphStore
from tests.query_fixture import BASE, fixture_store

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PK = "https://w3id.org/perfkg/ontology#"


def _stored(store: OxigraphStore) -> set[tuple[str, str, str]]:
    """(graph, rule, focus) of every finding the store holds."""
    rows = store.select(
        f"SELECT ?g ?rule ?focus WHERE {{ GRAPH ?g {{ ?f a <{PK}Finding> ; <{PK}rule> ?rule ; "
        f"<{PK}focus> ?focus }} }}"
    )
    return {(str(r["g"]), str(r["rule"]), str(r["focus"])) for r in rows}


def test_each_fixture_document_alone_gives_the_whole_audit() -> None:
    whole = fixture_store()
    expected = {(f.rule, f.focus) for f in run_audit(whole)}
    assert ("empty-value", f"{BASE}id/target/a.txt/76/annual") in expected  # tests/test_audit.py
    found: set[tuple[str, str]] = set()
    for name in whole.graph_names():
        if name.endswith("/ontology"):
            continue
        out = io.BytesIO()
        whole.export(out, "application/n-quads", name)
        data, count = document_findings(out.getvalue(), name, BASE)
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        assert len(quads) == count
        assert {q.graph_name.value for q in quads} <= {name}  # in the document's own graph
        rules = {q.subject.value: q.object.value for q in quads if q.predicate.value == f"{PK}rule"}
        focus = {
            q.subject.value: q.object.value for q in quads if q.predicate.value == f"{PK}focus"
        }
        found |= {(rules[node], focus[node]) for node in rules if node in focus}
    assert found == {(rule, focus) for rule, focus in expected if "://" in focus}


def test_the_build_keeps_each_documents_findings_in_its_graph() -> None:
    base = "http://example.org/"
    with OxigraphStore() as store:
        report = build([SAMPLES], store, base, check=document_findings, finishing=[record])
        assert not report.failed
        stored = _stored(store)
        whole = {(f.rule, f.focus) for f in run_audit(store) if "://" in f.focus}
        assert {(rule, focus) for _, rule, focus in stored} == whole
        assert len(whole) > 20
        for graph, _, focus in stored:  # a finding sits in the graph of its focus's document
            document = graph.rsplit("/", 1)[1]
            assert f"/{document}/" in focus or focus.endswith(f"/document/{document}")
        audit = store.select(
            f"SELECT ?n WHERE {{ GRAPH <{audit_graph_iri(base)}> {{ ?a <{PK}findingCount> ?n }} }}"
        )
        counted = store.select(f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a <{PK}Finding> }}")
        assert int(str(audit[0]["n"])) == int(str(counted[0]["n"])) >= len(stored)

        one = sorted(SAMPLES.iterdir())[0]  # rebuilt alone: its findings replaced, not doubled
        again = build([one], store, base, force=True, check=document_findings, finishing=[record])
        assert not again.failed
        assert _stored(store) == stored


def test_the_worker_audits_in_a_fresh_store_every_few_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Oxigraph's in-memory store keeps every quad it removed: one store reused for every
    document grew slower with each (a 10,000-document build took 107 minutes). A worker audits at
    most AUDITOR_DOCUMENTS documents in one store, and a document's findings do not depend on
    the store it was audited in."""
    monkeypatch.setattr(audit_graph, "AUDITOR_DOCUMENTS", 2)
    monkeypatch.setattr(audit_graph, "_auditors", {})
    whole = fixture_store()
    documents = []
    for name in whole.graph_names():
        if not name.endswith("/ontology"):
            out = io.BytesIO()
            whole.export(out, "application/n-quads", name)
            documents.append((name, out.getvalue()))
    assert len(documents) >= 2
    first = [document_findings(data, name, BASE) for name, data in documents]
    assert any(count for _, count in first)
    stores, again = [], []
    for name, data in documents * 3:
        again.append(document_findings(data, name, BASE))
        stores.append(audit_graph._auditors[BASE][0])  # kept alive: ids stay distinct
    assert again == first * 3
    per_store = Counter(id(store) for store in stores)
    assert max(per_store.values()) <= 2 and len(per_store) >= len(stores) // 2
