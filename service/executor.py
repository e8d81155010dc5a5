"""Query execution with a timeout that really stops the work, a row cap and a concurrency bound.

Two executors share one interface (:class:`Executor`):

- :class:`OxigraphExecutor` (a store directory) keeps ``max_concurrent_queries`` worker
  processes (:mod:`service._worker`), each with the store opened read-only. A query goes to
  an idle worker; if it has not answered within ``query_timeout`` the worker is killed
  (SIGKILL: nothing inside Oxigraph can be interrupted more gently) and a fresh one is
  started in the background, and the client gets 504. Requests beyond the workers wait, at
  most ``max_queued_queries`` of them and at most ``query_timeout`` seconds, else 503 with
  ``Retry-After``. An update (admin only) stops admitting queries, waits for the running
  ones, stops the workers, runs in a one-off process that opens the store read-write (killed
  at the timeout too; Oxigraph's transaction then leaves the store unchanged), and restarts
  the workers, so no reader ever has the store open while it is written.
- :class:`RemoteExecutor` (``--endpoint``) proxies through
  :class:`~graphbuild.stores.remote.RemoteStore` (httpx with the query timeout) in threads,
  with the same bound; the row cap is applied to the parsed answer. A timeout stops the wait,
  not the remote server's work.

Both check every query and update before running it: a SERVICE or LOAD towards an endpoint
that is not allow-listed is refused (:mod:`service.query_policy`), whoever wrote the text (a
client, a named query with its parameters, a page). Without an allow-list the Oxigraph workers
also run without network access (:mod:`service.sandbox`).

Blocking work runs in threads (``anyio.to_thread``) so the event loop never waits.
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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

import anyio.to_thread
import httpx
import pyoxigraph as ox

from graphbuild import __version__
from graphbuild.formats import Format, Kind
from graphbuild.stores import StoreError
from service._worker import CLOSED, OPEN, QueryJob, Reply
from service.errors import ApiError, malformed, not_acceptable, parser_position
from service.query_policy import check_remote_calls, dataset_of
from service.results import NotAcceptable, context_prefixes, write

log = logging.getLogger("perfkg.service")

_START_TIMEOUT = 60.0
_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["Executor", "OxigraphExecutor", "Outcome", "QueryJob", "RemoteExecutor"]


@dataclass(frozen=True)
class Outcome:
    """A serialised answer and what the client must be told about it."""

    body: bytes
    format: Format
    rows: int
    truncated: bool


class Executor(Protocol):
    """Runs queries and updates with the service's limits."""

    def start(self) -> None:
        """Get ready (start worker processes); blocking, idempotent."""
        ...

    def close(self) -> None:
        """Stop everything started; blocking, idempotent."""
        ...

    async def query(self, job: QueryJob) -> Outcome:
        """Run a query; raises :class:`ApiError` (400, 503, 504 …) when it cannot answer."""
        ...

    async def update(self, sparql: str) -> None:
        """Run an update (the caller has checked the admin token)."""
        ...


def busy(reason: str, retry_after: int = 1) -> ApiError:
    """503 with Retry-After."""
    return ApiError(503, "busy", reason, headers={"Retry-After": str(retry_after)})


def timed_out(seconds: float, what: str = "query") -> ApiError:
    """504: the work was stopped at the timeout."""
    return ApiError(
        504,
        "query_timeout",
        f"the {what} ran longer than the {seconds:g} s limit and was stopped; "
        "narrow it (LIMIT, more specific patterns) or ask the operator for a longer "
        "PERFKG_QUERY_TIMEOUT",
    )


