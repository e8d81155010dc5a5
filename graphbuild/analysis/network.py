"""Network analysis of the targets: graphs built from SPARQL rows, with networkx metrics.

Two named queries fetch everything (``queries/network_targets.rq``: one row per target with its
project, department, indicator, levels and value kind; ``queries/network_nodes.rq``: labels),
:func:`fetch` turns the rows into :class:`NetworkData`, and pure functions build the graphs:

- :func:`bipartite_graph`: projects and indicators (三级指标); an edge when a project has a
  target of the indicator, ``weight`` = how many targets.
- :func:`cooccurrence_graph`: indicators; an edge when two indicators are used by the same
  project, ``weight`` = how many projects they share (networkx's weighted bipartite
  projection).
- :func:`department_graph`: departments; an edge when their indicator profiles overlap,
  ``weight`` = cosine similarity of their vectors of targets per indicator.
- :func:`name_group_graph`: indicators; an edge between near-duplicate names, each node with its
  ``name_group``. The rule is in :mod:`graphbuild.analysis.name_groups`: same head word (满意度, 完成率, 人数 …)
  and character-bigram Jaccard ≥ 0.5 of what precedes it, after staff synonyms (工作人员,
  干部职工, 干部 → 职工) and qualifiers (全体, 年度, 整体 …) are normalised; name groups are the
  connected components.
- :func:`explorer_graph`: departments → projects → targets → indicators, what ``/explore``
  draws.

Every builder takes a :class:`Filter` (level 1, level 2, value kind) that keeps only the
matching targets. :func:`metrics` adds degree, PageRank, the Louvain community (fixed seed) and
the connected component of every node; :func:`similar_projects` ranks projects by the Jaccard
index of their indicator sets. :func:`write_graph` writes GraphML, GEXF or node-link JSON.

>>> data = NetworkData.from_rows([
...     {"target": "t1", "project": "p1", "department": "d", "indicator": "i1"},
...     {"target": "t2", "project": "p1", "department": "d", "indicator": "i2"},
...     {"target": "t3", "project": "p2", "department": "d", "indicator": "i1"},
... ], [])
>>> sorted(cooccurrence_graph(data).edges(data="weight"))
[('i1', 'i2', 1)]
>>> similar_projects(bipartite_graph(data), "p2")
[Similar(node='p1', label='p1', score=0.5, shared=1)]
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import unquote

import networkx as nx
from networkx.algorithms import bipartite

from graphbuild.analysis import name_groups
from graphbuild.named_queries import named_query
from graphbuild.stores.base import Store

SEED = 42
"""Seed of the Louvain community detection (the same graph always gets the same communities)."""

KINDS = ("bipartite", "cooccurrence", "departments", "name-groups", "explorer")
"""The graphs ``perfkg network`` and ``/api/network/graphs/{kind}`` export."""

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
"""Export formats and their media types."""

NODE_KINDS = ("department", "project", "target", "indicator")
"""The kinds of node of the explorer graph, from the top of the hierarchy down."""


@dataclass(frozen=True, slots=True)
class Target:
    """One performance target, as ``queries/network_targets.rq`` returns it.

    ``level1``/``level2`` are level-concept IRIs, or the printed label when the label is not in
    the level scheme; ``kind`` is a value-kind IRI (``pkc:quantity`` …).
    """

    iri: str
    indicator: str
    project: str | None = None
    department: str | None = None
    level1: str | None = None
    level2: str | None = None
    kind: str | None = None
    value: str = ""
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Filter:
    """Which targets to keep: all of them, or those of one level 1, level 2 and/or value kind.

    >>> Filter(level1="L1").matches(Target("t", "i", level1="L1", kind="k"))
    True
    >>> Filter(level1="L1", kind="x").matches(Target("t", "i", level1="L1", kind="k"))
    False
    """

    level1: str | None = None
    level2: str | None = None
    kind: str | None = None

    def __bool__(self) -> bool:
        return bool(self.level1 or self.level2 or self.kind)

    def matches(self, target: Target) -> bool:
        return (
            (not self.level1 or target.level1 == self.level1)
            and (not self.level2 or target.level2 == self.level2)
            and (not self.kind or target.kind == self.kind)
        )


NO_FILTER = Filter()


@dataclass
class NetworkData:
    """Everything the graphs are built from: the targets, node kinds and labels."""

    targets: list[Target]
    labels: dict[str, str] = field(default_factory=dict)
    """Chinese label of a department, project, indicator or concept."""
    labels_en: dict[str, str] = field(default_factory=dict)
    """English label of a concept (levels, value kinds, periods), where the ontology has one."""
    kinds: dict[str, str] = field(default_factory=dict)
    """``department``, ``project`` or ``indicator`` for every node the store names."""
    project_department: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls, target_rows: Iterable[Mapping[str, Any]], node_rows: Iterable[Mapping[str, Any]]
    ) -> NetworkData:
        """Build from the rows of ``network_targets.rq`` and ``network_nodes.rq``."""
        data = cls(targets=[])
        for row in node_rows:
            node, kind = str(row["node"]), str(row.get("kind") or "")
            label, label_en = row.get("label"), row.get("labelEn")
            if label and (node not in data.labels or str(label) < data.labels[node]):
                data.labels[node] = str(label)
            if label_en and node not in data.labels_en:
                data.labels_en[node] = str(label_en)
            if kind in ("department", "project", "indicator"):
                data.kinds[node] = kind
            if row.get("department"):
                data.project_department[node] = str(row["department"])
        seen: set[str] = set()
        for row in target_rows:
            iri = str(row["target"])
            if iri in seen or not row.get("indicator"):
                continue
            seen.add(iri)
            project, department = _opt(row.get("project")), _opt(row.get("department"))
            target = Target(
                iri=iri,
                indicator=str(row["indicator"]),
                project=project,
                department=department or data.project_department.get(project or ""),
                level1=_opt(row.get("level1")) or _opt(row.get("level1Label")),
                level2=_opt(row.get("level2")) or _opt(row.get("level2Label")),
                kind=_opt(row.get("kind")),
                value=str(row.get("value") or ""),
                period=_opt(row.get("period")),
            )
            data.targets.append(target)
            data.kinds.setdefault(target.indicator, "indicator")
            if project:
                data.kinds.setdefault(project, "project")
                if target.department:
                    data.project_department.setdefault(project, target.department)
            if target.department:
                data.kinds.setdefault(target.department, "department")
        data.targets.sort(key=lambda t: t.iri)
        return data

    def label(self, node: str) -> str:
        """The Chinese label of a node, else the last segment of its IRI, decoded."""
        found = self.labels.get(node)
        if found:
            return found
        tail = node.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return unquote(tail) or node

    def resolve(self, field: str, given: str | None) -> str | None:
        """The key of a target's ``level1``, ``level2`` or ``kind`` that ``given`` names: the key
        itself (a concept IRI or a printed label), or a concept's Chinese or English label or
        last IRI segment (``产出指标``, ``percent``). ``ValueError`` says what is known.

        >>> data = NetworkData([Target("t", "i", level1="https://w3id.org/perfkg/levels/output")],
        ...                    labels={"https://w3id.org/perfkg/levels/output": "产出指标"})
        >>> data.resolve("level1", "产出指标"), data.resolve("level1", "")
        ('https://w3id.org/perfkg/levels/output', None)
        """
        if not given:
            return None
        used = {getattr(t, field) for t in self.targets} - {None}
        if given in used:
            return given
        matches = sorted(
            key
            for key in used
            if given in (self.labels.get(key), self.labels_en.get(key), key.rsplit("/", 1)[-1])
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(f"{given!r} names {', '.join(matches)}: give the IRI")
        known = ", ".join(sorted(self.labels.get(k, k) for k in used)) or "none"
        raise ValueError(f"no target has the {field} {given!r}; known: {known}")

    def filter(
        self, level1: str | None = None, level2: str | None = None, kind: str | None = None
    ) -> Filter:
        """A :class:`Filter` from IRIs or labels (see :meth:`resolve`)."""
        return Filter(
            self.resolve("level1", level1),
            self.resolve("level2", level2),
            self.resolve("kind", kind),
        )

    def select(self, where: Filter = NO_FILTER) -> list[Target]:
        """The targets that ``where`` keeps."""
        return [t for t in self.targets if where.matches(t)] if where else self.targets


def _opt(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def fetch(store: Store) -> NetworkData:
    """Run the two network queries on ``store`` and return their rows as :class:`NetworkData`."""
    targets = store.select(named_query("network_targets").bind())
    nodes = store.select(named_query("network_nodes").bind())
    return NetworkData.from_rows(targets, nodes)


# ---- graphs ------------------------------------------------------------------------------------


def _node(data: NetworkData, node: str, kind: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return node, {"kind": kind, "label": data.label(node), **extra}


def bipartite_graph(data: NetworkData, where: Filter = NO_FILTER) -> nx.Graph:
    """Projects and indicators; ``weight`` = the project's targets of that indicator.

    Projects have ``bipartite=0``, indicators ``bipartite=1`` (networkx's convention);
    department-wide targets (no project) are left out.
    """
    pairs = Counter((t.project, t.indicator) for t in data.select(where) if t.project)
    graph = nx.Graph(name="bipartite")
    for project in sorted({p for p, _ in pairs}):
        department = data.project_department.get(project, "")
        graph.add_nodes_from([_node(data, project, "project", bipartite=0, department=department)])
    for indicator in sorted({i for _, i in pairs}):
        graph.add_nodes_from([_node(data, indicator, "indicator", bipartite=1)])
    graph.add_weighted_edges_from((p, i, n) for (p, i), n in sorted(pairs.items()))
    return graph


def _side(graph: nx.Graph, kind: str) -> list[str]:
    return [n for n, k in graph.nodes(data="kind") if k == kind]


def cooccurrence_graph(data: NetworkData, where: Filter = NO_FILTER) -> nx.Graph:
    """Indicators; ``weight`` = how many projects use both (the weighted bipartite projection)."""
    two_mode = bipartite_graph(data, where)
    projected = bipartite.weighted_projected_graph(two_mode, _side(two_mode, "indicator"))
    graph = nx.Graph(name="cooccurrence")
    graph.add_nodes_from(sorted(projected.nodes(data=True)))
    graph.add_edges_from(sorted(projected.edges(data=True)))
    for _, attributes in graph.nodes(data=True):
        attributes.pop("bipartite", None)
    return graph


def department_graph(
    data: NetworkData, where: Filter = NO_FILTER, min_similarity: float = 0.0
) -> nx.Graph:
    """Departments; ``weight`` = cosine similarity of their targets-per-indicator vectors.

    Only pairs above ``min_similarity`` are joined. The vectors are a sparse matrix
    (departments × indicators); the similarities are one sparse product of the normalised rows.
    """
    import numpy as np
    from scipy import sparse

    counts = Counter((t.department, t.indicator) for t in data.select(where) if t.department)
    departments = sorted({d for d, _ in counts})
    indicators = sorted({i for _, i in counts})
    used, total = Counter(d for d, _ in counts), Counter()
    for (department, _), n in counts.items():
        total[department] += n
    graph = nx.Graph(name="departments")
    graph.add_nodes_from(
        _node(data, d, "department", indicators=used[d], targets=total[d]) for d in departments
    )
    if not departments:
        return graph
    row = {d: n for n, d in enumerate(departments)}
    column = {i: n for n, i in enumerate(indicators)}
    matrix = sparse.csr_matrix(
        (
            np.array(list(counts.values()), dtype=float),
            ([row[d] for d, _ in counts], [column[i] for _, i in counts]),
        ),
        shape=(len(departments), len(indicators)),
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    unit = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix
    similarity = sparse.triu(unit @ unit.T, k=1).tocoo()
    edges = [
        (departments[a], departments[b], round(float(value), 6))
        for a, b, value in zip(similarity.row, similarity.col, similarity.data, strict=True)
        if value > min_similarity
    ]
    graph.add_weighted_edges_from(sorted(edges))
    return graph


def name_group_graph(data: NetworkData, where: Filter = NO_FILTER) -> nx.Graph:
    """Indicators joined when their names are near-duplicates (:mod:`graphbuild.analysis.name_groups`)."""
    used = Counter(t.indicator for t in data.select(where))
    graph = name_groups.group_graph({i: data.label(i) for i in sorted(used)}, used)
    graph.graph["name"] = "name-groups"
    for _, attributes in graph.nodes(data=True):
        attributes["kind"] = "indicator"
    return graph


def explorer_graph(data: NetworkData, where: Filter = NO_FILTER) -> nx.Graph:
    """Departments → projects → targets → indicators (a department-wide target hangs from its
    department). Target nodes carry ``level1``, ``level2``, ``value_kind``, ``value`` and
    ``period`` (IRIs or printed labels; empty when unknown). Without a filter, projects that
    have no target are included under their department."""
    graph = nx.Graph(name="explorer")
    targets = data.select(where)
    projects: set[str] = {t.project for t in targets if t.project}
    if not where:
        projects |= {n for n, k in data.kinds.items() if k == "project"}
    departments = {t.department for t in targets if t.department} | {
        data.project_department[p] for p in projects if p in data.project_department
    }
    graph.add_nodes_from(_node(data, d, "department") for d in sorted(departments))
    for project in sorted(projects):
        graph.add_nodes_from([_node(data, project, "project")])
        if project in data.project_department:
            graph.add_edge(data.project_department[project], project)
    for t in targets:
        graph.add_nodes_from([_node(data, t.indicator, "indicator")])
        graph.add_node(
            t.iri,
            kind="target",
            label=target_label(data, t),
            level1=t.level1 or "",
            level2=t.level2 or "",
            value_kind=t.kind or "",
            value=t.value,
            period=t.period or "",
        )
        parent = t.project or t.department
        if parent:
            graph.add_edge(parent, t.iri)
        graph.add_edge(t.iri, t.indicator)
    return graph


def target_label(data: NetworkData, target: Target) -> str:
    """``indicator：value (period)``, e.g. ``职工满意度：≥95% (年度)``."""
    text = data.label(target.indicator)
    if target.value:
        text += f"：{target.value}"
    if target.period:
        text += f" ({data.label(target.period)})"
    return text


BUILDERS = {
    "bipartite": bipartite_graph,
    "cooccurrence": cooccurrence_graph,
    "departments": department_graph,
    "name-groups": name_group_graph,
    "explorer": explorer_graph,
}


def build(kind: str, data: NetworkData, where: Filter = NO_FILTER) -> nx.Graph:
    """The graph ``kind`` (one of :data:`KINDS`)."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown network {kind!r}; choose one of {', '.join(KINDS)}")
    return BUILDERS[kind](data, where)


