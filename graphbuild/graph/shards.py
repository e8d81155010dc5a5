"""The store as sharded N-Quads, for the bulk loaders of standalone SPARQL servers.

:func:`export_shards` (``perfkg export --shards N -o DIR``) writes into a new or empty folder:

- ``documents-0001.nq`` … : the document graphs, each wholly in one file, spread over at most
  N files of about equal size (largest graph first into the file with the fewest quads; the
  sizes come from the build manifest, or are counted);
- ``shared.nq``: every other graph (``ontology``, ``build``, ``manifest``, ``inferred``, graphs
  under another base) but the statistics;
- ``statistics.nq``: ``{base}graph/statistics``, on its own because it describes the whole store
  it was computed in: shards of several stores (batches built in parallel) are loaded without it,
  and the statistics of the union are computed on the server (``perfkg statistics -o``);
- ``shards.json``, written last: each file with its graphs, quads, bytes and SHA-256.

It streams: one graph at a time goes from the store to its file (Oxigraph writes a named graph's
quads as it reads them; a remote store holds one graph in memory), so memory stays bounded by the
largest graph whatever the store's size. Each file is written as ``name.partial`` and renamed
when complete; a folder without ``shards.json`` is an unfinished export.

>>> plan({"a": 5, "b": 4, "c": 3, "d": 3}, 2)
[['a', 'd'], ['b', 'c']]
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from graphbuild.formats import Format
from graphbuild.graph import iris, manifest
from graphbuild.graph.build import data_graph_names
from graphbuild.graph.provenance import software_version
from graphbuild.stores.base import Store, StoreError

MANIFEST = "shards.json"
SHARED = "shared.nq"
STATISTICS = "statistics.nq"


@dataclass
class ShardFile:
    """One written file."""

    file: str
    kind: str  # "documents", "shared" or "statistics"
    graphs: list[str] = field(default_factory=list)
    quads: int = 0
    bytes: int = 0
    sha256: str = ""


@dataclass
class Shards:
    """What ``shards.json`` says: the files, and the totals."""

    base: str
    version: str
    files: list[ShardFile] = field(default_factory=list)

    @property
    def graphs(self) -> int:
        return sum(len(f.graphs) for f in self.files)

    @property
    def quads(self) -> int:
        return sum(f.quads for f in self.files)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": Format.NQUADS.media_type,
                "perfkg": self.version,
                "base": self.base,
                "graphs": self.graphs,
                "quads": self.quads,
                "files": [asdict(f) for f in self.files],
            },
            ensure_ascii=False,
            indent=2,
        )


def plan(sizes: Mapping[str, int], shards: int) -> list[list[str]]:
    """The graphs in at most ``shards`` groups of about equal total size: each graph, largest
    first (ties by name), goes to the group with the smallest total so far (ties: the first).
    Groups come back in order, each with its graphs sorted by name; none is empty."""
    if shards < 1:
        raise ValueError("shards must be at least 1")
    count = min(shards, len(sizes))
    heap = [(0, index) for index in range(count)]
    groups: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        total, index = heapq.heappop(heap)
        groups[index].append(name)
        heapq.heappush(heap, (total + sizes[name], index))
    return [sorted(group) for group in groups]


def graph_sizes(store: Store, names: list[str], base: str) -> dict[str, int]:
    """Quads per graph: the build manifest's count where it has one, else counted."""
    recorded = manifest.read(store, base)
    return {
        name: recorded[name].quads if name in recorded else store.quad_count(name) for name in names
    }


class _Counting:
    """A binary writer that counts lines (quads), bytes and the SHA-256 of what passes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.lines = 0
        self.bytes = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.lines += data.count(b"\n")
        self.bytes += len(data)
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def check_folder(directory: Path) -> None:
    """Refuse a folder that holds anything: old shards would be loaded with the new ones."""
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory} is a file; give a new or empty folder for the shards")
    if directory.is_dir() and any(directory.iterdir()):
        raise StoreError(
            f"{directory} is not empty; give a new or empty folder for the shards (files left "
            "from another export would be loaded with these)"
        )


def export_shards(
    store: Store,
    directory: Path,
    shards: int,
    base: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Shards:
    """Write the store into ``directory`` as described in the module docstring."""
    base = iris.resolve_base(base)
    check_folder(directory)
    directory.mkdir(parents=True, exist_ok=True)
    documents = data_graph_names(store, base)
    statistics = iris.statistics_graph_iri(base)
    others = sorted(set(store.graph_names()) - set(documents))
    groups = plan(graph_sizes(store, documents, base), shards) if documents else []
    width = max(4, len(str(len(groups))))
    result = Shards(base=base, version=software_version())
    for number, group in enumerate(groups, start=1):
        name = f"documents-{number:0{width}d}.nq"
        result.files.append(_write(store, directory / name, "documents", group, progress))
    shared = [g for g in others if g != statistics]
    if shared:
        result.files.append(_write(store, directory / SHARED, "shared", shared, progress))
    if statistics in others:
        result.files.append(
            _write(store, directory / STATISTICS, "statistics", [statistics], progress)
        )
    _write_text(directory / MANIFEST, result.to_json() + "\n")
    return result


def _write(
    store: Store,
    path: Path,
    kind: str,
    graphs: list[str],
    progress: Callable[[str], None] | None,
) -> ShardFile:
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            out = _Counting(raw)
            for graph in graphs:
                store.export(out, Format.NQUADS.media_type, graph)  # type: ignore[arg-type]
                if progress is not None:
                    progress(graph)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return ShardFile(path.name, kind, graphs, out.lines, out.bytes, out.digest.hexdigest())


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read(directory: Path) -> Shards:
    """The ``shards.json`` of a finished export."""
    path = directory / MANIFEST
    if not path.is_file():
        raise StoreError(
            f"{directory} holds no {MANIFEST}: not a finished `perfkg export --shards`"
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    files = [ShardFile(**entry) for entry in data["files"]]
    return Shards(base=data["base"], version=data["perfkg"], files=files)
