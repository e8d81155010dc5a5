"""The vocabulary files: each loads on its own and is documented, and they agree with the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from graphbuild.extract.levels import vocabulary
from graphbuild.vocab import (
    CONTEXT_FILE,
    LEVELS_FILE,
    LV,
    ONTOLOGY_DIR,
    ONTOLOGY_FILE,
    PK,
    PKC,
    PKU,
    PREFIXES,
    SHAPES_FILE,
    UNITS_FILE,
)

TURTLE_FILES = sorted(ONTOLOGY_DIR.glob("*.ttl"))
SH = "http://www.w3.org/ns/shacl#"


def load(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load(ONTOLOGY_FILE)


def langs(graph: Graph, subject: URIRef, prop: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, prop) if isinstance(o, Literal)}


def pk_terms(graph: Graph, *types: URIRef) -> list[URIRef]:
    found = {s for t in types for s in graph.subjects(RDF.type, t)}
    return sorted(s for s in found if isinstance(s, URIRef) and str(s).startswith(str(PK._NS)))


# ---- every file on its own --------------------------------------------------------------------
def test_the_expected_files_exist() -> None:
    names = {path.name for path in TURTLE_FILES}
    assert {"perfkg.ttl", "levels.ttl", "units.ttl", "shapes.ttl"} <= names
    assert CONTEXT_FILE.exists()


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_each_turtle_file_parses_alone(path: Path) -> None:
    assert len(load(path)) > 50


def test_context_is_a_json_ld_context() -> None:
    data = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"@context"}
    assert data["@context"]["pk"] == str(PK._NS)


# ---- the ontology -----------------------------------------------------------------------------
def test_every_property_is_documented(ontology: Graph) -> None:
    properties = pk_terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty)
    assert len(properties) > 50
    for prop in properties:
        assert {"zh", "en"} <= langs(ontology, prop, RDFS.label), prop
        assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"
        assert ontology.value(prop, SKOS.definition) is not None, f"{prop} has no definition"


def test_every_class_is_documented(ontology: Graph) -> None:
    classes = pk_terms(ontology, OWL.Class)
    assert len(classes) >= 15
    for cls in classes:
        assert {"zh", "en"} <= langs(ontology, cls, RDFS.label), cls
        assert ontology.value(cls, SKOS.definition) is not None, f"{cls} has no definition"


def test_classes_reuse_the_standard_vocabularies(ontology: Graph) -> None:
    def supers(cls: URIRef) -> set[str]:
        return {str(o) for o in ontology.transitive_objects(cls, RDFS.subClassOf)}

    assert "http://www.w3.org/ns/org#FormalOrganization" in supers(PK.Department)
    assert "http://www.w3.org/ns/prov#Entity" in supers(PK.PerformanceTarget)
    assert "http://www.w3.org/ns/prov#Activity" in supers(PK.Build)
    assert "https://schema.org/QuantitativeValue" in supers(PK.TargetValue)
    assert str(SKOS.Concept) in supers(PK.Indicator)


def test_python_terms_and_ontology_terms_agree(ontology: Graph) -> None:
    """``graphbuild.vocab.PK`` names exactly the classes and properties of perfkg.ttl."""
    defined = {
        str(s)[len(str(PK._NS)) :]
        for s in pk_terms(ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    assert set(PK.__annotations__) == defined


def test_code_lists_are_complete(ontology: Graph) -> None:
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 10  # 6 for the targets, 4 for the budget tables
    for scheme in schemes:
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        assert members == set(ontology.objects(scheme, SKOS.hasTopConcept))
        for concept in members:
            assert {"zh", "en"} <= langs(ontology, concept, SKOS.prefLabel), concept
            assert ontology.value(concept, SKOS.notation) is not None
            assert ontology.value(concept, SKOS.definition) is not None
    notations = {
        str(ontology.value(c, SKOS.notation))
        for c in ontology.subjects(SKOS.inScheme, PKC.comparators)
    }
    assert notations == {">=", "<=", ">", "<", "="}


def test_every_pk_term_used_anywhere_is_defined(ontology: Graph) -> None:
    defined = {str(s) for s in ontology.subjects()}
    for path in TURTLE_FILES:
        graph = load(path)
        used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
        missing = {t for t in used if t.startswith((str(PK._NS), str(PKC))) and t not in defined}
        assert not missing, f"{path.name} uses undefined terms: {sorted(missing)}"


# ---- levels -----------------------------------------------------------------------------------
def test_levels_have_labels_and_level2_have_broader_level1() -> None:
    graph = load(LEVELS_FILE)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 20
    for concept in concepts:
        assert {"zh", "en"} <= langs(graph, concept, SKOS.prefLabel), concept
        level = int(graph.value(concept, PK.level))
        parents = list(graph.objects(concept, SKOS.broader))
        if level == 1:
            assert parents == [] and (concept, SKOS.topConceptOf, LV[""]) in graph
        else:
            assert len(parents) == 1, concept
            assert int(graph.value(parents[0], PK.level)) == 1


def test_the_extractor_still_reads_the_levels() -> None:
    labels = {level.label for level in vocabulary().levels}
    assert {"产出指标", "成本指标", "效益指标", "满意度指标", "服务对象满意度指标"} <= labels


# ---- units ------------------------------------------------------------------------------------
def test_units_have_notations_and_english_labels() -> None:
    graph = load(UNITS_FILE)
    units = set(graph.subjects(SKOS.inScheme, PKU[""]))
    assert len(units) >= 30
    plain: list[str] = []
    for unit in units:
        assert {"zh", "en"} <= langs(graph, unit, SKOS.prefLabel), unit
        notations = [n for n in graph.objects(unit, SKOS.notation) if n.datatype is None]
        assert len(notations) == 1, unit
        plain.append(str(notations[0]))
    assert len(plain) == len(set(plain)), "two units share a notation"
    assert {
        "元",
        "万元",
        "%",
        "个",
        "人",
        "人次",
        "户",
        "平方米",
        "公里",
        "天",
        "年",
        "月",
        "次",
    } <= set(plain)
    assert "元/人/月" in plain


def test_unit_labels_are_unambiguous() -> None:
    """A printed form (notation, prefLabel or altLabel in Chinese) names one unit only."""
    graph = load(UNITS_FILE)
    owner: dict[str, URIRef] = {}
    for prop in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel):
        for unit, label in graph.subject_objects(prop):
            if getattr(label, "language", None) in (None, "zh") and label.datatype is None:
                assert owner.setdefault(str(label), unit) == unit, str(label)


# ---- shapes -----------------------------------------------------------------------------------
def test_shapes_are_valid_shacl() -> None:
    """The shapes graph conforms to SHACL's own shapes (pyshacl's meta-SHACL check)."""
    conforms, _, text = validate(Graph(), shacl_graph=load(SHAPES_FILE), meta_shacl=True)
    assert conforms, text


def test_every_shape_has_a_message() -> None:
    graph = load(SHAPES_FILE)
    shapes = set(graph.subjects(URIRef(SH + "path"), None))
    assert len(shapes) > 40
    for shape in shapes:
        if (shape, URIRef(SH + "path"), None) in graph and graph.value(
            shape, URIRef(SH + "message")
        ) is None:
            # property shapes inside sh:or need no message of their own
            assert (None, RDF.first, shape) in graph, shape


# ---- JSON-LD context --------------------------------------------------------------------------
def test_context_has_a_term_for_every_property_coerced_by_its_range(ontology: Graph) -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    for prop in pk_terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty):
        name = str(prop)[len(str(PK._NS)) :]
        term = context[name]
        assert term["@id"] == f"pk:{name}"
        rng = ontology.value(prop, RDFS.range)
        if (prop, RDF.type, OWL.ObjectProperty) in ontology:
            assert term.get("@type") == "@id", name
        elif rng == RDF.langString:
            assert term.get("@language") == "zh", name
        elif isinstance(rng, URIRef) and rng != XSD.string:
            assert term.get("@type") == "xsd:" + str(rng).rsplit("#", 1)[1], name
        else:
            assert "@type" not in term and "@language" not in term, name
    for cls in pk_terms(ontology, OWL.Class):
        assert context[str(cls)[len(str(PK._NS)) :]] == f"pk:{str(cls)[len(str(PK._NS)) :]}"


def test_context_prefixes_match_the_code() -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    for prefix, namespace in PREFIXES.items():
        assert context[prefix] == namespace
