"""``/api/network/…``: the network analysis as JSON for the explorer (and for anyone).

- ``GET /api/network/filters``: the level 1, level 2 and value-kind values targets use;
- ``GET /api/network/search?q=满意度``: nodes whose label contains the text;
- ``GET /api/network/neighbours?id=IRI&offset=0&limit=25``: one page of a node's neighbours;
- ``GET /api/network/node?id=IRI``: one node with metrics and details;
- ``GET /api/network/similar?id=PROJECT``: the projects most like a project;
- ``GET /api/network/graphs/{kind}?format=json|graphml|gexf``: a whole graph with metrics.

Search, neighbours and graphs take ``level1``, ``level2`` and ``value_kind`` (a concept IRI or
its label). The graphs are computed from the store once per store state (:class:`NetworkCache`):
keyed by the store's quad count, which a background thread looks at again at most every
``RECHECK_SECONDS``, rebuilding and swapping in a new graph when it changed; requests are
answered from memory meanwhile. Only the very first request waits for the two SPARQL fetches
and the graph (20–40 s at 1,000 documents on 2 cores, see ``benchmarks/analysis.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from graphbuild.analysis import network
from graphbuild.analysis.explorer import MAX_LIMIT, Explorer
from graphbuild.analysis.network import Filter
from graphbuild.stores import Store
from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links

router = APIRouter(prefix="/api/network", tags=["network"])
log = logging.getLogger("perfkg.service")

RECHECK_SECONDS = 30.0
"""How long a cached graph is used before the store's quad count is looked at again (in the
background; counting takes about 3 s at 7.5 million quads)."""

NodeKind = Literal["department", "project", "target", "indicator"]
GraphKind = Literal["bipartite", "cooccurrence", "departments", "name-groups", "explorer"]


# ---- output models --------------------------------------------------------------------------


class Concept(BaseModel):
    """A level 1, level 2, value kind or period: its IRI (or printed label) and labels."""

    id: str
    label: str
    label_en: str = ""


class Node(BaseModel):
    """A node of the explorer graph with its metrics (``pagerank`` is null for a target)."""

    id: str
    kind: NodeKind
    label: str
    href: str
    """Where its linked-data page is (``/id/…``)."""
    degree: int
    pagerank: float | None
    community: int | None
    component: int | None
    parents: list[str] = []
    """The nodes above it (a target's project or department and its indicator, a project's
    department), so that a client can join it to what it has drawn."""
    value: str | None = None
    level1: Concept | None = None
    level2: Concept | None = None
    value_kind: Concept | None = None
    period: Concept | None = None


class NameGroup(BaseModel):
    label: str
    size: int


class SimilarProject(BaseModel):
    id: str
    label: str
    href: str
    score: float
    """Jaccard index of the two projects' indicator sets."""
    shared: int


class NodeDetail(Node):
    neighbours: dict[str, int]
    """Neighbours by kind, without filter."""
    name_group: NameGroup | None = None
    similar: list[SimilarProject] | None = None


class Page(BaseModel):
    total: int
    offset: int
    next_offset: int | None
    nodes: list[Node]


class SearchPage(Page):
    query: str


class Edge(BaseModel):
    source: str
    target: str


class NeighbourPage(Page):
    node: Node
    edges: list[Edge]


class FilterOption(Concept):
    targets: int


class Filters(BaseModel):
    level1: list[FilterOption]
    level2: list[FilterOption]
    value_kind: list[FilterOption]


class Similar(BaseModel):
    project: Node
    similar: list[SimilarProject]


# ---- the cache --------------------------------------------------------------------------------


