"""Full downloads of the dataset at ``/dumps``: Turtle, TriG, N-Quads and JSON-LD, streamed.

- ``GET /dumps``: the list (HTML for browsers, JSON otherwise) with each file's media type,
  the store's quad and graph counts and, where known, the size in bytes;
- ``GET /dumps/perfkg.{ttl,trig,nq,jsonld}``: the file, streamed from
  :meth:`Store.export <graphbuild.stores.base.Store.export>` as the store writes it.

TriG, N-Quads and JSON-LD keep the named graphs (one per source document); Turtle holds the
union of the graphs. Oxigraph and a remote store stream Turtle, TriG and N-Quads without
holding the dataset in memory; JSON-LD is written by rdflib, which builds the whole document
first (use N-Quads for large stores).

A size is known once the file has been written in full for the store's current content (its
quad count and graph names): small stores (up to ``MEASURE_LIMIT`` quads) are measured when the
list is asked for, larger ones when a download completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from graphbuild.formats import Format
from graphbuild.stores.base import Store
from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links
from service.negotiation import prefers_html
from service.pages.rendering import page

router = APIRouter(tags=["dumps"])
log = logging.getLogger(__name__)

DUMP_NAME = "perfkg"
DUMP_FORMATS = (Format.TURTLE, Format.TRIG, Format.NQUADS, Format.JSONLD)
MEASURE_LIMIT = 200_000
"""Stores with at most this many quads have their dump sizes measured for the list."""
CHUNK = 64 * 1024
_DESCRIPTIONS = {
    Format.TURTLE: "所有命名图的并集 The union of all graphs (no graph names)",
    Format.TRIG: "每个来源文档一个命名图 One named graph per source document",
    Format.NQUADS: "每行一个四元组，可流式处理 One quad per line, easy to stream and split",
    Format.JSONLD: "以 ontology/context.jsonld 压缩 Compacted with the shipped context",
}


@dataclass(frozen=True)
class Dump:
    """One downloadable file."""

    format: Format
    filename: str
    path: str
    size: int | None
    description: str

    def url(self, base: str) -> str:
        """The download's absolute URL under the configured base."""
        return f"{base}dumps/{self.filename}"

    def as_json(self, base: str) -> dict[str, Any]:
        """The list entry a JSON client gets."""
        return {
            "format": self.format.value,
            "mediaType": self.format.media_type,
            "url": self.url(base),
            "filename": self.filename,
            "bytes": self.size,
            "namedGraphs": self.format.datasets,
            "description": self.description,
        }


class _Sizes:
    """Known dump sizes by store content fingerprint (one store, a handful of formats)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sizes: dict[tuple[str, Format], int] = {}

    def get(self, fingerprint: str, fmt: Format) -> int | None:
        with self._lock:
            return self._sizes.get((fingerprint, fmt))

    def put(self, fingerprint: str, fmt: Format, size: int) -> None:
        with self._lock:
            stale = [key for key in self._sizes if key[0] != fingerprint]
            for key in stale:
                del self._sizes[key]
            self._sizes[(fingerprint, fmt)] = size


def _sizes(request: Request) -> _Sizes:
    state = request.app.state
    if not hasattr(state, "dump_sizes"):
        state.dump_sizes = _Sizes()
    return state.dump_sizes  # type: ignore[no-any-return]


def fingerprint(store: Store) -> tuple[str, int, int]:
    """``(digest, quads, graphs)`` of the store's content, cheap enough per request."""
    quads = store.quad_count()
    names = store.graph_names()
    digest = hashlib.sha1("\n".join([str(quads), *names]).encode("utf-8")).hexdigest()
    return digest, quads, len(names)


class _Counter:
    """A binary sink that only counts."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def measure(store: Store, fmt: Format) -> int:
    """The size in bytes of the store's dump in ``fmt`` (writes it to a counter)."""
    counter = _Counter()
    store.export(counter, fmt.media_type)  # type: ignore[arg-type]
    return counter.size


class _Cancelled(Exception):
    """The client went away: the export thread stops writing."""


