"""The indicator-level vocabulary (一级/二级指标), read from ``ontology/levels.ttl``.

Labels in documents come in full, short, variant and OCR-damaged forms. ``lookup`` maps any of
them onto the concepts of the SKOS scheme; a label it does not know is kept by the caller as
printed and reported as a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graphbuild.extract.cells import fold_variants
from graphbuild.vocab import LEVELS_FILE

# Words of the indicator table's header row; a cell holding one of them is not data.
HEADER_WORDS = frozenset(
    {
        "绩效指标",
        "年度绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "四级指标",
        "指标值",
        "指标名称",
        "指标值说明",
        "一级",
        "二级",
        "三级",
        "指标",
        "年度指标值",
        "实施期指标值",
        "绩效",
        "年度",
        "年初指标值",
        "调整后指标值",
        "年初指标",
        "调整后指标",
        "实际完成值",
        "分值",
        "权重",
        "得分",
        "偏差原因分析及改进措施",
        "年度绩效目标",
        "绩效目标",
    }
)


@dataclass(frozen=True)
class Level:
    """A concept of the level scheme."""

    iri: str
    label: str
    level: int
    parent: str | None
    order: str
    department_only: bool

    @property
    def key(self) -> str:
        return label_key(self.label)


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The matching key of a label: variants folded, a trailing 指标 (or a cut 指) removed.

    >>> label_key("服务对象满意度指标"), label_key("产出指 标"), label_key("二級指标")
    ('服务对象满意度', '产出', '二级')
    """
    text = fold_variants(text)
    text = re.sub(r"[:：()（）]", "", text)
    return re.sub(r"(指标|指)$", "", text)


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[Level, ...]
    by_key: dict[str, tuple[Level, ...]]

    def lookup(self, text: str) -> tuple[Level, ...]:
        """All concepts whose label, short or variant form matches ``text``."""
        return self.by_key.get(label_key(text), ())

    def level1(self, label: str) -> Level | None:
        return next((lv for lv in self.levels if lv.level == 1 and lv.label == label), None)

    def children(self, parent: str) -> list[Level]:
        """Level 2 concepts under a level 1 label, in framework order."""
        kids = [lv for lv in self.levels if lv.level == 2 and lv.parent == parent]
        return sorted(kids, key=lambda lv: lv.order)


_WEIGHTED = re.compile(r"^(?P<label>.+?)\s*[(（]\s*(?P<weight>\d+(?:\.\d+)?)\s*分?\s*[)）]$")


@lru_cache(maxsize=65536)
def split_weight(text: str) -> tuple[str, float | None]:
    """A level label printed with its weight, split: ``产出指标(50分)`` → (``产出指标``, 50.0).

    Only a label of the level vocabulary is split; other text comes back as it was.

    >>> split_weight("产出指标(50分)"), split_weight("满意度指标（10分）"), split_weight("培训(2期)")
    (('产出指标', 50.0), ('满意度指标', 10.0), ('培训(2期)', None))
    """
    match = _WEIGHTED.match(text.strip())
    if match is None or not vocabulary().lookup(match.group("label")):
        return text, None
    return match.group("label"), float(match.group("weight"))


@lru_cache(maxsize=65536)
def is_header_word(text: str) -> bool:
    """True for the words of an indicator table's header row (一级指标, 指标值 …)."""
    folded = fold_variants(text)
    return folded in HEADER_WORDS or bool(re.fullmatch(r"[一二三四]级指标?", folded))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The level vocabulary, parsed once from the ontology file."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import SKOS

    pk = Namespace("https://w3id.org/perfkg/ontology#")
    graph = Graph().parse(LEVELS_FILE, format="turtle")
    labels: dict[str, str] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        if getattr(label, "language", None) == "zh":
            labels[str(concept)] = str(label)
    levels: list[Level] = []
    forms: list[tuple[str, Level]] = []
    for concept in graph.subjects(pk.level, None):
        iri = str(concept)
        parent = graph.value(concept, SKOS.broader)
        level = Level(
            iri=iri,
            label=labels[iri],
            level=int(graph.value(concept, pk.level)),
            parent=labels[str(parent)] if parent is not None else None,
            order=str(graph.value(concept, SKOS.notation) or "9"),
            department_only=graph.value(concept, pk.tableScope) is not None,
        )
        levels.append(level)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for form in graph.objects(concept, prop):
                if getattr(form, "language", None) == "zh":
                    forms.append((label_key(str(form)), level))
    by_key: dict[str, list[Level]] = {}
    for key, level in forms:
        if level not in by_key.setdefault(key, []):
            by_key[key].append(level)
    ordered = tuple(sorted(levels, key=lambda lv: lv.order))
    return Vocabulary(ordered, {k: tuple(v) for k, v in by_key.items()})
