"""Browsing: lists of departments, documents, projects and indicators, and the search box.

- ``GET /id/``: what can be browsed, with counts;
- ``GET /id/department/``, ``/id/document/``, ``/id/project/``, ``/id/indicator/``: one list with
  facets (year, family, department, level 1 / level 2, value kind, has findings …: a link per
  value with its count within the current view), a name filter (``q``), sorting (``sort=``,
  ``-`` in front for descending), paging (``page``, ``size`` up to 500) and the same view as
  CSV (UTF-8 with a BOM, for Excel) or JSON (``format=csv|json``, every row of the view up to
  :data:`MAX_EXPORT`);
- ``GET /search?q=``: names of departments, projects, indicators and documents containing the
  text (a page, or JSON with ``format=json`` for the search box that answers as you type).

Everything reads the catalogue (:mod:`service.pages.catalogue`), never the store.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links
from service.pages.catalogue import Catalogue, plain
from service.pages.rendering import page
from service.pages.shared import catalogue_of, links_of

router = APIRouter(tags=["pages"])
log = logging.getLogger("perfkg.service")
MAX_SIZE = 500
MAX_EXPORT = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text, number, money, concept, link (label + iri), ref (label + key col)
    ref: str = ""  # the column holding the IRI a link points to


@dataclass(frozen=True)
class Facet:
    key: str
    title: str
    expr: str
    labels: str = "text"  # text, concept, department, bool


@dataclass(frozen=True)
class ListSpec:
    kind: str
    title: str
    table: str
    columns: tuple[Column, ...]
    facets: tuple[Facet, ...]
    default_sort: str
    sorts: tuple[str, ...] = field(default_factory=tuple)


YEAR = Facet("year", "年度 Year", "year")
FAMILY = Facet("family", "类别 Family", "family", "concept")
DEPARTMENT = Facet("department", "部门 Department", "department", "department")
HAS_FINDINGS = Facet("has_findings", "审核发现 Has findings", "(findings > 0)", "bool")

LISTS: dict[str, ListSpec] = {
    "department": ListSpec(
        "department",
        "部门 Departments",
        "departments",
        (
            Column("label", "部门 Department", "link", "iri"),
            Column("code", "代码 Code"),
            Column("documents", "文档 Documents", "number"),
            Column("projects", "项目 Projects", "number"),
            Column("targets", "绩效目标 Targets", "number"),
            Column("findings", "审核发现 Findings", "number"),
        ),
        (HAS_FINDINGS,),
        "label",
        ("label", "code", "documents", "projects", "targets", "findings"),
    ),
    "document": ListSpec(
        "document",
        "文档 Documents",
        "documents",
        (
            Column("title", "文档 Document", "link", "iri"),
            Column("name", "文件 File"),
            Column("year", "年度 Year"),
            Column("family", "类别 Family", "concept"),
            Column("format", "格式 Format"),
            Column("projects", "项目 Projects", "number"),
            Column("targets", "目标 Targets", "number"),
            Column("diagnostics", "诊断 Diagnostics", "number"),
            Column("findings", "审核发现 Findings", "number"),
        ),
        (YEAR, FAMILY, DEPARTMENT, Facet("format", "格式 Format", "format"), HAS_FINDINGS),
        "name",
        ("title", "name", "year", "projects", "targets", "diagnostics", "findings"),
    ),
    "project": ListSpec(
        "project",
        "项目 Projects",
        "projects",
        (
            Column("label", "项目 Project", "link", "iri"),
            Column("department_label", "部门 Department", "ref", "department"),
            Column("year", "年度 Year"),
            Column("total_funds", "资金总额 Total funds", "money"),
            Column("annual_funds", "年度资金 Annual funds", "money"),
            Column("targets", "目标 Targets", "number"),
            Column("score", "自评得分 Score", "number"),
            Column("grade", "等级 Grade"),
            Column("findings", "审核发现 Findings", "number"),
        ),
        (
            YEAR,
            FAMILY,
            DEPARTMENT,
            Facet("attribute", "项目属性 Attribute", "attribute"),
            Facet("grade", "评价等级 Grade", "grade"),
            HAS_FINDINGS,
        ),
        "-total_funds",
        ("label", "year", "total_funds", "annual_funds", "targets", "score", "findings"),
    ),
    "indicator": ListSpec(
        "indicator",
        "三级指标 Indicators",
        "indicators",
        (
            Column("label", "三级指标 Indicator", "link", "iri"),
            Column("targets", "使用次数 Targets", "number"),
            Column("level1", "一级指标 Level 1", "concept"),
            Column("level2", "二级指标 Level 2", "concept"),
            Column("kind", "指标值类型 Value kind", "concept"),
        ),
        (
            Facet("level1", "一级指标 Level 1", "level1", "concept"),
            Facet("level2", "二级指标 Level 2", "level2", "concept"),
            Facet("kind", "指标值类型 Value kind", "kind", "concept"),
        ),
        "-targets",
        ("label", "targets"),
    ),
}
LIST_COLUMNS = {
    "department": "label",
    "document": "title",
    "project": "label",
    "indicator": "label",
}


@dataclass
class View:
    """One list as asked for: filters, sort, page; then its rows and facet counts."""

    spec: ListSpec
    filters: dict[str, str]
    q: str
    sort: str
    page: int
    size: int
    total: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    facets: list[tuple[Facet, list[tuple[str, str, int, bool]]]] = field(default_factory=list)

    def where(self) -> tuple[str, list[object]]:
        clauses, values = [], []
        for facet in self.spec.facets:
            if facet.key in self.filters:
                clauses.append(f"{facet.expr} = ?")
                value: object = self.filters[facet.key]
                values.append(int(value == "1") if facet.labels == "bool" else value)
        if self.q:
            clauses.append(f"{LIST_COLUMNS[self.spec.kind]} LIKE ?")
            values.append(f"%{self.q}%")
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values

    def order(self) -> str:
        key = self.sort.lstrip("-")
        direction = "DESC" if self.sort.startswith("-") else "ASC"
        return f" ORDER BY {key} IS NULL, {key} {direction}, rowid"

    def url(self, links: Links, **changes: object) -> str:
        """This view's URL with some parameters changed (None removes one)."""
        params: dict[str, object] = {**self.filters, "q": self.q, "sort": self.sort}
        if self.page > 1:
            params["page"] = self.page
        params.update(changes)
        query = {k: v for k, v in params.items() if v not in (None, "")}
        path = links.path(f"/id/{self.spec.kind}/")
        return f"{path}?{urlencode(query)}" if query else path


