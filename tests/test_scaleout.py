"""The scale-out path: the store as sharded N-Quads, bulk-loaded into standalone SPARQL servers,
``perfkg serve --endpoint`` in front of each, answering every named query with the rows the
embedded store gives.

The samples are built into an embedded store and exported with ``perfkg export --shards``. Each
server loads the document shards and ``shared.nq`` with its own bulk loader, then
``perfkg statistics --endpoint URL -o FILE`` computes the statistics graph on the server (as a
batch runner does for shards of several stores), which must equal the one the build computed,
and the server loads it too:

- Oxigraph: ``oxigraph load`` then ``oxigraph serve-read-only --union-default-graph``;
- Virtuoso 7.2 (Debian's ``virtuoso-opensource``): ``virtuoso-t`` with a generated ini, its bulk
  loader through ``isql-vt``, its own graphs made private so that the default graph is the
  union of the loaded ones.

Then a real ``perfkg serve --endpoint`` runs in front of each server and every query of
``queries/*.rq`` (the analysis queries and the audit rules, at their defaults and with the
parameters of :data:`PARAMETER_CASES`) is asked through ``GET /api/queries/{name}``. Rows are
compared after sorting, numbers as numbers. Marker ``server``: real processes on free ports.
"""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graphbuild.analysis.querying import run_query
from graphbuild.graph import iris
from graphbuild.graph.build import build
from graphbuild.graph.shards import export_shards, read
from graphbuild.named_queries import registry
from graphbuild.stores.oxigraph import OxigraphStore
from graphbuild.stores.remote import RemoteStore
from tests.conftest import SAMPLES
from tests.processes import Served, perfkg_command
from tests.servers import (
    oxigraph_load,
    running_oxigraph_read_only,
    running_virtuoso,
)

pytestmark = pytest.mark.server

BASE = iris.DEFAULT_BASE
SHARDS = 3
PARAMETER_CASES: list[tuple[str, dict[str, str]]] = [
    ("cost_targets_vs_funds", {"min_share": "100"}),
    ("diagnostics_of_document", {"document_contains": "002", "severity": "info"}),
    ("diagnostics_of_document", {"severity": "warning"}),
    ("targets_by_level", {"level1_label": "满意度", "level2_label": "服务对象满意度"}),
    ("targets_by_level", {"level1_label": "", "level2_label": "数量指标"}),
    ("targets_of_department", {"department_contains": "综合工作部", "document_contains": "000"}),
    ("targets_of_project", {"project_contains": "网络"}),
    ("indicator_search", {"text": ""}),
    ("satisfaction_below_threshold", {"threshold": "96"}),
    ("indicators_most_reused", {"min_projects": "1"}),
    ("final_accounts_targets_met", {"project_contains": "工作"}),
    ("period_differences", {"project_contains": "经费"}),
    ("projects_overview", {"document_contains": "001"}),
    ("audit_grade_inconsistent", {"excellent": "95", "good": "85", "fair": "70"}),
    ("audit_too_few_indicators", {"min_indicators": "12"}),
    ("audit_deviation_without_reason", {"exceed_factor": "1.1"}),
]
CASES = [(name, {}) for name in registry()] + PARAMETER_CASES


@dataclass
class Corpus:
    """The samples built, their expected answers and their shards."""

    folder: Path
    shards: Path
    expected: dict[str, tuple[list[str], list[tuple[object, ...]]]]
    statistics: bytes
    quads: set[str]


def case_id(name: str, params: dict[str, str]) -> str:
    return name + "".join(f" {k}={v}" for k, v in sorted(params.items()))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, cached_extractor) -> Corpus:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("scaleout")
    with OxigraphStore(folder / "store") as store:
        report = build([SAMPLES], store, BASE, extractor=cached_extractor)
        assert not report.failed
        expected = {}
        for name, params in CASES:
            table = run_query(store, name, params)
            expected[case_id(name, params)] = (table.columns, table.rows)
        quads = {line for line in _dump(store).splitlines() if line}
        shards = folder / "shards"
        export_shards(store, shards, SHARDS, BASE)
    statistics = (shards / "statistics.nq").read_bytes()  # as the build computed it
    assert statistics.count(b"\n") > 100
    return Corpus(folder, shards, expected, statistics, quads)


def _dump(store: OxigraphStore) -> str:
    out = io.BytesIO()
    store.export(out, "application/n-quads")
    return out.getvalue().decode("utf-8")


# ---- the shards ----------------------------------------------------------------------------


