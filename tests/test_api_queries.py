"""GET /api/queries, /api/queries/{name} and /audit through the app factory, on a store
directory holding the hand-made graph tests/data/queries/fixture.trig."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphbuild.named_queries import registry
from graphbuild.stores.oxigraph import OxigraphStore
from tests.query_fixture import BASE, load_fixture
from tests.service_support import client_for, settings_for

if TYPE_CHECKING:
    from starlette.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "store"
    with OxigraphStore(path) as store:
        load_fixture(store)
    return path


@pytest.fixture(scope="module")
def client(fixture_dir: Path) -> Iterator[TestClient]:
    with client_for(settings_for(fixture_dir, base=BASE, max_concurrent_queries=1)) as c:
        yield c


def test_list(client: TestClient) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    entries = {q["name"]: q for q in response.json()["queries"]}
    assert set(entries) == set(registry())
    cost = entries["cost_targets_vs_funds"]
    assert cost["title"] == "成本指标与项目资金对比"
    assert cost["parameters"] == [
        {"name": "min_share", "default": "0", "description": cost["parameters"][0]["description"]}
    ]
    assert cost["url"].endswith("/api/queries/cost_targets_vs_funds")
    assert entries["audit_grade_inconsistent"]["rule"] == "grade-inconsistent"
    assert entries["audit_grade_inconsistent"]["severity"] == "error"


def test_run_json(client: TestClient) -> None:
    response = client.get("/api/queries/cost_targets_vs_funds", params={"min_share": "101"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["query"] == "cost_targets_vs_funds" and data["parameters"] == {"min_share": "101"}
    assert data["truncated"] is False
    assert [(r["document"], r["line"], r["share"], r["amount"]) for r in data["rows"]] == [
        ("a.txt", 21, 120, 60000),
        ("b.txt", 46, 120, 60000),
    ]
    assert response.headers["X-PerfKG-Rows"] == "2"


def test_run_csv(client: TestClient) -> None:
    by_accept = client.get(
        "/api/queries/targets_of_department",
        params={"department_contains": "乙"},
        headers={"Accept": "text/csv"},
    )
    by_format = client.get(
        "/api/queries/targets_of_department", params={"department_contains": "乙", "format": "csv"}
    )
    assert by_accept.status_code == by_format.status_code == 200
    assert by_accept.headers["content-type"].startswith("text/csv")
    assert by_accept.text == by_format.text
    rows = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert [r["line"] for r in rows] == ["20", "21", "22", "23", "45", "46", "47", "48"]
    assert rows[0]["department"] == "乙部门"


def test_errors(client: TestClient) -> None:
    unknown = client.get("/api/queries/nope")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    bad = client.get("/api/queries/cost_targets_vs_funds", params={"min_share": "lots"})
    assert bad.status_code == 400
    assert "takes a number" in bad.json()["error"]["message"]
    extra = client.get("/api/queries/cost_targets_vs_funds", params={"nope": "1"})
    assert extra.status_code == 400 and "no parameter 'nope'" in extra.json()["error"]["message"]
    twice = client.get("/api/queries/cost_targets_vs_funds?min_share=1&min_share=2")
    assert twice.status_code == 400
    assert (
        client.get("/api/queries/dataset_statistics", params={"format": "xml"}).status_code == 400
    )
    refused = client.get("/api/queries/dataset_statistics", headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_row_cap(fixture_dir: Path) -> None:
    settings = settings_for(fixture_dir, base=BASE, max_rows=2, max_concurrent_queries=1)
    with client_for(settings) as capped:
        response = capped.get("/api/queries/targets_of_project")
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 2 and response.json()["truncated"] is True
    assert response.headers["X-PerfKG-Truncated"] == "true"


def test_audit_json(client: TestClient) -> None:
    response = client.get("/audit")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["summary"]["findings"] == 26
    assert data["summary"]["by_document"]["b.txt"]["deviation-without-reason"] == 3
    assert data["truncated_rules"] == []
    graded = client.get("/audit", params={"grades": "96,90,60", "rule": "grade-inconsistent"})
    assert graded.json()["findings"] == []
    assert (
        len(
            client.get("/audit", params={"execution_weight": 20, "rule": "weights-not-100"}).json()[
                "findings"
            ]
        )
        == 1
    )


def test_audit_page(client: TestClient) -> None:
    response = client.get("/audit", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert 'data-findings="26"' in page
    # each finding links to the linked-data page of its target and names document and line
    assert 'href="/id/target/b.txt/21/annual"' in page
    assert "indicator 报纸费用 scores 22, above its weight 20" in page
    assert "Content-Security-Policy" in response.headers
    assert client.get("/audit", params={"format": "csv"}).text.startswith(
        "document,line,rule,severity,message,focus,project"
    )


def test_audit_errors(client: TestClient) -> None:
    assert client.get("/audit", params={"rule": "nope"}).status_code == 400
    assert client.get("/audit", params={"grades": "60,80,90"}).status_code == 400
    assert client.get("/audit", params={"format": "pdf"}).status_code == 400
