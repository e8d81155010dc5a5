"""The home page's statistics and the query page's configuration."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, RDF

from graphbuild.named_queries import registry
from graphbuild.records import Extraction
from graphbuild.vocab import PK
from tests.pages.conftest import BASE, BROWSER, TestClient


def stat(page: str, name: str) -> int:
    match = re.search(rf'data-stat="{name}"><span class="number">([\d,]+)</span>', page)
    assert match, name
    return int(match.group(1).replace(",", ""))


def test_home_page_statistics_match_the_store(client: TestClient, dataset: Dataset) -> None:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = response.text

    def count(cls: URIRef) -> int:
        return len({s for s, _, _, _ in dataset.quads((None, RDF.type, cls, None))})

    assert stat(page, "documents") == count(PK.Document)
    assert stat(page, "departments") == count(PK.Department)
    assert stat(page, "projects") == count(PK.Project)
    assert stat(page, "targets") == count(PK.PerformanceTarget)
    assert stat(page, "diagnostics") == count(PK.Diagnostic)
    for path in ("/query", "/dumps", "/.well-known/void", "/sparql"):
        assert f'href="{path}"' in page
    assert re.search(r'href="/id/document/[^"]+">000_5f54f51c5535db0d.txt</a>', page)


def test_targets_by_level1_match_the_extracted_records(
    client: TestClient, samples: dict[str, Extraction]
) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    shown = {
        label: int(count)
        for label, count in re.findall(
            r'<tr><th scope="row">([^<]+)</th><td class="count-cell" data-count="(\d+)">', page
        )
    }
    expected = Counter(
        target.level1 or "(none)" for doc in samples.values() for target in doc.targets
    )
    assert shown == dict(expected)


def test_every_example_entity_link_works(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    links = re.findall(r'href="(/id/[^"#]+)"', page)
    assert len(links) >= 5
    for link in links:
        assert client.get(link, headers={"Accept": BROWSER}).status_code == 200, link


def test_query_page_is_local_and_offers_the_named_queries(client: TestClient) -> None:
    response = client.get("/query", headers={"Accept": BROWSER})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "script-src 'self'" in csp
    page = response.text
    sources = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/") or src.startswith("data:") for src in sources)
    assert "/static/vendor/yasgui/yasgui.min.js" in sources
    config = json.loads(re.search(r'id="perfkg-config">(.*?)</script>', page, re.S).group(1))
    assert config["endpoint"] == "/sparql"
    assert [q["name"] for q in config["queries"]] == list(registry())
    assert all(q["sparql"].strip() for q in config["queries"])
    assert client.get(config["prefixes"]).json()["pk"] == str(PK._NS)


def test_vendored_yasgui_is_served_and_calls_no_remote_service_by_itself(
    client: TestClient,
) -> None:
    for name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "cytoscape/cytoscape.min.js"):
        response = client.get(f"/static/vendor/{name}")
        assert response.status_code == 200, f"{name}: run bash scripts/setup.sh"
    script = client.get("/static/query.js").text
    for setting in ('persistenceId: "perfkg-query"', "prefixCcApi", "populateFromUrl", "getData"):
        assert setting in script


def test_audit_json_and_csv_read_the_stored_findings(client: TestClient) -> None:
    """With the default settings /audit?format=json answers from the findings the build stored
    in each document's graph; ?live=1 runs every rule over the store: the same findings (but
    for the fixture's evil graph, written after the build and so never audited)."""

    def keyed(findings: list[dict]) -> list[tuple]:
        return sorted(
            (f["rule"], f["severity"], f["focus"], f["document"], f["line"], f["project"])
            for f in findings
            if f["document"] != "evil.txt"
        )

    stored = client.get("/audit", params={"format": "json"})
    live = client.get("/audit", params={"format": "json", "live": "1"})
    assert stored.status_code == live.status_code == 200
    assert stored.json()["findings"], "the samples have findings"
    assert keyed(stored.json()["findings"]) == keyed(live.json()["findings"])
    one = client.get("/audit", params={"format": "json", "rule": "reconcile-subtotals"}).json()
    assert {f["rule"] for f in one["findings"]} == {"reconcile-subtotals"}
    assert len(one["findings"]) == len(
        [f for f in stored.json()["findings"] if f["rule"] == "reconcile-subtotals"]
    )
    table = client.get("/audit", params={"format": "csv"}).text
    assert table.lstrip("\ufeff").startswith("document,line,rule,severity,message,focus,project")
    assert len(table.strip().splitlines()) == len(stored.json()["findings"]) + 1


def test_the_catalogue_counts_each_entitys_findings(store_dir: Path, dataset: Dataset) -> None:
    """Findings per project, document and department in the pages' catalogue, counted again
    here from the quads themselves (rdflib over Oxigraph's dump)."""
    from service.pages.catalogue import build_catalogue
    from service.store import ReadOnlyOxigraphStore

    catalogue = build_catalogue(ReadOnlyOxigraphStore(store_dir), f"{BASE}id/")

    def objects(predicate: URIRef) -> dict[str, str]:
        return {str(s): str(o) for s, _, o, _ in dataset.quads((None, predicate, None, None))}

    findings = {str(s) for s, _, _, _ in dataset.quads((None, RDF.type, PK.Finding, None))}
    assert findings, "the samples have findings"
    about, within, publisher = (
        objects(PK.aboutProject),
        objects(PK.inDocument),
        objects(DCTERMS.publisher),
    )
    per_project = Counter(about[f] for f in findings if f in about)
    per_document = Counter(within[f] for f in findings)
    per_department: Counter[str] = Counter()
    for document, count in per_document.items():
        per_department[publisher[document]] += count
    for table, expected in (
        ("projects", per_project),
        ("documents", per_document),
        ("departments", per_department),
    ):
        rows = {str(r[0]): r[1] for r in catalogue.sql(f"SELECT iri, findings FROM {table}")}
        assert {iri: n for iri, n in rows.items() if n} == {
            iri: n for iri, n in expected.items() if iri in rows
        }, table
