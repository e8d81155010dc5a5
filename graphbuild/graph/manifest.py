"""The build manifest: which source file (SHA-256) and which perfkg version built each graph.

It lives in the store itself, in ``{base}graph/manifest``, one entry per document graph::

    <{base}graph/a.txt> pk:sourceSha256 "9f86…" ; pk:builtWith "0.1.0" ; pk:quadCount 16393 .

``perfkg build`` skips a document whose file and perfkg version are those of its entry, and
writes an entry only once the document's graph is wholly in the store. So a build that was
killed part-way resumes where it stopped: documents without an entry (or whose graph was only
partly loaded) are built again, and nothing else.

>>> entries = {"http://e.org/graph/a.txt": Entry("ab" * 32, "0.1.0", 12)}
>>> data = entries_nquads(entries, "http://e.org/graph/manifest")
>>> data.count(b"\\n"), b"builtWith" in data
(3, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from graphbuild.graph import iris
from graphbuild.named_queries import QUERIES_DIR, named_query
from graphbuild.stores.base import Store
from graphbuild.vocab import PK

BUILD_QUERIES = QUERIES_DIR / "build"
_SHA = ox.NamedNode(str(PK.sourceSha256))
_VERSION = ox.NamedNode(str(PK.builtWith))
_QUADS = ox.NamedNode(str(PK.quadCount))
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class Entry:
    """What built one document graph."""

    sha256: str
    version: str
    quads: int


def read(store: Store, base: str | None = None) -> dict[str, Entry]:
    """The manifest of the store: graph IRI → entry (empty for a store built before it)."""
    query = named_query("manifest", BUILD_QUERIES)
    rows = store.select(query.bind({"manifest": ox.NamedNode(iris.manifest_graph_iri(base))}))
    return {
        str(row["graph"]): Entry(str(row["sha256"]), str(row["version"]), int(row["quads"]))  # type: ignore[call-overload]
        for row in rows
    }


def entries_nquads(entries: Mapping[str, Entry], manifest: str) -> bytes:
    """The manifest graph as N-Quads, every term written by pyoxigraph."""
    graph = ox.NamedNode(manifest)
    quads = []
    for name, entry in sorted(entries.items()):
        subject = ox.NamedNode(name)
        quads.append(ox.Quad(subject, _SHA, ox.Literal(entry.sha256), graph))
        quads.append(ox.Quad(subject, _VERSION, ox.Literal(entry.version), graph))
        quads.append(
            ox.Quad(subject, _QUADS, ox.Literal(str(entry.quads), datatype=_INTEGER), graph)
        )
    return ox.serialize(quads, None, ox.RdfFormat.N_QUADS)


def write(store: Store, entries: Mapping[str, Entry], base: str | None = None) -> None:
    """Replace the manifest graph with ``entries`` (one transaction)."""
    manifest = iris.manifest_graph_iri(base)
    store.replace_nquads(manifest, entries_nquads(entries, manifest))
