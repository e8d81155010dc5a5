"""The named SPARQL queries of ``queries/*.rq``: one registry for the CLI, the API and the UI.

Each file is plain SPARQL preceded by a header of ``# key: value`` comment lines::

    # title: 按一级指标统计绩效目标
    # title_en: Targets by level 1
    # description: How many targets each level 1 (产出/效益/满意度 …) has, over all documents.
    # param: document = "" : a document's file name; empty for all documents

Other ``# key: value`` lines (``# severity: warning`` of an audit rule) are kept in
:attr:`NamedQuery.meta`.

A parameter is an ordinary SPARQL variable of the query (``?document``), and the query says
where it is bound with a comment line of its own, ``# bind: ?document``, placed at the start
of each group (the WHERE clause, a subquery) that uses it. Running the query replaces each such
line by ``BIND (term AS ?document)``, whose term pyoxigraph writes from the typed value, so a
value is always exactly one RDF term: the user's text is never spliced into the query, and the
file stays valid SPARQL that any tool can run (with the parameters unbound). An empty value
leaves the variable unbound. Use a parameter in patterns and filters, never in the SELECT list.
At the start of a group a BIND means what a one-row ``VALUES`` block means; it is used because
Virtuoso 7.2 drops or miscomputes rows of some queries that join a ``VALUES`` block (see
``docs/queries.md``).

A parameter's kind is written in its header line (``# param: project (iri) = : …``) or taken
from its default: a quoted default is a string, a number a number, ``<…>`` an IRI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_KNOWN = frozenset({"title", "title_en", "description"})
_PARAM = re.compile(
    r'^(\w+)\s*(?:\((string|number|iri)\))?\s*=\s*(".*?"|<[^>]*>|\S+)?\s*(?::\s*(.*))?$'
)
_BIND = re.compile(r"^([ \t]*)#[ \t]*bind:((?:[ \t]*[?$]\w+)+)[ \t]*$", re.MULTILINE)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_XSD = "http://www.w3.org/2001/XMLSchema#"

Kind = Literal["string", "number", "iri"]
Term = ox.NamedNode | ox.Literal
Value = str | Term


class QueryError(Exception):
    """An unknown query name or a bad parameter; the message says what to do."""


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name, its default as written, its kind and what it means."""

    name: str
    default: str  # as written: "text", <iri>, a number, or empty
    description: str = ""
    kind: Kind = "string"


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    title_en: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    meta: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """The header's other ``# key: value`` lines, in file order."""

    def header(self, key: str, default: str = "") -> str:
        """The value of another header line (``severity``, ``rule`` …), else ``default``.

        >>> NamedQuery("x", "t", "t", "d", "ASK {}", meta=(("severity", "error"),)).header("severity")
        'error'
        """
        return dict(self.meta).get(key, default)

    def terms(self, values: Mapping[str, Value] | None = None) -> dict[str, Term]:
        """The parameters' values (or defaults) as RDF terms of their kinds; empty ones left out.

        >>> q = NamedQuery("x", "t", "t", "d", "ASK {}", (Parameter("n", "90", "", "number"),))
        >>> q.terms()
        {'n': <Literal value=90 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>}
        >>> q.terms({"n": "ninety"})
        Traceback (most recent call last):
        ...
        graphbuild.named_queries.QueryError: parameter 'n' of query 'x' takes a number, not 'ninety'
        """
        values = dict(values or {})
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            known = ", ".join(p.name for p in self.parameters) or "none"
            raise QueryError(
                f"query {self.name!r} has no parameter {sorted(unknown)[0]!r} (parameters: {known})"
            )
        terms: dict[str, Term] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name)
            if value is None:
                value = _unquoted(parameter.default)
            term = self._term(parameter, value)
            if term is not None:
                terms[parameter.name] = term
        return terms

    def bind(self, values: Mapping[str, Value] | None = None) -> str:
        """The SPARQL text with each ``# bind:`` line replaced by one BIND per bound parameter.

        >>> q = NamedQuery("x", "t", "t", "d", "SELECT ?s WHERE {\\n  # bind: ?level1\\n  ?s ?p ?level1\\n}",
        ...                (Parameter("level1", '"产出指标"'),))
        >>> print(q.bind())
        SELECT ?s WHERE {
          BIND ("产出指标" AS ?level1)
          ?s ?p ?level1
        }
        >>> print(q.bind({"level1": 'a "quoted" } label'}).splitlines()[1])
          BIND ("a \\"quoted\\" } label" AS ?level1)

        A string parameter keeps ``004`` a string; an empty value leaves the variable unbound:

        >>> print(q.bind({"level1": "004"}).splitlines()[1])
          BIND ("004" AS ?level1)
        >>> print(q.bind({"level1": ""}).splitlines()[1])
        <BLANKLINE>
        """
        terms = self.terms(values)

        def bind_lines(match: re.Match[str]) -> str:
            names = [n for n in match.group(2).replace("$", "?").split() if n[1:] in terms]
            if not names:
                return ""
            indent = match.group(1)
            return "\n".join(f"{indent}BIND ({terms[name[1:]]} AS {name})" for name in names)

        return _BIND.sub(bind_lines, self.sparql)

    def _term(self, parameter: Parameter, value: Value) -> Term | None:
        """The value as a term of the parameter's kind (None for an empty value)."""
        if isinstance(value, ox.NamedNode | ox.Literal):
            fits = isinstance(value, ox.NamedNode) == (parameter.kind == "iri")
            if not fits:
                raise self._misfit(parameter, str(value))
            return value
        text = value.strip()
        if text == "":
            return None
        try:
            if parameter.kind == "string":
                return ox.Literal(text)
            if parameter.kind == "number":
                if not _NUMBER.fullmatch(text):
                    raise self._misfit(parameter, value)
                datatype = "decimal" if "." in text else "integer"
                return ox.Literal(text, datatype=ox.NamedNode(_XSD + datatype))
            iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
            return ox.NamedNode(iri)
        except (ValueError, UnicodeError):
            raise self._misfit(parameter, value) from None

    def _misfit(self, parameter: Parameter, value: str) -> QueryError:
        expected = {"string": "a text", "number": "a number", "iri": "an absolute IRI <…>"}
        shown = value if len(value) <= 80 else value[:80] + "…"
        return QueryError(
            f"parameter {parameter.name!r} of query {self.name!r} takes "
            f"{expected[parameter.kind]}, not {shown!r}"
        )


