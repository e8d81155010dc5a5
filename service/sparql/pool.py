"""The Oxigraph executor: a pool of killable read-only worker processes over a store directory.

:class:`OxigraphExecutor` keeps ``max_concurrent_queries`` worker processes
(:mod:`service.sparql.worker`), each with the store opened read-only. A query goes to an idle
worker; if it has not answered within ``query_timeout`` the worker is killed (SIGKILL: nothing
inside Oxigraph can be interrupted more gently) and a fresh one is started in the background,
and the client gets 504. Requests beyond the workers wait, at most ``max_queued_queries`` of
them and at most ``query_timeout`` seconds, else 503 with ``Retry-After``. An update (admin
only) stops admitting queries, waits for the running ones, stops the workers, runs in a one-off
process that opens the store read-write (killed at the timeout too; Oxigraph's transaction then
leaves the store unchanged), and restarts the workers, so no reader ever has the store open
while it is written. Without a SERVICE allow-list the workers run without network access
(:mod:`service.sparql.sandbox`).
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import anyio.to_thread

from graphbuild.stores import StoreError
from service.errors import ApiError, malformed, parser_position
from service.sparql.executor import Admission, Outcome, busy, outcome_of, timed_out
from service.sparql.policy import check_remote_calls
from service.sparql.worker import CLOSED, OPEN, QueryJob, Reply

log = logging.getLogger("perfkg.service")

_START_TIMEOUT = 60.0
_ROOT = Path(__file__).resolve().parents[2]


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    serving: str = ""
    """The store directory (a published snapshot) the worker opened."""

    def stop(self, grace: float = 1.0) -> None:
        """Ask the worker to exit; kill it if it does not within ``grace`` seconds."""
        with suppress(OSError, ValueError):
            self.conn.send(None)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        self.kill()

    def kill(self) -> None:
        """SIGKILL (whatever it is doing) and reap."""
        if self.process.poll() is None:
            self.process.kill()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        self.conn.close()


def _spawn(*args: str) -> _Worker:
    """Start ``python -m service.sparql.worker FD ARGS…`` with one end of a socket pair as FD.

    A plain subprocess (not multiprocessing's spawn) so that the worker never re-imports the
    parent's ``__main__`` and starts in its own session (Ctrl-C goes to the parent, which
    stops the workers).
    """
    ours, theirs = socket.socketpair()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.sparql.worker", str(theirs.fileno()), *args],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    finally:
        theirs.close()
    return _Worker(process, Connection(ours.detach()))


class OxigraphExecutor:
    """A pool of killable read-only worker processes over an Oxigraph store directory."""

    def __init__(
        self,
        path: Path,
        *,
        workers: int,
        queued: int,
        timeout: float,
        serving: Path | None = None,
        base_iri: str | None = None,
        allowlist: Sequence[str] = (),
        on_written: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.serving = serving or path
        self.size = workers
        self.timeout = timeout
        self.base_iri = base_iri
        self.allowlist = tuple(allowlist)
        self.network = OPEN if self.allowlist else CLOSED
        self._on_written = on_written
        self._admission = Admission(workers + queued)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.replaced = 0  # workers killed and replaced (for tests and logs)

    def __repr__(self) -> str:
        return f"OxigraphExecutor({str(self.path)!r}, workers={self.size})"

    # lifecycle

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            self._closed = False
        self._start_workers(self.size)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._started = False
            workers = list(self._all)
            self._all.clear()
        self._drain_idle()
        for worker in workers:
            worker.stop()

    def _start_workers(self, count: int) -> None:
        for worker in self._ready_workers(count, self.serving):
            self._adopt(worker)

    def _ready_workers(self, count: int, serving: Path) -> list[_Worker]:
        """``count`` workers started on ``serving`` and ready (StoreError if one is not)."""
        spawned = [_spawn("serve", str(serving), self.network) for _ in range(count)]
        ready, errors = [], []
        for worker in spawned:
            worker.serving = str(serving)
            try:
                self._await_ready(worker)
            except StoreError as error:
                errors.append(str(error))
                worker.kill()
                continue
            ready.append(worker)
        if errors:
            for worker in ready:
                worker.stop()
            raise StoreError(errors[0])
        return ready

    def switch(self, serving: Path) -> None:
        """Serve another published snapshot without a pause: workers start on it, take the
        place of the old ones, and each old worker stops as soon as its query is done."""
        with self._lock:
            if serving == self.serving or self._closed:
                return
        fresh = self._ready_workers(self.size, serving)
        with self._lock:
            old, self._all = self._all, set(fresh)
            self.serving = serving
        for worker in fresh:
            self._idle.put(worker)
        for worker in self._drain_idle():
            if worker in old:
                worker.stop()
            else:
                self._idle.put(worker)
        log.info("serving %s", serving)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(_START_TIMEOUT):
            raise StoreError(f"a query worker did not start within {_START_TIMEOUT:g} s")
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError):
            raise StoreError("a query worker exited while opening the store") from None
        if reply[0] != "ready":
            raise StoreError(str(reply[1]))

    def _adopt(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed or worker.serving != str(self.serving):
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _release(self, worker: _Worker) -> None:
        """Back to the idle workers, or stopped if a switch has replaced it."""
        with self._lock:
            current = worker in self._all
        if current:
            self._idle.put(worker)
        else:
            worker.stop()

    def _drain_idle(self) -> list[_Worker]:
        drained = []
        while True:
            try:
                drained.append(self._idle.get_nowait())
            except queue.Empty:
                return drained

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (timed out or broken) and start a replacement in the background."""
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        worker.kill()
        self.replaced += 1
        if not closed:
            threading.Thread(target=self._replace, name="perfkg-respawn", daemon=True).start()

    def _replace(self) -> None:
        for attempt in range(5):
            try:
                self._start_workers(1)
                return
            except StoreError as error:
                log.error("could not restart a query worker (attempt %d): %s", attempt + 1, error)
                time.sleep(0.5 * (attempt + 1))

    # queries

    async def query(self, job: QueryJob) -> Outcome:
        if not self._started:
            await anyio.to_thread.run_sync(self.start)
        return await anyio.to_thread.run_sync(self._query, job)

    def _query(self, job: QueryJob) -> Outcome:
        check_remote_calls(job.sparql, self.allowlist, base=job.base_iri)
        with self._admission.enter():
            worker = self._acquire()
            try:
                worker.conn.send(job)
                if not worker.conn.poll(self.timeout):
                    self._retire(worker)
                    raise timed_out(self.timeout)
                reply = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._retire(worker)
                raise ApiError(
                    500, "worker_failed", "the query worker stopped unexpectedly; retry"
                ) from None
            self._release(worker)
        return outcome_of(reply)

    def _acquire(self) -> _Worker:
        """An idle, living worker (a worker found dead is replaced), or 503 at the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise busy(
                    f"no query worker became free within {self.timeout:g} s; retry later", 5
                ) from None
            with self._lock:
                current = worker in self._all
            if not current:  # replaced by a switch while it was idle
                worker.stop()
                continue
            if worker.process.poll() is None:
                return worker
            log.warning("query worker %d had exited; replacing it", worker.process.pid)
            self._retire(worker)

    # updates

    async def update(self, sparql: str) -> None:
        await anyio.to_thread.run_sync(self._update, sparql)

    def _update(self, sparql: str) -> None:
        check_remote_calls(sparql, self.allowlist, update=True, base=self.base_iri)
        with self._admission.exclusive(self.timeout):
            reply = self._run_update(sparql)
            if reply[0] == "done" and self._on_written:
                self._on_written()  # serve the snapshot the update published
        if reply[0] == "syntax":
            raise malformed(str(reply[1]), "malformed_update")
        if reply[0] != "done":
            raise ApiError(400, "update_failed", str(reply[1]), parser_position(str(reply[1])))

    def _run_update(self, sparql: str) -> Reply:
        worker = _spawn("update", str(self.path), self.network, self.base_iri or "")
        try:
            worker.conn.send(sparql)
            if not worker.conn.poll(self.timeout):
                raise timed_out(self.timeout, "update")
            return worker.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            raise ApiError(
                500, "worker_failed", "the update process stopped unexpectedly"
            ) from None
        finally:
            worker.kill()
