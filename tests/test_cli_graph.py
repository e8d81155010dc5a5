"""perfkg build / export / validate / reason as a user runs them: summaries, exit codes, one-line
errors without tracebacks; one real subprocess run of build + validate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from graphbuild.cli import main
from graphbuild.graph import iris
from graphbuild.stores._terms import quiet_rdflib
from graphbuild.stores.oxigraph import OxigraphStore
from tests.conftest import SAMPLES

SMALL = SAMPLES / "004_5c2b6dad15e272f5.txt"
BASE = iris.DEFAULT_BASE


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_build_prints_a_summary_and_rebuild_replaces(tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, out, err = invoke("build", str(SAMPLES), "--store", str(store))
    assert code == 0, err
    assert "built 4 of 4 documents: 8 graphs" in out
    assert "004_5c2b6dad15e272f5.txt" in out and "graph/ontology" in out
    assert "building" in err
    code, out, _ = invoke("build", str(SMALL), "--store", str(store))
    assert code == 0
    assert "built 0 of 1 documents, 1 unchanged" in out and "unchanged" in out
    code, out, _ = invoke("build", str(SMALL), "--store", str(store), "--force", "--jobs", "1")
    assert code == 0
    assert "built 1 of 1 documents" in out
    with OxigraphStore(store) as opened:
        assert (
            len(opened.graph_names()) == 9
        )  # 4 documents, ontology, build, manifest, statistics, audit


def test_build_reports_a_bad_file_in_one_line_and_builds_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SMALL, folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    code, out, err = invoke("build", str(folder), "--store", str(tmp_path / "store"))
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("perfkg: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0]
    assert "Traceback" not in err
    assert "built 1 of 2 documents" in out
    assert "FAILED" in out


@pytest.mark.parametrize(
    "args",
    [
        ("build",),
        ("build", "{tmp}", "--store", "{tmp}/s", "--endpoint", "http://127.0.0.1:9"),
        ("build", "{tmp}/empty-folder"),
        ("export", "--format", "n3"),
        ("build", str(SMALL), "--store", "{tmp}/s", "--base", "not an iri"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "empty-folder").mkdir()
    code, _, err = invoke(*(a.format(tmp=tmp_path) for a in args))
    assert code == 2, err
    assert "Traceback" not in err


def test_store_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = invoke("validate", "--store", str(tmp_path))
    assert code == 1
    assert err.strip().splitlines() == [
        f"perfkg: error: {tmp_path} is not a perfkg store: the folder holds other files. "
        "Choose a new or empty folder with --store (or set PERFKG_STORE)"
    ]
    code, _, err = invoke("export", "--endpoint", "http://127.0.0.1:9")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "cannot reach the SPARQL server" in err
    store = tmp_path / "locked"
    with OxigraphStore(store):
        code, _, err = invoke("validate", "--store", str(store))
    assert code == 1 and "in use by another process" in err
    code, _, err = invoke("validate", "--store", str(tmp_path / "new"))
    assert code == 1 and "no store at" in err and "run `perfkg build` first" in err
    empty = tmp_path / "empty"
    OxigraphStore(empty).close()
    code, _, err = invoke("validate", "--store", str(empty))
    assert code == 1 and "no document graphs; run `perfkg build` first" in err


def test_export_writes_files_and_one_graph(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert invoke("build", str(SMALL), "--store", store)[0] == 0
    target = tmp_path / "all.trig"
    code, _, err = invoke("export", "--store", store, "-o", str(target))
    assert code == 0, err
    assert f"wrote {target} (trig)" in err
    with quiet_rdflib():
        parsed = Dataset().parse(target, format="trig")
    # the default graph, the document, ontology, build, manifest, statistics and audit
    assert len(list(parsed.graphs())) == 7
    code, out, _ = invoke("export", "--store", store, "--graph", SMALL.name, "--format", "ntriples")
    assert code == 0
    with OxigraphStore(tmp_path / "store") as opened:
        assert len(out.splitlines()) == opened.quad_count(iris.graph_iri(SMALL.name, BASE))
    code, _, err = invoke("export", "--store", store, "--graph", "nope.txt")
    assert code == 1
    assert "has no graph" in err and "nope.txt" in err


def test_validate_and_reason(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert invoke("build", str(SMALL), "--store", store)[0] == 0
    code, out, _ = invoke("validate", "--store", store)
    assert code == 0
    assert "1 graph(s) validated: 0 violation(s)" in out
    code, _, err = invoke("validate", "--store", store, "--base", "http://elsewhere.example/")
    assert code == 1 and "pass the base it was built with" in err
    code, out, err = invoke("reason", "--store", store)
    assert code == 0, err
    assert "inferred triples" in out and "graph/inferred" in out
    with OxigraphStore(tmp_path / "store") as opened:
        inferred = opened.quad_count(iris.inferred_graph_iri(BASE))
        assert inferred > 0
    assert invoke("reason", "--store", store)[0] == 0  # recomputed, not added to
    with OxigraphStore(tmp_path / "store") as opened:
        assert opened.quad_count(iris.inferred_graph_iri(BASE)) == inferred
    code, out, _ = invoke("reason", "--store", store, "--drop")
    assert code == 0 and "dropped" in out
    with OxigraphStore(tmp_path / "store") as opened:
        assert iris.inferred_graph_iri(BASE) not in opened.graph_names()


def test_validate_reports_violations_and_exits_1(tmp_path: Path) -> None:
    from rdflib import Literal
    from rdflib.namespace import RDF

    from graphbuild.vocab import PK

    path = tmp_path / "store"
    assert invoke("build", str(SMALL), "--store", str(path))[0] == 0
    name = iris.graph_iri(SMALL.name, BASE)
    with OxigraphStore(path) as opened:
        graph = opened.graph(name)
        target = next(graph.subjects(RDF.type, PK.PerformanceTarget))
        graph.add((target, PK.sourceLine, Literal("not a number")))
        opened.replace_graph(graph)
    code, out, _ = invoke("validate", "--store", str(path))
    assert code == 1
    assert "Violation" in out and "sourceLine" in out
    assert str(target)[len(BASE) :] in out  # the focus node, relative to the base
    assert "does NOT conform" in out.splitlines()[-1]


def test_real_build_and_validate_processes(tmp_path: Path) -> None:
    perfkg = Path(sys.executable).parent / "perfkg"
    command = [str(perfkg)] if perfkg.exists() else [sys.executable, "-m", "graphbuild.cli"]
    env = {**os.environ, "PERFKG_STORE": str(tmp_path / "store")}
    env.pop("PERFKG_ENDPOINT", None)
    built = subprocess.run(
        [*command, "build", str(SAMPLES)], capture_output=True, text=True, env=env, timeout=300
    )
    assert built.returncode == 0, built.stderr
    assert "built 4 of 4 documents" in built.stdout
    checked = subprocess.run(
        [*command, "validate"], capture_output=True, text=True, env=env, timeout=300
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 graph(s) validated: 0 violation(s)" in checked.stdout


@pytest.mark.server
def test_build_and_export_against_a_server(oxigraph_server: str, tmp_path: Path) -> None:
    code, out, err = invoke("build", str(SMALL), "--endpoint", oxigraph_server)
    assert code == 0, err
    assert f"store: {oxigraph_server}" in out
    code, out, _ = invoke("validate", "--endpoint", oxigraph_server)
    assert code == 0, out
    code, out, _ = invoke("export", "--endpoint", oxigraph_server, "--format", "nquads")
    assert code == 0
    assert iris.graph_iri(SMALL.name, BASE) in out


@pytest.mark.parametrize("command", ["build", "export", "validate", "reason"])
def test_graph_commands_and_their_options_are_documented(command: str) -> None:
    readme = (SAMPLES.parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"perfkg {command}" in readme
    for param in main.commands[command].params:
        for option in param.opts:
            if option.startswith("-"):
                assert option in readme, f"perfkg {command} {option} is not in README.md"


@pytest.mark.parametrize(
    "args",
    [
        ("extract", str(SMALL), "-o", "{missing}/out.jsonl"),
        ("export", "--store", "{store}", "-o", "{missing}/x.ttl"),
        ("query", "count_targets_by_level1", "--store", "{store}", "-o", "{missing}/q.csv"),
        ("audit", "--store", "{store}", "-o", "{missing}/a.html"),
        ("network", "name-groups", "--store", "{store}", "-o", "{missing}/f.json"),
    ],
)
def test_an_output_in_a_missing_folder_is_a_usage_error(tmp_path: Path, args: tuple) -> None:
    missing = tmp_path / "no" / "such"
    filled = [a.format(missing=missing, store=tmp_path / "store") for a in args]
    code, _, err = invoke(*filled)
    assert code == 2
    assert f"folder '{missing}' does not exist" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("export",),
        ("validate",),
        ("reason",),
        ("query", "count_targets_by_level1"),
        ("audit",),
    ],
)
def test_reading_commands_never_create_an_empty_store(tmp_path: Path, args: tuple) -> None:
    store = tmp_path / "typo"
    code, _, err = invoke(*args, "--store", str(store))
    assert code == 1
    assert f"no store at {store}; run `perfkg build` first" in err
    assert not store.exists()


def test_validate_refuses_an_unknown_graph(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert invoke("build", str(SMALL), "--store", str(store))[0] == 0
    code, _, err = invoke("validate", "--store", str(store), "--graph", "nosuch.txt")
    assert code == 1
    assert "has no graph <" in err and "nosuch.txt>" in err


def test_a_damaged_pdf_is_refused_with_what_to_do(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    code, _, err = invoke("extract", str(pdf))
    assert code == 1
    assert "report.pdf: a damaged PDF (" in err and "save or print it to a new PDF" in err
    assert len(err.strip().splitlines()) == 2  # the file's line and the count, no traceback


def test_building_under_a_second_base_warns(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert invoke("build", str(SMALL), "--store", str(store))[0] == 0
    code, _, err = invoke("build", str(SMALL), "--store", str(store), "--base", "http://ex.org/kg/")
    assert code == 0
    assert "perfkg: warning: the store also holds 6 graph(s) under another base" in err
    assert f"<{BASE}graph/" in err


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--limit", "-1"),
        ("audit", "--execution-weight", "nan"),
        ("audit", "--min-indicators", "-1"),
        ("network", "similar", "x", "--limit", "0"),
    ],
)
def test_nonsense_numbers_are_usage_errors(args: tuple) -> None:
    assert invoke(*args)[0] == 2