def _unquoted(default: str) -> str:
    """A default as a value: the text inside the quotes of a string default."""
    if len(default) >= 2 and default[0] == default[-1] == '"':
        return default[1:-1]
    return default


def _kind_of(default: str) -> Kind | None:
    if default.startswith('"'):
        return "string"
    if default.startswith("<"):
        return "iri"
    if _NUMBER.fullmatch(default):
        return "number"
    return None


def parse_query_file(path: Path) -> NamedQuery:
    """A named query from its file (``QueryError`` names the file and line of a bad header)."""
    header: dict[str, str] = {}
    parameters: list[Parameter] = []
    body: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        match = _HEADER.match(line) if not body else None
        if match is None:
            if line.strip() or body:
                body.append(line)
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            param = _PARAM.match(value)
            if param is None:
                raise QueryError(
                    f"{path}:{number}: write a parameter as '# param: name = default : description'"
                )
            name, default = param.group(1), param.group(3) or ""
            kind = param.group(2) or _kind_of(default)
            if kind is None:
                raise QueryError(
                    f"{path}:{number}: give parameter {name!r} a default or a kind: "
                    f"'# param: {name} (string|number|iri) = : description'"
                )
            parameters.append(Parameter(name, default, param.group(4) or "", kind))  # type: ignore[arg-type]
        else:
            header[key] = value
    for key in ("title", "description"):
        if not header.get(key):
            raise QueryError(f"{path}: the header has no '# {key}: …' line")
    sparql = "\n".join(body).strip() + "\n"
    _check_bindings(path, sparql, parameters)
    return NamedQuery(
        name=path.stem,
        title=header["title"],
        title_en=header.get("title_en", header["title"]),
        description=header["description"],
        sparql=sparql,
        parameters=tuple(parameters),
        meta=tuple((k, v) for k, v in header.items() if k not in _KNOWN),
    )


def _check_bindings(path: Path, sparql: str, parameters: list[Parameter]) -> None:
    """Every parameter is bound by some ``# bind:`` line, which names declared ones only."""
    declared = {p.name for p in parameters}
    bound: set[str] = set()
    for match in _BIND.finditer(sparql):
        names = {name[1:] for name in match.group(2).split()}
        if names - declared:
            raise QueryError(
                f"{path}: '# bind:' names {sorted(names - declared)[0]!r}, not a parameter"
            )
        bound |= names
    if declared - bound:
        missing = sorted(declared - bound)[0]
        raise QueryError(
            f"{path}: parameter {missing!r} is never bound; add a line '# bind: ?{missing}' at "
            "the start of each group that uses it"
        )


@lru_cache(maxsize=4)
def registry(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query of the folder, by name, in name order."""
    return {path.stem: parse_query_file(path) for path in sorted(directory.glob("*.rq"))}


def named_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """One named query, or ``QueryError`` listing the names there are."""
    queries = registry(directory)
    if name not in queries:
        raise QueryError(f"no query named {name!r}; known: {', '.join(queries) or 'none'}")
    return queries[name]