class Admission:
    """Counts admitted requests (running or waiting) and can drain them for an update."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._active = 0
        self._paused = False
        self._condition = threading.Condition()

    @property
    def active(self) -> int:
        return self._active

    @contextmanager
    def enter(self) -> Iterator[None]:
        """Admit one request, or raise 503 when ``limit`` are already in."""
        with self._condition:
            if self._paused:
                raise busy("an update is running; retry in a moment")
            if self._active >= self.limit:
                raise busy(
                    f"the server is busy ({self._active} queries running or waiting); "
                    "retry in a moment"
                )
            self._active += 1
        try:
            yield
        finally:
            with self._condition:
                self._active -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self, timeout: float) -> Iterator[None]:
        """Stop admitting, wait until nothing runs (503 after ``timeout``), then hold."""
        with self._condition:
            if self._paused:
                raise busy("another update is running; retry in a moment")
            self._paused = True
            if not self._condition.wait_for(lambda: self._active == 0, timeout):
                self._paused = False
                raise busy("queries kept running; the update was not started", 5)
        try:
            yield
        finally:
            with self._condition:
                self._paused = False
                self._condition.notify_all()


def outcome_of(reply: Reply) -> Outcome:
    """A worker's reply as an outcome, or the error it stands for."""
    status = reply[0]
    if status == "ok":
        _, body, name, rows, truncated = reply
        return Outcome(body, Format(name), rows, truncated)  # type: ignore[arg-type]
    if status == "syntax":
        raise malformed(str(reply[1]))
    if status == "not_acceptable":
        raise not_acceptable(Kind(str(reply[1])))
    raise ApiError(400, "query_failed", str(reply[1]), parser_position(str(reply[1])))


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection

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
    """Start ``python -m service._worker FD ARGS…`` with one end of a socket pair as FD.

    A plain subprocess (not multiprocessing's spawn) so that the worker never re-imports the
    parent's ``__main__`` and starts in its own session (Ctrl-C goes to the parent, which
    stops the workers).
    """
    ours, theirs = socket.socketpair()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "service._worker", str(theirs.fileno()), *args],
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
        base_iri: str | None = None,
        allowlist: Sequence[str] = (),
        on_pause: Callable[[], None] | None = None,
        on_resume: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.size = workers
        self.timeout = timeout
        self.base_iri = base_iri
        self.allowlist = tuple(allowlist)
        self.network = OPEN if self.allowlist else CLOSED
        self._on_pause = on_pause
        self._on_resume = on_resume
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
        spawned = [_spawn("serve", str(self.path), self.network) for _ in range(count)]
        errors = []
        for worker in spawned:
            try:
                self._await_ready(worker)
            except StoreError as error:
                errors.append(str(error))
                worker.kill()
                continue
            self._adopt(worker)
        if errors:
            raise StoreError(errors[0])

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
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

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
            self._idle.put(worker)
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
            with self._lock:
                workers = list(self._all)
                self._all.clear()
            self._drain_idle()
            for worker in workers:
                worker.stop()
            if self._on_pause:
                self._on_pause()
            try:
                reply = self._run_update(sparql)
            finally:
                if self._on_resume:
                    self._on_resume()
                if self._started:
                    self._start_workers(self.size)
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


