"""Query execution: the interface every executor offers, and what they share.

Two executors implement :class:`Executor`: :class:`~service.sparql.pool.OxigraphExecutor`, a
pool of killable worker processes over a store directory, and
:class:`~service.sparql.remote.RemoteExecutor`, a proxy to a remote SPARQL endpoint. Both run
a query with a timeout that really stops the work, a row cap and a concurrency bound
(:class:`Admission`), and both check every query and update before running it: a SERVICE or
LOAD towards an endpoint that is not allow-listed is refused (:mod:`service.sparql.policy`),
whoever wrote the text (a client, a named query with its parameters, a page).

Blocking work runs in threads (``anyio.to_thread``) so the event loop never waits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from graphbuild.formats import Format, Kind
from service.errors import ApiError, malformed, not_acceptable, parser_position
from service.settings import Settings
from service.sparql.worker import QueryJob, Reply

__all__ = ["Admission", "Executor", "Outcome", "QueryJob", "busy", "outcome_of", "timed_out"]


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


def select_job(sparql: str, settings: Settings) -> QueryJob:
    """A named query's job: JSON results, the configured row cap and base."""
    return QueryJob(
        sparql=sparql,
        results_format=Format.JSON.value,
        rdf_format=Format.TURTLE.value,
        max_rows=settings.max_rows,
        base_iri=settings.base,
    )
