"""Serving speed: ``perfkg serve`` against ``oxigraph serve`` on the same data, in one run.

Builds the samples' graph into a store (or takes ``--store``), serves the same store files
with both (``oxigraph serve-read-only --location STORE --union-default-graph``), on free local
ports, checks that both give the same answer to each query, then
measures, for three named queries of ``queries/`` and for concurrency 1 and 8, requests per
second and p50/p99 latency over at least ``--seconds`` (default 3) per cell, after a short
warm-up; a last row runs ``ASK {}``, which measures the HTTP and protocol overhead alone. The
client is one Python process with httpx (async, keep-alive), on the same machine
as the servers, so it shares their cores; both servers see the same client.

Prints one table side by side with the ratio perfkg / oxigraph of requests per second.

    python benchmarks/serve.py [--seconds 3] [--store DIR] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from graphbuild.named_queries import named_query

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
QUERIES = ["count_targets_by_level1", "satisfaction_targets", "projects_lacking_benefit"]
JSON = "application/sparql-results+json"
OVERHEAD = "(ASK {}: protocol only)"


@dataclass
class Cell:
    """One measurement: a server, a query, a concurrency."""

    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited before answering")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    sys.exit(f"{name} did not answer within 60 s")


@contextmanager
def running(command: list[str], url: str, name: str, env: dict[str, str]) -> Iterator[str]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        wait_until_up(url, process, name)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def build_store(path: Path) -> None:
    from graphbuild.graph.build import build
    from graphbuild.stores.oxigraph import OxigraphStore

    path.parent.mkdir(parents=True, exist_ok=True)
    with OxigraphStore(path) as store:
        report = build([SAMPLES], store)
        if report.failed:
            sys.exit(f"build failed: {report.failed[0].error}")


def binary(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (pip install -e '.[test]')")
    return found


async def load(url: str, sparql: str, concurrency: int, seconds: float) -> Cell:
    """``concurrency`` clients sending the query back to back for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        params = {"query": sparql}
        headers = {"Accept": JSON}

        async def one() -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                response = await client.get(url, params=params, headers=headers)
                await response.aread()
                failed = response.status_code != 200
            except httpx.HTTPError:  # a request past the client's timeout, a dropped connection
                failed = True
            errors += failed
            latencies.append(time.perf_counter() - started)

        async def worker(until: float, record: bool) -> None:
            while time.perf_counter() < until:
                await one()

        warm_until = time.perf_counter() + min(0.5, seconds / 4)
        await asyncio.gather(*(worker(warm_until, False) for _ in range(concurrency)))
        latencies.clear()
        errors = 0
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(worker(until, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Cell(len(latencies), elapsed, latencies, errors)


def bindings(url: str, sparql: str) -> list[tuple[tuple[str, str], ...]]:
    response = httpx.get(url, params={"query": sparql}, headers={"Accept": JSON}, timeout=60)
    response.raise_for_status()
    rows = response.json()["results"]["bindings"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows)


def compare(
    store: Path,
    seconds: float,
    workers: int = 4,
    concurrency: tuple[int, ...] = (1, 8),
    names: tuple[str, ...] = tuple(QUERIES),
    overhead: bool = True,
) -> dict[str, Any]:
    """Requests/s and p50/p99 of ``perfkg serve`` and ``oxigraph serve-read-only`` on the same
    store files, per query and concurrency, after checking both give the same rows."""
    perfkg_port, oxigraph_port = free_port(), free_port()
    env = {
        **os.environ,
        "PERFKG_MAX_CONCURRENT_QUERIES": str(workers),
        # the same answers as oxigraph serve, which caps nothing: no row cap, no 10 s stop
        "PERFKG_MAX_ROWS": "100000000",
        "PERFKG_QUERY_TIMEOUT": "60",
        "PERFKG_MAX_QUEUED_QUERIES": str(max(concurrency) * 2),
    }
    env.pop("PERFKG_ENDPOINT", None)
    perfkg = [binary("perfkg"), "serve", "--store", str(store), "--port", str(perfkg_port)]
    oxigraph = [
        binary("oxigraph"),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{oxigraph_port}",
        "--union-default-graph",
    ]
    queries = {name: named_query(name).bind() for name in names}
    if overhead:
        queries[OVERHEAD] = "ASK {}"
    results: dict[str, Any] = {}
    with (
        running(perfkg, f"http://127.0.0.1:{perfkg_port}/sparql", "perfkg serve", env) as ours,
        running(
            oxigraph, f"http://127.0.0.1:{oxigraph_port}/query", "oxigraph serve", env
        ) as theirs,
    ):
        for name, sparql in list(queries.items()):
            if name == OVERHEAD:
                continue
            try:
                same = bindings(ours, sparql) == bindings(theirs, sparql)
            except httpx.HTTPError as error:  # past 60 s on a server: not load-tested
                print(f"{name}: no answer to compare ({error!r}); not compared", file=sys.stderr)
                results[name] = {"unanswered": True}
                del queries[name]
                continue
            if not same:
                # not the same work: not compared (the table says so), the others still are
                print(f"{name}: the two servers disagree; not compared", file=sys.stderr)
                results[name] = {"disagree": True}
                del queries[name]
        for name, sparql in queries.items():
            for level in concurrency:
                cells = {
                    server: asyncio.run(load(url, sparql, level, seconds))
                    for server, url in (("perfkg", ours), ("oxigraph", theirs))
                }
                results.setdefault(name, {})[str(level)] = {
                    server: {
                        "rps": cell.rps,
                        "p50_ms": cell.percentile(50),
                        "p99_ms": cell.percentile(99),
                        "errors": cell.errors,
                    }
                    for server, cell in cells.items()
                } | {"ratio": cells["perfkg"].rps / cells["oxigraph"].rps}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per cell")
    parser.add_argument("--store", type=Path, help="a store built by `perfkg build`")
    parser.add_argument("--workers", type=int, default=4, help="perfkg query workers")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--queries", nargs="+", default=QUERIES, help="named queries")
    parser.add_argument(
        "--no-overhead", action="store_true", help="skip the ASK {} row (HTTP overhead only)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="perfkg-bench-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "perfkg"
            print("building the samples' graph …", file=sys.stderr)
            build_store(store)
        results = compare(
            store,
            args.seconds,
            args.workers,
            tuple(args.concurrency),
            tuple(args.queries),
            not args.no_overhead,
        )
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    header = (
        f"{'query':<26} {'c':>2} | {'perfkg req/s':>12} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'oxigraph req/s':>14} {'p50 ms':>7} {'p99 ms':>7} | {'ratio':>5}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for name, levels in results.items():
        if levels.get("disagree"):
            print(f"{name:<26}    | the servers' answers differ: not compared")
            continue
        for level, cell in levels.items():
            ours, theirs = cell["perfkg"], cell["oxigraph"]
            errors = ours["errors"] + theirs["errors"]
            ratios.append(cell["ratio"])
            print(
                f"{name:<26} {level:>2} | {ours['rps']:>12.1f} {ours['p50_ms']:>7.1f} "
                f"{ours['p99_ms']:>7.1f} | {theirs['rps']:>14.1f} {theirs['p50_ms']:>7.1f} "
                f"{theirs['p99_ms']:>7.1f} | {cell['ratio']:>5.2f}"
                + (f"  ({errors} errors)" if errors else "")
            )
    print(
        f"\nperfkg / oxigraph requests per second: geometric mean "
        f"{statistics.geometric_mean(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
