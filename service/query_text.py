"""What the server needs to know about a SPARQL text before it runs it.

A small lexer splits the text into tokens the way the SPARQL grammar does (comments, the four
kinds of string, IRIs, variables, prefixed names and keywords are told apart), so a ``#`` or a
keyword inside a string or an IRI is never mistaken for syntax. From the tokens:

- :func:`inspect` gives the query form (SELECT/ASK/CONSTRUCT/DESCRIBE), whether the text has
  its own dataset (``FROM``/``FROM NAMED``) and whether it mentions ``SERVICE``;
- :func:`service_endpoints` lists the endpoints of the ``SERVICE`` patterns, read from the
  parsed algebra (rdflib's SPARQL parser resolves prefixes and ``BASE``); it parses only when
  the lexer saw the ``SERVICE`` keyword, so ordinary queries pay nothing;
- :func:`dataset_of` reads the ``FROM``/``FROM NAMED`` IRIs (a remote endpoint gets them as
  protocol parameters too, since an Oxigraph server in union-default-graph mode ignores
  ``FROM`` in the text but honours ``default-graph-uri``).

>>> inspect('PREFIX s: <http://x/> # SELECT in a comment\\nASK { ?x s:p "SERVICE" }').form
'ASK'
>>> inspect('SELECT * FROM <http://g> { ?s ?p ?o }').has_dataset
True
>>> service_endpoints('SELECT * { ?s ?p "SERVICE <http://a/>" } # SERVICE <http://b/>')
[]
>>> service_endpoints('BASE <http://e.org/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }')
['http://e.org/sparql']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*"
      | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%\\]|%[0-9A-Fa-f]{2})*|_:[\w.\-]+|[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, lang, name, other (whitespace and comments are dropped)
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased word when the token can be a keyword (no colon), else None."""
        return self.text.upper() if self.kind == "name" and ":" not in self.text else None


@dataclass(frozen=True)
class QueryText:
    """What :func:`inspect` learned: form (None if none was found), dataset, SERVICE."""

    form: str | None
    has_dataset: bool
    mentions_service: bool


def tokens(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text.

    >>> [t.text for t in tokens('ASK { ?s <p> "#" } # done')]
    ['ASK', '{', '?s', '<p>', '"#"', '}']
    """
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return found


def inspect(text: str) -> QueryText:
    """The query form, whether the text sets its own dataset, whether it says SERVICE."""
    form = None
    has_dataset = False
    mentions_service = False
    for token in tokens(text):
        word = token.keyword
        if word is None:
            continue
        if form is None and word in FORMS:
            form = word
        elif word == "FROM":
            has_dataset = True
        elif word == "SERVICE":
            mentions_service = True
    return QueryText(form, has_dataset, mentions_service)


class UnreadableService(Exception):
    """The text mentions SERVICE but could not be parsed to find out which endpoint."""


def service_endpoints(text: str, update: bool = False) -> list[str]:
    """The IRIs of the text's ``SERVICE`` patterns (``?var`` for a variable endpoint).

    Raises :class:`UnreadableService` when the text mentions ``SERVICE`` but rdflib cannot
    parse it (the caller refuses it rather than guess).
    """
    if not any(token.keyword == "SERVICE" for token in tokens(text)):
        return []
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        if update:
            algebra: object = translateUpdate(parseUpdate(text)).algebra
        else:
            algebra = translateQuery(parseQuery(text)).algebra
    except Exception as error:  # rdflib raises many kinds on texts it cannot read
        raise UnreadableService(str(error).splitlines()[0] if str(error) else "") from None
    found: list[str] = []
    _collect_services(algebra, found, set())
    return found


def _collect_services(node: object, found: list[str], seen: set[int]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            found.append(f"?{term}" if isinstance(term, Variable) else str(term))
        for value in node.values():
            _collect_services(value, found, seen)
    elif isinstance(node, list | tuple | set):
        for value in node:
            _collect_services(value, found, seen)
    elif isinstance(node, dict):
        for value in node.values():
            _collect_services(value, found, seen)


def dataset_of(text: str, base: str | None = None) -> tuple[list[str], list[str]]:
    """The IRIs of the text's ``FROM`` and ``FROM NAMED`` clauses (prefixes and BASE resolved).

    >>> dataset_of('PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <b> { }', 'http://x/')
    (['http://g/a'], ['http://x/b'])
    """
    found = tokens(text)
    prefixes: dict[str, str] = {}
    defaults: list[str] = []
    named: list[str] = []
    for i, token in enumerate(found):
        word = token.keyword
        if word == "BASE" and i + 1 < len(found) and found[i + 1].kind == "iri":
            base = urljoin(base or "", found[i + 1].text[1:-1])
        elif word == "PREFIX" and i + 2 < len(found) and found[i + 2].kind == "iri":
            prefixes[found[i + 1].text[:-1]] = urljoin(base or "", found[i + 2].text[1:-1])
        elif word == "FROM" and i + 1 < len(found):
            is_named = found[i + 1].keyword == "NAMED"
            term = found[i + 2] if is_named and i + 2 < len(found) else found[i + 1]
            if term.kind == "iri":
                iri = urljoin(base or "", term.text[1:-1])
            elif term.kind == "name" and ":" in term.text:
                prefix, _, local = term.text.partition(":")
                iri = prefixes.get(prefix, f"{prefix}:") + local
            else:
                continue
            (named if is_named else defaults).append(iri)
    return defaults, named
