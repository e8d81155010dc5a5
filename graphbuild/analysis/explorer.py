"""What the graph explorer (``/explore``) asks of the network: search, neighbours, node metrics.

An :class:`Explorer` wraps the :func:`~graphbuild.analysis.network.explorer_graph` of a store
(departments → projects → targets → indicators) and answers in plain dicts, ready for JSON:

- :meth:`Explorer.search`: nodes whose label contains a text (Chinese or not; NFKC-folded,
  case-insensitive), exact matches first, then prefixes, then by PageRank;
- :meth:`Explorer.neighbours`: the neighbours of one node, a page at a time (``offset``,
  ``limit``), so that a client never has to draw an indicator's thousands of targets at once;
- :meth:`Explorer.node`: one node with its metrics and details (an indicator's name group, a
  project's most similar projects, a target's levels and value).

Every call takes a :class:`~graphbuild.analysis.network.Filter`: with a level 1, level 2 or value kind,
only the matching targets and the nodes above and below them are found.

Metrics are computed once, without filter, so that colours do not change as filters do:
``degree`` is the number of neighbours in the explorer graph; ``pagerank``, ``community``
(Louvain, fixed seed) and ``component`` come from the *condensed* graph, where a target is an
edge (project–indicator, or department–indicator for a department-wide target) weighted by
the number of such targets, and every project hangs from its department. A target takes the
community and component of its project (or department) and has no PageRank of its own.

>>> from graphbuild.analysis.network import NetworkData
>>> data = NetworkData.from_rows(
...     [{"target": "t1", "project": "p", "department": "d", "indicator": "i", "value": "≥95%"}],
...     [{"node": "i", "kind": "indicator", "label": "职工满意度"}])
>>> explorer = Explorer(data)
>>> [n["id"] for n in explorer.search("满意")["nodes"]]
['i']
>>> [n["id"] for n in explorer.neighbours("p")["nodes"]]
['d', 't1']
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter, OrderedDict
from typing import Any

import networkx as nx

from graphbuild.analysis import network
from graphbuild.analysis.network import NO_FILTER, NODE_KINDS, Filter, Metrics, NetworkData

SEARCH_KINDS = ("department", "project", "indicator")
"""What a search looks for unless told otherwise (targets repeat their indicator's name)."""

MAX_LIMIT = 200
"""Most nodes one search or expansion returns."""

_ORDER = {kind: n for n, kind in enumerate(NODE_KINDS)}


def fold(text: str) -> str:
    """The form labels are compared in: NFKC, lower case, no whitespace.

    >>> fold(" 職工 Ｍanyidu ")
    '職工manyidu'
    """
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


class Explorer:
    """Search and expansion over one store's explorer graph (thread-safe, lazily computed)."""

    def __init__(self, data: NetworkData, seed: int = network.SEED) -> None:
        self.data = data
        self.seed = seed
        self.graph = network.explorer_graph(data)
        self._lock = threading.Lock()
        self._metrics: dict[str, Metrics] | None = None
        self._name_groups: dict[str, tuple[str, int]] | None = None
        self._bipartite: nx.Graph | None = None
        self._visible: OrderedDict[Filter, frozenset[str]] = OrderedDict()
        self._folded = {node: fold(str(label)) for node, label in self.graph.nodes(data="label")}

    # ---- lazily computed parts

    def condensed_graph(self) -> nx.Graph:
        """Departments, projects and indicators; targets become weighted edges."""
        graph = nx.Graph(name="condensed")
        for node, kind in self.graph.nodes(data="kind"):
            if kind != "target":
                graph.add_node(node, kind=kind)
        weights: Counter[tuple[str, str]] = Counter()
        for target in self.data.targets:
            parent = target.project or target.department
            if parent:
                weights[parent, target.indicator] += 1
        graph.add_weighted_edges_from((a, b, n) for (a, b), n in sorted(weights.items()))
        for project, department in self.data.project_department.items():
            if project in graph and department in graph:
                graph.add_edge(project, department, weight=1)
        return graph

    def metrics(self) -> dict[str, Metrics]:
        """Every node's metrics (see the module docstring), computed on first use."""
        with self._lock:
            if self._metrics is None:
                self._metrics = self._compute_metrics()
            return self._metrics

    def _compute_metrics(self) -> dict[str, Metrics]:
        condensed = network.metrics(self.condensed_graph(), seed=self.seed)
        found: dict[str, Metrics] = {}
        for node, degree in self.graph.degree():
            if node in condensed:
                base = condensed[node]
                found[node] = Metrics(
                    degree, base.strength, base.pagerank, base.community, base.component
                )
        for target in self.data.targets:
            parent = condensed.get(target.project or target.department or "")
            if parent is not None:
                degree = self.graph.degree(target.iri)
                found[target.iri] = Metrics(degree, degree, 0.0, parent.community, parent.component)
        return found

    def name_groups(self) -> dict[str, tuple[str, int]]:
        """Indicator → (its name group's name, the group's size)."""
        with self._lock:
            if self._name_groups is None:
                graph = network.name_group_graph(self.data)
                sizes = Counter(group for _, group in graph.nodes(data="name_group"))
                self._name_groups = {
                    node: (group, sizes[group]) for node, group in graph.nodes(data="name_group")
                }
            return self._name_groups

    def bipartite(self) -> nx.Graph:
        """The project–indicator graph (for the most similar projects)."""
        with self._lock:
            if self._bipartite is None:
                self._bipartite = network.bipartite_graph(self.data)
            return self._bipartite

    def visible(self, where: Filter) -> frozenset[str] | None:
        """The nodes a filter keeps (None: every node). A few filters are remembered."""
        if not where:
            return None
        with self._lock:
            if where in self._visible:
                self._visible.move_to_end(where)
                return self._visible[where]
        kept: set[str] = set()
        for target in self.data.select(where):
            kept.add(target.iri)
            kept.add(target.indicator)
            if target.project:
                kept.add(target.project)
            if target.department:
                kept.add(target.department)
        found = frozenset(kept)
        with self._lock:
            self._visible[where] = found
            while len(self._visible) > 16:
                self._visible.popitem(last=False)
        return found

    # ---- answers

    def describe(self, node: str) -> dict[str, Any]:
        """A node as the explorer draws it: id, kind, label and metrics (plus a target's
        levels and value)."""
        attributes = self.graph.nodes[node]
        values = self.metrics().get(node)
        kind = attributes["kind"]
        found: dict[str, Any] = {
            "id": node,
            "kind": kind,
            "label": attributes["label"],
            "degree": values.degree if values else self.graph.degree(node),
            "pagerank": round(values.pagerank, 8) if values and kind != "target" else None,
            "community": values.community if values else None,
            "component": values.component if values else None,
        }
        if kind == "target":
            found["value"] = attributes["value"]
            for name in ("level1", "level2", "value_kind", "period"):
                found[name] = self._concept(attributes[name])
        return found

    def _concept(self, key: str) -> dict[str, str] | None:
        if not key:
            return None
        return {
            "id": key,
            "label": self.data.label(key) if key.startswith(("http://", "https://")) else key,
            "label_en": self.data.labels_en.get(key, ""),
        }

    def _order(self, node: str) -> tuple[int, float, str, str]:
        values = self.metrics().get(node)
        attributes = self.graph.nodes[node]
        return (
            _ORDER.get(attributes["kind"], 9),
            -(values.pagerank if values else 0.0),
            attributes["label"],
            node,
        )

    def search(
        self,
        text: str,
        where: Filter = NO_FILTER,
        kinds: tuple[str, ...] = SEARCH_KINDS,
        offset: int = 0,
        limit: int = 20,
    ) -> dict[str, Any]:
        """Nodes of ``kinds`` whose label contains ``text``: exact matches first, then those
        that start with it, then by kind and PageRank. ``{"query", "total", "offset",
        "next_offset", "nodes"}``; ``next_offset`` is null on the last page."""
        wanted, visible = fold(text), self.visible(where)
        limit = max(1, min(limit, MAX_LIMIT))
        hits = [
            node
            for node, label in self._folded.items()
            if wanted
            and wanted in label
            and self.graph.nodes[node]["kind"] in kinds
            and (visible is None or node in visible)
        ]
        hits.sort(
            key=lambda n: (
                self._folded[n] != wanted,
                not self._folded[n].startswith(wanted),
                *self._order(n),
            )
        )
        return self._page({"query": text}, hits, offset, limit)

    def neighbours(
        self, node: str, where: Filter = NO_FILTER, offset: int = 0, limit: int = 50
    ) -> dict[str, Any]:
        """One page of the neighbours of ``node`` (``KeyError`` when there is no such node):
        ``{"node", "total", "offset", "next_offset", "nodes", "edges"}``; departments first,
        then projects, targets and indicators, each by PageRank then label."""
        if node not in self.graph:
            raise KeyError(node)
        visible = self.visible(where)
        around = [n for n in self.graph[node] if visible is None or n in visible]
        around.sort(key=self._order)
        page = self._page({"node": self.describe(node)}, around, offset, limit)
        page["edges"] = [{"source": node, "target": other["id"]} for other in page["nodes"]]
        return page

    def _page(
        self, head: dict[str, Any], nodes: list[str], offset: int, limit: int
    ) -> dict[str, Any]:
        offset, limit = max(0, offset), max(1, min(limit, MAX_LIMIT))
        chosen = nodes[offset : offset + limit]
        end = offset + len(chosen)
        return {
            **head,
            "total": len(nodes),
            "offset": offset,
            "next_offset": end if end < len(nodes) else None,
            "nodes": [self.describe(n) for n in chosen],
        }

    def node(self, node: str, similar: int = 5) -> dict[str, Any]:
        """One node with its details (``KeyError`` when there is no such node)."""
        if node not in self.graph:
            raise KeyError(node)
        found = self.describe(node)
        kinds = Counter(self.graph.nodes[n]["kind"] for n in self.graph[node])
        found["neighbours"] = {kind: kinds.get(kind, 0) for kind in NODE_KINDS}
        if found["kind"] == "indicator":
            group, size = self.name_groups().get(node, (found["label"], 1))
            found["name_group"] = {"label": group, "size": size}
        if found["kind"] == "project":
            graph = self.bipartite()
            found["similar"] = [
                {"id": s.node, "label": s.label, "score": s.score, "shared": s.shared}
                for s in (network.similar_projects(graph, node, similar) if node in graph else [])
            ]
        return found

    def filters(self) -> dict[str, list[dict[str, Any]]]:
        """The values a filter can take, each with its number of targets, most used first:
        ``{"level1": [{"id", "label", "label_en", "targets"}], "level2": […], "value_kind": […]}``."""
        counts: dict[str, Counter[str]] = {
            "level1": Counter(),
            "level2": Counter(),
            "value_kind": Counter(),
        }
        for target in self.data.targets:
            for name, key in (
                ("level1", target.level1),
                ("level2", target.level2),
                ("value_kind", target.kind),
            ):
                if key:
                    counts[name][key] += 1
        return {
            name: [
                {**(self._concept(key) or {}), "targets": n}
                for key, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
            ]
            for name, counter in counts.items()
        }
