"""Standalone SPARQL servers for the tests, loaded with their own bulk loaders.

- Oxigraph: :func:`oxigraph_load` runs ``oxigraph load --location DIR --file …`` (the files in
  parallel, each atomically), :func:`running_oxigraph_read_only` serves the folder with
  ``oxigraph serve-read-only --union-default-graph`` on a free local port.
- Virtuoso (Debian's ``virtuoso-opensource``, ``scripts/servers.sh`` installs it):
  :func:`running_virtuoso` starts ``virtuoso-t`` in the foreground with a ``virtuoso.ini``
  written into a fresh folder (free local ports for SQL and HTTP, ``DirsAllowed`` naming the
  folders it may load from); :meth:`Virtuoso.bulk_load` runs its bulk loader through
  ``isql-vt`` (``ld_dir``, ``rdf_loader_run()``, ``checkpoint``) and fails on any file the
  loader refused; :meth:`Virtuoso.hide_system_graphs` makes Virtuoso's own graphs (its
  ``virtrdf:`` quad-map schema and two small others) private, so that a query without FROM
  sees the union of the loaded graphs only.

Each server is stopped when its ``with`` block ends. The README ("Scaling out") gives the same
commands for people.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.processes import free_port, wait_until_up

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
INSTALL = "bash scripts/servers.sh (apt-get install virtuoso-opensource)"
NO_GRAPH = "urn:perfkg:no-graph"
"""ld_dir's graph for triples without one; every quad of perfkg's N-Quads names its graph."""
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
"""Graphs a new Virtuoso database holds of its own (7.2); they would join the default graph."""
PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if found is None:
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
    return found


def oxigraph_load(location: Path, files: Sequence[Path]) -> None:
    """``oxigraph load --location DIR --file F…``: Oxigraph's bulk loader, into a new folder."""
    done = subprocess.run(
        [oxigraph_binary(), "load", "--location", str(location), "--file", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"oxigraph load failed: {done.stderr[-800:]}")


@contextmanager
def running_oxigraph_read_only(location: Path) -> Iterator[str]:
    """``oxigraph serve-read-only --union-default-graph`` on a free port; yields its query URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    log = location.with_suffix(".log")
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


INI = """\
; written by perfkg's tests/servers.py: one database in this folder, local ports only
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = {allowed}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    """A running ``virtuoso-t``: its ports, SPARQL endpoint and an ``isql-vt`` runner."""

    def __init__(self, folder: Path, sql_port: int, http_port: int) -> None:
        self.folder = folder
        self.sql_port = sql_port
        self.http_port = http_port
        self.sparql = f"http://127.0.0.1:{http_port}/sparql"

    def isql(self, statements: str, timeout: float = 120) -> str:
        """Run SQL statements (``;``-terminated) as dba; fail on any ``*** Error``."""
        done = subprocess.run(
            [_binary(ISQL), f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF"],
            input=statements,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            pytest.fail(f"isql-vt failed: {output[-1200:]}")
        return output

    def bulk_load(self, folder: Path, pattern: str = "*.nq") -> None:
        """Virtuoso's bulk loader: register the files, load them, checkpoint; fail if the
        loader refused one (``DB.DBA.load_list.ll_error``)."""
        self.isql(
            f"ld_dir('{folder}', '{pattern}', '{NO_GRAPH}');\nrdf_loader_run();\ncheckpoint;\n"
        )
        counted = self.isql(
            "SELECT 'NOT-LOADED=' || CAST(COUNT(*) AS VARCHAR) FROM DB.DBA.load_list "
            "WHERE ll_error IS NOT NULL OR ll_state <> 2;\n"
        )
        found = re.search(r"NOT-LOADED=(\d+)", counted)
        if found is None or found.group(1) != "0":
            listed = self.isql("SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;\n")
            pytest.fail(f"Virtuoso's bulk loader did not load every file: {listed[-1500:]}")

    def hide_system_graphs(self) -> None:
        """Make Virtuoso's own graphs private: a SPARQL query without FROM then sees the union
        of the loaded graphs only (the default graph otherwise includes these)."""
        inserts = "".join(
            f"DB.DBA.RDF_GRAPH_GROUP_INS ('{PRIVATE_GRAPHS}', '{graph}');\n"
            for graph in SYSTEM_GRAPHS
        )
        self.isql(
            f"DB.DBA.RDF_GRAPH_GROUP_CREATE ('{PRIVATE_GRAPHS}', 1);\n"
            f"{inserts}"
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);\n"
        )


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing; install Virtuoso with: {INSTALL}")
    return found


@contextmanager
def running_virtuoso(folder: Path, allowed: Sequence[Path] = ()) -> Iterator[Virtuoso]:
    """``virtuoso-t +foreground`` with a new database in ``folder`` (created), on free local
    ports; ``allowed`` folders may be bulk-loaded. Stopped (SIGTERM, then killed) at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Virtuoso(folder.resolve(), free_port(), free_port())
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.format(
            folder=server.folder,
            sql_port=server.sql_port,
            http_port=server.http_port,
            allowed=", ".join([".", *(str(Path(a).resolve()) for a in allowed)]),
        ),
        encoding="utf-8",
    )
    log = folder / "foreground.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [_binary(VIRTUOSO), "+foreground", "+configfile", str(ini)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    try:
        _wait_for_virtuoso(server, process, log)
        yield server
    finally:
        _stop(process, grace=20)


def _wait_for_virtuoso(server: Virtuoso, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") + _tail(server.folder / "virtuoso.log")
            pytest.fail(f"virtuoso-t exited: {text[-1500:]}")
        try:
            answer = httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=2)
            if answer.is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"Virtuoso did not answer at {server.sparql} within 60 s")


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-1500:] if path.is_file() else ""