class NetworkCache:
    """One :class:`Explorer` (and a few exported graphs) for the store's current state.

    The first request builds the explorer (and waits for it). Afterwards requests are answered
    from memory at once; when ``recheck`` seconds have passed since the last look, a
    background thread counts the store's quads and, if the count changed, builds a new
    explorer and swaps it in (stale-while-revalidate: the request that notices the change
    still gets the old answer).
    """

    def __init__(self, recheck: float = RECHECK_SECONDS) -> None:
        self.recheck = recheck
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._key: int | None = None
        self._checked = 0.0
        self._checking = False
        self._explorer: Explorer | None = None
        self.graphs: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()

    def explorer(self, store: Store) -> Explorer:
        """The explorer of the store's data (built on first use, refreshed in the background)."""
        with self._lock:
            current = self._explorer
            if (
                current is not None
                and not self._checking
                and time.monotonic() - self._checked >= self.recheck
            ):
                self._checking = True
                threading.Thread(
                    target=self._revalidate, args=(store,), name="perfkg-network", daemon=True
                ).start()
        return current if current is not None else self._build(store)

    def _build(self, store: Store) -> Explorer:
        with self._building:
            if self._explorer is not None:  # built while this request waited
                return self._explorer
            key = store.quad_count()
            explorer = Explorer(network.fetch(store))
            self._swap(explorer, key)
            return explorer

    def _swap(self, explorer: Explorer, key: int) -> None:
        with self._lock:
            self._explorer, self._key = explorer, key
            self._checked = time.monotonic()
            self.graphs.clear()

    def _revalidate(self, store: Store) -> None:
        try:
            with self._building:
                key = store.quad_count()
                if key != self._key:
                    self._swap(Explorer(network.fetch(store)), key)
        except Exception:  # the store is closed or suspended: try again at the next look
            log.warning("network: could not refresh the explorer's graph", exc_info=True)
        finally:
            with self._lock:
                self._checking = False
                self._checked = time.monotonic()

    def graph(self, explorer: Explorer, kind: str, where: Filter, fmt: str, metrics: bool) -> bytes:
        """An exported graph, remembered for the current store state (the last 8)."""
        key = (id(explorer), kind, where, fmt, metrics)
        with self._lock:
            if key in self.graphs:
                self.graphs.move_to_end(key)
                return self.graphs[key]
        graph = network.build(kind, explorer.data, where)
        if metrics:
            network.annotate(graph, network.metrics(graph))
        body = network.graph_bytes(graph, fmt)
        with self._lock:
            self.graphs[key] = body
            while len(self.graphs) > 8:
                self.graphs.popitem(last=False)
        return body


_CREATE = threading.Lock()


def _cache(request: Request) -> NetworkCache:
    state = request.app.state
    with _CREATE:
        if getattr(state, "network_cache", None) is None:
            state.network_cache = NetworkCache()
    cache: NetworkCache = state.network_cache
    return cache


def get_explorer(request: Request, store: StoreDep) -> Explorer:
    """The explorer of the app's store (a sync dependency: it runs in the thread pool)."""
    return _cache(request).explorer(store)


ExplorerDep = Annotated[Explorer, Depends(get_explorer)]


def get_filter(
    explorer: ExplorerDep,
    level1: Annotated[str | None, Query(description="Level 1: IRI or label (产出指标).")] = None,
    level2: Annotated[str | None, Query(description="Level 2: IRI or label (数量指标).")] = None,
    value_kind: Annotated[
        str | None, Query(description="Kind of value: IRI or label (百分比, percentage).")
    ] = None,
) -> Filter:
    """The filter of the query parameters; 400 for a value no target has."""
    try:
        return explorer.data.filter(level1, level2, value_kind)
    except ValueError as error:
        raise ApiError(400, "bad_filter", str(error)) from None


FilterDep = Annotated[Filter, Depends(get_filter)]
IdParam = Annotated[str, Query(min_length=1, description="The node's IRI.")]
OffsetParam = Annotated[int, Query(ge=0, le=10_000_000)]


def _links(request: Request, base: str) -> Links:
    return Links(base, request.scope.get("root_path", ""))


def _with_links(node: dict[str, Any], explorer: Explorer, links: Links) -> dict[str, Any]:
    node["href"] = links.href(node["id"])
    node["parents"] = _parents(explorer, node["id"], node["kind"])
    for similar in node.get("similar") or []:
        similar["href"] = links.href(similar["id"])
    return node


def _parents(explorer: Explorer, node: str, kind: str) -> list[str]:
    if kind not in ("target", "project"):
        return []
    graph = explorer.graph
    wanted = ("project", "department", "indicator") if kind == "target" else ("department",)
    return sorted(n for n in graph[node] if graph.nodes[n]["kind"] in wanted)


