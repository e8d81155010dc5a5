"""``perfkg export --shards`` and ``perfkg statistics`` without servers (the servers'
side is tests/test_scaleout.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.graph import iris
from graphbuild.graph.build import build, resolve_graph
from graphbuild.graph.shards import export_shards, plan, read
from graphbuild.stores.base import StoreError
from graphbuild.stores.oxigraph import OxigraphStore
from tests.conftest import SAMPLES

BASE = "http://example.org/kg/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, cached_extractor) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("shards") / "store"
    with OxigraphStore(path) as store:
        assert not build([SAMPLES], store, BASE, extractor=cached_extractor).failed
    return path


def test_plan_balances_and_keeps_each_graph_whole() -> None:
    sizes = {f"g{n}": size for n, size in enumerate([90, 50, 40, 30, 30, 20, 10, 5])}
    groups = plan(sizes, 3)
    totals = sorted(sum(sizes[g] for g in group) for group in groups)
    assert totals == [90, 90, 95]
    assert sorted(g for group in groups for g in group) == sorted(sizes)
    assert plan(sizes, 20) == [[g] for g in sorted(sizes, key=lambda g: (-sizes[g], g))]
    assert plan({}, 4) == []
    with pytest.raises(ValueError):
        plan(sizes, 0)


def test_export_shards_from_the_embedded_store(store_dir: Path, tmp_path: Path) -> None:
    with OxigraphStore(store_dir) as store:
        total = store.quad_count()
        result = export_shards(store, tmp_path / "out", 2, BASE)
    kinds = [(f.file, f.kind) for f in result.files]
    assert kinds == [
        ("documents-0001.nq", "documents"),
        ("documents-0002.nq", "documents"),
        ("shared.nq", "shared"),
        ("statistics.nq", "statistics"),
    ]
    assert result.quads == total and read(tmp_path / "out").quads == total
    shared = next(f for f in result.files if f.kind == "shared")
    assert shared.graphs == [resolve_graph(g, BASE) for g in ("build", "manifest", "ontology")]
    loaded = ox.Store()
    for entry in result.files:
        loaded.bulk_load(path=str(tmp_path / "out" / entry.file), format=ox.RdfFormat.N_QUADS)
    assert len(loaded) == total
    manifest = json.loads((tmp_path / "out" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["graphs"] == 4 + 4 and manifest["base"] == BASE
    assert not list((tmp_path / "out").glob("*.partial"))


def test_export_shards_refuses_a_folder_with_files(store_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "documents-0001.nq").write_text("")
    with OxigraphStore(store_dir) as store, pytest.raises(StoreError, match="not empty"):
        export_shards(store, tmp_path, 2, BASE)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "give the folder with -o DIR"),
        (["-o", "{out}", "--graph", "ontology"], "leave out --graph"),
        (["-o", "{out}", "--format", "turtle"], "writes N-Quads"),
    ],
)
def test_export_shards_usage(
    store_dir: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    args = [a.replace("{out}", str(tmp_path / "out")) for a in extra]
    result = CliRunner().invoke(
        main, ["export", "--store", str(store_dir), "--base", BASE, "--shards", "2", *args]
    )
    assert result.exit_code == 2 and message in result.output


def test_export_shards_command(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", "--store", str(store_dir), "--base", BASE, "--shards", "3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "documents-0003.nq" in result.output and "shards.json" in result.output
    assert sorted(p.name for p in out.iterdir())[-1] == "statistics.nq"


def test_statistics_to_a_file_refuses_a_store_that_has_them(
    store_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "statistics.nq"
    result = CliRunner().invoke(
        main, ["statistics", "--store", str(store_dir), "--base", BASE, "-o", str(target)]
    )
    assert result.exit_code == 1 and "holds <" in result.output and not target.exists()


def test_statistics_of_a_store_without_them(store_dir: Path, tmp_path: Path) -> None:
    with OxigraphStore(store_dir) as store:
        expected = {str(q) for q in _quads(store, iris.statistics_graph_iri(BASE))}
        copy = OxigraphStore(tmp_path / "copy")
        for name in store.graph_names():
            if name != iris.statistics_graph_iri(BASE):
                copy.load_nquads(_nquads(store, name))
        copy.close()
    target = tmp_path / "statistics.nq"
    result = CliRunner().invoke(
        main, ["statistics", "--store", str(tmp_path / "copy"), "--base", BASE, "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    got = {str(q) for q in ox.parse(target.read_bytes(), ox.RdfFormat.N_QUADS)}
    assert got == expected
    result = CliRunner().invoke(
        main, ["statistics", "--store", str(tmp_path / "copy"), "--base", BASE]
    )
    assert result.exit_code == 0 and f"{len(expected):,} quads written" in result.output


def _nquads(store: OxigraphStore, name: str) -> bytes:
    import io

    out = io.BytesIO()
    store.export(out, "application/n-quads", name)
    return out.getvalue()


def _quads(store: OxigraphStore, name: str) -> list[ox.Quad]:
    return list(ox.parse(_nquads(store, name), ox.RdfFormat.N_QUADS))
