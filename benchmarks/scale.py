"""Scale: extraction, the build, queries, pages and the endpoint at 1,000 and 10,000 documents.

One command, one table plus JSON, every figure next to the reference it names, measured in the
same run on the synthetic corpus (``benchmarks/corpus.py``, generated when missing):

- extraction and mapping: documents per second on one core (one process, warm), and the
  speed-up from 1 to 2 worker processes (``graphbuild.graph.build``'s own pool);
- ``perfkg build --jobs 2`` end to end into a fresh store (a real process: wall clock, peak RSS,
  documents/s, quads/s) next to pyoxigraph's ``bulk_load`` of the same quads (dumped as N-Quads
  from the built store) in a fresh process: the ratio is the figure;
- p50/p99 of every named query, audit rule and page query (``queries/*.rq``,
  ``queries/service/*.rq``; each run in a process that is killed past ``--timeout``; 5 runs,
  3 for a query over a second, the first one cold);
- pages warm through a real ``perfkg serve`` (home, VoID, dumps, an entity page, the audit);
- endpoint requests/s at concurrency 1 and 8, ``perfkg serve`` against ``oxigraph serve`` on
  the same store and queries (``benchmarks/serve.py``);
- network analysis; the audit run on each document by the build (ms per document) and the
  stored findings read back;
- how each cost grows from the first size to the last.

    python -m benchmarks.scale [--sizes 1000,10000] [--corpus DIR] [--work DIR] [--json FILE]
                               [--seconds 3] [--timeout 60] [--quick]
    python -m benchmarks.scale --sizes 1000,10000 --queries NAME,NAME   # again, on its stores
    python -m benchmarks.scale --sizes 10000 --steps queries,pages       # these steps again

Each size's figures are saved step by step in ``{work}/n{size}/figures.json``: a step that
fails is named in the table (the others still run), and ``--steps`` re-runs only some steps
next to the figures saved for the others.

``--quick`` (the CI smoke) runs at the sizes given with short measurements and fewer queries.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import serve as serving  # noqa: E402
from benchmarks.corpus import generate  # noqa: E402
from graphbuild.graph.build import _prepared, expand  # noqa: E402
from graphbuild.graph.mapping import document_nquads  # noqa: E402
from graphbuild.named_queries import QUERIES_DIR, registry  # noqa: E402

BASE = "http://127.0.0.1:8000/"
PERFKG = [str(Path(sys.executable).parent / "perfkg")]
SELECTIVE = {
    "targets_of_project",
    "targets_of_department",
    "diagnostics_of_document",
}
"""Named queries that ask about one project, department or document (given a selective value)."""
PAGE_TIMEOUT = 120.0
"""Seconds a page may take before the table names it a timeout (and the run goes on)."""


def corpus(size: int, folder: Path) -> Path:
    """The synthetic corpus of ``size`` documents (seed 7), generated once into ``folder``."""
    target = folder / f"n{size}"
    if len(list(target.glob("*.txt"))) != size:
        shutil.rmtree(target, ignore_errors=True)
        generate(size, 7, target)
    return target


def peak_rss_mb() -> float:
    """Peak RSS of the finished children of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed_process(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command in a fresh process: wall seconds, peak RSS (MB), CPU seconds, output."""
    wrapper = ["/usr/bin/time", "-f", "%M %U %S"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    done = subprocess.run(
        [*wrapper, *command], capture_output=True, text=True, env=env or dict(os.environ)
    )
    seconds = time.perf_counter() - started
    rss = cpu = None
    if wrapper:
        last = done.stderr.strip().splitlines()[-1].split()
        rss, cpu = int(last[0]) / 1024, float(last[1]) + float(last[2])
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} failed: {done.stderr[-800:]}")
    return {"seconds": seconds, "rss_mb": rss, "cpu_seconds": cpu, "out": done.stdout}


# ---- extraction -------------------------------------------------------------------------------


def extraction(folder: Path, documents: int) -> dict[str, Any]:
    """Documents/s extracting and mapping on one core (warm), and with 1 and 2 workers, over
    the corpus's last ``documents`` documents: the corpora share their first documents, and
    read again by the same process (the sizes run one after the other) they went 30% faster
    from its caches."""
    paths = expand([folder])[-documents:]
    jobs = [(path, "") for path in paths]
    for _ in _prepared(jobs[:50], BASE, 1, document_nquads, _extract()):
        pass  # warm the caches, as a long build has them
    result: dict[str, Any] = {"documents": len(paths)}
    for workers in (1, 2):
        started = time.perf_counter()
        for _ in _prepared(jobs, BASE, workers, document_nquads, _extract()):
            pass
        result[f"docs_per_s_{workers}"] = len(paths) / (time.perf_counter() - started)
    result["speedup_1_to_2"] = result["docs_per_s_2"] / result["docs_per_s_1"]
    result["audit_ms_per_doc"] = _audit_per_document(jobs[:100])
    return result


def _audit_per_document(jobs: list[tuple[Path, str]]) -> float:
    """Milliseconds per document of the audit the build runs on each document (every rule on
    the document alone, :func:`graphbuild.analysis.audit_graph.document_findings`)."""
    from graphbuild.analysis.audit_graph import document_findings

    prepared = [p for p in _prepared(jobs, BASE, 1, document_nquads, _extract()) if p.data]
    document_findings(prepared[0].data, str(prepared[0].result.graph), BASE)  # warm
    started = time.perf_counter()
    for item in prepared:
        document_findings(item.data, str(item.result.graph), BASE)
    return 1000 * (time.perf_counter() - started) / max(1, len(prepared))


def _extract():  # type: ignore[no-untyped-def]
    from graphbuild.extract import extract_file

    return extract_file


# ---- build and bulk load -------------------------------------------------------------------


def build(folder: Path, store: Path) -> dict[str, Any]:
    """``perfkg build --jobs 2`` into a fresh store, as a user runs it."""
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".snapshots"), ignore_errors=True)
    run = timed_process(
        [*PERFKG, "build", str(folder), "--store", str(store), "--jobs", "2", "--base", BASE]
    )
    quads = sum(1 for _ in ())  # filled below from the store
    with_store = ox.Store.read_only(str(store))
    quads = len(with_store)
    del with_store
    run.pop("out")
    run["quads"] = quads
    run["quads_per_s"] = quads / run["seconds"]
    return run


def bulk_load(store: Path, work: Path) -> dict[str, Any]:
    """The reference: pyoxigraph's bulk_load of the same quads in a fresh process."""
    dump = work / "dump.nq"
    ox.Store.read_only(str(store)).dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    target = work / "bulk"
    shutil.rmtree(target, ignore_errors=True)
    code = (
        "import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
        "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()"
    )
    run = timed_process([sys.executable, "-c", code, str(target), str(dump)])
    run.pop("out")
    run["bytes_per_quad"] = dump.stat().st_size / max(1, ox_count(store))
    dump.unlink()
    shutil.rmtree(target, ignore_errors=True)
    return run


def ox_count(store: Path) -> int:
    return len(ox.Store.read_only(str(store)))


# ---- queries ------------------------------------------------------------------------------


def _run_query(args: tuple[str, str, int]) -> list[float]:
    path, sparql, repeats = args
    store = ox.Store.read_only(path)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = store.query(sparql, use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
        times.append(time.perf_counter() - started)
    return times


def queries(
    store: Path, repeats: int, timeout: float, quick: bool, only: set[str] | None = None
) -> dict[str, dict[str, Any]]:
    """p50/p99 (ms) of each named query, audit rule and page query (those in ``only``, when
    given); 'timeout' past ``timeout``."""
    selective = _selective_values(store)
    found: dict[str, dict[str, Any]] = {}
    named = {
        **registry(QUERIES_DIR),
        **{f"service/{n}": q for n, q in registry(QUERIES_DIR / "service").items()},
    }
    if quick:
        named = dict(list(named.items())[::6])
    if only is not None:
        unknown = only - set(named)
        if unknown:
            raise SystemExit(f"no named query {sorted(unknown)[0]!r}")
        named = {name: query for name, query in named.items() if name in only}
    context = multiprocessing.get_context("spawn")
    for name, query in named.items():
        values = {k: v for k, v in selective.items() if k in {p.name for p in query.parameters}}
        sparql = query.bind(values)
        with context.Pool(1) as pool:
            # one run first, killed past the timeout; then the repeats (fewer for a query
            # over a second, so that a run at 10k documents stays within the hour)
            pending = pool.apply_async(_run_query, ((str(store), sparql, 1),))
            try:
                times = pending.get(timeout)
                more = repeats - 1 if times[0] < 1 else min(2, repeats - 1)
                if more:
                    again = pool.apply_async(_run_query, ((str(store), sparql, more),))
                    times += again.get(timeout * more)
            except multiprocessing.TimeoutError:
                found[name] = {"status": "timeout", "p50_ms": None, "p99_ms": None}
                pool.terminate()
                continue
        ordered = sorted(times)
        found[name] = {
            "status": "ok",
            "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
            "selective": name in SELECTIVE,
        }
    return found


def _selective_values(store: Path) -> dict[str, object]:
    """Values that pick one project, department and document of the store."""
    database = ox.Store.read_only(str(store))
    row = next(
        iter(
            database.query(
                "PREFIX pk: <https://w3id.org/perfkg/ontology#> "
                "PREFIX prov: <http://www.w3.org/ns/prov#> "
                "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                "SELECT ?project ?name ?doc ?docId ?publisher ?dept WHERE { ?project a pk:Project ; "
                "rdfs:label ?name ; prov:wasDerivedFrom ?doc . ?doc dcterms:identifier ?docId ; "
                "dcterms:publisher ?publisher . ?publisher skos:prefLabel ?dept } LIMIT 1",
                use_default_graph_as_union=True,
            )
        )
    )
    return {
        "project": row["project"],
        "project_contains": row["name"].value,
        "document_contains": row["docId"].value,
        "department_contains": row["dept"].value,
        "department_iri": row["publisher"],
        "document_iri": row["doc"],
        "entity": row["project"],
        "uri_space": f"{BASE}id/",
    }


# ---- pages and the endpoint -----------------------------------------------------------------


def pages(store: Path, seconds: float) -> dict[str, Any]:
    """Warm p50 (ms) of the pages through a real perfkg serve, and endpoint requests/s at
    concurrency 1 and 8 against oxigraph serve on a copy of the store."""
    port = serving.free_port()
    env = {**os.environ, "PERFKG_BASE": BASE, "PERFKG_QUERY_TIMEOUT": "60"}
    url = f"http://127.0.0.1:{port}/"
    project = str(_selective_values(store)["project"].value)
    paths = ["", ".well-known/void", "dumps", "api/queries", project.removeprefix(BASE), "audit"]
    found: dict[str, Any] = {"pages_ms": {}}
    with serving.running(
        [*PERFKG, "serve", "--store", str(store), "--port", str(port)],
        f"{url}sparql",
        "perfkg",
        env,
    ):
        client = httpx.Client(timeout=PAGE_TIMEOUT)
        for path in paths:
            first = time.perf_counter()
            try:
                client.get(url + path, headers={"Accept": _accept(path)})
            except httpx.TimeoutException:  # named in the table, the run goes on
                found["pages_ms"][path or "/"] = {"status": "timeout"}
                continue
            cold = time.perf_counter() - first
            times = []
            for _ in range(5):
                started = time.perf_counter()
                response = client.get(url + path, headers={"Accept": _accept(path)})
                times.append(time.perf_counter() - started)
            found["pages_ms"][path or "/"] = {
                "first_ms": cold * 1000,
                "warm_p50_ms": statistics.median(times) * 1000,
                "status": response.status_code,
            }
    found["endpoint"] = serving.compare(store, seconds)
    return found


def _accept(path: str) -> str:
    """What a browser asks for, but Turtle for the VoID description."""
    return "text/turtle" if "void" in path else "text/html"


# ---- analysis -------------------------------------------------------------------------------


def analysis(store: Path) -> dict[str, Any]:
    """Network graphs with their metrics, and the whole audit, on the store."""
    from graphbuild.analysis import network
    from graphbuild.stores.oxigraph import OxigraphStore

    found: dict[str, Any] = {}
    with OxigraphStore(store) as opened:
        started = time.perf_counter()
        data = network.fetch(opened)
        found["network_fetch_s"] = time.perf_counter() - started
        for kind in ("cooccurrence", "name-groups"):
            started = time.perf_counter()
            graph = network.build(kind, data)
            network.metrics(graph)
            found[f"network_{kind}_s"] = time.perf_counter() - started
        # The build audits each document as it writes it (``audit_ms_per_doc`` in the
        # extraction figures); what pages and users then read is the stored findings.
        started = time.perf_counter()
        findings = opened.select(registry(QUERIES_DIR / "service")["catalogue_findings"].bind())
        found["audit_read_s"] = time.perf_counter() - started
        found["audit_findings"] = len(findings)
    return found


# ---- the run --------------------------------------------------------------------------------


def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """The figures at one corpus size. Each step's are saved in ``{work}/n{size}/figures.json``
    as it ends; a step that fails is named (``errors``) and the others still run. With
    ``--steps`` only those run, on the stores an earlier run left, next to its saved figures."""
    folder = corpus(size, Path(args.corpus))
    work = Path(args.work) / f"n{size}"
    work.mkdir(parents=True, exist_ok=True)
    store = work / "store"
    saved = work / "figures.json"
    result: dict[str, Any] = {"documents": size, "step_seconds": {}}
    if args.steps and saved.exists():
        result = json.loads(saved.read_text(encoding="utf-8"))
    steps: list[tuple[str, Any]] = [
        ("extraction", lambda: extraction(folder, min(size, 100 if args.quick else 400))),
        ("build", lambda: build(folder, store)),
        ("bulk_load", lambda: bulk_load(store, work)),
        ("queries", lambda: queries(store, 2 if args.quick else 5, args.timeout, args.quick)),
        ("pages", lambda: pages(store, args.seconds)),
        ("analysis", lambda: analysis(store)),
    ]
    for name, step in steps:
        if args.steps and name not in args.steps:
            continue
        print(f"[{size}] {name} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)
        result.setdefault("errors", {}).pop(name, None)
        started = time.perf_counter()
        try:
            figures = step()
        except Exception as error:  # named in the table; the other steps still run
            traceback.print_exc()
            result["errors"][name] = f"{type(error).__name__}: {error}"
        else:
            if name == "pages":
                result.update(figures)
            else:
                result[name] = figures
        result["step_seconds"][name] = round(time.perf_counter() - started, 1)
        if "seconds" in result.get("build", {}) and "seconds" in result.get("bulk_load", {}):
            result["build_vs_bulk_load"] = (
                result["build"]["seconds"] / result["bulk_load"]["seconds"]
            )
        saved.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--corpus", default=str(Path(tempfile.gettempdir()) / "perfkg-corpus"))
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "perfkg-scale"))
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument("--seconds", type=float, default=3.0, help="Per endpoint cell.")
    parser.add_argument("--timeout", type=float, default=60.0, help="Per query.")
    parser.add_argument("--quick", action="store_true", help="The CI smoke: short and partial.")
    parser.add_argument(
        "--steps",
        type=lambda text: set(text.split(",")),
        help="Only run these steps (comma-separated: extraction, build, bulk_load, queries, "
        "pages, analysis) on the stores an earlier run left in --work; the table shows them "
        "with the figures that run saved for the others.",
    )
    parser.add_argument(
        "--queries",
        help="Only time these named queries (comma-separated) on the stores an earlier run "
        "left in --work: a table of p50 per size.",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.queries:
        return queries_only(sizes, args)
    results = []
    for size in sizes:
        results.append(measure(size, args))
        if args.json:  # kept as each size ends, so a long run that fails keeps what it measured
            Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    from benchmarks.scale_report import report

    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def queries_only(sizes: list[int], args: argparse.Namespace) -> int:
    """Time the named queries ``--queries`` on the stores of an earlier run (after a change
    to a query, without building again)."""
    only = {name.strip() for name in args.queries.split(",") if name.strip()}
    found: dict[int, dict[str, dict[str, Any]]] = {}
    for size in sizes:
        store = Path(args.work) / f"n{size}" / "store"
        if not (store / "CURRENT").is_file():
            raise SystemExit(f"no store at {store}: run the benchmark at {size} documents first")
        print(f"[{size}] queries ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)
        found[size] = queries(store, 5, args.timeout, False, only)
    header = f"{'query':<40} | " + " | ".join(f"{f'p50 ms at {s:,}':>18}" for s in sizes)
    lines = [header, "-" * len(header)]
    for name in sorted(only):
        cells = []
        for size in sizes:
            cell = found[size][name]
            cells.append("timeout" if cell["status"] != "ok" else f"{cell['p50_ms']:,.1f}")
        lines.append(f"{name:<40} | " + " | ".join(f"{c:>18}" for c in cells))
    print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
