"""perfkg queries / query / audit, in process (click's CliRunner), on a store directory
holding the hand-made graph tests/data/queries/fixture.trig."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.stores.oxigraph import OxigraphStore
from tests.query_fixture import BASE, load_fixture


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-queries") / "store"
    with OxigraphStore(path) as store:
        load_fixture(store)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_queries_lists_names_and_titles() -> None:
    code, out, _ = run("queries")
    assert code == 0
    lines = out.splitlines()
    assert any(
        line.startswith("cost_targets_vs_funds") and "成本指标与项目资金对比" in line
        for line in lines
    )
    assert "params: min_share=0" in out
    assert out.index("targets_of_project") < out.index("audit_cost_above_funds")  # rules last
    code, out, _ = run("queries", "--format", "json", "--no-audit")
    names = [q["name"] for q in json.loads(out)]
    assert "period_differences" in names and not any(n.startswith("audit_") for n in names)


def test_query_formats(store_dir: Path) -> None:
    code, out, _ = run(
        "query", "final_accounts_score_check", "--store", str(store_dir), "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["projectName"], r["reported"], r["recomputed"]) for r in rows] == [
        ("党报征订", "95", "86"),
        ("工会活动", "98", "98"),
    ]
    code, out, _ = run(
        "query",
        "cost_targets_vs_funds",
        "-p",
        "min_share=101",
        "--store",
        str(store_dir),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["parameters"] == {"min_share": "101"}
    assert [r["target"] for r in data["rows"]] == [
        BASE + "id/target/a.txt/21/annual",
        BASE + "id/target/b.txt/46/annual",
    ]
    code, out, _ = run("query", "count_targets_by_level1", "--store", str(store_dir))
    assert code == 0
    assert out.splitlines()[0].split() == ["level1", "targets"]
    assert out.splitlines()[2].split() == ["产出指标", "18"]


def test_query_to_file_and_sparql(store_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, err = run(
        "query",
        "count_targets_by_document",
        "--store",
        str(store_dir),
        "--format",
        "csv",
        "-o",
        str(target),
    )
    assert code == 0 and "wrote" in err
    assert target.read_text(encoding="utf-8").splitlines() == [
        "document,targets",
        "a.txt,22",
        "b.txt,8",
    ]
    code, out, _ = run("query", "targets_of_department", "-p", "document_contains=004", "--sparql")
    assert code == 0 and 'BIND ("004" AS ?document_contains)' in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "nope"), "no query named 'nope'"),
        (("query", "cost_targets_vs_funds", "-p", "min_share=lots"), "takes a number"),
        (("query", "cost_targets_vs_funds", "-p", "bogus=1"), "has no parameter 'bogus'"),
        (("query", "cost_targets_vs_funds", "-p", "min_share"), "name=value"),
        (("audit", "--rule", "nope"), "no audit rule 'nope'"),
        (("audit", "--grades", "90,80"), "three falling numbers"),
        (("audit", "--grades", "60,80,90"), "three falling numbers"),
    ],
)
def test_errors_are_one_line(store_dir: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args, "--store", str(store_dir))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("perfkg: error: ") and message in err
    assert "Traceback" not in err


def test_store_error_is_one_line(tmp_path: Path) -> None:
    not_a_store = tmp_path / "papers"
    not_a_store.mkdir()
    (not_a_store / "notes.txt").write_text("x")
    code, _, err = run("query", "dataset_statistics", "--store", str(not_a_store))
    assert code == 1 and err.startswith("perfkg: error: ") and err.count("\n") == 1
    assert "not a perfkg store" in err


def test_audit_formats(store_dir: Path, tmp_path: Path) -> None:
    code, out, _ = run("audit", "--store", str(store_dir))
    assert code == 0
    assert out.splitlines()[0] == "26 findings"
    assert "b.txt:21  error  score-above-weight" in out
    code, out, _ = run(
        "audit", "--store", str(store_dir), "--format", "json", "--rule", "cost-above-funds"
    )
    assert [f["line"] for f in json.loads(out)["findings"]] == [21, 46]
    page = tmp_path / "audit.html"
    code, _, err = run("audit", "--store", str(store_dir), "-o", str(page))
    assert code == 0 and "26 findings" in err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and f'href="{BASE}id/target/b.txt/21/annual"' in html
    code, out, _ = run(
        "audit",
        "--store",
        str(store_dir),
        "--format",
        "csv",
        "--grades",
        "96,90,60",
        "--rule",
        "grade-inconsistent",
    )
    assert out.splitlines() == ["document,line,rule,severity,message,focus,project"]
    code, out, _ = run(
        "audit",
        "--store",
        str(store_dir),
        "--format",
        "csv",
        "--execution-weight",
        "20",
        "--min-indicators",
        "4",
        "--rule",
        "weights-not-100",
        "--rule",
        "too-few-indicators",
    )
    assert sorted(r["focus"][len(BASE) :] for r in csv.DictReader(io.StringIO(out))) == [
        "id/project/a.txt/70",
        "id/project/a.txt/90",
        "id/project/b.txt/40",
    ]


def test_commands_queries_and_rules_are_documented() -> None:
    from graphbuild.analysis.audit import rules
    from graphbuild.named_queries import registry

    text = (Path(__file__).resolve().parent.parent / "docs" / "queries.md").read_text("utf-8")
    for command in ("queries", "query", "audit"):
        assert f"perfkg {command}" in text
        for param in main.commands[command].params:
            for option in param.opts:
                if option.startswith("-"):
                    assert option in text, f"perfkg {command} {option} is not in docs/queries.md"
    for name in registry():
        if not name.startswith("audit_"):
            assert f"`{name}`" in text, f"{name} is not in docs/queries.md"
    for rule in rules():
        assert f"`{rule.id}`" in text, f"rule {rule.id} is not in docs/queries.md"