def _view(spec: ListSpec, request: Request) -> View:
    params = request.query_params
    filters = {f.key: params[f.key] for f in spec.facets if params.get(f.key)}
    sort = params.get("sort") or spec.default_sort
    if sort.lstrip("-") not in spec.sorts:
        raise ApiError(
            400, "bad_parameter", f"sort= takes {', '.join(spec.sorts)} (- first: descending)"
        )
    try:
        number = max(1, int(params.get("page", "1")))
        size = min(MAX_SIZE, max(1, int(params.get("size", "50"))))
    except ValueError:
        raise ApiError(400, "bad_parameter", "page= and size= take whole numbers") from None
    return View(spec, filters, params.get("q", "").strip()[:100], sort, number, size)


def _fill(view: View, catalogue: Catalogue, export: bool) -> None:
    spec = view.spec
    where, values = view.where()
    view.total = int(catalogue.sql(f"SELECT COUNT(*) FROM {spec.table}{where}", values)[0][0])
    limit, offset = (MAX_EXPORT, 0) if export else (view.size, (view.page - 1) * view.size)
    rows = catalogue.sql(
        f"SELECT * FROM {spec.table}{where}{view.order()} LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    view.rows = [{key: plain(row[key]) for key in row.keys()} for row in rows]  # noqa: SIM118
    if export:
        return
    for facet in spec.facets:
        counts = catalogue.sql(
            f"SELECT {facet.expr} AS v, COUNT(*) AS n FROM {spec.table}{where} GROUP BY v "
            "ORDER BY n DESC, v LIMIT 40",
            values,
        )
        labels = _facet_labels(
            catalogue, facet, [str(r["v"]) for r in counts if r["v"] is not None]
        )
        chosen = view.filters.get(facet.key)
        view.facets.append(
            (
                facet,
                [
                    (
                        str(r["v"]),
                        labels.get(str(r["v"]), str(r["v"])),
                        int(r["n"]),
                        str(r["v"]) == chosen,
                    )
                    for r in counts
                    if r["v"] is not None
                ],
            )
        )


def _facet_labels(catalogue: Catalogue, facet: Facet, values: list[str]) -> dict[str, str]:
    if facet.labels == "bool":
        return {"1": "有 yes", "0": "无 no"}
    if facet.labels in ("concept", "department"):
        return catalogue.labels(values)
    return {}


def _export(view: View, fmt: str, links: Links) -> Response:
    columns = [c.key for c in view.spec.columns]
    extra = ["iri", "href"]
    records = []
    for row in view.rows:
        record = {key: row.get(key) for key in columns}
        record["iri"] = row.get("iri")
        record["href"] = links.href(str(row.get("iri")))
        records.append(record)
    name = f"perfkg-{view.spec.kind}s"
    if fmt == "json":
        body = json.dumps({"total": view.total, "rows": records}, ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json")
    out = io.StringIO()
    out.write("\ufeff")  # Excel on Chinese Windows reads UTF-8 only with a BOM
    writer = csv.DictWriter(out, fieldnames=[*columns, *extra])
    writer.writeheader()
    writer.writerows(records)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def warm_catalogue(app: Any, store: Any, base: str) -> None:
    """Build the catalogue in the background as the server starts (pages wait for it only if
    they come before it is done)."""
    import threading

    from service.pages.catalogue import CatalogueHolder
    from service.pages.shared import store_key

    if not hasattr(app.state, "catalogue"):
        app.state.catalogue = CatalogueHolder()
    holder = app.state.catalogue
    space = Links(base).space

    def run() -> None:
        try:
            holder.get(store, space, lambda: store_key(store))
        except Exception as error:  # the first page asks again and reports
            log.error("could not build the catalogue: %s", error)

    threading.Thread(target=run, name="perfkg-catalogue", daemon=True).start()


@router.get("/labels", summary="Names of entities and concepts (for result tables)")
def labels(request: Request, store: StoreDep, base: BaseDep) -> Response:
    """``iri`` (repeatable, up to 500): ``{"labels": {iri: name}, "hrefs": {iri: page}}``."""
    links = links_of(request, base)
    wanted = request.query_params.getlist("iri")[:500]
    found = catalogue_of(request, store, links).labels(wanted) if wanted else {}
    body = {"labels": found, "hrefs": {iri: links.href(iri) for iri in wanted}}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


@router.get("/id/", response_class=HTMLResponse, summary="What can be browsed")
def browse_index(request: Request, store: StoreDep, base: BaseDep) -> HTMLResponse:
    links = links_of(request, base)
    catalogue = catalogue_of(request, store, links)
    lists = [(spec, catalogue.count(spec.table)) for spec in LISTS.values()]
    context = {"title": "浏览 Browse", "lists": lists, "findings": catalogue.count("findings")}
    return page(request, "browse.html", context, links)


@router.get("/id/{kind}/", summary="A list with facets, sorting and paging (HTML, CSV, JSON)")
def browse_list(kind: str, request: Request, store: StoreDep, base: BaseDep) -> Response:
    spec = LISTS.get(kind)
    links = links_of(request, base)
    if spec is None:
        raise ApiError(404, "not_found", f"no list of {kind!r}; /id/ lists what can be browsed")
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "json"):
        raise ApiError(400, "bad_parameter", "format= takes html, csv or json")
    catalogue = catalogue_of(request, store, links)
    view = _view(spec, request)
    _fill(view, catalogue, export=fmt != "html")
    if fmt != "html":
        return _export(view, fmt, links)
    concept_values = [
        str(row[c.key])
        for row in view.rows
        for c in spec.columns
        if c.kind == "concept" and row.get(c.key)
    ]
    context = {
        "title": spec.title,
        "view": view,
        "labels": catalogue.labels(concept_values),
        "pages": max(1, -(-view.total // view.size)),
    }
    return page(request, "list.html", context, links)


@router.get("/search", summary="Names of departments, projects, indicators and documents")
def search(request: Request, store: StoreDep, base: BaseDep) -> Response:
    """``q`` (a substring, Chinese or not), ``kind`` (one kind only), ``limit``;
    ``format=json`` for the search box."""
    links = links_of(request, base)
    q = request.query_params.get("q", "").strip()[:100]
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in ("department", "project", "indicator", "document"):
        raise ApiError(
            400, "bad_parameter", "kind= takes department, project, indicator or document"
        )
    try:
        limit = min(200, max(1, int(request.query_params.get("limit", "50"))))
    except ValueError:
        raise ApiError(400, "bad_parameter", "limit= takes a whole number") from None
    catalogue = catalogue_of(request, store, links)
    results = catalogue.search(q, limit, kind) if q else []
    for result in results:
        result["href"] = links.href(result["iri"])
    if request.query_params.get("format") == "json":
        return Response(
            json.dumps({"q": q, "results": results}, ensure_ascii=False),
            media_type="application/json",
        )
    context = {"title": f"搜索 Search: {q}" if q else "搜索 Search", "q": q, "results": results}
    return page(request, "search.html", context, links)
