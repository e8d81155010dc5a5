"""Indicator-name groups: near-duplicate 三级指标 names grouped by one documented rule.

Units write their own level 3 names, so one idea appears under many names: 职工满意度,
工作人员满意度 and 干部职工满意度 are the same indicator. A *name group* groups such names.

The rule (also in ``docs/network.md``)
--------------------------------------
1. **Normalise** the name: Unicode NFKC (full-width forms to half-width), Latin letters to lower
   case, whitespace and quotation marks (“”‘’"'《》〈〉「」) removed, a bracketed remark
   ``（…）`` / ``(…)`` / ``[…]`` removed.
2. **Head word**: the longest of :data:`HEADS` (满意度, 完成率, 覆盖率, 人数, 时间, 成本, 标准 …)
   that ends the name, after :data:`HEAD_VARIANTS` have been mapped (满意程度 → 满意度,
   可持续性 → 可持续); no listed head word: the head is empty.
3. **Modifier**: the name without its head word; synonymous words for the staff of a unit
   (:data:`STAFF_WORDS`: 干部职工, 工作人员, 机关人员, 干部, 员工 …) are replaced by 职工,
   then qualifiers that do not change what is measured (:data:`QUALIFIERS`: 全体, 年度, 整体,
   总体, 综合, 相关, 各项 …) are removed.
4. Two names are **near-duplicates** when their head words are equal and non-empty and the
   Jaccard index of the character bigrams of their modifiers is at least
   :data:`THRESHOLD` (0.5). A modifier of one character counts as the one-element set of that
   character, an empty modifier as the empty set, and two empty sets are identical (Jaccard
   1): 满意度 matches only 满意度. Names without a head word are near-duplicates only when their
   normalised forms are equal.
5. **Name groups** are the connected components of the near-duplicate graph
   (``networkx.connected_components``); a name group is named after its member with the most
   targets (then the shortest name, then the first in code-point order).

>>> key("干部职工满意度"), key("工作人员满意度"), key("职工满意度")
(('满意度', '职工'), ('满意度', '职工'), ('满意度', '职工'))
>>> near_duplicate("职工满意度", "群众满意度"), near_duplicate("职工满意度", "职工体检覆盖率")
(False, False)
>>> near_duplicate("每个党建工作指导员基本补助标准", "每个党建指导员基本补助标准")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

import networkx as nx

THRESHOLD = 0.5
"""Least Jaccard index of the modifiers' character bigrams for two names to be near-duplicates."""

HEADS: tuple[str, ...] = (
    # satisfaction and other degrees
    "满意度",
    "知晓率",
    "满足度",
    "获得感",
    "幸福感",
    # rates
    "完成率",
    "合格率",
    "达标率",
    "覆盖率",
    "及时率",
    "到位率",
    "执行率",
    "使用率",
    "利用率",
    "准确率",
    "参与率",
    "发放率",
    "完好率",
    "正确率",
    "通过率",
    "增长率",
    "投诉率",
    "控制率",
    "运行率",
    "在线率",
    "故障率",
    "率",
    # quantities
    "人数",
    "人次",
    "次数",
    "期数",
    "户数",
    "数量",
    "份数",
    "面积",
    "金额",
    # time
    "完成时间",
    "时间",
    "时限",
    "时效",
    "期限",
    "周期",
    # cost and standards
    "成本",
    "费用",
    "经费",
    "补助标准",
    "补贴标准",
    "标准",
    # qualities and effects
    "及时性",
    "规范性",
    "合规性",
    "健全性",
    "有效性",
    "可持续",
    "质量",
    "水平",
    "效果",
    "情况",
)
"""Head words, matched as the longest one that ends the (normalised) name."""

HEAD_VARIANTS: dict[str, str] = {
    "满意程度": "满意度",
    "可持续性": "可持续",
    "持续性": "可持续",
}
"""Endings rewritten before the head word is looked up."""

STAFF_WORDS: tuple[str, ...] = (
    "干部职工",
    "机关干部",
    "机关人员",
    "单位职工",
    "在职职工",
    "工作人员",
    "员工",
    "干部",
    "职工",
)
"""Words for the staff of a unit, each replaced by 职工 (longest first)."""

QUALIFIERS: tuple[str, ...] = (
    "全体",
    "全部",
    "全年",
    "年度",
    "本年",
    "当年",
    "整体",
    "总体",
    "综合",
    "平均",
    "相关",
    "有关",
    "各项",
    "各类",
    "的",
)
"""Words removed from the modifier: they do not change what is measured."""

