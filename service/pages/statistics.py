"""Dataset statistics for the home page and the VoID description.

The counts are those ``perfkg build`` computed into ``{base}graph/statistics``
(:mod:`graphbuild.graph.statistics`), read by ``queries/service/stored_*.rq`` in milliseconds
whatever the size of the store. A store built before statistics were kept is counted live by
``queries/dataset_statistics.rq``, ``queries/count_targets_by_level1.rq`` and
``queries/void_*.rq`` (which the query page also offers as examples). The example entities
come from ``queries/service/example_entities.rq``.

>>> from graphbuild.stores.oxigraph import OxigraphStore
>>> dataset_statistics(OxigraphStore()).counts["targets"]
0
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pyoxigraph as ox

from graphbuild.named_queries import QUERIES_DIR, named_query
from graphbuild.stores.base import Store
from service.pages.entity import best_label

SERVICE_QUERIES = QUERIES_DIR / "service"
PK = "https://w3id.org/perfkg/ontology#"
T = TypeVar("T")
COUNTED = ("documents", "departments", "projects", "targets", "diagnostics")
"""The columns of ``dataset_statistics.rq``, in the order the home page shows them."""


@dataclass(frozen=True)
class Example:
    """One example entity of a class."""

    cls: str
    iri: str
    label: str | None


@dataclass
class DatasetStatistics:
    """What the home page shows."""

    counts: dict[str, int]
    targets_by_level1: list[tuple[str, int]]
    examples: list[Example] = field(default_factory=list)


@dataclass
class VoidStatistics:
    """The counts a VoID description needs (over the union of the graphs, distinct triples)."""

    totals: dict[str, int]
    classes: list[tuple[str, int]]
    properties: list[
        tuple[str, int, int | None, int | None]
    ]  # property, triples, subjects, objects


class Cached(Generic[T]):
    """One value remembered for a key and at most ``max_age`` seconds (thread-safe).

    Statistics over a large store take seconds (DESIGN §6: counts over millions of quads);
    pages reuse them instead of counting on every request.

    >>> cache = Cached[int](max_age=60)
    >>> cache.get("a", lambda: 1), cache.get("a", lambda: 2), cache.get("b", lambda: 3)
    (1, 1, 3)
    """

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._entry: tuple[Hashable, float, T] | None = None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, computed (once, under a lock) when missing or too old."""
        with self._lock:
            entry = self._entry
            if entry and entry[0] == key and time.monotonic() - entry[1] < self.max_age:
                return entry[2]
            value = compute()
            self._entry = (key, time.monotonic(), value)
            return value


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) and str(value).strip() else 0


def _statistics_node(uri_space: str) -> ox.NamedNode:
    """``{base}id/statistics`` from the URI space ``{base}id/``."""
    return ox.NamedNode(f"{uri_space}statistics")


def stored_totals(store: Store, uri_space: str) -> dict[str, int] | None:
    """The totals the last build stored, or None when it stored none."""
    query = named_query("stored_totals", SERVICE_QUERIES)
    rows = store.select(query.bind({"statistics": _statistics_node(uri_space)}))
    if not rows:
        return None
    return {key: _int(value) for key, value in rows[0].items() if value is not None}


def breakdown(
    store: Store, uri_space: str, dimension: str, measure: str
) -> list[tuple[str, str, int]]:
    """(member, label, count) of one stored breakdown, the largest first."""
    query = named_query("stored_breakdown", SERVICE_QUERIES).bind(
        {
            "statistics": _statistics_node(uri_space),
            "dimension": ox.NamedNode(dimension),
            "measure": ox.NamedNode(measure),
        }
    )
    return [(str(r["member"]), str(r["label"]), _int(r["count"])) for r in store.select(query)]


def dataset_statistics(store: Store, uri_space: str | None = None) -> DatasetStatistics:
    """Counts of the main classes, targets per level 1 and (with ``uri_space``) examples."""
    stored = stored_totals(store, uri_space) if uri_space else None
    if stored is not None and uri_space is not None:
        counts = {name: stored.get(name, 0) for name in COUNTED}
        level1 = [
            (label, count)
            for _, label, count in breakdown(store, uri_space, f"{PK}level1", f"{PK}targetCount")
        ]
    else:
        rows = store.select(named_query("dataset_statistics").bind())
        row = rows[0] if rows else {}
        counts = {name: _int(row.get(name)) for name in COUNTED}
        level1 = [
            (str(r["level1"]), _int(r["targets"]))
            for r in store.select(named_query("count_targets_by_level1").bind())
        ]
    examples = example_entities(store, uri_space) if uri_space else []
    return DatasetStatistics(counts, level1, examples)


def example_entities(store: Store, uri_space: str) -> list[Example]:
    """Examples of each main class, all from the first document under ``uri_space``.

    Bounded by one document, so it stays cheap on a large store.
    """
    first = named_query("first_document", SERVICE_QUERIES).bind({"uri_space": uri_space})
    rows = store.select(first)
    if not rows or rows[0].get("document") is None:
        return []
    document = str(rows[0]["document"])
    query = named_query("example_entities", SERVICE_QUERIES).bind(
        {"document": ox.NamedNode(document)}
    )
    examples: dict[str, str] = {}
    for row in store.select(query):
        examples.setdefault(str(row["class"]), str(row["example"]))
    order = ["Document", "Department", "Project", "PerformanceTarget", "Indicator", "Diagnostic"]
    ranked = sorted(examples.items(), key=lambda item: order.index(item[0].rsplit("#", 1)[-1]))
    return [Example(cls, iri, entity_label(store, iri)) for cls, iri in ranked]


def entity_label(store: Store, iri: str) -> str | None:
    """The name to show for one entity (see :func:`service.pages.entity.best_label`)."""
    query = named_query("entity_labels", SERVICE_QUERIES).bind({"entity": ox.NamedNode(iri)})
    rows = store.select(query)
    return best_label((_opt(r["lp"]), _opt(r["label"]), _opt(r["lang"])) for r in rows)


def void_statistics(store: Store, uri_space: str) -> VoidStatistics:
    """Totals, class partitions and property partitions: stored by the last build, else
    counted (``queries/void_*.rq``)."""
    stored = stored_totals(store, uri_space)
    if stored is not None and "triples" in stored:
        query = named_query("stored_partitions", SERVICE_QUERIES)
        rows = store.select(query.bind({"statistics": _statistics_node(uri_space)}))
        classes = [(str(r["term"]), _int(r["count"])) for r in rows if r["kind"] == "class"]
        properties = [
            (str(r["term"]), _int(r["count"]), None, None) for r in rows if r["kind"] == "property"
        ]
        return VoidStatistics(stored, classes, properties)
    rows = store.select(named_query("void_totals").bind({"uri_space": uri_space}))
    totals = {key: _int(value) for key, value in (rows[0] if rows else {}).items()}
    classes = [
        (str(r["class"]), _int(r["entities"]))
        for r in store.select(named_query("void_classes").bind())
    ]
    properties = [
        (
            str(r["property"]),
            _int(r["triples"]),
            _int(r["distinctSubjects"]),
            _int(r["distinctObjects"]),
        )
        for r in store.select(named_query("void_properties").bind())
    ]
    return VoidStatistics(totals, classes, properties)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