class _Pipe:
    """A file-like writer feeding a bounded queue of chunks (the reader is the response)."""

    def __init__(self, maxsize: int = 16) -> None:
        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize)
        self.cancelled = threading.Event()
        self.buffer = bytearray()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self._put(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def _put(self, item: bytes | BaseException | None) -> None:
        while True:
            if self.cancelled.is_set():
                raise _Cancelled
            try:
                self.chunks.put(item, timeout=0.5)
            except queue.Full:
                continue
            if isinstance(item, bytes):
                self.size += len(item)
            return

    def close(self, error: BaseException | None = None) -> None:
        if self.buffer and error is None:
            self._put(bytes(self.buffer))
            self.buffer.clear()
        self._put(error)


def stream_export(
    store: Store, fmt: Format, done: Any = None, name: str | None = None
) -> Iterator[bytes]:
    """The store's export in ``fmt`` as chunks, written by a thread as the client reads.

    ``done(size)`` is called after the last chunk of a complete export. If the client stops
    reading (the iterator is closed), the export thread stops at its next write.
    """
    pipe = _Pipe()

    def run() -> None:
        try:
            store.export(pipe, fmt.media_type, name)  # type: ignore[arg-type]
        except _Cancelled:
            return
        except Exception as error:  # reported to the reader, which ends the stream
            with contextlib.suppress(_Cancelled):
                pipe.close(error)
            return
        with contextlib.suppress(_Cancelled):
            pipe.close()

    worker = threading.Thread(target=run, name=f"dump-{fmt.value}", daemon=True)
    worker.start()
    try:
        while True:
            item = pipe.chunks.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                log.error("dump %s failed after %d bytes: %s", fmt.value, pipe.size, item)
                return  # the body ends early; the client sees a truncated download
            yield item
        if done is not None:
            done(pipe.size)
    finally:
        pipe.cancelled.set()


def dumps(
    request: Request, store: Store, links: Links, known: tuple[str, int, int] | None = None
) -> tuple[list[Dump], int, int]:
    """The dumps with their sizes where known, the quad count and the graph count.

    ``known`` is the store's :func:`fingerprint` when the caller already has it.
    """
    digest, quads, graphs = known or fingerprint(store)
    sizes = _sizes(request)
    found = []
    for fmt in DUMP_FORMATS:
        size = sizes.get(digest, fmt)
        if size is None and quads <= MEASURE_LIMIT:
            size = measure(store, fmt)
            sizes.put(digest, fmt, size)
        filename = f"{DUMP_NAME}.{fmt.extension}"
        found.append(
            Dump(fmt, filename, links.path(f"/dumps/{filename}"), size, _DESCRIPTIONS[fmt])
        )
    return found, quads, graphs


@router.get("/dumps", summary="The list of full downloads", response_model=None)
def list_dumps(request: Request, store: StoreDep, base: BaseDep) -> Response:
    """HTML for browsers, JSON for everyone else."""
    links = Links(base, request.scope.get("root_path", ""))
    found, quads, graphs = dumps(request, store, links)
    if prefers_html(request.headers.get("accept")):
        context = {"title": "下载 Dumps", "dumps": found, "quads": quads, "graphs": graphs}
        return page(request, "dumps.html", context, links)
    return JSONResponse(
        {
            "quads": quads,
            "graphs": graphs,
            "dumps": [dump.as_json(base) for dump in found],
        }
    )


@router.get(
    "/dumps/{filename}",
    summary="One full download, streamed",
    response_class=StreamingResponse,
    responses={200: {"content": {fmt.media_type: {} for fmt in DUMP_FORMATS}}},
)
def download(filename: str, request: Request, store: StoreDep) -> StreamingResponse:
    """``perfkg.ttl``, ``perfkg.trig``, ``perfkg.nq`` or ``perfkg.jsonld``."""
    by_name = {f"{DUMP_NAME}.{fmt.extension}": fmt for fmt in DUMP_FORMATS}
    fmt = by_name.get(filename)
    if fmt is None:
        raise ApiError(
            404, "not_found", f"no dump {filename!r}; the dumps are {', '.join(by_name)}"
        )
    digest, _, _ = fingerprint(store)
    sizes = _sizes(request)

    def remember(size: int) -> None:
        sizes.put(digest, fmt, size)

    media_type = fmt.media_type if fmt is Format.JSONLD else f"{fmt.media_type}; charset=utf-8"
    return StreamingResponse(
        stream_export(store, fmt, remember),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