_REMARK = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_DROP = re.compile(r"[\s\"'“”‘’《》〈〉「」『』]+")
_STAFF = re.compile("|".join(map(re.escape, STAFF_WORDS)))
_QUALIFIER = re.compile("|".join(map(re.escape, QUALIFIERS)))
_HEADS_LONGEST_FIRST = sorted(HEADS, key=len, reverse=True)


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Step 1 of the rule: the comparable form of an indicator name.

    >>> normalise(" 《开发区之声》栏目质量（含重播） ")
    '开发区之声栏目质量'
    """
    text = unicodedata.normalize("NFKC", name).lower()
    text = _REMARK.sub("", text)
    return _DROP.sub("", text)


@lru_cache(maxsize=65536)
def key(name: str) -> tuple[str, str]:
    """Steps 1–3 of the rule: ``(head word, modifier)`` of a name.

    >>> key("项目可持续性"), key("办公椅")
    (('可持续', '项目'), ('', '办公椅'))
    """
    text = normalise(name)
    for variant, head in HEAD_VARIANTS.items():
        if text.endswith(variant):
            text = text[: -len(variant)] + head
            break
    head = next((h for h in _HEADS_LONGEST_FIRST if text.endswith(h) and len(text) >= len(h)), "")
    modifier = text[: len(text) - len(head)]
    if not head:
        return "", modifier
    modifier = _QUALIFIER.sub("", _STAFF.sub("职工", modifier))
    return head, modifier


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of ``text``; a one-character text is its own only gram.

    >>> sorted(bigrams("职工")), sorted(bigrams("群")), sorted(bigrams(""))
    (['职工'], ['群'], [])
    """
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|, and 1.0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def similarity(a: str, b: str) -> float:
    """How alike two names are under the rule: 0.0 for different head words, else the
    modifiers' bigram Jaccard (names without a head word: 1.0 when equal, else 0.0).

    >>> similarity("职工满意度", "干部职工满意度"), similarity("职工满意度", "群众满意度")
    (1.0, 0.0)
    """
    (head_a, mod_a), (head_b, mod_b) = key(a), key(b)
    if head_a != head_b:
        return 0.0
    if not head_a:
        return 1.0 if mod_a == mod_b else 0.0
    return jaccard(bigrams(mod_a), bigrams(mod_b))


def near_duplicate(a: str, b: str) -> bool:
    """Step 4 of the rule."""
    return similarity(a, b) >= THRESHOLD


def group_graph(names: Mapping[str, str], weights: Mapping[str, int] | None = None) -> nx.Graph:
    """The near-duplicate graph of indicators: ``names`` maps a node id (an indicator IRI)
    to its name; ``weights`` (targets per node) only names the name groups.

    Nodes carry ``label``, ``head``, ``modifier``, ``targets`` and ``name group`` (the name group's
    name); an edge joins two near-duplicates and carries their ``weight`` (the similarity).
    Candidate pairs share a head word and a modifier bigram (an inverted index), so the work
    grows with the pairs that can match, not with the square of the names.
    """
    graph = nx.Graph()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)  # (head, gram) -> nodes
    exact: dict[str, list[str]] = defaultdict(list)  # names without head -> nodes
    grams: dict[str, frozenset[str]] = {}
    for node, name in names.items():
        head, modifier = key(name)
        graph.add_node(
            node, label=name, head=head, modifier=modifier, targets=(weights or {}).get(node, 0)
        )
        if not head:
            exact[modifier].append(node)
            continue
        grams[node] = bigrams(modifier)
        for gram in grams[node] or {""}:
            groups[head, gram].append(node)
    for members in exact.values():
        nx.add_path(graph, members, weight=1.0)
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if graph.has_edge(a, b):
                    continue
                score = jaccard(grams[a], grams[b])
                if score >= THRESHOLD:
                    graph.add_edge(a, b, weight=round(score, 6))
    for members in nx.connected_components(graph):
        name = group_name(graph.nodes[n]["label"] for n in _by_weight(graph, members))
        for node in members:
            graph.nodes[node]["name_group"] = name
    return graph


def _by_weight(graph: nx.Graph, members: Iterable[str]) -> list[str]:
    """Members with the most targets first (then shortest, then code-point order)."""
    return sorted(
        members,
        key=lambda n: (
            -graph.nodes[n]["targets"],
            len(graph.nodes[n]["label"]),
            graph.nodes[n]["label"],
        ),
    )


def group_name(labels_best_first: Iterable[str]) -> str:
    """The name of a name group: its first label in the order of :func:`_by_weight`."""
    return next(iter(labels_best_first), "")


def groups(names: Mapping[str, str], weights: Mapping[str, int] | None = None) -> list[list[str]]:
    """The name groups of ``names`` as lists of node ids (best-named member first), largest first.

    >>> names = {"a": "职工满意度", "b": "工作人员满意度", "c": "干部职工满意度", "d": "群众满意度"}
    >>> groups(names, {"a": 3})
    [['a', 'b', 'c'], ['d']]
    """
    graph = group_graph(names, weights)
    found = [_by_weight(graph, members) for members in nx.connected_components(graph)]
    return sorted(found, key=lambda m: (-len(m), graph.nodes[m[0]]["label"]))
