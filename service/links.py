"""Links between this service's pages: entity IRIs under ``{base}id/`` become local paths.

Shared by the pages and the JSON APIs (an API answer carries the ``href`` of each entity's
page).

>>> links = Links("http://example.org/kg/", "")
>>> links.href("http://example.org/kg/id/project/d.txt/12#value")
'/id/project/d.txt/12#value'
>>> links.href("https://w3id.org/perfkg/ontology#Project"), links.href("https://w3id.org/perfkg/levels/output")
('/def/ontology#Project', '/def/levels/output')
>>> links.href("http://www.w3.org/ns/prov#Entity")
'http://www.w3.org/ns/prov#Entity'
>>> links.curie("https://w3id.org/perfkg/ontology#Project")
'pk:Project'
>>> links.curie("http://example.org/kg/id/indicator/%E6%8A%A5%E7%BA%B8")
'indicator/报纸'
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import quote, unquote

from graphbuild.vocab import CONTEXT_FILE, STANDARD_PREFIXES

_STANDARD_PREFIXES = {
    **STANDARD_PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


@cache
def prefixes() -> dict[str, str]:
    """Prefix → namespace: the standard ones and those of ``ontology/context.jsonld``."""
    found = dict(_STANDARD_PREFIXES)
    try:
        context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8")).get("@context", {})
    except (OSError, ValueError):
        context = {}
    for key, value in context.items():
        if isinstance(value, str) and value.endswith(("/", "#")) and "://" in value:
            found[key] = value
    return found


VOCABULARY = "https://w3id.org/perfkg/"
"""The ontology's, levels', code lists' and units' namespace; served at ``/def/``."""


class Links:
    """Links between pages: IRIs under ``{base}id/`` become local ``/id/…`` links."""

    def __init__(self, base: str, root_path: str = "") -> None:
        self.base = base
        self.space = base + "id/"
        self.root = root_path.rstrip("/")

    def is_local(self, iri: str) -> bool:
        """True when the IRI is an entity of this dataset (under ``{base}id/``)."""
        return iri.startswith(self.space)

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: the local page (entities, and the ontology's terms,
        levels, code lists and units under ``/def/``, which need no network), or the IRI."""
        if self.is_local(iri):
            return f"{self.root}/id/{iri[len(self.space) :]}"
        if iri.startswith(VOCABULARY):
            return f"{self.root}/def/{iri[len(VOCABULARY) :]}"
        return iri

    def path(self, path: str) -> str:
        """A path of this service (``/dumps``) under the root path it is mounted at."""
        return f"{self.root}{path}"

    def curie(self, iri: str) -> str:
        """``prefix:local`` for a known namespace, the readable path of a local entity, else
        the IRI."""
        if self.is_local(iri):
            return unquote(iri[len(self.space) :])
        best = ""
        for prefix, namespace in prefixes().items():
            if iri.startswith(namespace) and len(namespace) > len(prefixes().get(best, "")):
                best = prefix
        if not best:
            return iri
        local = iri[len(prefixes()[best]) :]
        return f"{best}:{local}" if local and "/" not in local and "#" not in local else iri

    def query(self, sparql: str) -> str:
        """The query page, prefilled with ``sparql``."""
        return f"{self.root}/query?query={quote(sparql, safe='')}"
