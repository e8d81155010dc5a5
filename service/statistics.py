"""Dataset statistics for the home page and the VoID description, from named queries.

The counts come from ``queries/dataset_statistics.rq``, ``queries/count_targets_by_level1.rq``
and ``queries/void_*.rq`` (which the query page also offers as examples); the example entities
from ``queries/service/example_entities.rq``.

>>> from graphbuild.stores.oxigraph import OxigraphStore
>>> dataset_statistics(OxigraphStore()).counts["targets"]
0
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphbuild.named_queries import QUERIES_DIR, named_query
from graphbuild.stores.base import Store
from service.entity import best_label

SERVICE_QUERIES = QUERIES_DIR / "service"
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
    properties: list[tuple[str, int, int, int]]  # property, triples, subjects, objects


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) and str(value).strip() else 0


def dataset_statistics(store: Store, uri_space: str | None = None) -> DatasetStatistics:
    """Counts of the main classes, targets per level 1 and (with ``uri_space``) examples."""
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
    """The first entity of each main class under ``uri_space``, with its label."""
    query = named_query("example_entities", SERVICE_QUERIES).bind({"uri_space": uri_space})
    found: dict[str, tuple[str, list[tuple[str | None, str | None, str | None]]]] = {}
    for row in store.select(query):
        cls, iri = str(row["class"]), str(row["example"])
        labels = found.setdefault(cls, (iri, []))[1]
        labels.append((_opt(row["lp"]), _opt(row["label"]), _opt(row["lang"])))
    order = ["Document", "Department", "Project", "PerformanceTarget", "Indicator", "Diagnostic"]
    ranked = sorted(found.items(), key=lambda item: order.index(item[0].rsplit("#", 1)[-1]))
    return [Example(cls, iri, best_label(labels)) for cls, (iri, labels) in ranked]


def void_statistics(store: Store, uri_space: str) -> VoidStatistics:
    """Totals, class partitions and property partitions (``queries/void_*.rq``)."""
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