def test_shards_hold_every_quad_once_and_each_document_whole(corpus: Corpus) -> None:
    shards = read(corpus.shards)
    names = sorted(p.name for p in corpus.shards.iterdir())
    assert names == sorted([f.file for f in shards.files] + ["shards.json"])
    documents = [f for f in shards.files if f.kind == "documents"]
    assert [f.file for f in documents] == [f"documents-{n:04d}.nq" for n in (1, 2, 3)]
    assert {f.kind for f in shards.files} == {"documents", "shared", "statistics"}
    seen: list[str] = []
    lines: set[str] = set()
    for entry in shards.files:
        text = (corpus.shards / entry.file).read_text(encoding="utf-8")
        file_lines = [line for line in text.splitlines() if line]
        assert len(file_lines) == entry.quads and entry.bytes == len(text.encode())
        graphs = {line.rsplit(" ", 2)[-2].strip("<>") for line in file_lines}
        assert graphs == set(entry.graphs)  # a graph named in a file is wholly there
        seen += entry.graphs
        lines |= set(file_lines)
    assert len(seen) == len(set(seen)) == shards.graphs
    assert lines == corpus.quads and shards.quads == len(corpus.quads)
    per_graph: dict[str, int] = {}
    for line in corpus.quads:
        graph = line.rsplit(" ", 2)[-2].strip("<>")
        per_graph[graph] = per_graph.get(graph, 0) + 1
    for entry in documents:  # the largest document alone, the two smallest together
        assert entry.quads == sum(per_graph[g] for g in entry.graphs)
    by_size = sorted(documents, key=lambda f: f.quads)
    assert [len(f.graphs) for f in by_size][-1] == 1
    assert by_size[-1].quads == max(per_graph[g] for f in documents for g in f.graphs)


