"""The perfkg CLI as a user runs it, including bad input: no traceback, one line, others kept."""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from tests.processes import perfkg_command

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SHANXI = SAMPLES / "000_5f54f51c5535db0d.txt"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_record_contract() -> None:
    code, out, _ = invoke("extract", str(SHANXI))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    kinds = {r["record"] for r in records}
    assert kinds <= {"document", "project", "target", "budget_line", "diagnostic"}
    budget = next(r for r in records if r["record"] == "budget_line")
    assert {
        "document",
        "table",
        "classification",
        "code",
        "name",
        "column",
        "amount_yuan",
        "line",
    } <= budget.keys()
    doc = records[0]
    assert {"document", "family", "kind", "year", "department", "department_code"} <= doc.keys()
    project = next(r for r in records if r["record"] == "project")
    assert {
        "document",
        "project",
        "project_code",
        "department",
        "attribute",
        "term",
        "total_funds_yuan",
        "annual_funds_yuan",
        "line",
    } <= project.keys()
    target = next(r for r in records if r["record"] == "target")
    assert {
        "document",
        "table",
        "project",
        "period",
        "level1",
        "level2",
        "level3",
        "value",
        "op",
        "number",
        "unit",
        "kind",
        "date",
        "actual",
        "weight",
        "score",
        "line",
    } <= target.keys()
    # the first project table of 000 starts at line 510; its first target row is line 531
    first = next(r for r in records if r["record"] == "target" and r["table"] == "project")
    assert (first["project"], first["line"], first["level3"], first["number"], first["unit"]) == (
        "办公设备购置",
        531,
        "电子显示屏",
        6.75,
        "平方米",
    )


def test_csv_has_one_header_and_every_record(tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    code, _, _ = invoke(
        "extract",
        "--format",
        "csv",
        "-o",
        str(out),
        str(SHANXI),
        str(SAMPLES / "004_5c2b6dad15e272f5.txt"),
    )
    assert code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sum(r["record"] == "document" for r in rows) == 2
    assert "record" not in [r["record"] for r in rows]  # the header appears once


def test_summary_counts_per_document() -> None:
    code, out, _ = invoke("extract", "--summary", str(SAMPLES))
    assert code == 0
    assert "000_5f54f51c5535db0d.txt: shanxi_budget" in out
    assert "004_5c2b6dad15e272f5.txt: henan_budget" in out
    assert "002_c6a9cc9c84081a5e.txt: final_accounts" in out


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.txt",
        "gbk": tmp_path / "gbk.txt",
        "no_tables": tmp_path / "prose.txt",
        "cut": tmp_path / "cut.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 64)
    files["gbk"].write_bytes(SHANXI.read_text(encoding="utf-8").encode("gb18030"))
    files["no_tables"].write_text(
        "某部门\n\n2024年度部门预算公开\n\n一、部门职责\n负责日常工作。\n", encoding="utf-8"
    )
    text = SHANXI.read_text(encoding="utf-8").split("\n")
    files["cut"].write_text("\n".join(text[:533]) + "\n\t\t\t演讲", encoding="utf-8")
    return files


def test_bad_files_get_one_line_and_the_others_are_extracted(
    bad_inputs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    code, _, err = invoke(
        "extract", "-o", str(out), *(str(p) for p in bad_inputs.values()), str(SHANXI)
    )
    assert code == 1
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("perfkg: error:")]
    assert len(errors) == 2
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    names = {d["document"] for d in docs if d["record"] == "document"}
    assert names == {"gbk.txt", "prose.txt", "cut.txt", SHANXI.name}


def test_gbk_file_gives_the_same_targets_as_utf8(bad_inputs: dict[str, Path]) -> None:
    _, gbk, _ = invoke("extract", str(bad_inputs["gbk"]))
    _, utf8, _ = invoke("extract", str(SHANXI))

    def strip(text: str) -> list[dict]:
        return [
            {k: v for k, v in json.loads(x).items() if k not in ("document", "encoding")}
            for x in text.splitlines()
        ]

    assert strip(gbk) == strip(utf8)
    assert json.loads(gbk.splitlines()[0])["encoding"] == "gb18030"


def test_no_tables_and_cut_table_are_diagnosed(bad_inputs: dict[str, Path]) -> None:
    _, out, _ = invoke("extract", str(bad_inputs["no_tables"]), str(bad_inputs["cut"]))
    records = [json.loads(x) for x in out.splitlines()]
    prose = [r for r in records if r["document"] == "prose.txt" and r["record"] == "diagnostic"]
    assert any("no performance-target tables" in r["reason"] for r in prose)
    cut_targets = [
        r
        for r in records
        if r["document"] == "cut.txt" and r["record"] == "target" and r["project"] == "办公设备购置"
    ]
    assert [t["level3"] for t in cut_targets if t["period"] == "implementation"] == [
        "电子显示屏",
        "演讲台",
        "办公椅",
        "演讲",
    ]


def test_large_file_is_extracted(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    text = SHANXI.read_text(encoding="utf-8")
    padding = "本页无内容。" * 200 + "\n"
    repeats = 20 * 2**20 // len(padding.encode("utf-8")) + 1
    big.write_text(text + padding * repeats, encoding="utf-8")
    assert big.stat().st_size > 20 * 2**20
    code, out, _ = invoke("extract", "--summary", str(big))
    assert code == 0 and "targets 313" in out


def test_missing_file_and_usage_errors(tmp_path: Path) -> None:
    code, _, err = invoke("extract", str(tmp_path / "nope.txt"), str(SHANXI))
    assert code == 1 and "nope.txt" in err and "Traceback" not in err
    code, _, _ = invoke("extract")
    assert code == 2
    code, _, _ = invoke("extract", "--format", "xml", str(SHANXI))
    assert code == 2


def test_folder_argument(tmp_path: Path) -> None:
    shutil.copy(SHANXI, tmp_path / SHANXI.name)
    code, out, _ = invoke("extract", "--summary", str(tmp_path))
    assert code == 0 and "projects 17" in out


def test_a_file_given_twice_is_extracted_once() -> None:
    code, out, _ = invoke("extract", "--summary", str(SAMPLES), str(SHANXI))
    assert code == 0
    assert out.count(f"{SHANXI.name}: shanxi_budget") == 1


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_extract_leaves_no_partial_file(tmp_path: Path, signal_number: int) -> None:
    """Ctrl-C or a kill while ``extract -o`` writes: no ``.partial`` file, and the output that
    was there before is left as it was (not replaced by a cut one)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for copy in range(150):
        shutil.copy(SAMPLES / "001_dc3175b1d97e8850.txt", folder / f"{copy:03d}.txt")
    output = tmp_path / "records.jsonl"
    output.write_text("earlier\n", encoding="utf-8")
    partial = tmp_path / "records.jsonl.partial"
    process = subprocess.Popen(
        [*perfkg_command(), "extract", str(folder), "-o", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.stat().st_size > 0) and time.monotonic() < deadline:
        assert process.poll() is None, "finished before it could be interrupted"
        time.sleep(0.02)
    process.send_signal(signal_number)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert not partial.exists()
    assert output.read_text(encoding="utf-8") == "earlier\n"
    assert b"Traceback" not in err
