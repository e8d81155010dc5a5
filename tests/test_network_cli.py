"""`perfkg network` (click's CliRunner) and the network queries over the samples' store."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphbuild.analysis import network
from graphbuild.cli import main
from graphbuild.graph.build import build
from graphbuild.records import Extraction
from graphbuild.stores.oxigraph import OxigraphStore
from tests.conftest import SAMPLES

BASE = "http://data.example.org/kg/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, cached_extractor: Callable) -> Path:
    path = tmp_path_factory.mktemp("network") / "store"
    with OxigraphStore(path) as store:
        assert not build([SAMPLES], store, base=BASE, extractor=cached_extractor).failed
    return path


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["network", *args], catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_queries_return_every_target_with_an_indicator(
    store_dir: Path, samples: dict[str, Extraction]
) -> None:
    with OxigraphStore(store_dir) as store:
        data = network.fetch(store)
    expected = sum(1 for e in samples.values() for t in e.targets if t.level3)
    assert len(data.targets) == expected
    with_targets = {
        (e.document.document, t.project_line)
        for e in samples.values()
        for t in e.targets
        if t.level3 and t.table == "project"
    }
    assert len({t.project for t in data.targets if t.project}) == len(with_targets)
    assert all(t.department for t in data.targets)  # via the project or the document
    assert all(data.kinds[t.indicator] == "indicator" for t in data.targets)
    assert data.labels[f"{BASE}id/indicator/%E8%81%8C%E5%B7%A5%E6%BB%A1%E6%84%8F%E5%BA%A6"] == (
        "职工满意度"
    )
    assert data.labels["https://w3id.org/perfkg/levels/output"] == "产出指标"


@pytest.mark.parametrize("kind", network.KINDS)
@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_every_kind_and_format(store_dir: Path, kind: str, fmt: str) -> None:
    # metrics once per kind (json); GraphML and GEXF check the writers without them (faster)
    metrics = [] if fmt == "json" else ["--no-metrics"]
    code, out, err = run(kind, "--format", fmt, *metrics, "--store", str(store_dir))
    assert code == 0, err
    if fmt == "json":
        graph = nx.node_link_graph(json.loads(out), edges="edges")
    elif fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(out))
    else:
        graph = nx.read_gexf(io.BytesIO(out))
    assert graph.number_of_nodes() > 3
    attributes = next(iter(graph.nodes(data=True)))[1]
    assert {"label", "kind"} <= set(attributes)
    if fmt == "json":
        assert {"degree", "pagerank", "community", "component"} <= set(attributes)
    assert {str(k) for _, k in graph.nodes(data="kind")} <= set(network.NODE_KINDS)


def test_output_file_filter_and_summary(store_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "satisfaction.gexf"
    code, _, err = run(
        "bipartite", "--level1", "满意度指标", "-o", str(target), "--store", str(store_dir)
    )
    assert code == 0 and "written to" in err and "(gexf)" in err
    graph = nx.read_gexf(target)
    labels = [label for _, label in graph.nodes(data="label")]
    assert "职工满意度" in labels and "报纸份数" not in labels
    code, out, _ = run("name-groups", "--format", "summary", "--store", str(store_dir))
    text = out.decode("utf-8")
    assert code == 0
    assert "工作人员满意度 / 干部满意度 / 机关人员满意度 / 职工满意度" in text
    code, out, _ = run("cooccurrence", "--format", "summary", "--store", str(store_dir))
    assert code == 0 and "top 10 by PageRank" in out.decode("utf-8")


def test_similar(store_dir: Path) -> None:
    code, out, err = run(
        "similar", "天网工程运维经费", "--format", "json", "--store", str(store_dir)
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["project"].startswith(f"{BASE}id/project/")
    scores = [s["score"] for s in found["similar"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    code, out, _ = run("similar", found["project"], "--limit", "2", "--store", str(store_dir))
    assert code == 0 and out.decode("utf-8").count("shared") <= 2


def test_errors_are_one_line(store_dir: Path, tmp_path: Path) -> None:
    code, _, err = run("bipartite", "--level1", "没有", "--store", str(store_dir))
    assert code == 2 and "known: 产出指标" in err
    code, _, err = run("similar", "没有这个项目", "--store", str(store_dir))
    assert code == 2 and "no project" in err
    code, _, err = run("bipartite", "--store", str(tmp_path / "none"))
    assert code == 1 and "no store at" in err
    assert not (tmp_path / "none").exists()  # a read command creates no store


def test_commands_and_options_are_documented() -> None:
    from graphbuild.cli.network import network as group

    text = (SAMPLES.parent.parent / "docs" / "network.md").read_text(encoding="utf-8")
    assert "perfkg network KIND" in text
    for name, command in group.commands.items():
        assert f"`{name}`" in text or f"network {name}" in text, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("-"):
                    assert option in text, f"perfkg network {name} {option} is not documented"
