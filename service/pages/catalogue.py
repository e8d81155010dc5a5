"""The pages' catalogue: departments, documents, projects, indicators and audit findings in an
in-memory SQLite database, with a trigram full-text index of their names.

Lists with facets, sorting and paging, the search box and the audit page must answer in
milliseconds on a store of 10,000 documents, where one SPARQL count over all targets takes
seconds. So the server reads the store *once per store state* with the queries
``queries/service/catalogue_*.rq`` (a few seconds per 1,000 documents, in a background thread)
into SQLite tables, and every such page is a few indexed SQL queries (datasette's approach).
Counts per document and department are the ones the build stored
(``{base}graph/statistics``), the findings the ones its audit stored in each document's graph.

Search: an FTS5 table with the ``trigram`` tokenizer answers substrings of three characters or
more from its index; one- and two-character queries (常见: 满意, 资金) scan the names with
``LIKE`` (about 300,000 names at 10,000 documents, tens of milliseconds).

The catalogue is rebuilt when the store changes (a build published a new snapshot): the holder
looks at the latest build's time at most every :data:`RECHECK_SECONDS` and swaps in a new
catalogue built in the background; pages use the old one meanwhile.

>>> from graphbuild.stores.oxigraph import OxigraphStore
>>> catalogue = build_catalogue(OxigraphStore(), "http://example.org/id/")
>>> catalogue.count("projects")
0
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from graphbuild.analysis import name_groups
from graphbuild.named_queries import QUERIES_DIR, NamedQuery, registry
from graphbuild.stores.base import Store
from service.pages.statistics import breakdown

log = logging.getLogger("perfkg.service")
SERVICE_QUERIES = QUERIES_DIR / "service"
PK = "https://w3id.org/perfkg/ontology#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
PUBLISHER = "http://purl.org/dc/terms/publisher"
RECHECK_SECONDS = 5.0
KIND_ORDER = {"department": 0, "project": 1, "indicator": 2, "document": 3}

SCHEMA = """
CREATE TABLE concepts (iri TEXT PRIMARY KEY, label TEXT, label_en TEXT, level INTEGER);
CREATE TABLE departments (iri TEXT PRIMARY KEY, label TEXT, code TEXT, documents INTEGER,
  projects INTEGER, targets INTEGER, findings INTEGER DEFAULT 0);
CREATE TABLE documents (iri TEXT PRIMARY KEY, name TEXT, year TEXT, family TEXT, department TEXT,
  department_label TEXT, format TEXT, lines INTEGER, budget_total REAL, final INTEGER,
  projects INTEGER, targets INTEGER, diagnostics INTEGER, findings INTEGER DEFAULT 0,
  title TEXT);
CREATE TABLE projects (iri TEXT PRIMARY KEY, label TEXT, document TEXT, document_name TEXT,
  line INTEGER, year TEXT, family TEXT, department TEXT, department_label TEXT, unit TEXT,
  attribute TEXT, total_funds REAL, annual_funds REAL, score REAL, grade TEXT, targets INTEGER,
  findings INTEGER DEFAULT 0);
CREATE TABLE indicators (iri TEXT PRIMARY KEY, label TEXT, head TEXT, targets INTEGER,
  level1 TEXT, level2 TEXT, kind TEXT);
CREATE TABLE indicator_usage (indicator TEXT, level1 TEXT, level2 TEXT, kind TEXT,
  targets INTEGER);
CREATE TABLE findings (iri TEXT PRIMARY KEY, rule TEXT, severity TEXT, message TEXT,
  message_zh TEXT, focus TEXT, project TEXT, project_label TEXT, document TEXT,
  document_name TEXT, document_title TEXT, line INTEGER);
CREATE TABLE evaluations (document TEXT, met INTEGER, missed INTEGER);
CREATE TABLE names (label TEXT, kind TEXT, iri TEXT, context TEXT, weight INTEGER);
CREATE VIRTUAL TABLE names_fts USING fts5(label, content='names', content_rowid='rowid',
  tokenize='trigram');