# ---- metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Metrics:
    """A node's place in its graph."""

    degree: int
    strength: float
    """Sum of the weights of its edges (its degree when edges have no weight)."""
    pagerank: float
    community: int
    """Louvain community, numbered from 0 by size (largest first)."""
    component: int
    """Connected component, numbered from 0 by size (largest first)."""


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0] if g else ""))
    return {node: number for number, group in enumerate(ordered) for node in group}


def metrics(graph: nx.Graph, seed: int = SEED) -> dict[str, Metrics]:
    """Degree, weighted degree, PageRank, Louvain community and component of every node.

    PageRank and Louvain use the edges' ``weight`` (1 where missing); Louvain runs with a fixed
    ``seed``, so the same graph always gets the same communities.
    """
    if graph.number_of_nodes() == 0:
        return {}
    pagerank = nx.pagerank(graph, weight="weight")
    communities = _numbered(nx.community.louvain_communities(graph, weight="weight", seed=seed))
    components = _numbered(nx.connected_components(graph))
    strength = dict(graph.degree(weight="weight"))
    return {
        node: Metrics(
            degree=int(degree),
            strength=float(strength[node]),
            pagerank=float(pagerank[node]),
            community=communities[node],
            component=components[node],
        )
        for node, degree in graph.degree()
    }


