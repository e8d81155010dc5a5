"""`/api/network/…` and `/explore` through the app factory (in-process client, samples' store)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from tests.service_support import BASE, client_for, served_store, settings_for  # noqa: F401

if TYPE_CHECKING:
    from starlette.testclient import TestClient

STAFF = f"{BASE}id/indicator/%E8%81%8C%E5%B7%A5%E6%BB%A1%E6%84%8F%E5%BA%A6"  # 职工满意度
SATISFACTION = "https://w3id.org/perfkg/levels/satisfaction"


@pytest.fixture(scope="module")
def client(served_store: Path) -> Iterator[TestClient]:  # noqa: F811
    with client_for(settings_for(served_store, max_concurrent_queries=1)) as test_client:
        yield test_client


def get(client: TestClient, path: str, **params: object) -> dict:
    response = client.get(f"/api/network/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_chinese_text(client: TestClient) -> None:
    page = get(client, "search", q="满意度", limit=5)
    assert page["query"] == "满意度" and page["total"] > 20 and page["next_offset"] == 5
    assert len(page["nodes"]) == 5
    for node in page["nodes"]:
        assert "满意度" in node["label"] and node["kind"] == "indicator"
        assert node["href"] == "/id/" + node["id"][len(f"{BASE}id/") :]
        assert isinstance(node["pagerank"], float) and isinstance(node["community"], int)
    exact = get(client, "search", q="职工满意度")["nodes"][0]
    assert exact["id"] == STAFF  # exact match first
    assert get(client, "search", q="满意度", offset=5, limit=5)["nodes"][0] != page["nodes"][0]
    projects = get(client, "search", q="经费", kind="project")["nodes"]
    assert projects and {n["kind"] for n in projects} == {"project"}
    assert all(
        n["parents"] and n["parents"][0].startswith(f"{BASE}id/department/") for n in projects
    )


def test_neighbours_expand_on_demand(client: TestClient) -> None:
    first = get(client, "neighbours", id=STAFF, limit=3)
    assert first["node"]["id"] == STAFF
    assert first["total"] > 3 and first["next_offset"] == 3 and len(first["nodes"]) == 3
    assert {n["kind"] for n in first["nodes"]} == {"target"}
    assert first["edges"] == [{"source": STAFF, "target": n["id"]} for n in first["nodes"]]
    target = first["nodes"][0]
    assert STAFF in target["parents"] and target["value"] and target["level1"]["label"]
    assert target["pagerank"] is None
    up = get(client, "neighbours", id=target["id"])
    assert {n["kind"] for n in up["nodes"]} <= {"project", "department", "indicator"}
    assert up["next_offset"] is None and up["total"] == len(up["nodes"]) == 2
    rest = get(client, "neighbours", id=STAFF, offset=3, limit=200)
    assert rest["next_offset"] is None
    seen = [n["id"] for n in first["nodes"] + rest["nodes"]]
    assert len(seen) == len(set(seen)) == first["total"]


def test_filters_and_filtered_answers(client: TestClient) -> None:
    options = get(client, "filters")
    level1 = {o["id"]: o for o in options["level1"]}
    assert level1[SATISFACTION]["label"] == "满意度指标" and level1[SATISFACTION]["targets"] > 0
    assert {o["label"] for o in options["value_kind"]} >= {"百分比", "数量"}
    counts = [o["targets"] for o in options["level2"]]
    assert counts == sorted(counts, reverse=True)
    everything = get(client, "search", q="数量")["total"]
    only = get(client, "search", q="数量", level1="满意度指标")["total"]
    assert only < everything
    project = get(client, "search", q="经费", kind="project")["nodes"][0]["id"]
    all_around = get(client, "neighbours", id=project, limit=200)["nodes"]
    satisfied = get(client, "neighbours", id=project, limit=200, level1=SATISFACTION)["nodes"]
    assert len(satisfied) < len(all_around)
    assert all(n["level1"]["id"] == SATISFACTION for n in satisfied if n["kind"] == "target")


def test_node_details(client: TestClient) -> None:
    node = get(client, "node", id=STAFF)
    assert node["name_group"]["size"] >= 3  # 职工 / 工作人员 / 机关人员 / 干部满意度
    assert node["neighbours"]["target"] == node["degree"]
    project = get(client, "search", q="经费", kind="project")["nodes"][0]["id"]
    detail = get(client, "node", id=project)
    scores = [s["score"] for s in detail["similar"]]
    assert scores == sorted(scores, reverse=True)
    assert all(s["href"].startswith("/id/project/") for s in detail["similar"])
    similar = get(client, "similar", id=project, limit=3)
    assert similar["project"]["id"] == project and len(similar["similar"]) <= 3


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_graph_exports(client: TestClient, fmt: str) -> None:
    response = client.get(
        "/api/network/graphs/cooccurrence", params={"format": fmt, "level1": "满意度指标"}
    )
    assert response.status_code == 200
    if fmt == "json":
        graph = nx.node_link_graph(response.json(), edges="edges")
    else:
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        graph = reader(io.BytesIO(response.content))
    assert STAFF in graph and "pagerank" in graph.nodes[STAFF]
    assert response.headers["content-type"].startswith(
        {
            "json": "application/json",
            "graphml": "application/graphml+xml",
            "gexf": "application/gexf+xml",
        }[fmt]
    )


def test_errors_have_the_one_shape(client: TestClient) -> None:
    for path, params, status, code in [
        ("node", {"id": "http://example.org/nothing"}, 404, "not_found"),
        ("neighbours", {"id": "nothing"}, 404, "not_found"),
        ("similar", {"id": STAFF}, 404, "not_found"),  # an indicator is not a project
        ("search", {"q": "x", "level1": "没有这个"}, 400, "bad_filter"),
        ("search", {"q": "x", "limit": 0}, 400, "bad_request"),
        ("graphs/nothing", {}, 400, "bad_request"),
    ]:
        response = client.get(f"/api/network/{path}", params=params)
        assert response.status_code == status, (path, response.text)
        assert response.json()["error"]["code"] == code


def test_explore_page(client: TestClient) -> None:
    response = client.get("/explore?q=满意度")
    assert response.status_code == 200
    html = response.text
    assert "/static/vendor/cytoscape/cytoscape.min.js" in html and "/static/explore.js" in html
    assert '"q": "满意度"' in html or '"q": "\\u6ee1\\u610f\\u5ea6"' in html
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "https://" not in html.split("<footer")[0].replace(BASE, "")
    for asset in ("/static/explore.js", "/static/explore.css"):
        assert client.get(asset).status_code == 200


def test_routes_are_documented() -> None:
    from service.api.network import router

    text = (Path(__file__).resolve().parent.parent / "docs" / "network.md").read_text("utf-8")
    for route in router.routes:
        assert route.path in text, f"{route.path} is not in docs/network.md"  # type: ignore[attr-defined]


def test_cache_is_refreshed_in_the_background(samples: dict) -> None:
    import time

    from graphbuild.graph.mapping import document_graph
    from graphbuild.stores.oxigraph import OxigraphStore
    from service.api.network import NetworkCache

    first, second = (samples[name] for name in sorted(samples)[:2])
    store = OxigraphStore()
    store.replace_graph(document_graph(first, BASE))
    cache = NetworkCache(recheck=0.0)
    old = cache.explorer(store)
    assert cache.explorer(store) is old  # answered from memory; the count did not change
    store.replace_graph(document_graph(second, BASE))
    deadline = time.monotonic() + 30
    while (current := cache.explorer(store)) is old:  # the old one until the new is ready
        assert time.monotonic() < deadline, "the explorer was not refreshed"
        time.sleep(0.05)
    assert len(current.data.targets) > len(old.data.targets)
    while cache._checking:  # let the last background look finish before the store goes
        time.sleep(0.05)