class RemoteExecutor:
    """Queries proxied to a remote SPARQL endpoint (the one a RemoteStore points at).

    Queries are POSTed as forms with the protocol's ``default-graph-uri`` and
    ``named-graph-uri`` (which :class:`~graphbuild.stores.remote.RemoteStore.query` cannot
    pass); a query's own ``FROM`` clauses are sent as those parameters as well, because an
    Oxigraph server in union-default-graph mode ignores ``FROM`` but honours the parameters.
    Updates go through the store. The answer is parsed and written again with the row cap.
    """

    def __init__(
        self,
        store: object,
        *,
        concurrent: int,
        queued: int,
        timeout: float,
        allowlist: Sequence[str] = (),
    ) -> None:
        from graphbuild.stores.remote import RemoteStore

        if not isinstance(store, RemoteStore):
            raise TypeError("RemoteExecutor needs a RemoteStore")
        self.store = store
        self.timeout = timeout
        self.allowlist = tuple(allowlist)
        self._limiter = threading.Semaphore(concurrent)
        self._admission = Admission(concurrent + queued)
        self._http: httpx.Client | None = None
        self._concurrent = concurrent

    def __repr__(self) -> str:
        return f"RemoteExecutor({self.store.query_url!r})"

    def start(self) -> None:
        if self._http is None:
            self._http = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                limits=httpx.Limits(max_connections=self._concurrent),
                headers={"User-Agent": f"perfkg/{__version__}"},
            )

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    async def query(self, job: QueryJob) -> Outcome:
        return await anyio.to_thread.run_sync(self._query, job)

    def _query(self, job: QueryJob) -> Outcome:
        check_remote_calls(job.sparql, self.allowlist, base=job.base_iri)
        defaults, named = list(job.default_graphs or ()), list(job.named_graphs or ())
        if job.default_graphs is None and job.named_graphs is None and not job.union:
            defaults, named = dataset_of(job.sparql, job.base_iri) or ([], [])
        form = [("query", job.sparql)]
        form += [("default-graph-uri", iri) for iri in defaults]
        form += [("named-graph-uri", iri) for iri in named]
        with self._admission.enter(), self._slot():
            response = self._post(form)
        got = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            fmt = Format.from_media_type(got)
            parsed = (
                ox.parse_query_results(response.content, fmt.results_format)
                if fmt.kind is Kind.RESULTS
                else ox.parse(response.content, fmt.rdf_format)
            )
            written = write(
                parsed,
                Format(job.results_format) if job.results_format else None,
                Format(job.rdf_format) if job.rdf_format else None,
                job.max_rows,
                context_prefixes(),
            )
        except NotAcceptable as error:
            raise not_acceptable(error.kind) from None
        except (SyntaxError, ValueError, OSError) as error:
            raise ApiError(
                502, "upstream_error", f"unreadable answer from the endpoint ({got}): {error}"
            ) from None
        return Outcome(written.body, written.format, written.rows, written.truncated)

    def _post(self, form: list[tuple[str, str]]) -> httpx.Response:
        if self._http is None:
            self.start()
        assert self._http is not None
        accept = (
            f"{Format.JSON.media_type}, {Format.NTRIPLES.media_type};q=0.9, "
            f"{Format.TURTLE.media_type};q=0.8"
        )
        try:
            response = self._http.post(
                self.store.query_url, data=dict_of_lists(form), headers={"Accept": accept}
            )
        except httpx.TimeoutException:
            raise timed_out(self.timeout) from None
        except httpx.HTTPError as error:
            raise ApiError(
                502, "upstream_error", f"cannot reach the endpoint {self.store.query_url}: {error}"
            ) from None
        if response.status_code == 400:
            raise malformed(_first_line(response.text) or "the endpoint refused the query")
        if response.status_code >= 400:
            raise ApiError(
                502,
                "upstream_error",
                f"the endpoint answered {response.status_code}: {_first_line(response.text)}",
            )
        return response

    async def update(self, sparql: str) -> None:
        def run() -> None:
            check_remote_calls(sparql, self.allowlist, update=True)
            with self._admission.enter(), self._slot():
                try:
                    self.store.update(sparql)
                except StoreError as error:
                    raise remote_error(str(error), self.timeout, "malformed_update") from None

        await anyio.to_thread.run_sync(run)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        if not self._limiter.acquire(timeout=self.timeout):
            raise busy(f"no connection to the endpoint became free within {self.timeout:g} s", 5)
        try:
            yield
        finally:
            self._limiter.release()


def dict_of_lists(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form pairs as httpx wants repeated fields."""
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:500] if text.strip() else ""


def remote_error(message: str, timeout: float, syntax_code: str = "malformed_query") -> ApiError:
    """A RemoteStore failure as the client should see it."""
    lowered = message.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return timed_out(timeout, "update")
    if "answered 400" in lowered:
        return malformed(message, syntax_code)
    return ApiError(502, "upstream_error", message, parser_position(message))
