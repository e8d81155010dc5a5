"""Export helpers every store shares: format checks, prefixes and JSON-LD with the shipped context."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, BinaryIO

from rdflib import Dataset, Graph

from graphbuild.formats import Format, Kind
from graphbuild.stores._terms import quiet_rdflib
from graphbuild.stores.base import StoreError
from graphbuild.vocab import CONTEXT_FILE, STANDARD_PREFIXES

# Always offered to Turtle/TriG writers; the shipped JSON-LD context adds the project's own.
_STANDARD_PREFIXES = STANDARD_PREFIXES


def rdf_format(media_type: str) -> Format:
    """The RDF format of a media type, or a StoreError that lists the supported ones."""
    try:
        return Format.from_media_type(media_type, Kind.RDF)
    except ValueError:
        supported = ", ".join(f.media_type for f in Format if f.kind is Kind.RDF)
        raise StoreError(
            f"cannot export as {media_type!r}; supported media types: {supported}"
        ) from None


@cache
def jsonld_context() -> dict[str, Any] | None:
    """The ``@context`` value of ``ontology/context.jsonld`` (None if the file is missing)."""
    if not CONTEXT_FILE.is_file():
        return None
    try:
        document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    except ValueError as error:
        raise StoreError(f"{CONTEXT_FILE}: not valid JSON ({error})") from None
    context = document.get("@context", document) if isinstance(document, dict) else None
    return context if isinstance(context, dict) else None


@cache
def prefixes() -> dict[str, str]:
    """Prefix → namespace for readable Turtle/TriG: the standard ones and the context's."""
    result = dict(_STANDARD_PREFIXES)
    for key, value in (jsonld_context() or {}).items():
        if (
            isinstance(value, str)
            and not key.startswith("@")
            and value.endswith(("/", "#"))
            and ":" in value
        ):
            result[key] = value
    return result


def write_jsonld(data: Graph | Dataset, out: BinaryIO) -> None:
    """Write JSON-LD compacted with the shipped context (expanded if there is no context)."""
    context = jsonld_context()
    with quiet_rdflib():
        if context is None:
            text = data.serialize(format="json-ld", encoding="utf-8")
        else:
            text = data.serialize(format="json-ld", context=context, encoding="utf-8")
    out.write(text)


def named_dataset(graph: Graph) -> Dataset:
    """A dataset holding ``graph`` as the named graph ``graph.identifier`` (so that a one-graph
    export in a dataset format keeps the graph's name)."""
    dataset = Dataset()
    target = dataset.graph(graph.identifier)
    target.addN((s, p, o, target) for s, p, o in graph)
    return dataset


def bind_prefixes(graph: Graph) -> Graph:
    """Bind :func:`prefixes` on an rdflib graph or dataset (for rdflib's Turtle/RDF-XML writers)."""
    for prefix, namespace in prefixes().items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
