"""Running the named queries of ``queries/`` and writing their answers as a table, CSV or JSON.

The library behind ``perfkg query`` / ``perfkg queries`` and ``GET /api/queries``: parameters
come in as ``name=value`` strings, the query runs on any :class:`~graphbuild.stores.Store`,
and the answer is a :class:`Table` of plain Python values (str, int, Decimal, float, bool,
None) in the query's column order.

>>> table = table_from_json(b'{"head": {"vars": ["n", "name"]}, "results": {"bindings": [{"n": '
...     b'{"type": "literal", "value": "3", "datatype": '
...     b'"http://www.w3.org/2001/XMLSchema#integer"}, "name": {"type": "literal", '
...     b'"value": "\\xe4\\xba\\xa7\\xe5\\x87\\xba", "xml:lang": "zh"}}]}}')
>>> table.columns, table.rows
(['n', 'name'], [(3, '产出')])
>>> print(to_text(table))
n  name
-  ----
3  产出
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from graphbuild.named_queries import (
    QUERIES_DIR,
    NamedQuery,
    QueryError,
    named_query,
    registry,
)
from graphbuild.stores._terms import literal_value
from graphbuild.stores.base import Store

RESULTS_JSON = "application/sparql-results+json"


class OutputFormat(StrEnum):
    """How ``perfkg query`` writes an answer; the API offers JSON and CSV."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return {"table": "text/plain", "csv": "text/csv", "json": "application/json"}[self.value]


@dataclass(frozen=True)
class Table:
    """A SELECT answer: column names and rows of plain Python values."""

    columns: list[str]
    rows: list[tuple[object, ...]]

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts, column order kept."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["level1_label=产出", "min_share=100"]`` as a dict; ``QueryError`` for a pair without ``=``.

    >>> parse_params(["a=1", "b=x=y", "c="])
    {'a': '1', 'b': 'x=y', 'c': ''}
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"write a parameter as name=value, not {pair!r}")
        values[name.strip()] = value
    return values


def bound_sparql(
    name: str, params: dict[str, str] | None = None, directory: Path = QUERIES_DIR
) -> str:
    """The SPARQL of a named query with its parameters bound (``QueryError`` if unknown/bad)."""
    return named_query(name, directory).bind(params)


def run_query(
    store: Store,
    name: str,
    params: dict[str, str] | None = None,
    directory: Path = QUERIES_DIR,
) -> Table:
    """Run the named query ``name`` on ``store`` and return its answer."""
    body, _ = store.query(bound_sparql(name, params, directory), RESULTS_JSON)
    return table_from_json(body)


def table_from_json(body: bytes) -> Table:
    """A table from SPARQL 1.1 Query Results JSON (IRIs as strings, blank nodes as ``_:id``)."""
    data = json.loads(body)
    columns = list(data.get("head", {}).get("vars", []))
    rows = [
        tuple(_value(binding.get(column)) for column in columns)
        for binding in data.get("results", {}).get("bindings", [])
    ]
    return Table(columns, rows)


def _value(term: dict[str, str] | None) -> object:
    if term is None:
        return None
    kind, value = term.get("type"), term.get("value", "")
    if kind == "bnode":
        return "_:" + value
    if kind != "literal" and kind != "typed-literal":
        return value
    return literal_value(value, term.get("datatype"), term.get("xml:lang"))


# ---- writing ----------------------------------------------------------------------------


def cell(value: object) -> str:
    """A value as text: numbers without a trailing ``.0``, nothing for None.

    >>> [cell(v) for v in (None, Decimal("90.0"), Decimal("0.35"), 2.5, True, "x")]
    ['', '90', '0.35', '2.5', 'true', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def json_value(value: object) -> object:
    """A value for JSON: a Decimal becomes an int or a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_csv(table: Table) -> str:
    """The table as CSV (RFC 4180, CRLF line ends), with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([cell(value) for value in row] for row in table.rows)
    return out.getvalue()


def to_json(
    table: Table,
    query: NamedQuery | None = None,
    params: dict[str, str] | None = None,
    truncated: bool | None = None,
) -> str:
    """The table as JSON: ``{"query", "title", "parameters", "columns", "rows": [{…}]}``, and
    ``"truncated"`` when told whether the answer was cut at a row limit."""
    payload: dict[str, Any] = {}
    if query is not None:
        payload.update(
            query=query.name, title=query.title, title_en=query.title_en, parameters=params or {}
        )
    payload["columns"] = table.columns
    payload["rows"] = [
        {column: json_value(value) for column, value in zip(table.columns, row, strict=True)}
        for row in table.rows
    ]
    if truncated is not None:
        payload["truncated"] = truncated
    return json.dumps(payload, ensure_ascii=False, indent=1)


def _width(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    text = text.replace("\t", " ").replace("\n", " ")
    if _width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = _width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def to_text(table: Table, max_width: int = 48) -> str:
    """The table as aligned text columns for a terminal (long cells are cut with …)."""
    header = list(table.columns)
    body = [[_clip(cell(value), max_width) for value in row] for row in table.rows]
    widths = (
        [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(header)]
        if header
        else []
    )

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    lines = [line(header), line(["-" * w for w in widths])]
    lines.extend(line(r) for r in body)
    if not body:
        lines.append("(no rows)")
    return "\n".join(lines)


def write(
    table: Table,
    fmt: OutputFormat,
    query: NamedQuery | None = None,
    params: dict[str, str] | None = None,
) -> str:
    """The table in ``fmt``."""
    if fmt is OutputFormat.CSV:
        return to_csv(table)
    if fmt is OutputFormat.JSON:
        return to_json(table, query, params)
    return to_text(table)


# ---- describing -------------------------------------------------------------------------


def describe(query: NamedQuery) -> dict[str, Any]:
    """What a client needs to know about a named query: names, text and its parameters."""
    return {
        "name": query.name,
        "title": query.title,
        "title_en": query.title_en,
        "description": query.description,
        "parameters": [
            {"name": p.name, "default": _default(p.default), "description": p.description}
            for p in query.parameters
        ],
        **{key: value for key, value in query.meta},
    }


def _default(written: str) -> str:
    """A parameter's default as a user would type it (without the quotes of a literal)."""
    if len(written) >= 2 and written.startswith('"') and written.endswith('"'):
        return written[1:-1]
    return written


def catalogue(directory: Path = QUERIES_DIR) -> list[dict[str, Any]]:
    """Every named query of ``directory``, described, in name order."""
    return [describe(query) for query in registry(directory).values()]
