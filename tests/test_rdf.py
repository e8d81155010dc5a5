"""The RDF mapping: golden graphs, stable IRIs, records round trips, SHACL shapes, JSON-LD."""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV, RDF, XSD

from graphbuild.extract import extract_text
from graphbuild.extract.levels import vocabulary
from graphbuild.extract.read import read_document
from graphbuild.graph import iris
from graphbuild.graph.mapping import BuildInput, build_graph, document_graph, document_nquads
from graphbuild.graph.reading import records_from_graph
from graphbuild.records import (
    Diagnostic,
    Document,
    Extraction,
    FundingSource,
    Project,
    Target,
    to_dict,
)
from graphbuild.vocab import CONTEXT_FILE, LV, PK, PKC, PKU, SCHEMA, SHAPES_FILE

CASES_DIR = Path(__file__).resolve().parent / "data" / "graphs"
CASES = sorted(path.name for path in CASES_DIR.iterdir() if path.is_dir())
BASE = "http://example.org/kg/"


# ---- helpers ----------------------------------------------------------------------------------
def load_extraction(path: Path) -> Extraction:
    """Records written by hand as JSON Lines (fields left out are null) as an Extraction."""
    kinds: dict[str, Any] = {"project": Project, "target": Target, "diagnostic": Diagnostic}
    document: Document | None = None
    found: dict[str, list[Any]] = {"project": [], "target": [], "diagnostic": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        kind = data.pop("record")
        if kind == "document":
            document = Document(**data)
            continue
        cls = kinds[kind]
        defaults = {name: None for name in cls.__dataclass_fields__ if name != "record"}
        if kind == "project":
            data["funding"] = [
                FundingSource(**{k: _float(v) for k, v in line.items()})
                for line in data.get("funding", [])
            ]
        if kind == "target":
            defaults.update(placeholder=False, kind="empty")
        if kind == "diagnostic":
            defaults.update(cells=[], severity="warning")
        record = cls(**{**defaults, **data})
        for name, value in vars(record).items():  # numbers are floats in records
            if name not in ("line", "project_line", "year", "lines"):
                setattr(record, name, _float(value))
        found[kind].append(record)
    assert document is not None, f"{path}: no document record"
    return Extraction(document, found["project"], found["target"], found["diagnostic"])


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Fail with the triples only one side has when the graphs are not isomorphic."""
    if isomorphic(actual, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))

    def dump(graph: Graph) -> str:
        return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph))

    pytest.fail(
        f"graphs differ\nonly in the mapping ({len(only_actual)}):\n{dump(only_actual)}\n"
        f"only in expected.ttl ({len(only_expected)}):\n{dump(only_expected)}"
    )


def canonical(records: list[Any]) -> list[str]:
    return sorted(
        json.dumps(to_dict(record), ensure_ascii=False, sort_keys=True) for record in records
    )


def assert_round_trip(extraction: Extraction) -> None:
    back = records_from_graph(document_graph(extraction, base=BASE))
    assert to_dict(back.document) == to_dict(extraction.document)
    assert canonical(back.projects) == canonical(extraction.projects)
    assert canonical(back.targets) == canonical(extraction.targets)
    assert canonical(back.budget_lines) == canonical(extraction.budget_lines)
    assert [to_dict(d) for d in back.diagnostics] == [to_dict(d) for d in extraction.diagnostics]


@pytest.fixture(scope="session")
def sample_graphs(samples: dict[str, Extraction]) -> dict[str, Graph]:
    """The document graph of every sample, mapped once (read-only)."""
    return {name: document_graph(extraction) for name, extraction in samples.items()}


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def shacl(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = validate(graph, shacl_graph=shapes, inference="none")
    return bool(conforms), report, str(text)


# ---- golden graphs ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES)
def test_golden_graph(case: str) -> None:
    extraction = load_extraction(CASES_DIR / case / "records.jsonl")
    graph = document_graph(extraction, base=BASE)
    expected = Graph().parse(CASES_DIR / case / "expected.ttl", format="turtle")
    assert str(graph.identifier) == f"{BASE}graph/{case}.txt"
    assert_isomorphic(graph, expected)


@pytest.mark.parametrize("case", CASES)
def test_golden_records_round_trip(case: str) -> None:
    assert_round_trip(load_extraction(CASES_DIR / case / "records.jsonl"))


_TEXT_FIELDS = ("period", "level1", "level2", "level3", "value", "line", "op", "number", "unit")


@pytest.mark.parametrize("case", ["shanxi_project", "henan_row_group"])
def test_golden_records_agree_with_the_extractor(case: str) -> None:
    """The hand-written records are what the extractor reads from the same text."""
    source = replace(read_document(CASES_DIR / case / "source.txt"), name=f"{case}.txt")
    got = extract_text(source)
    want = load_extraction(CASES_DIR / case / "records.jsonl")

    def core(targets: list[Target]) -> list[tuple]:
        return sorted(tuple(getattr(t, f) for f in (*_TEXT_FIELDS, "date")) for t in targets)

    assert core(got.targets) == core(want.targets)
    assert [(p.project, p.line, p.project_code, p.total_funds_yuan) for p in got.projects] == [
        (p.project, p.line, p.project_code, p.total_funds_yuan) for p in want.projects
    ]


# ---- IRIs -------------------------------------------------------------------------------------
def test_iris_are_identical_across_two_mappings(samples: dict[str, Extraction]) -> None:
    for extraction in samples.values():
        first, second = document_graph(extraction), document_graph(extraction)
        assert first.identifier == second.identifier
        assert set(first) == set(second)  # no blank nodes: equal as sets, not just isomorphic


def test_sample_graphs_have_no_blank_nodes(sample_graphs: dict[str, Graph]) -> None:
    for graph in sample_graphs.values():
        assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_targets_on_one_line_and_period_are_numbered() -> None:
    extraction = load_extraction(CASES_DIR / "henan_row_group" / "records.jsonl")
    graph = document_graph(extraction, base=BASE)
    targets = sorted(str(s) for s in graph.subjects(RDF.type, PK.PerformanceTarget))
    prefix = f"{BASE}id/target/henan_row_group.txt/16/annual"
    assert [t for t in targets if t.startswith(prefix)] == [
        prefix,
        f"{prefix}/2",
        f"{prefix}/3",
        f"{prefix}/4",
    ]


def test_base_comes_from_the_argument_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extraction = Extraction(Document("d.txt", "unknown", None, None, None, None))
    monkeypatch.delenv(iris.BASE_ENV, raising=False)
    assert str(document_graph(extraction).identifier) == f"{iris.DEFAULT_BASE}graph/d.txt"
    monkeypatch.setenv(iris.BASE_ENV, "https://kg.example.net/perf")
    assert str(document_graph(extraction).identifier) == "https://kg.example.net/perf/graph/d.txt"
    assert str(document_graph(extraction, BASE).identifier) == f"{BASE}graph/d.txt"


def test_same_indicator_name_is_one_concept_across_documents() -> None:
    def doc(name: str, level3: str) -> Extraction:
        target = Target(name, "department", None, "annual", "产出指标", None, level3, "1个", 3)
        return Extraction(Document(name, "unknown", None, None, None, None), targets=[target])

    a = document_graph(doc("a.txt", "报纸 份数"), BASE)
    b = document_graph(doc("b.txt", "报纸份数"), BASE)
    assert set(a.objects(None, PK.indicator)) == set(b.objects(None, PK.indicator))


# ---- mapping details --------------------------------------------------------------------------
def _one_target(**fields: Any) -> Graph:
    target = Target("d.txt", "department", None, "annual", "产出指标", "数量指标", "x", "1", 5)
    for name, value in fields.items():
        setattr(target, name, value)
    document = Document("d.txt", "unknown", None, None, None, None)
    return document_graph(Extraction(document, targets=[target]), BASE)


def test_unknown_level_labels_are_kept_as_literals() -> None:
    graph = _one_target(level1="产出指标", level2="群众满意度")
    target = URIRef(f"{BASE}id/target/d.txt/5/annual")
    assert graph.value(target, PK.level1) == LV["output"]
    assert graph.value(target, PK.level2) is None
    assert graph.value(target, PK.level2Label) == Literal("群众满意度", lang="zh")


def test_level2_cost_resolves_under_its_level1() -> None:
    target = URIRef(f"{BASE}id/target/d.txt/5/annual")
    under_output = _one_target(level1="产出指标", level2="成本指标")
    assert under_output.value(target, PK.level2) == LV["output-cost"]
    cost = _one_target(level1="成本指标", level2="经济成本指标")
    assert cost.value(target, PK.level1) == LV["cost"]
    assert cost.value(target, PK.level2) == LV["economic-cost"]


def test_unit_outside_the_scheme_is_kept_as_text_only() -> None:
    value = URIRef(f"{BASE}id/target/d.txt/5/annual#value")
    graph = _one_target(unit="年1次", number=12.0, kind="quantity")
    assert graph.value(value, SCHEMA.unitText) == Literal("年1次")
    assert graph.value(value, SCHEMA.unitCode) is None
    known = _one_target(unit="平米", number=6.75, kind="quantity")  # an altLabel
    assert known.value(value, SCHEMA.unitCode) == PKU["square-metre"]


@pytest.mark.parametrize(
    ("number", "lexical"),
    [(95.0, "95.0"), (0.1, "0.1"), (1e-7, "0.0000001"), (1.5e16, "15000000000000000.0")],
)
def test_numbers_are_decimals_that_read_back_exactly(number: float, lexical: str) -> None:
    graph = _one_target(number=number, kind="quantity")
    literal = graph.value(URIRef(f"{BASE}id/target/d.txt/5/annual#value"), SCHEMA.value)
    assert literal.datatype == XSD.decimal
    assert str(literal) == lexical
    assert float(str(literal)) == number


@pytest.mark.parametrize(
    ("date", "datatype"),
    [("2024-12-31", XSD.date), ("2024-12", XSD.gYearMonth), ("2024", XSD.gYear)],
)
def test_dates_take_the_datatype_of_their_precision(date: str, datatype: URIRef) -> None:
    graph = _one_target(date=date, kind="date")
    literal = graph.value(URIRef(f"{BASE}id/target/d.txt/5/annual#value"), PK.dateValue)
    assert (str(literal), literal.datatype) == (date, datatype)


def test_every_fact_is_derived_from_its_document(sample_graphs: dict[str, Graph]) -> None:
    for graph in sample_graphs.values():
        document = next(graph.subjects(RDF.type, PK.Document))
        for cls in (PK.Project, PK.PerformanceTarget, PK.Diagnostic):
            for node in graph.subjects(RDF.type, cls):
                assert graph.value(node, PROV.wasDerivedFrom) == document


def test_nquads_are_the_document_graph(samples: dict[str, Extraction]) -> None:
    """The N-Quads the build loads hold exactly the triples of ``document_graph``, each in the
    document's graph, and Oxigraph's own parser reads them."""
    for extraction in samples.values():
        name, data, count = document_nquads(extraction)
        graph = document_graph(extraction)
        quads = list(ox.parse(data, ox.RdfFormat.N_QUADS))
        assert name == str(graph.identifier) and count == len(quads) == len(graph)
        assert {q.graph_name.value for q in quads} == {name}
        nt = graph.serialize(format="nt", encoding="utf-8")
        expected = {q.triple for q in ox.parse(nt, ox.RdfFormat.N_TRIPLES)}
        assert {q.triple for q in quads} == expected


def test_vocabulary_used_by_the_samples_is_defined(sample_graphs: dict[str, Graph]) -> None:
    """Every pk:, lv:, pkc: and pku: IRI in the data is defined in the ontology files."""
    defined = Graph()
    for name in ("perfkg.ttl", "levels.ttl", "units.ttl"):
        defined.parse(SHAPES_FILE.parent / name, format="turtle")
    subjects = {str(s) for s in defined.subjects()}
    namespaces = (str(PK._NS), str(LV), str(PKC), str(PKU))
    for graph in sample_graphs.values():
        used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
        undefined = {t for t in used if t.startswith(namespaces) and t not in subjects}
        assert not undefined


def test_units_of_the_samples_are_mostly_in_the_scheme(sample_graphs: dict[str, Graph]) -> None:
    """Nearly every printed unit maps to a unit concept; the rest keep their text only."""
    with_text = with_code = 0
    for graph in sample_graphs.values():
        for value in graph.subjects(SCHEMA.unitText, None):
            with_text += 1
            with_code += graph.value(value, SCHEMA.unitCode) is not None
    assert with_text > 500
    assert with_code / with_text > 0.95


# ---- records -> RDF -> records ----------------------------------------------------------------
def test_samples_round_trip(samples: dict[str, Extraction]) -> None:
    for extraction in samples.values():
        assert_round_trip(extraction)


_LEVEL1 = [lv.label for lv in vocabulary().levels if lv.level == 1]
_LEVEL2 = [lv.label for lv in vocabulary().levels if lv.level == 2]
_text = st.text(max_size=12)
_maybe_text = st.none() | _text
# xsd:decimal has no negative zero: -0.0 maps to 0.0, so records hold 0.0.
_number = st.none() | st.floats(allow_nan=False, allow_infinity=False).map(lambda x: x + 0.0)


@st.composite
def extractions(draw: st.DrawFn) -> Extraction:
    name = draw(st.text(min_size=1, max_size=20))
    department = draw(st.none() | st.text(min_size=1, max_size=10))
    code = draw(st.none() | st.text(min_size=1, max_size=5))
    document = Document(
        document=name,
        family=draw(
            st.sampled_from(["shanxi_budget", "henan_budget", "final_accounts", "unknown"])
        ),
        kind=draw(st.sampled_from([None, "budget", "final_accounts"])),
        year=draw(st.none() | st.integers(1000, 9999)),
        department=department,
        department_code=code,
        encoding=draw(st.sampled_from(["utf-8", "gb18030"])),
        lines=draw(st.integers(0, 10**6)),
    )
    lines = draw(st.lists(st.integers(1, 10**6), unique=True, max_size=3))
    projects = []
    for line in lines:
        same_department = draw(st.booleans())
        project = Project(
            document=name,
            project=draw(_text),
            line=line,
            project_code=draw(_maybe_text),
            department=department if same_department else None,
            department_code=code if same_department else None,
            implementing_unit=draw(_maybe_text),
            overview=draw(_maybe_text),
            total_funds_yuan=draw(_number),
            annual_funds_yuan=draw(_number),
            funding=draw(st.lists(st.builds(FundingSource, _text, _number, _number), max_size=3)),
            budget_yuan=draw(_number),
            total_score=draw(_number),
            grade=draw(st.none() | st.sampled_from(["优", "良", "中", "差"])),
        )
        projects.append(project)
    owners = [(None, None)] + [(p.project, p.line) for p in projects] + [("孤立项目", 999999999)]
    targets = []
    for _ in range(draw(st.integers(0, 6))):
        project, project_line = draw(st.sampled_from(owners))
        targets.append(
            Target(
                document=name,
                table="department" if project is None else "project",
                project=project,
                period=draw(st.sampled_from(["implementation", "annual"])),
                level1=draw(st.none() | st.sampled_from(_LEVEL1) | _text),
                level2=draw(st.none() | st.sampled_from(_LEVEL2) | _text),
                level3=draw(_text),
                value=draw(_text),
                line=draw(st.integers(1, 50)),
                op=draw(st.sampled_from([None, ">=", "<=", ">", "<", "="])),
                number=draw(_number),
                number_max=draw(_number),
                unit=draw(st.none() | st.sampled_from(["%", "元", "平米", "年1次"]) | _text),
                kind=draw(
                    st.sampled_from(["quantity", "percent", "date", "qualitative", "text", "empty"])
                ),
                date=draw(st.none() | st.sampled_from(["2024", "2024-12", "2024-12-31"]) | _text),
                placeholder=draw(st.booleans()),
                level1_raw=draw(_maybe_text),
                level3_raw=draw(_maybe_text),
                description=draw(_maybe_text),
                initial_value=draw(_maybe_text),
                actual=draw(_maybe_text),
                weight=draw(_number),
                score=draw(_number),
                deviation_reason=draw(_maybe_text),
                project_line=project_line,
            )
        )
    diagnostics = draw(
        st.lists(
            st.builds(
                Diagnostic,
                st.just(name),
                st.none() | st.integers(1, 10**6),
                st.text(min_size=1, max_size=20),
                st.lists(
                    st.text(
                        alphabet=st.characters(exclude_characters="\t", exclude_categories=("Cs",)),
                        max_size=5,
                    ),
                    max_size=4,
                ),
                st.sampled_from(["info", "warning", "error"]),
            ),
            max_size=3,
        )
    )
    return Extraction(document, projects, targets, diagnostics)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions())
def test_records_round_trip_through_rdf(extraction: Extraction) -> None:
    assert_round_trip(extraction)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions())
def test_round_trip_survives_n_triples(extraction: Extraction) -> None:
    """Serialised and parsed again, the graph still gives back the same records."""
    graph = document_graph(extraction, base=BASE)
    text = graph.serialize(format="nt")
    parsed = Graph(identifier=graph.identifier).parse(data=text, format="nt")
    assert_isomorphic(parsed, graph)
    back = records_from_graph(parsed)
    assert canonical(back.targets) == canonical(extraction.targets)


# ---- SHACL ------------------------------------------------------------------------------------
def test_sample_graphs_conform_to_the_shapes(
    sample_graphs: dict[str, Graph], shapes: Graph
) -> None:
    for name, graph in sample_graphs.items():
        conforms, _, text = shacl(graph, shapes)
        assert conforms, f"{name}:\n{text[:2000]}"


@pytest.mark.parametrize("case", CASES)
def test_golden_graphs_conform_to_the_shapes(case: str, shapes: Graph) -> None:
    graph = Graph().parse(CASES_DIR / case / "expected.ttl", format="turtle")
    conforms, _, text = shacl(graph, shapes)
    assert conforms, text


def test_build_graph_conforms_and_describes_the_run(shapes: Graph, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("项目".encode())
    started = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    ended = datetime(2024, 5, 1, 8, 1, tzinfo=UTC)
    graph = build_graph([path, BuildInput("b.txt", "0" * 64)], started, ended, BASE)
    assert str(graph.identifier) == f"{BASE}graph/build"
    conforms, _, text = shacl(graph, shapes)
    assert conforms, text
    run = next(graph.subjects(RDF.type, PK.Build))
    assert set(graph.objects(run, PROV.used)) == {
        URIRef(f"{BASE}id/document/a.txt"),
        URIRef(f"{BASE}id/document/b.txt"),
    }
    digest = hashlib.sha256("项目".encode()).hexdigest()
    assert graph.value(URIRef(f"{BASE}id/document/a.txt"), PK.sha256) == Literal(digest)
    assert graph.value(run, PROV.startedAtTime) == Literal(
        "2024-05-01T08:00:00+00:00", datatype=XSD.dateTime
    )
    again = build_graph([path, BuildInput("b.txt", "0" * 64)], started, ended, BASE)
    assert set(again) == set(graph)


def test_a_broken_graph_fails_and_the_report_names_the_offending_nodes(shapes: Graph) -> None:
    graph = Graph().parse(CASES_DIR / "final_accounts" / "expected.ttl", format="turtle")
    target = URIRef(f"{BASE}id/target/final_accounts.txt/18/annual")
    value = URIRef(f"{target}#value")
    project = URIRef(f"{BASE}id/project/final_accounts.txt/7")
    diagnostic = URIRef(f"{BASE}id/diagnostic/final_accounts.txt/1")
    graph.remove((target, PK.level1, None))  # no level 1
    graph.set((value, SCHEMA.value, Literal("600")))  # a number that is not a decimal
    graph.add((project, PK.totalFunds, Literal("-5", datatype=XSD.decimal)))  # negative funds
    graph.remove((diagnostic, PK.reason, None))  # a diagnostic without a reason
    conforms, report, text = shacl(graph, shapes)
    assert not conforms
    sh = Namespace("http://www.w3.org/ns/shacl#")
    focus = {o for o in report.objects(None, sh.focusNode)}
    assert {target, value, project, diagnostic} <= focus
    assert "exactly one level 1" in text
    assert "non-empty pk:reason" in text


# ---- JSON-LD ----------------------------------------------------------------------------------
def test_json_ld_with_the_context_round_trips(sample_graphs: dict[str, Graph]) -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    graph = sample_graphs["004_5c2b6dad15e272f5.txt"]
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    data = json.loads(text)
    nodes = data["@graph"]
    target = next(node for node in nodes if node.get("type") == "PerformanceTarget")
    assert {"indicatorName", "targetValue", "level1", "sourceLine", "derivedFrom"} <= set(target)
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses a deprecated class inside
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = Graph().parse(data=text, format="json-ld")
    assert_isomorphic(parsed, graph)