def annotate(graph: nx.Graph, found: Mapping[str, Metrics]) -> nx.Graph:
    """Write the metrics onto the nodes (``degree``, ``strength``, ``pagerank``, ``community``,
    ``component``), as GraphML and GEXF readers expect them; returns ``graph``."""
    for node, values in found.items():
        attributes = graph.nodes[node]
        attributes.update(
            degree=values.degree,
            strength=values.strength,
            pagerank=round(values.pagerank, 8),
            community=values.community,
            component=values.component,
        )
    return graph


@dataclass(frozen=True, slots=True)
class Similar:
    """A project like another one: ``score`` is the Jaccard index of their indicator sets."""

    node: str
    label: str
    score: float
    shared: int


def similar_projects(graph: nx.Graph, project: str, limit: int = 10) -> list[Similar]:
    """The projects of the bipartite ``graph`` most like ``project``: highest Jaccard index of
    indicator sets first (networkx's ``jaccard_coefficient``), then most shared indicators,
    then label. Only projects that share an indicator are candidates."""
    if project not in graph:
        raise KeyError(project)
    candidates = sorted(
        {other for indicator in graph[project] for other in graph[indicator]} - {project}
    )
    found = [
        Similar(
            node=other,
            label=str(graph.nodes[other].get("label", other)),
            score=round(float(score), 6),
            shared=len(list(nx.common_neighbors(graph, project, other))),
        )
        for _, other, score in nx.jaccard_coefficient(graph, [(project, c) for c in candidates])
    ]
    found.sort(key=lambda s: (-s.score, -s.shared, s.label, s.node))
    return found[:limit]


