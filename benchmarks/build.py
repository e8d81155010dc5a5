"""Graph building speed: mapping records to RDF, and loading the graphs into each store.

The four samples are extracted once and repeated under distinct document names until there are
``--documents`` of them (default 100), so every document has its own named graph and IRIs.
Then, in one run:

- mapping: records → rdflib graphs (``graphbuild.graph.mapping.document_graph``), quads per second;
- loading, per store: every graph written with ``Store.replace_graph`` into an empty store
  (``load``), then written again over itself (``replace``: the atomic drop-and-insert of an
  existing graph). Both include the N-Triples serialisation the store does. Stores: rdflib
  in memory, Oxigraph in memory, Oxigraph on disk, and a real ``oxigraph serve`` on a free
  local port when the binary is installed;
- for the stores on disk, the size of the data directory per million quads, measured after the
  store was closed and opened again (RocksDB replays and drops its write-ahead log then; while
  the store is open the log adds about 0.7 GB per million quads written).

Prints one table side by side: seconds and quads per second of wall time, and quads per
CPU-second (this process plus, for the server, the server process), which stays meaningful on
a busy machine.

    python benchmarks/build.py [--documents 100] [--skip memory]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rdflib import Graph

from graphbuild.extract import extract_file
from graphbuild.graph.mapping import document_graph
from graphbuild.records import Extraction
from graphbuild.stores.base import Store
from graphbuild.stores.memory import MemoryStore
from graphbuild.stores.oxigraph import OxigraphStore
from graphbuild.stores.remote import RemoteStore

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
BASE = "http://127.0.0.1:8000/"


def renamed(extraction: Extraction, name: str) -> Extraction:
    """The same records under another document name (so IRIs and graph names differ)."""

    def move(record):  # type: ignore[no-untyped-def]
        return dataclasses.replace(record, document=name)

    return Extraction(
        move(extraction.document),
        [move(p) for p in extraction.projects],
        [move(t) for t in extraction.targets],
        [move(d) for d in extraction.diagnostics],
    )


def documents(count: int) -> list[Extraction]:
    samples = [extract_file(path) for path in sorted(SAMPLES.glob("*.txt"))]
    out = []
    for n in range(count):
        sample = samples[n % len(samples)]
        out.append(renamed(sample, f"{n:04d}_{sample.document.document}"))
    return out


def directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def settled_size(path: Path) -> int:
    """The size of an Oxigraph directory once closed and reopened (write-ahead log replayed)."""
    import pyoxigraph

    store = pyoxigraph.Store(str(path))
    del store
    gc.collect()
    return directory_size(path)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[tuple[str, int] | None]:
    """A local `oxigraph serve --union-default-graph` (its URL and pid), or None without the
    binary."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if binary is None:
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            yield None
            return
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(10)


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of this process, plus that of process ``pid`` if given."""
    total = time.process_time()
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def write_all(store: Store, graphs: list[Graph], pid: int | None) -> tuple[int, float, float]:
    """Quads written, wall seconds and CPU seconds (ours and the server's)."""
    gc.collect()
    start, cpu = time.perf_counter(), cpu_seconds(pid)
    quads = sum(store.replace_graph(graph) for graph in graphs)
    return quads, time.perf_counter() - start, cpu_seconds(pid) - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["memory", "oxigraph-memory", "oxigraph-disk", "oxigraph-server"],
        help="leave out a store (repeatable)",
    )
    args = parser.parse_args()
    extractions = documents(args.documents)
    document_graph(extractions[0], BASE)  # warm the level and unit tables
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    graphs = [document_graph(extraction, BASE) for extraction in extractions]
    mapping, mapping_cpu = time.perf_counter() - start, time.process_time() - cpu
    quads = sum(len(g) for g in graphs)
    print(
        f"{len(graphs)} documents (the 4 samples under distinct names), {quads:,} quads, "
        f"{quads / len(graphs):,.0f} per document"
    )
    rows: list[tuple[str, ...]] = [
        ("mapping records → rdflib", f"{mapping:.2f}", f"{quads / mapping:,.0f}",
         f"{quads / mapping_cpu:,.0f}", "", "", "", "")
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="perfkg-bench-") as scratch:
        root = Path(scratch)
        stores: list[tuple[str, Callable[[], Store], Path | None]] = [
            ("memory", MemoryStore, None),
            ("oxigraph-memory", OxigraphStore, None),
            ("oxigraph-disk", lambda: OxigraphStore(root / "disk"), root / "disk"),
        ]
        for name, factory, directory in stores:
            if name in args.skip:
                continue
            row, written = measure(name, factory, graphs)
            if directory is not None:
                row[-1] = f"{settled_size(directory) / 2**20 / (written / 1e6):,.0f}"
            rows.append(tuple(row))  # type: ignore[arg-type]
        if "oxigraph-server" not in args.skip:
            with oxigraph_server(root / "server") as server:
                if server is None:
                    rows.append(("oxigraph-server", "-", "binary not installed", *[""] * 5))
                else:
                    url, pid = server
                    row, written = measure("oxigraph-server", lambda: RemoteStore(url), graphs, pid)
            if server is not None:  # the server has stopped: its directory can be opened
                row[-1] = f"{settled_size(root / 'server') / 2**20 / (written / 1e6):,.0f}"
                rows.append(tuple(row))  # type: ignore[arg-type]
    header = (
        "step / store",
        "load s",
        "quads/s",
        "quads/CPU-s",
        "replace s",
        "quads/s",
        "quads/CPU-s",
        "disk MB/M quads",
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).rjust(w) if i else str(cell).ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))))  # fmt: skip


def measure(
    name: str, factory: Callable[[], Store], graphs: list[Graph], pid: int | None = None
) -> tuple[list[str], int]:
    """Load every graph into a new store, then replace each one; the table row and quads."""
    store = factory()
    try:
        written, load, load_cpu = write_all(store, graphs, pid)
        _, replace, replace_cpu = write_all(store, graphs, pid)
        assert store.quad_count() == written, (name, store.quad_count(), written)
    finally:
        store.close()
    row = [
        f"load into {name}",
        f"{load:.2f}",
        f"{written / load:,.0f}",
        f"{written / load_cpu:,.0f}",
        f"{replace:.2f}",
        f"{written / replace:,.0f}",
        f"{written / replace_cpu:,.0f}",
        "",
    ]
    return row, written


if __name__ == "__main__":
    main()