"""
INDEXES = """
CREATE INDEX projects_document ON projects (document, line);
CREATE INDEX projects_department ON projects (department);
CREATE INDEX projects_year ON projects (year);
CREATE INDEX documents_department ON documents (department);
CREATE INDEX usage_indicator ON indicator_usage (indicator);
CREATE INDEX usage_level1 ON indicator_usage (level1);
CREATE INDEX indicators_head ON indicators (head);
CREATE INDEX findings_project ON findings (project);
CREATE INDEX findings_focus ON findings (focus);
CREATE INDEX findings_document ON findings (document);
CREATE INDEX findings_rule ON findings (rule);
"""


@cache
def _queries() -> dict[str, NamedQuery]:
    return registry(SERVICE_QUERIES)


def _rows(store: Store, name: str) -> list[dict[str, object]]:
    return store.select(_queries()[name].bind())


def _s(value: object) -> str | None:
    return None if value is None else str(value)


def _n(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


def _i(value: object) -> int:
    number = _n(value)
    return int(number) if number is not None else 0


FAMILY_TITLES = {
    f"https://w3id.org/perfkg/code/{name}": title
    for name, title in (
        ("shanxi_budget", "部门预算"),
        ("henan_budget", "部门预算"),
        ("final_accounts", "部门决算"),
        ("unknown", "文档"),
    )
}


def document_title(department: str | None, year: str | None, family: str | None, name: str) -> str:
    """A document as people name it: 侯马经济开发区综合工作部 2024年部门预算."""
    kind = FAMILY_TITLES.get(family or "", "文档")
    if department:
        return f"{department} {year + '年' if year else ''}{kind}"
    return f"{name} {year + '年' if year else ''}{kind}"


class Catalogue:
    """One store state's catalogue: an SQLite connection (read under a lock)."""

    audit: dict[str, object] | None = None
    """The stored audit's node, finding count and time (None: the build stored none)."""

    def __init__(self, connection: sqlite3.Connection, seconds: float, key: object) -> None:
        self.connection = connection
        self.seconds = seconds
        self.key = key
        self._lock = threading.Lock()

    def sql(self, statement: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Rows of one read-only statement (parameters bound, never spliced)."""
        with self._lock:
            return list(self.connection.execute(statement, parameters))

    def count(self, table: str) -> int:
        assert table in ("departments", "documents", "projects", "indicators", "findings")
        return int(self.sql(f"SELECT COUNT(*) FROM {table}")[0][0])

    def concept_label(self, iri: str | None) -> str | None:
        if not iri:
            return None
        rows = self.sql("SELECT label FROM concepts WHERE iri = ?", (iri,))
        return str(rows[0][0]) if rows and rows[0][0] else None

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Names of the entities and concepts among ``iris`` (unknown ones left out)."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(iris))[:500]
        for start in range(0, len(wanted), 100):
            chunk = wanted[start : start + 100]
            marks = ",".join("?" * len(chunk))
            for table, column in (
                ("concepts", "label"),
                ("departments", "label"),
                ("documents", "title"),
                ("projects", "label"),
                ("indicators", "label"),
            ):
                for row in self.sql(
                    f"SELECT iri, {column} FROM {table} WHERE iri IN ({marks})", chunk
                ):
                    if row[1]:
                        found[str(row[0])] = str(row[1])
        return found

    def search(self, text: str, limit: int = 20, kind: str | None = None) -> list[dict[str, Any]]:
        """Names containing ``text`` (any kind, or one), best first: exact, prefix, shorter."""
        text = text.strip()[:100]
        if not text:
            return []
        kinds = [kind] if kind else list(KIND_ORDER)
        marks = ",".join("?" * len(kinds))
        order = (
            "ORDER BY (n.label = ?) DESC, (substr(n.label, 1, length(?)) = ?) DESC, "
            "n.weight DESC, length(n.label), n.label LIMIT ?"
        )
        if len(text) >= 3:
            phrase = '"' + text.replace('"', '""') + '"'
            statement = (
                "SELECT n.label, n.kind, n.iri, n.context FROM names_fts f JOIN names n "
                f"ON n.rowid = f.rowid WHERE names_fts MATCH ? AND n.kind IN ({marks}) {order}"
            )
            parameters: list[object] = [phrase, *kinds]
        else:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = (
                "SELECT n.label, n.kind, n.iri, n.context FROM names n WHERE n.label LIKE ? "
                f"ESCAPE '\\' AND n.kind IN ({marks}) {order}"
            )
            parameters = [f"%{escaped}%", *kinds]
        rows = self.sql(statement, [*parameters, text, text, text, limit])
        return [{"label": r[0], "kind": r[1], "iri": r[2], "context": r[3] or ""} for r in rows]

    def near_names(self, label: str, limit: int = 30) -> list[sqlite3.Row]:
        """Indicators whose names are near-duplicates of ``label`` (the name-group rule of
        :mod:`graphbuild.analysis.name_groups`), the most used first."""
        head, _ = name_groups.key(label)
        if not head:
            return []
        rows = self.sql(
            "SELECT iri, label, targets FROM indicators WHERE head = ? ORDER BY targets DESC "
            "LIMIT 20000",
            (head,),
        )
        near = [r for r in rows if r[1] != label and name_groups.near_duplicate(label, r[1])]
        return near[:limit]


def build_catalogue(store: Store, uri_space: str, key: object = None) -> Catalogue:
    """Read the store into a new catalogue (see the module docstring)."""
    started = time.perf_counter()
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.executescript(SCHEMA)
    concepts = {
        str(r["concept"]): (_s(r["label"]), _s(r["labelEn"]), _i(r["level"]) or None)
        for r in _rows(store, "catalogue_concepts")
    }
    db.executemany(
        "INSERT INTO concepts VALUES (?, ?, ?, ?)", [(k, *v) for k, v in concepts.items()]
    )

    def measure(dimension: str, name: str) -> dict[str, int]:
        return {m: c for m, _, c in breakdown(store, uri_space, dimension, f"{PK}{name}")}

    per_doc = {m: measure(PROV_DERIVED, m) for m in ("projectCount", "targetCount")}
    per_doc["diagnosticCount"] = measure(PROV_DERIVED, "diagnosticCount")
    per_dept = {m: measure(PUBLISHER, m) for m in ("documentCount", "projectCount", "targetCount")}

    departments = {
        str(r["department"]): (_s(r["label"]), _s(r["code"]))
        for r in _rows(store, "catalogue_departments")
    }
    db.executemany(
        "INSERT INTO departments (iri, label, code, documents, projects, targets) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                iri,
                label,
                code,
                per_dept["documentCount"].get(iri, 0),
                per_dept["projectCount"].get(iri, 0),
                per_dept["targetCount"].get(iri, 0),
            )
            for iri, (label, code) in departments.items()
        ],
    )
    documents: dict[str, tuple[Any, ...]] = {}
    for r in _rows(store, "catalogue_documents"):
        iri = str(r["document"])
        if iri in documents:
            continue
        department = _s(r["department"])
        dept_label = departments.get(department or "", (None, None))[0]
        year, family, name = _s(r["year"]), _s(r["family"]), str(r["name"])
        documents[iri] = (
            iri,
            name,
            year,
            family,
            department,
            dept_label,
            _s(r["format"]),
            _i(r["lines"]),
            _n(r["budgetTotal"]),
            1 if str(r["kind"]).lower() == "true" else 0,
            per_doc["projectCount"].get(iri, 0),
            per_doc["targetCount"].get(iri, 0),
            per_doc["diagnosticCount"].get(iri, 0),
            document_title(dept_label, year, family, name),
        )
    db.executemany(
        "INSERT INTO documents (iri, name, year, family, department, department_label, format, "
        "lines, budget_total, final, projects, targets, diagnostics, title) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(documents.values()),
    )
    targets = {
        str(r["project"]): _i(r["targets"]) for r in _rows(store, "catalogue_project_targets")
    }
    projects: dict[str, tuple[Any, ...]] = {}
    for r in _rows(store, "catalogue_projects"):
        iri = str(r["project"])
        if iri in projects:
            continue
        document = str(r["document"])
        doc = documents.get(document)
        department = _s(r["department"]) or (doc[4] if doc else None)
        line = iri.rsplit("/", 1)[-1]
        projects[iri] = (
            iri,
            _s(r["label"]) or iri.rsplit("/", 2)[-2] + "/" + line,
            document,
            doc[1] if doc else None,
            int(line) if line.isdigit() else None,
            doc[2] if doc else None,
            doc[3] if doc else None,
            department,
            departments.get(department or "", (None, None))[0],
            _s(r["unit"]),
            _s(r["attribute"]),
            _n(r["totalFunds"]),
            _n(r["annualFunds"]),
            _n(r["score"]),
            _s(r["grade"]),
            targets.get(iri, 0),
        )
    db.executemany(
        "INSERT INTO projects (iri, label, document, document_name, line, year, family, "
        "department, department_label, unit, attribute, total_funds, annual_funds, score, grade, "
        "targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(projects.values()),
    )
    _indicators(db, store)
    _findings(db, store, projects, documents)
    db.executemany(
        "INSERT INTO evaluations VALUES (?, ?, ?)",
        [
            (str(r["document"]), _i(r["met"]), _i(r["missed"]))
            for r in _rows(store, "catalogue_evaluations")
        ],
    )
    db.executescript(INDEXES)
    _names(db)
    db.commit()
    seconds = time.perf_counter() - started
    log.info("catalogue built in %.1f s", seconds)
    catalogue = Catalogue(db, seconds, key)
    audit = _rows(store, "catalogue_audit")
    catalogue.audit = (
        {k: plain(v) if v is None else str(v) for k, v in audit[0].items()} if audit else None
    )
    return catalogue


def _indicators(db: sqlite3.Connection, store: Store) -> None:
    labels = {
        str(r["indicator"]): str(r["label"]) for r in _rows(store, "catalogue_indicator_labels")
    }
    usage = []
    totals: dict[str, list[Any]] = {}
    for r in _rows(store, "catalogue_indicators"):
        iri = str(r["indicator"])
        row = (iri, _s(r["level1"]), _s(r["level2"]), _s(r["kind"]), _i(r["targets"]))
        usage.append(row)
        entry = totals.setdefault(iri, [0, {}, {}, {}])
        entry[0] += row[4]
        for slot, value in ((1, row[1]), (2, row[2]), (3, row[3])):
            entry[slot][value] = entry[slot].get(value, 0) + row[4]
    db.executemany("INSERT INTO indicator_usage VALUES (?, ?, ?, ?, ?)", usage)

    def most(counts: dict[str | None, int]) -> str | None:
        return max(counts.items(), key=lambda item: item[1])[0] if counts else None

    db.executemany(
        "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                iri,
                label,
                name_groups.key(label)[0],
                totals.get(iri, [0])[0],
                most(totals[iri][1]) if iri in totals else None,
                most(totals[iri][2]) if iri in totals else None,
                most(totals[iri][3]) if iri in totals else None,
            )
            for iri, label in labels.items()
        ],
    )


def _findings(
    db: sqlite3.Connection,
    store: Store,
    projects: dict[str, tuple[Any, ...]],
    documents: dict[str, tuple[Any, ...]],
) -> None:
    rows = []
    for r in _rows(store, "catalogue_findings"):
        project, document = _s(r["project"]), _s(r["document"])
        doc = documents.get(document or "")
        rows.append(
            (
                str(r["finding"]),
                str(r["rule"]),
                str(r["severity"]),
                _s(r["message"]),
                _s(r["messageZh"]),
                _s(r["focus"]),
                project,
                projects[project][1] if project in projects else None,
                document,
                doc[1] if doc else None,
                doc[13] if doc else None,
                _i(r["line"]) or None,
            )
        )
    db.executemany(
        "INSERT OR IGNORE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )
    # counted once per group and joined on the primary keys (a correlated COUNT per row was
    # projects x findings: 13 s at 1,000 documents, hours at 10,000)
    for table, column in (("projects", "project"), ("documents", "document")):
        db.execute(
            f"UPDATE {table} SET findings = c.n FROM (SELECT {column} AS iri, COUNT(*) AS n "
            f"FROM findings WHERE {column} IS NOT NULL GROUP BY {column}) AS c "
            f"WHERE {table}.iri = c.iri"
        )
    db.execute(
        "UPDATE departments SET findings = c.n FROM (SELECT department AS iri, "
        "SUM(findings) AS n FROM documents WHERE department IS NOT NULL GROUP BY department) "
        "AS c WHERE departments.iri = c.iri"
    )


def _names(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO names SELECT label, 'department', iri, code, projects FROM departments "
        "WHERE label IS NOT NULL"
    )
    db.execute(
        "INSERT INTO names SELECT label, 'project', iri, "
        "COALESCE(department_label, '') || ' ' || COALESCE(year, ''), targets FROM projects"
    )
    db.execute(
        "INSERT INTO names SELECT label, 'indicator', iri, '', targets FROM indicators "
        "WHERE label IS NOT NULL"
    )
    db.execute("INSERT INTO names SELECT title, 'document', iri, name, projects FROM documents")
    db.execute("INSERT INTO names_fts (rowid, label) SELECT rowid, label FROM names")


class CatalogueHolder:
    """The catalogue of the store as it is now, rebuilt in the background when it changes."""

    def __init__(self) -> None:
        self._current: Catalogue | None = None
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._checked = 0.0

    def get(self, store: Store, uri_space: str, key: Callable[[], object]) -> Catalogue:
        """The current catalogue (built now, waiting, when there is none yet)."""
        current = self._current
        if current is None:
            with self._building:
                if self._current is None:
                    self._current = build_catalogue(store, uri_space, key())
                    self._checked = time.monotonic()
                return self._current
        if time.monotonic() - self._checked > RECHECK_SECONDS:
            self._checked = time.monotonic()
            found = key()
            if found != current.key and self._building.acquire(blocking=False):
                threading.Thread(
                    target=self._rebuild, args=(store, uri_space, found), daemon=True
                ).start()
        return current

    def _rebuild(self, store: Store, uri_space: str, key: object) -> None:
        try:
            self._current = build_catalogue(store, uri_space, key)
        except Exception as error:  # keep serving the old one; say why
            log.error("could not rebuild the catalogue: %s", error)
        finally:
            self._building.release()


def plain(value: object) -> object:
    """A SQLite value for JSON and CSV (floats that are whole as ints)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value
