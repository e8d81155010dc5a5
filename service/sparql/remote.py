"""The remote executor: queries proxied to a SPARQL endpoint (``perfkg serve --endpoint``).

It goes through :class:`~graphbuild.stores.remote.RemoteStore`'s endpoint with httpx and the
query timeout, in threads, with the same bound as the pool; the row cap is applied to the parsed
answer. A timeout stops the wait, not the remote server's work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import anyio.to_thread
import httpx
import pyoxigraph as ox

from graphbuild import __version__
from graphbuild.formats import Format, Kind
from graphbuild.stores import StoreError
from service.errors import ApiError, malformed, not_acceptable, parser_position
from service.sparql.executor import Admission, Outcome, busy, timed_out
from service.sparql.policy import check_remote_calls, dataset_of
from service.sparql.results import NotAcceptable, context_prefixes, write
from service.sparql.worker import QueryJob


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
