"""The document's own lines near its facts, kept in its graph so pages can show the source.

The store holds records, not files; a page that shows a target beside the line it was read
from needs that line (and a few around it) without the file at hand, on any store (embedded,
a SPARQL server loaded from the shards, a dump). So each document graph keeps the lines of
the text *as the extractor read it* (a table row is its cells joined by TAB, the numbering is
``pk:sourceLine``'s) in blocks of :data:`BLOCK` lines: the blocks that hold a line within
:data:`CONTEXT` lines of a fact (a project, a target or a diagnostic). Other blocks (cover
pages, budget tables without targets) are not kept. Each block is one node::

    <{base}id/document/{name}/lines/561-580> a pk:SourceLines ;
        dcterms:isPartOf <{base}id/document/{name}> ;
        pk:firstLine 561 ; pk:lastLine 580 ;
        pk:text "line 561\\nline 562\\n…" ;
        pk:lineOrigins "page 3, table 2, row 5\\n…" .   # PDF, workbook, HTML, Word only

A page finds the block of line ``n`` by its IRI alone (:func:`block_iri`), one lookup. A line is
cut at :data:`MAX_LINE` characters. The text adds about 5% to a corpus's quads' bytes.

>>> from graphbuild.extract.read import Line
>>> lines = [Line(n, f"第{n}行") for n in range(1, 60)]
>>> data, count = text_nquads("d.txt", lines, [45], "http://example.org/")
>>> count, block_iri("d.txt", 45, "http://example.org/")
(10, 'http://example.org/id/document/d.txt/lines/41-60')
>>> "第41行" in data.decode(), "第20行" in data.decode()
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from graphbuild.extract.read import Line
from graphbuild.graph import iris

BLOCK = 20
"""Lines per block."""
CONTEXT = 8
"""Lines kept on each side of a fact's line."""
MAX_LINE = 2000
"""Characters kept of one line."""

PK = "https://w3id.org/perfkg/ontology#"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_PART_OF = "<http://purl.org/dc/terms/isPartOf>"
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def block_range(line: int) -> tuple[int, int]:
    """The first and last line of the block holding ``line`` (1-based)."""
    first = (line - 1) // BLOCK * BLOCK + 1
    return first, first + BLOCK - 1


def block_iri(document: str, line: int, base: str | None = None) -> str:
    """The IRI of the block of ``document`` holding ``line``."""
    first, last = block_range(line)
    return f"{iris.document_iri(document, base)}/lines/{first}-{last}"


def kept_blocks(fact_lines: Iterable[int], line_count: int) -> list[int]:
    """The first lines of the blocks kept for facts on ``fact_lines``, in order.

    >>> kept_blocks([30, 75], 200)
    [21, 61, 81]
    """
    firsts: set[int] = set()
    for line in fact_lines:
        low, high = max(1, line - CONTEXT), min(line_count, line + CONTEXT)
        if low > high:
            continue
        for first in range(block_range(low)[0], block_range(high)[0] + 1, BLOCK):
            firsts.add(first)
    return sorted(firsts)


def text_nquads(
    document: str, lines: Sequence[Line], fact_lines: Iterable[int], base: str | None = None
) -> tuple[bytes, int]:
    """The blocks kept for a document as N-Quads in its graph, and how many quads."""
    graph = f" <{iris.graph_iri(document, base)}> .\n"
    doc = f"<{iris.document_iri(document, base)}>"
    by_number = {line.number: line for line in lines}
    out: list[str] = []
    for first in kept_blocks(fact_lines, max(by_number, default=0)):
        block = [by_number.get(n) for n in range(first, first + BLOCK)]
        present = [line for line in block if line is not None]
        if not present:
            continue
        node = f"<{iris.document_iri(document, base)}/lines/{first}-{first + BLOCK - 1}>"
        text = "\n".join(_cut(line.text) if line else "" for line in block).rstrip("\n")
        out += [
            f"{node} {_TYPE} <{PK}SourceLines>",
            f"{node} {_PART_OF} {doc}",
            f"{node} <{PK}firstLine> {_integer(first)}",
            f"{node} <{PK}lastLine> {_integer(present[-1].number)}",
            f"{node} <{PK}text> {ox.Literal(text)}",
        ]
        if any(line.origin for line in present):
            origins = "\n".join((line.origin or "") if line else "" for line in block)
            out.append(f"{node} <{PK}lineOrigins> {ox.Literal(origins.rstrip(chr(10)))}")
    return (graph.join(out) + graph).encode("utf-8") if out else b"", len(out)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LINE else text[:MAX_LINE] + "…"


def _integer(value: int) -> str:
    return str(ox.Literal(str(value), datatype=ox.NamedNode(_INTEGER)))