def test_export_shards_refuses_a_folder_with_files(corpus: Corpus, tmp_path: Path) -> None:
    (tmp_path / "old.nq").write_text("")
    done = subprocess.run(
        [*perfkg_command(), "export", "--store", str(corpus.folder / "store"), "--shards", "2"]
        + ["-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "not empty" in done.stderr


# ---- the servers ---------------------------------------------------------------------------


def statistics_on(endpoint: str, target: Path) -> bytes:
    """``perfkg statistics --endpoint URL -o FILE``: the statistics graph the server gives."""
    done = subprocess.run(
        [*perfkg_command(), "statistics", "--endpoint", endpoint, "--base", BASE, "-o"]
        + [str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return target.read_bytes()


@pytest.fixture(scope="module")
def oxigraph_served(corpus: Corpus) -> Iterator[tuple[str, bytes]]:
    location = corpus.folder / "oxigraph"
    shards = read(corpus.shards)
    loaded = [corpus.shards / f.file for f in shards.files if f.kind != "statistics"]
    oxigraph_load(location, loaded)
    with running_oxigraph_read_only(location) as url:
        statistics = statistics_on(url, corpus.folder / "oxigraph-statistics.nq")
    oxigraph_load(location, [corpus.folder / "oxigraph-statistics.nq"])
    with running_oxigraph_read_only(location) as url:
        served = Served(None, corpus.folder, BASE, endpoint=url)
        try:
            yield f"http://127.0.0.1:{served.port}", statistics
        finally:
            served.stop()


@pytest.fixture(scope="module")
def virtuoso_served(corpus: Corpus) -> Iterator[tuple[str, bytes]]:
    computed = corpus.folder / "virtuoso-statistics"
    computed.mkdir()
    with running_virtuoso(corpus.folder / "virtuoso", [corpus.shards, computed]) as virtuoso:
        virtuoso.bulk_load(corpus.shards, "documents-*.nq")
        virtuoso.bulk_load(corpus.shards, "shared.nq")
        virtuoso.hide_system_graphs()
        statistics = statistics_on(virtuoso.sparql, computed / "statistics.nq")
        virtuoso.bulk_load(computed, "statistics.nq")
        served = Served(None, corpus.folder, BASE, endpoint=virtuoso.sparql)
        try:
            yield f"http://127.0.0.1:{served.port}", statistics
        finally:
            served.stop()


SERVERS = ["oxigraph", "virtuoso"]


@pytest.fixture(params=SERVERS)
def served(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    return request.getfixturevalue(f"{request.param}_served")  # type: ignore[no-any-return]


def test_statistics_computed_on_the_server_are_the_builds(
    served: tuple[str, bytes], corpus: Corpus
) -> None:
    _, statistics = served
    assert _triples(statistics) == _triples(corpus.statistics)


def test_every_named_query_gives_the_same_rows(served: tuple[str, bytes], corpus: Corpus) -> None:
    url, _ = served
    wrong = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for name, params in CASES:
            answer = client.get(f"/api/queries/{name}", params=params)
            key = case_id(name, params)
            if answer.status_code != 200:
                wrong.append(f"{key}: {answer.status_code} {answer.text[:300]}")
                continue
            body = answer.json()
            assert body["truncated"] is False
            columns, rows = corpus.expected[key]
            got = [tuple(row[c] for c in body["columns"]) for row in body["rows"]]
            if body["columns"] != columns:
                wrong.append(f"{key}: columns {body['columns']} instead of {columns}")
            elif _sorted(got) != _sorted(rows):
                missing = set(_sorted(rows)) - set(_sorted(got))
                extra = set(_sorted(got)) - set(_sorted(rows))
                wrong.append(
                    f"{key}: {len(got)} rows instead of {len(rows)}; "
                    f"missing {sorted(missing)[:2]}, extra {sorted(extra)[:2]}"
                )
    assert not wrong, "\n".join(wrong)


def _sorted(rows: list[tuple[object, ...]]) -> list[tuple[tuple[int, object], ...]]:
    return sorted(tuple(_comparable(value) for value in row) for row in rows)


def _comparable(value: object) -> tuple[int, object]:
    """Numbers as numbers (an integer 62 and a decimal 62.0 are the same), then the rest."""
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float | Decimal):
        return (2, round(float(value), 9))
    return (3, str(value))


def _triples(data: bytes) -> set[tuple[str, str, tuple[int, object]]]:
    """N-Triples or N-Quads as comparable triples, numeric literals by value."""
    triples = set()
    for quad in ox.parse(data, ox.RdfFormat.N_QUADS):
        obj = quad.object
        value: tuple[int, object]
        if isinstance(obj, ox.Literal) and obj.datatype.value.endswith(
            ("#integer", "#decimal", "#double", "#float", "#long", "#int")
        ):
            value = (2, round(float(obj.value), 9))
        else:
            value = (3, str(obj))
        triples.add((str(quad.subject), str(quad.predicate), value))
    return triples


# ---- batches built apart -------------------------------------------------------------------

PK = "<https://w3id.org/perfkg/ontology#"


def test_batches_built_apart_load_into_one_server(corpus: Corpus, tmp_path: Path) -> None:
    """A batch runner's way, without a shared store: two halves of the samples built at once
    into their own stores, each exported with --shards; one server loads every batch's shards
    but their statistics.nq, computes the statistics, and answers as the one store does (but
    the VoID counts, which also count the second build's description)."""
    files = sorted(SAMPLES.glob("*.txt"))
    batches = [files[: len(files) // 2], files[len(files) // 2 :]]
    builds = [
        subprocess.Popen(
            [*perfkg_command(), "build", *map(str, batch), "--store", str(tmp_path / f"store-{k}")]
            + ["--base", BASE, "--jobs", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for k, batch in enumerate(batches)
    ]
    for process in builds:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()
    loaded = []
    for k in range(len(batches)):
        folder = tmp_path / f"shards-{k}"
        done = subprocess.run(
            [*perfkg_command(), "export", "--store", str(tmp_path / f"store-{k}"), "--shards"]
            + ["2", "-o", str(folder), "--base", BASE],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        loaded += [folder / f.file for f in read(folder).files if f.kind != "statistics"]
    location = tmp_path / "oxigraph"
    oxigraph_load(location, loaded)
    with running_oxigraph_read_only(location) as url:
        statistics = statistics_on(url, tmp_path / "statistics.nq")
        with RemoteStore(url) as server:
            for name, params in CASES:
                if name.startswith("void_"):
                    continue
                table = run_query(server, name, params)
                columns, rows = corpus.expected[case_id(name, params)]
                assert table.columns == columns
                assert _sorted(table.rows) == _sorted(rows), case_id(name, params)
    counts = {t for t in _triples(statistics) if t[1].startswith(PK)}
    assert counts == {t for t in _triples(corpus.statistics) if t[1].startswith(PK)}


def test_shards_json_totals(corpus: Corpus) -> None:
    data = json.loads((corpus.shards / "shards.json").read_text(encoding="utf-8"))
    assert data["format"] == "application/n-quads" and data["base"] == BASE
    assert data["quads"] == sum(f["quads"] for f in data["files"])
