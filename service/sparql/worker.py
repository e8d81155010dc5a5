"""The query worker process: opens the store read-only and answers jobs from a pipe.

A worker runs one query at a time, serialises the answer itself (capped at the row limit) and
sends back bytes. Its parent (:mod:`service.sparql.pool`) kills it when a query outlives the
timeout and starts a new one: killing a process is the only way to stop a query inside
Oxigraph, whose evaluation a Python signal cannot interrupt (DESIGN §6).

Unless the service may call other endpoints (a non-empty SERVICE allow-list), a worker first
makes itself unable to open network connections (:mod:`service.sparql.sandbox`), so that a SERVICE or
LOAD that got past the query checks reaches nothing.

This module is imported by freshly spawned interpreters, so it imports only pyoxigraph and the
result writers, never FastAPI or rdflib.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graphbuild.formats import Format
from service.sparql.results import NotAcceptable, context_prefixes, write
from service.sparql.sandbox import SandboxError, forbid_network

Reply = tuple[object, ...]
"""``("ok", body, format name, rows, truncated)``, ``("syntax", message)``,
``("error", message)``, ``("not_acceptable", kind)``, ``("ready", pid)`` or ``("done",)``
for an update."""

OPEN, CLOSED = "open", "closed"
"""Whether a worker may open network connections (``open`` only with a SERVICE allow-list)."""


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker: the text, the formats of both kinds, the cap, the dataset.

    A format given as None is not acceptable to the client (the answer is then a
    ``not_acceptable`` reply). ``default_graphs``/``named_graphs`` come from the protocol's ``default-graph-uri`` and
    ``named-graph-uri``; without them the default graph is the union of the named graphs,
    unless the query names its own dataset (``union=False``).
    """

    sparql: str
    results_format: str | None
    rdf_format: str | None
    max_rows: int
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None


def run_query(store: ox.Store, job: QueryJob) -> Reply:
    """Run one job against an open store and return the reply (never raises)."""
    options: dict[str, object] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs or ()]
    elif job.union:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.sparql, base_iri=job.base_iri, **options)  # type: ignore[arg-type]
        written = write(
            result,
            Format(job.results_format) if job.results_format else None,
            Format(job.rdf_format) if job.rdf_format else None,
            job.max_rows,
            context_prefixes(),
        )
    except NotAcceptable as error:
        return ("not_acceptable", error.kind.value)
    except SyntaxError as error:
        return ("syntax", str(error))
    except (OSError, ValueError, RuntimeError, TypeError) as error:
        return ("error", str(error))
    return ("ok", written.body, written.format.value, written.rows, written.truncated)


def serve(conn: Connection, path: str, network: str = CLOSED) -> None:
    """Worker main loop: open ``path`` read-only, then answer jobs until told to stop."""
    _detach()
    if not _sandbox(conn, network):
        return
    try:
        store = ox.Store.read_only(path)
    except (OSError, RuntimeError) as error:
        conn.send(("error", f"cannot open the store {path} read-only: {error}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(run_query(store, job))


def update(conn: Connection, path: str, base_iri: str | None, network: str = CLOSED) -> None:
    """One-off process: receive one update, run it on ``path`` opened read-write, publish the
    result as the store's new snapshot (:mod:`graphbuild.stores.snapshots`), report."""
    _detach()
    if not _sandbox(conn, network):
        return
    try:
        sparql = conn.recv()
    except (EOFError, OSError):
        return
    from graphbuild.stores import StoreError, snapshots

    try:
        store = ox.Store(path)
        store.update(sparql, base_iri=base_iri)
        snapshots.publish(store, Path(path))
    except SyntaxError as error:
        conn.send(("syntax", str(error)))
        return
    except (OSError, ValueError, RuntimeError, StoreError) as error:
        conn.send(("error", str(error)))
        return
    conn.send(("done",))


def _sandbox(conn: Connection, network: str) -> bool:
    """Close the network unless told it stays open; report a failure to the parent."""
    if network == OPEN:
        return True
    try:
        forbid_network()
    except SandboxError as error:
        conn.send(("error", f"cannot start a query worker without network access: {error}"))
        return False
    return True


def _detach() -> None:
    """Leave Ctrl-C to the parent, and exit if the parent dies without stopping us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str]) -> None:
    """``python -m service.sparql.worker FD serve PATH NETWORK`` or ``FD update PATH NETWORK BASE``,
    NETWORK being ``open`` or ``closed``."""
    conn = Connection(int(argv[0]))
    command, path, network = argv[1], argv[2], argv[3]
    if command == "serve":
        serve(conn, path, network)
    elif command == "update":
        update(conn, path, argv[4] if len(argv) > 4 and argv[4] else None, network)
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
