from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from graphbuild.extract import extract_file
from graphbuild.records import Extraction
from graphbuild.stores.base import Store
from tests.processes import free_port

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.fixture(scope="session")
def samples() -> dict[str, Extraction]:
    """Every bundled sample document, extracted once for the session (read-only)."""
    return {path.name: extract_file(path) for path in sorted(SAMPLES.glob("*.txt"))}


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if found is None:
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
    return found


@contextmanager
def running_oxigraph(location: Path) -> Iterator[str]:
    """Start `oxigraph serve --union-default-graph` on a free local port; yield its URL."""
    log = location.with_suffix(".log")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [
                _oxigraph_binary(),
                "serve",
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
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {log.read_text(errors='replace')[-500:]}")
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph serve did not answer within 30 s")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(3)  # a server still busy with a query is killed
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server for the session; the `store` fixture empties it per test."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-server") / "data") as url:
        yield url


def open_test_store(kind: str, directory: Path, server: str | None = None) -> Store:
    """An empty store of ``kind`` (memory, oxigraph or remote)."""
    from graphbuild.stores import open_store

    if kind == "memory":
        return open_store(None, None, memory=True)
    if kind == "oxigraph":
        return open_store(directory / "store", None)
    assert server is not None
    opened = open_store(None, server)
    opened.update("DROP ALL")
    return opened


STORE_KINDS = ["memory", "oxigraph", pytest.param("remote", marks=pytest.mark.server)]


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind: rdflib in memory, Oxigraph on disk, a real Oxigraph server."""
    server = request.getfixturevalue("oxigraph_server") if request.param == "remote" else None
    with open_test_store(request.param, tmp_path, server) as opened:
        yield opened


@pytest.fixture(scope="session")
def cached_extractor(samples: dict[str, Extraction]):  # type: ignore[no-untyped-def]
    """An extractor for `build` that reuses the session's sample extractions (faster)."""

    def extractor(path: Path) -> Extraction:
        if path.parent.resolve() == SAMPLES and path.name in samples:
            return samples[path.name]
        return extract_file(path)

    return extractor
