"""What a SPARQL text may reach beyond the store, judged by a real SPARQL parser.

Two things in SPARQL make Oxigraph open a network connection: ``SERVICE <endpoint>`` in a
query or an update, and ``LOAD <url>`` in an update. :func:`check_remote_calls` allows them
only towards the endpoints of ``PERFKG_SERVICE_ALLOWLIST`` (``*`` allows any endpoint, and a
``SERVICE ?variable``, which is otherwise refused). It fails closed:

- a text can only call out if the word SERVICE (or LOAD) is in it, so a text without the word,
  after SPARQL's ``\\u`` escapes are undone and case folded, needs no parse at all (ordinary
  queries pay nothing);
- any other text is parsed by rdflib's SPARQL parser (prefixes, ``BASE`` and escapes
  resolved), and every SERVICE and LOAD of its algebra is checked; a text the parser cannot
  read, or one too long to parse quickly, is refused, never waved through.

The parser is the first wall. The second holds whatever it says: with an empty allow-list the
query and update worker processes cannot open network sockets at all (:mod:`service.sparql.sandbox`).

>>> check_remote_calls('SELECT * { ?s ?p "SERVICE <http://a/>" } # SERVICE <http://b/>', [])
>>> check_remote_calls('BASE <http://e.org/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }',
...                    ["http://e.org/sparql"])
>>> check_remote_calls('LOAD <http://e.org/x.ttl>', [], update=True)
Traceback (most recent call last):
...
service.errors.ApiError: LOAD <http://e.org/x.ttl> is not allowed: this endpoint calls no other server (the operator can allow endpoints with PERFKG_SERVICE_ALLOWLIST)
>>> dataset_of('PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <b> { }', 'http://x/')
(['http://g/a'], ['http://x/b'])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from service.errors import ApiError

MAX_CHECKED_CHARS = 16384
"""Longest text that mentions SERVICE/LOAD the parser reads (rdflib's parser is slow and
recursive: it gives up on large patterns); a longer one is refused."""

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PARSER_LOCK = threading.Lock()  # rdflib's pyparsing grammar is module state


class Unreadable(Exception):
    """The parser could not read a text it had to read; the message says why."""


@dataclass(frozen=True)
class RemoteCall:
    """A SERVICE or LOAD found in a text: the keyword and its endpoint (None: a variable)."""

    keyword: str
    endpoint: str | None

    def __str__(self) -> str:
        return f"{self.keyword} {f'<{self.endpoint}>' if self.endpoint else '?variable'}"


def mentions(text: str, *words: str) -> bool:
    """Whether any of ``words`` may be a keyword of ``text``: true when the word occurs anywhere,
    in any case, once ``\\uXXXX`` escapes are undone (so never false for a real keyword).

    >>> mentions("select * { \\\\u0053ervice <x> {} }", "service"), mentions("ASK {}", "service")
    (True, False)
    """
    folded = _ESCAPE.sub(_unescape, text).casefold()
    return any(word in folded for word in words)


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else ""


def remote_calls(text: str, update: bool = False, base: str | None = None) -> list[RemoteCall]:
    """Every SERVICE and LOAD of the text, read from rdflib's parse (``Unreadable`` if it fails).

    >>> remote_calls('PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:s { ?a ?b ?c } }')
    [RemoteCall(keyword='SERVICE', endpoint='http://e/s')]
    """
    if not mentions(text, *(("service", "load") if update else ("service",))):
        return []
    algebra = _algebra(text, update, base)
    return list(dict.fromkeys(_calls(algebra, set())))


def check_remote_calls(
    text: str, allowlist: Iterable[str], update: bool = False, base: str | None = None
) -> None:
    """Refuse (403) a SERVICE or LOAD to an endpoint not allowed; refuse (400) a text that
    mentions them but cannot be parsed."""
    allowed = set(allowlist)
    try:
        calls = remote_calls(text, update, base)
    except Unreadable as error:
        code = "malformed_update" if update else "malformed_query"
        raise ApiError(
            400,
            code,
            f"the text mentions SERVICE or LOAD, and the SPARQL parser that checks where they "
            f"lead could not read it ({error}); it was not run",
        ) from None
    for call in calls:
        if "*" in allowed or (call.endpoint is not None and call.endpoint in allowed):
            continue
        if not allowed:
            why = "this endpoint calls no other server"
        elif call.endpoint is None:
            why = "an endpoint given by a variable could be any server"
        else:
            why = f"the allowed endpoints are {', '.join(sorted(allowed))}"
        raise ApiError(
            403,
            "service_forbidden",
            f"{call} is not allowed: {why} (the operator can allow endpoints with "
            "PERFKG_SERVICE_ALLOWLIST)",
        )


def form_of(text: str, base: str | None = None) -> str | None:
    """The query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), None if unreadable.

    >>> form_of("PREFIX s: <http://x/> # SELECT in a comment\\nASK { ?x s:p 'SERVICE' }")
    'ASK'
    """
    try:
        name = str(getattr(_algebra(text, False, base), "name", ""))
    except Unreadable:
        return None
    return name.removesuffix("Query").upper() or None


def dataset_of(text: str, base: str | None = None) -> tuple[list[str], list[str]] | None:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses (prefixes and BASE resolved),
    ``([], [])`` when it has none, None when it may have some but the parser cannot read it.

    >>> dataset_of('SELECT * { ?s ?p "from" }')
    ([], [])
    """
    if not mentions(text, "from"):
        return [], []
    try:
        algebra = _algebra(text, False, base)
    except Unreadable:
        return None
    defaults: list[str] = []
    named: list[str] = []
    for clause in dict.get(algebra, "datasetClause") or []:  # (not CompValue.get: it returns
        if "default" in clause:  # the key itself for a missing key)
            defaults.append(str(clause["default"]))
        elif "named" in clause:
            named.append(str(clause["named"]))
    return defaults, named


@lru_cache(maxsize=256)
def _algebra(text: str, update: bool, base: str | None) -> object:
    """rdflib's algebra of the text (cached: the same text is often sent again)."""
    if len(text) > MAX_CHECKED_CHARS:
        raise Unreadable(f"longer than {MAX_CHECKED_CHARS} characters")
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        with _PARSER_LOCK:
            if update:
                return translateUpdate(parseUpdate(text), base=base).algebra
            return translateQuery(parseQuery(text), base=base).algebra
    except RecursionError:
        raise Unreadable("too deeply nested for the parser") from None
    except Exception as error:  # rdflib raises many kinds on texts it cannot read
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise Unreadable(first[:300]) from None


def _calls(node: object, seen: set[int]) -> Iterator[RemoteCall]:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name in ("ServiceGraphPattern", "Load"):
            term = node["term"] if node.name == "ServiceGraphPattern" else node["iri"]
            keyword = "SERVICE" if node.name == "ServiceGraphPattern" else "LOAD"
            yield RemoteCall(keyword, str(term) if isinstance(term, URIRef) else None)
        children: Iterable[object] = node.values()
    elif isinstance(node, list | tuple | set):
        children = node
    elif isinstance(node, dict):
        children = node.values()
    else:
        return
    for child in children:
        yield from _calls(child, seen)