def _missing(node: str) -> ApiError:
    return ApiError(404, "not_found", f"no node {node!r} in the network (give an entity IRI)")


# ---- routes -----------------------------------------------------------------------------------


@router.get("/filters", response_model=Filters, summary="The values the filters can take")
def filters(explorer: ExplorerDep) -> dict[str, Any]:
    """Level 1, level 2 and value kinds used by targets, most used first, with counts."""
    return explorer.filters()


@router.get("/search", response_model=SearchPage, summary="Find nodes by their label")
def search(
    request: Request,
    explorer: ExplorerDep,
    where: FilterDep,
    base: BaseDep,
    q: Annotated[str, Query(max_length=200, description="Text in the label, e.g. 满意度.")],
    kind: Annotated[
        list[NodeKind] | None,
        Query(description="Kinds of node (default: department, project, indicator)."),
    ] = None,
    offset: OffsetParam = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> dict[str, Any]:
    """Nodes whose label contains ``q`` (case and width folded): exact matches, then labels
    that start with it, then by kind and PageRank. With a filter, only nodes of matching
    targets."""
    kinds = tuple(kind) if kind else ("department", "project", "indicator")
    page = explorer.search(q, where, kinds, offset, limit)
    links = _links(request, base)
    page["nodes"] = [_with_links(n, explorer, links) for n in page["nodes"]]
    return page


@router.get("/neighbours", response_model=NeighbourPage, summary="One page of a node's neighbours")
def neighbours(
    request: Request,
    explorer: ExplorerDep,
    where: FilterDep,
    base: BaseDep,
    id: IdParam,
    offset: OffsetParam = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 25,
) -> dict[str, Any]:
    """The neighbours of a node in the explorer graph (departments → projects → targets →
    indicators), departments first, then projects, targets and indicators; ``next_offset``
    asks for the next page."""
    try:
        page = explorer.neighbours(id, where, offset, limit)
    except KeyError:
        raise _missing(id) from None
    links = _links(request, base)
    page["node"] = _with_links(page["node"], explorer, links)
    page["nodes"] = [_with_links(n, explorer, links) for n in page["nodes"]]
    return page


@router.get("/node", response_model=NodeDetail, summary="One node with metrics and details")
def node(request: Request, explorer: ExplorerDep, base: BaseDep, id: IdParam) -> dict[str, Any]:
    """A node's metrics; an indicator's name group, a project's most similar projects."""
    try:
        found = explorer.node(id)
    except KeyError:
        raise _missing(id) from None
    return _with_links(found, explorer, _links(request, base))


@router.get("/similar", response_model=Similar, summary="The projects most like a project")
def similar(
    request: Request,
    explorer: ExplorerDep,
    base: BaseDep,
    id: IdParam,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> dict[str, Any]:
    """Projects ranked by the Jaccard index of their indicator sets (then shared indicators)."""
    if id not in explorer.graph or explorer.graph.nodes[id]["kind"] != "project":
        raise ApiError(404, "not_found", f"no project {id!r} in the network")
    links = _links(request, base)
    graph = explorer.bipartite()
    found = network.similar_projects(graph, id, limit) if id in graph else []
    return {
        "project": _with_links(explorer.describe(id), explorer, links),
        "similar": [
            {
                "id": s.node,
                "label": s.label,
                "href": links.href(s.node),
                "score": s.score,
                "shared": s.shared,
            }
            for s in found
        ],
    }


@router.get(
    "/graphs/{kind}",
    summary="A whole graph with its metrics (node-link JSON, GraphML or GEXF)",
    response_class=Response,
    responses={200: {"content": {media: {} for media in network.FORMATS.values()}}},
)
def graph(
    request: Request,
    explorer: ExplorerDep,
    kind: GraphKind,
    where: FilterDep,
    format: Literal["json", "graphml", "gexf"] = "json",
    metrics: bool = True,
) -> Response:
    """What ``perfkg network KIND`` writes: every node with degree, PageRank, Louvain community
    and component (``metrics=false`` skips them)."""
    body = _cache(request).graph(explorer, kind, where, format, metrics)
    headers = {"Content-Disposition": f'inline; filename="perfkg-{kind}.{format}"'}
    return Response(body, media_type=network.FORMATS[format], headers=headers)