# ---- export ------------------------------------------------------------------------------------


def to_json(graph: nx.Graph) -> dict[str, Any]:
    """Node-link JSON (``{"graph", "nodes": [{"id", …}], "edges": [{"source", "target", …}]}``)."""
    return nx.node_link_data(graph, edges="edges")


def _scalar_attributes(graph: nx.Graph) -> nx.Graph:
    """A copy without the attributes GraphML and GEXF cannot hold (None, lists)."""
    copy = graph.copy()
    ok = (str, int, float, bool)
    for _, attributes in copy.nodes(data=True):
        for name in [k for k, v in attributes.items() if not isinstance(v, ok)]:
            del attributes[name]
    for _, _, attributes in copy.edges(data=True):
        for name in [k for k, v in attributes.items() if not isinstance(v, ok)]:
            del attributes[name]
    copy.graph = {k: v for k, v in copy.graph.items() if isinstance(v, ok)}
    return copy


def write_graph(graph: nx.Graph, fmt: str, out: BinaryIO) -> None:
    """Write ``graph`` to ``out`` as GraphML, GEXF 1.2 or node-link JSON (UTF-8)."""
    if fmt == "graphml":
        nx.write_graphml(_scalar_attributes(graph), out, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(_scalar_attributes(graph), out, encoding="utf-8")
    elif fmt == "json":
        out.write(json.dumps(to_json(graph), ensure_ascii=False).encode("utf-8"))
        out.write(b"\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def graph_bytes(graph: nx.Graph, fmt: str) -> bytes:
    """:func:`write_graph` into bytes."""
    buffer = io.BytesIO()
    write_graph(graph, fmt, buffer)
    return buffer.getvalue()


def grouped(values: Mapping[str, int]) -> dict[int, list[str]]:
    """Nodes by community (or component) number, e.g. ``grouped({n: m.community …})``."""
    groups: dict[int, list[str]] = defaultdict(list)
    for node, number in values.items():
        groups[number].append(node)
    return {number: sorted(nodes) for number, nodes in sorted(groups.items())}
