"""The named SPARQL queries of ``queries/*.rq``: one registry for the CLI, the API and the UI.

Each file is plain SPARQL preceded by a header of ``# key: value`` comment lines::

    # title: 按一级指标统计绩效目标
    # title_en: Targets by level 1
    # description: How many targets each level 1 (产出/效益/满意度 …) has, over all documents.
    # param: document = "" : a document's file name; empty for all documents

Other ``# key: value`` lines (``# severity: warning`` of an audit rule) are kept in
:attr:`NamedQuery.meta`.

A parameter is an ordinary SPARQL variable of the query (``?document``). Running the query with
a value replaces every ``?document`` / ``$document`` by that value as an RDF term, so the file
stays valid SPARQL that any tool can run; an empty value leaves the variable unbound. So use a
parameter in patterns and filters, never in the SELECT list (``SELECT "产出指标"`` is not SPARQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_KNOWN = frozenset({"title", "title_en", "description"})
_PARAM = re.compile(r'^(\w+)\s*=\s*(".*?"|<[^>]*>|\S+)?\s*(?::\s*(.*))?$')


class QueryError(Exception):
    """An unknown query name or a bad parameter; the message says what to do."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str  # as written: "text", <iri>, a number, or empty
    description: str = ""


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

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The SPARQL text with parameter values (or defaults) substituted.

        >>> q = NamedQuery("x", "t", "t", "d", "SELECT ?s WHERE { ?s ?p ?level1 }",
        ...                (Parameter("level1", '"产出指标"'),))
        >>> q.bind()
        'SELECT ?s WHERE { ?s ?p "产出指标" }'
        >>> q.bind({"level1": 'a "quoted" label'})
        'SELECT ?s WHERE { ?s ?p "a \\\\"quoted\\\\" label" }'

        A quoted default makes the parameter a string (``004`` stays ``"004"``); a numeric
        default makes it a number, an ``<iri>`` default an IRI, and a value of another kind
        is a ``QueryError``:

        >>> q.bind({"level1": "004"})
        'SELECT ?s WHERE { ?s ?p "004" }'
        >>> NamedQuery("x", "t", "t", "d", "ASK { FILTER (?n > 1) }", (Parameter("n", "90"),)).bind(
        ...     {"n": "ninety"})
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
        text = self.sparql
        for parameter in self.parameters:
            raw = values.get(parameter.name)
            term = self._value(parameter, raw) if raw is not None else parameter.default
            if term in ("", '""'):
                continue
            text = re.sub(rf"[?$]{parameter.name}\b", lambda _m, t=term: t, text)
        return text

    def _value(self, parameter: Parameter, raw: str) -> str:
        """The user's value as a term of the kind the parameter's default has."""
        default = parameter.default
        if default.startswith('"'):
            return _string(raw.strip())
        term = _term(raw)
        if term == '""':
            return term
        if default.startswith("<"):
            expected, fits = "an IRI <…>", term.startswith("<")
        elif re.fullmatch(r"-?\d+(\.\d+)?", default):
            expected, fits = "a number", not term.startswith(('"', "<"))
        else:
            return term
        if not fits:
            raise QueryError(
                f"parameter {parameter.name!r} of query {self.name!r} takes {expected}, not {raw!r}"
            )
        return term


def _term(value: str) -> str:
    """A user's value as a SPARQL term: <iri>, a number, or a string literal."""
    value = value.strip()
    if (
        value.startswith("<")
        and value.endswith(">")
        and not re.search(r'[\s<>"{}|^`\\]', value[1:-1])
    ):
        return value
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return value
    return _string(value)


def _string(value: str) -> str:
    """A string literal (``""`` for an empty value, which leaves the parameter unbound)."""
    if value == "":
        return '""'
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


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
            parameters.append(Parameter(param.group(1), param.group(2) or "", param.group(3) or ""))
        else:
            header[key] = value
    for key in ("title", "description"):
        if not header.get(key):
            raise QueryError(f"{path}: the header has no '# {key}: …' line")
    return NamedQuery(
        name=path.stem,
        title=header["title"],
        title_en=header.get("title_en", header["title"]),
        description=header["description"],
        sparql="\n".join(body).strip() + "\n",
        parameters=tuple(parameters),
        meta=tuple((k, v) for k, v in header.items() if k not in _KNOWN),
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
