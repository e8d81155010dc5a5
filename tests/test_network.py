"""Network analysis (graphbuild.analysis.network, graphbuild.analysis.name_groups, graphbuild.analysis.explorer).

The expected values are worked out by hand from a small fixture (the comments show how), not
read back from the code. Fixture: three departments, seven projects, seven indicators, one
target per project–indicator pair (plus one department-wide target):

    财政局 D1:  P1 {甲 乙 丙}   P2 {甲 乙 丙}   P3 {甲 丁}
    教育局 D2:  P4 {戊 己 庚}   P5 {戊 己 庚}   P6 {戊 己}
    卫健委 D3:  P7 {甲 乙}      + a department-wide target of 丙 (no project)

The targets of 乙 are satisfaction targets (满意度指标) with percentages; the others are
output targets (产出指标) with quantities.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graphbuild.analysis import name_groups, network
from graphbuild.analysis.explorer import Explorer
from graphbuild.analysis.network import Filter, NetworkData, Similar

OUTPUT = "https://w3id.org/perfkg/levels/output"
SATISFACTION = "https://w3id.org/perfkg/levels/satisfaction"
QUANTITY = "https://w3id.org/perfkg/code/quantity"
PERCENT = "https://w3id.org/perfkg/code/percent"
PROJECTS = {
    "P1": ("D1", "甲乙丙"),
    "P2": ("D1", "甲乙丙"),
    "P3": ("D1", "甲丁"),
    "P4": ("D2", "戊己庚"),
    "P5": ("D2", "戊己庚"),
    "P6": ("D2", "戊己"),
    "P7": ("D3", "甲乙"),
}
DEPARTMENTS = {"D1": "财政局", "D2": "教育局", "D3": "卫健委"}


def _target(iri: str, project: str | None, department: str, indicator: str) -> dict[str, str]:
    satisfaction = indicator == "乙"
    return {
        "target": iri,
        "project": project or "",
        "department": department,
        "indicator": f"i:{indicator}",
        "level1": SATISFACTION if satisfaction else OUTPUT,
        "kind": PERCENT if satisfaction else QUANTITY,
        "value": "≥95%" if satisfaction else "≥3次",
    }


def fixture_data() -> NetworkData:
    targets = [
        _target(f"t:{project}:{indicator}", project, department, indicator)
        for project, (department, indicators) in PROJECTS.items()
        for indicator in indicators
    ]
    targets.append(_target("t:D3:丙", None, "D3", "丙"))
    nodes = [{"node": d, "kind": "department", "label": label} for d, label in DEPARTMENTS.items()]
    nodes += [
        {"node": p, "kind": "project", "label": f"项目{p}", "department": d}
        for p, (d, _) in PROJECTS.items()
    ]
    nodes += [{"node": f"i:{i}", "kind": "indicator", "label": i} for i in "甲乙丙丁戊己庚"]
    nodes += [
        {"node": OUTPUT, "kind": "concept", "label": "产出指标", "labelEn": "Output indicators"},
        {"node": SATISFACTION, "kind": "concept", "label": "满意度指标"},
        {"node": PERCENT, "kind": "concept", "label": "百分比", "labelEn": "percentage"},
    ]
    return NetworkData.from_rows(targets, nodes)


@pytest.fixture(scope="module")
def data() -> NetworkData:
    return fixture_data()


def _by_label(graph: nx.Graph, values: dict[str, object]) -> dict[str, object]:
    return {graph.nodes[node]["label"]: value for node, value in values.items()}


# ---- the graphs ---------------------------------------------------------------------------


def test_bipartite_degrees_and_components(data: NetworkData) -> None:
    graph = network.bipartite_graph(data)
    # 7 projects + 7 indicators; 3+3+2+3+3+2+2 project–indicator pairs; the department-wide
    # target has no project and is not in this graph
    assert graph.number_of_nodes() == 14
    assert graph.number_of_edges() == 18
    assert nx.is_bipartite(graph)
    degrees = _by_label(graph, dict(graph.degree()))
    # 甲 is used by P1 P2 P3 P7; 乙 by P1 P2 P7; 丙 by P1 P2; 丁 by P3; 戊 己 by P4 P5 P6 …
    assert {i: degrees[i] for i in "甲乙丙丁戊己庚"} == {
        "甲": 4, "乙": 3, "丙": 2, "丁": 1, "戊": 3, "己": 3, "庚": 2,
    }  # fmt: skip
    assert degrees["项目P1"] == 3 and degrees["项目P3"] == 2 and degrees["项目P7"] == 2
    # D1's and D3's projects share 甲/乙; D2's projects share nothing with them
    assert nx.number_connected_components(graph) == 2
    assert {graph.nodes[n]["kind"] for n in graph} == {"project", "indicator"}


def test_cooccurrence_weights_are_shared_projects(data: NetworkData) -> None:
    graph = network.cooccurrence_graph(data)
    weights = {
        frozenset((graph.nodes[a]["label"], graph.nodes[b]["label"])): w
        for a, b, w in graph.edges(data="weight")
    }
    # 甲乙 in P1 P2 P7; 甲丙 and 乙丙 in P1 P2; 甲丁 in P3; 戊己 in P4 P5 P6; 戊庚 己庚 in P4 P5
    assert weights == {
        frozenset("甲乙"): 3,
        frozenset("甲丙"): 2,
        frozenset("乙丙"): 2,
        frozenset("甲丁"): 1,
        frozenset("戊己"): 3,
        frozenset("戊庚"): 2,
        frozenset("己庚"): 2,
    }
    assert _by_label(graph, dict(graph.degree())) == {
        "甲": 3, "乙": 2, "丙": 2, "丁": 1, "戊": 2, "己": 2, "庚": 2,
    }  # fmt: skip
    assert nx.number_connected_components(graph) == 2


def test_cooccurrence_metrics(data: NetworkData) -> None:
    graph = network.cooccurrence_graph(data)
    found = network.metrics(graph)
    # 甲 has the largest weighted degree (3+2+1 = 6) in the larger component (4 of 7 nodes)
    top = max(found, key=lambda n: found[n].pagerank)
    assert graph.nodes[top]["label"] == "甲"
    assert math.isclose(sum(m.pagerank for m in found.values()), 1.0)
    # modularity is highest with one community per component: {甲乙丙丁} (largest, 0), {戊己庚}
    communities = network.grouped({n: m.community for n, m in found.items()})
    assert [sorted(graph.nodes[n]["label"] for n in group) for group in communities.values()] == [
        sorted("甲乙丙丁"),
        sorted("戊己庚"),
    ]
    assert {m.component for m in found.values()} == {0, 1}
    assert found["i:甲"].strength == 6 and found["i:甲"].degree == 3


def test_louvain_splits_two_cliques_joined_by_one_edge() -> None:
    graph = nx.barbell_graph(5, 0)  # cliques 0–4 and 5–9, one edge 4–5
    found = network.metrics(graph)
    assert network.grouped({n: m.community for n, m in found.items()}) == {
        0: [0, 1, 2, 3, 4],
        1: [5, 6, 7, 8, 9],
    }
    assert {m.component for m in found.values()} == {0}
    # the two ends of the bridge have degree 5, every other node 4
    ranked = sorted(found, key=lambda n: -found[n].pagerank)
    assert set(ranked[:2]) == {4, 5}
    assert found[4].degree == 5 and found[0].degree == 4


def test_metrics_are_stable() -> None:
    graph = nx.barbell_graph(6, 2)
    assert network.metrics(graph) == network.metrics(graph.copy())


def test_department_similarity_is_cosine_of_indicator_counts(data: NetworkData) -> None:
    graph = network.department_graph(data)
    # D1 counts 甲3 乙2 丙2 丁1 (|D1| = √18); D3 counts 甲1 乙1 丙1 (the department-wide
    # target counts too; |D3| = √3); D1·D3 = 3+2+2 = 7 → 7/√54; D2 shares nothing
    assert sorted(graph.edges(data="weight")) == [("D1", "D3", round(7 / math.sqrt(54), 6))]
    assert set(graph.nodes) == {"D1", "D2", "D3"}
    assert graph.nodes["D1"]["targets"] == 8 and graph.nodes["D1"]["indicators"] == 4
    only_output = network.department_graph(data, Filter(level1=OUTPUT))
    # without 乙: D1 甲3 丙2 丁1 (√14), D3 甲1 丙1 (√2): (3+2)/√28
    assert only_output.edges["D1", "D3"]["weight"] == round(5 / math.sqrt(28), 6)


def test_most_similar_projects(data: NetworkData) -> None:
    graph = network.bipartite_graph(data)
    # P2 has the same three indicators (1.0); P7 shares 甲乙 of 甲乙丙 (2/3); P3 shares 甲 of
    # 甲乙丙丁 (1/4); D2's projects share nothing and are not listed
    assert network.similar_projects(graph, "P1") == [
        Similar("P2", "项目P2", 1.0, 3),
        Similar("P7", "项目P7", round(2 / 3, 6), 2),
        Similar("P3", "项目P3", 0.25, 1),
    ]
    assert [s.node for s in network.similar_projects(graph, "P1", limit=1)] == ["P2"]
    with pytest.raises(KeyError):
        network.similar_projects(graph, "nope")


def test_filters_keep_matching_targets(data: NetworkData) -> None:
    satisfied = network.bipartite_graph(data, Filter(level1=SATISFACTION))
    assert sorted(satisfied.edges) == [("P1", "i:乙"), ("P2", "i:乙"), ("P7", "i:乙")]
    assert network.bipartite_graph(data, Filter(kind=PERCENT)).number_of_edges() == 3
    assert network.bipartite_graph(data, Filter(level1=OUTPUT, kind=PERCENT)).number_of_edges() == 0
    assert data.resolve("level1", "满意度指标") == SATISFACTION
    assert data.resolve("kind", "percentage") == PERCENT
    with pytest.raises(ValueError, match="known: 产出指标, 满意度指标"):
        data.resolve("level1", "效益指标")


def test_explorer_graph_hierarchy(data: NetworkData) -> None:
    graph = network.explorer_graph(data)
    kinds = nx.get_node_attributes(graph, "kind")
    assert sorted(graph["P1"]) == ["D1", "t:P1:丙", "t:P1:乙", "t:P1:甲"]
    assert sorted(graph["t:P1:乙"]) == ["P1", "i:乙"]
    assert sorted(graph["t:D3:丙"]) == ["D3", "i:丙"]  # department-wide: under the department
    assert sum(1 for k in kinds.values() if k == "target") == 19
    assert graph.nodes["t:P1:乙"]["label"] == "乙：≥95%"
    assert nx.is_connected(graph) is False


# ---- exports -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_parse_back(data: NetworkData, fmt: str) -> None:
    graph = network.cooccurrence_graph(data)
    network.annotate(graph, network.metrics(graph))
    body = network.graph_bytes(graph, fmt)
    if fmt == "json":
        import json

        back = nx.node_link_graph(json.loads(body), edges="edges")
    else:
        import io

        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        back = reader(io.BytesIO(body))
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert back.number_of_edges() == 7
    assert back.nodes["i:甲"]["label"] == "甲"
    assert int(back.nodes["i:甲"]["community"]) == graph.nodes["i:甲"]["community"]


# ---- name groups ----------------------------------------------------------------------------


def test_staff_satisfaction_names_are_one_name_group() -> None:
    names = {
        "a": "职工满意度",
        "b": "工作人员满意度",
        "c": "干部职工满意度",
        "d": "群众满意度",
        "e": "职工体检覆盖率",
        "f": "办公设备数量",
        "g": "满意度",
    }
    found = name_groups.groups(names, {"b": 5})
    assert found[0] == ["b", "a", "c"]  # b has most targets; then the shorter name
    assert sorted(found[1:]) == [["d"], ["e"], ["f"], ["g"]]
    graph = name_groups.group_graph(names)
    assert {graph.nodes[n]["name_group"] for n in "abc"} == {"职工满意度"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("职工满意度", "干部满意度"),  # staff words are one word
        ("全体职工满意度", "职工满意度"),  # a qualifier does not count
        ("项目可持续性", "项目可持续"),  # head-word variants
        ("每个党建工作指导员基本补助标准", "每个党建指导员基本补助标准"),  # bigram Jaccard 0.7
        ("聘用人员满意程度", "聘用人员满意度"),
        (" 报纸份数", "报纸份数"),  # normalisation only
    ],
)
def test_near_duplicates(a: str, b: str) -> None:
    assert name_groups.near_duplicate(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("职工满意度", "群众满意度"),  # same head, different subject
        ("职工满意度", "职工体检覆盖率"),  # different head
        ("满意度", "职工满意度"),  # an empty modifier matches only an empty one
        ("培训人数", "培训时间"),
        ("办公椅", "办公椅费用"),  # no head word vs 费用
        ("临时人员满意度", "职工满意度"),
    ],
)
def test_not_near_duplicates(a: str, b: str) -> None:
    assert not name_groups.near_duplicate(a, b)


def test_name_group_graph_of_the_data(data: NetworkData) -> None:
    graph = network.name_group_graph(data)
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 0


# ---- the explorer ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer(data: NetworkData) -> Explorer:
    return Explorer(data)


def test_explorer_search(explorer: Explorer) -> None:
    found = explorer.search("项目P")
    assert found["total"] == 7 and found["next_offset"] is None
    assert [n["kind"] for n in found["nodes"]] == ["project"] * 7
    assert [n["id"] for n in explorer.search("甲")["nodes"]] == ["i:甲"]
    assert explorer.search("甲", kinds=("target",))["total"] == 4
    assert explorer.search("")["total"] == 0
    # exact match first
    assert explorer.search("财政局")["nodes"][0]["id"] == "D1"
    paged = explorer.search("项目", limit=3, offset=3)
    assert (paged["offset"], paged["next_offset"], len(paged["nodes"])) == (3, 6, 3)
    assert explorer.search("丁", Filter(level1=SATISFACTION))["total"] == 0


def test_explorer_neighbours_page_and_filter(explorer: Explorer) -> None:
    first = explorer.neighbours("P1", limit=2)
    assert first["total"] == 4 and first["next_offset"] == 2
    assert first["nodes"][0]["id"] == "D1"  # departments come first
    assert first["edges"] == [{"source": "P1", "target": n["id"]} for n in first["nodes"]]
    rest = explorer.neighbours("P1", offset=2, limit=2)
    assert rest["next_offset"] is None
    seen = [n["id"] for n in first["nodes"] + rest["nodes"]]
    assert sorted(seen) == ["D1", "t:P1:丙", "t:P1:乙", "t:P1:甲"]
    satisfied = explorer.neighbours("P1", Filter(level1=SATISFACTION))
    assert [n["id"] for n in satisfied["nodes"]] == ["D1", "t:P1:乙"]
    with pytest.raises(KeyError):
        explorer.neighbours("nope")


def test_explorer_node_details(explorer: Explorer) -> None:
    target = explorer.node("t:P1:乙")
    assert target["level1"] == {"id": SATISFACTION, "label": "满意度指标", "label_en": ""}
    assert target["value_kind"]["label_en"] == "percentage"
    assert target["pagerank"] is None and target["degree"] == 2
    project = explorer.node("P1")
    assert project["community"] == target["community"]  # a target takes its project's
    assert [s["id"] for s in project["similar"]] == ["P2", "P7", "P3"]
    assert project["neighbours"] == {"department": 1, "project": 0, "target": 3, "indicator": 0}
    indicator = explorer.node("i:甲")
    assert indicator["name_group"] == {"label": "甲", "size": 1}
    assert indicator["degree"] == 4
    # the condensed graph has two components: D1, D3 and their indicators; D2 and its own
    assert explorer.node("D1")["component"] == explorer.node("D3")["component"]
    assert explorer.node("D1")["component"] != explorer.node("D2")["component"]


def test_explorer_filters(explorer: Explorer) -> None:
    options = explorer.filters()
    assert options["level1"] == [
        {"id": OUTPUT, "label": "产出指标", "label_en": "Output indicators", "targets": 16},
        {"id": SATISFACTION, "label": "满意度指标", "label_en": "", "targets": 3},
    ]
    assert [o["targets"] for o in options["value_kind"]] == [16, 3]
    assert options["level2"] == []
