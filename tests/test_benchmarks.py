"""The scale benchmark runs end to end (a seconds-long smoke of every step; the figures for
1,000 and 10,000 documents come from ``python -m benchmarks.scale``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.server


def _scale(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.scale",
            *args,
            "--quick",
            "--seconds",
            "0.3",
            "--timeout",
            "30",
            "--corpus",
            str(tmp_path / "corpus"),
            "--work",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_scale_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = _scale(tmp_path, "--sizes", "12,24", "--json", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [f["documents"] for f in figures] == [12, 24]
    assert not any(f["errors"] for f in figures), [f["errors"] for f in figures]
    last = figures[-1]
    assert last["build"]["quads"] > 0 and last["bulk_load"]["seconds"] > 0
    assert all(q["status"] == "ok" for q in last["queries"].values())
    assert all(page["status"] == 200 for page in last["pages_ms"].values())
    assert last["endpoint"] and last["analysis"]["audit_read_s"] >= 0
    # the build audits every document: the findings read back are those it stored
    assert last["analysis"]["audit_findings"] > 0 and last["extraction"]["audit_ms_per_doc"] > 0
    for line in ("build / bulk_load", "extraction docs/s per core", "endpoint c=8", "audit per"):
        assert line in done.stdout

    # one step again on the stores the run left: the other steps' figures are those it saved
    again = _scale(tmp_path, "--sizes", "24", "--steps", "analysis", "--json", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    (redone,) = json.loads(out.read_text(encoding="utf-8"))
    assert redone["build"] == last["build"] and redone["queries"] == last["queries"]
    assert redone["analysis"]["audit_findings"] == last["analysis"]["audit_findings"]
    assert "[24] analysis" in again.stderr and "[24] build" not in again.stderr
