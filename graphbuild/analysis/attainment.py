"""Plan versus actual: a final-accounts project's targets, whether each was met, and the score
the national rules give beside the score the unit reported.

The rows come from two named queries, ``money_project_attainment`` (the project: budget,
spending, printed scores and grade, the budget project it executes) and
``money_targets_vs_actual`` (its evaluated targets with the budget's planned target, linked at
build time by :mod:`graphbuild.graph.links`). The recomputation follows DESIGN.md §5, with
every number a setting (:class:`Rules`):

- budget execution scores min(spent ÷ budget, 1) × its weight (10);
- a quantitative target met scores its full weight; partly met, pro rata: actual ÷ target for
  a lower bound (≥, >, =, none printed), target ÷ actual for an upper bound (≤, <);
- a qualitative result scores a band of the weight: 达成 (achieved) 100 %, 部分达成 (partly)
  70 %, 未达成 (not achieved) 30 % by default;
- an indicator never scores more than its weight; a target that cannot be compared (no
  number, money whose actual is printed in another unit, no weight) keeps the reported score
  and says so;
- the grade: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.

>>> judge("≥", 600.0, "份", "560", 30.0).score, judge("≤", 4.0, "小时", "5", 10.0).met
(28.0, False)
>>> judge(None, None, None, "部分达成", 20.0).score
14.0
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from graphbuild.analysis.querying import run_query
from graphbuild.stores.base import Store

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NOT_ACHIEVED = re.compile(r"未达成|未完成|未达到|未实现|不合格|未达标|否")
_PARTLY = re.compile(r"部分达成|部分完成|基本达成|基本完成|部分实现|基本实现|基本达到")
_ACHIEVED = re.compile(r"达成|完成|达到|实现|符合|合格|达标|满意|是|已|有效|提高|保障|正常")


@dataclass(frozen=True)
class Rules:
    """The settings of the recomputation (DESIGN.md §5): execution weight, qualitative bands,
    grade thresholds."""

    execution_weight: float = 10.0
    achieved: float = 1.0
    partly: float = 0.7
    not_achieved: float = 0.3
    excellent: float = 90.0
    good: float = 80.0
    fair: float = 60.0

    def grade(self, score: float) -> str:
        if score >= self.excellent:
            return "优"
        if score >= self.good:
            return "良"
        if score >= self.fair:
            return "中"
        return "差"


@dataclass
class Judgement:
    """One target's result: met or not (None when it cannot be told), the recomputed score
    (None when it cannot be recomputed) and how it was judged."""

    met: bool | None
    score: float | None
    how: str


def _number(text: str | None) -> float | None:
    match = _NUMBER.search(text or "")
    return float(match.group(0)) if match else None


def judge(
    comparator: str | None,
    target: float | None,
    unit: str | None,
    actual: str | None,
    weight: float | None,
    rules: Rules = Rules(),  # noqa: B008 (frozen, immutable)
) -> Judgement:
    """The result of one target by the national rules (see the module's description)."""
    if actual is None or not actual.strip():
        return Judgement(None, None, "no actual value printed")
    value = _number(actual)
    if target is not None and value is not None:
        how = "quantitative"
        in_wan = "万" in actual or (target >= 1e4 and value * 1e4 <= target * 10)
        if unit == "元" and "元" not in actual and in_wan:
            value, how = value * 1e4, "quantitative (actual read in 万元)"
        upper = comparator in ("<=", "<", "≤")
        met = value <= target if upper else value >= target
        if weight is None:
            return Judgement(met, None, how + ", no weight")
        if met:
            return Judgement(True, weight, how)
        if upper:
            share = target / value if value > 0 else 0.0
        else:
            share = value / target if target > 0 else 0.0
        return Judgement(False, round(weight * max(0.0, min(share, 1.0)), 2), how + ", pro rata")
    text = actual.strip()
    for pattern, band, met in (
        (_NOT_ACHIEVED, rules.not_achieved, False),
        (_PARTLY, rules.partly, False),
        (_ACHIEVED, rules.achieved, True),
    ):
        if pattern.search(text):
            score = round(weight * band, 2) if weight is not None else None
            return Judgement(met, score, "qualitative")
    return Judgement(None, None, "cannot be compared")


@dataclass
class TargetResult:
    indicator: str
    level1: str | None
    line: int
    value: str
    actual: str | None
    weight: float | None
    reported_score: float | None
    recomputed_score: float | None
    met: bool | None
    how: str
    planned_value: str | None = None
    planned_document: str | None = None
    planned_line: int | None = None
    target: str | None = None
    planned: str | None = None


@dataclass
class Attainment:
    """A project's attainment: planned, actual, met or not, the recomputed and the reported
    score."""

    project: str
    name: str
    document: str
    line: int
    budget: float | None
    spent: float | None
    execution_rate: float | None
    reported_execution_score: float | None
    recomputed_execution_score: float | None
    reported_score: float | None
    recomputed_score: float | None
    reported_grade: str | None
    recomputed_grade: str | None
    planned_project: str | None = None
    planned_document: str | None = None
    planned_line: int | None = None
    planned_funds: float | None = None
    targets: list[TargetResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def attainment_from_rows(
    project: dict[str, object],
    targets: list[dict[str, object]],
    rules: Rules = Rules(),  # noqa: B008 (frozen, immutable)
) -> Attainment:
    """The attainment of one project from its ``money_project_attainment`` row and its
    ``money_targets_vs_actual`` rows."""
    budget, spent = _float(project.get("budget")), _float(project.get("spent"))
    execution = None
    if budget and spent is not None:
        execution = round(min(spent / budget, 1.0) * rules.execution_weight, 2)
    results: list[TargetResult] = []
    for row in targets:
        weight = _float(row.get("weight"))
        reported = _float(row.get("score"))
        outcome = judge(
            str(row["comparator"]) if row.get("comparator") else None,
            _float(row.get("number")),
            str(row["unit"]) if row.get("unit") else None,
            str(row["actual"]) if row.get("actual") is not None else None,
            weight,
            rules,
        )
        results.append(
            TargetResult(
                indicator=str(row.get("indicatorName") or ""),
                level1=str(row["level1"]) if row.get("level1") else None,
                line=_int(row.get("line")) or 0,
                value=str(row.get("value") or ""),
                actual=str(row["actual"]) if row.get("actual") is not None else None,
                weight=weight,
                reported_score=reported,
                recomputed_score=outcome.score,
                met=outcome.met,
                how=outcome.how,
                planned_value=str(row["plannedValue"]) if row.get("plannedValue") else None,
                planned_document=str(row["plannedDocument"])
                if row.get("plannedDocument")
                else None,
                planned_line=_int(row.get("plannedLine")),
                target=str(row["target"]) if row.get("target") else None,
                planned=str(row["planned"]) if row.get("planned") else None,
            )
        )
    total = None
    if results or execution is not None:
        total = round(
            sum(
                (r.recomputed_score if r.recomputed_score is not None else r.reported_score or 0)
                for r in results
            )
            + (execution or 0.0),
            2,
        )
    return Attainment(
        project=str(project.get("target") or ""),
        name=str(project.get("projectName") or ""),
        document=str(project.get("document") or ""),
        line=_int(project.get("projectLine")) or 0,
        budget=budget,
        spent=spent,
        execution_rate=_float(project.get("rate")),
        reported_execution_score=_float(project.get("executionScore")),
        recomputed_execution_score=execution,
        reported_score=_float(project.get("score")),
        recomputed_score=total,
        reported_grade=str(project["grade"]) if project.get("grade") else None,
        recomputed_grade=rules.grade(total) if total is not None else None,
        planned_project=str(project["plannedProject"]) if project.get("plannedProject") else None,
        planned_document=str(project["plannedDocument"])
        if project.get("plannedDocument")
        else None,
        planned_line=_int(project.get("plannedLine")),
        planned_funds=_float(project.get("plannedFunds")),
        targets=results,
    )


def attainment(
    store: Store,
    project: str,
    rules: Rules = Rules(),  # noqa: B008 (frozen, immutable)
) -> Attainment | None:
    """The attainment of the final-accounts project with IRI ``project`` (None when the store
    holds no self-evaluated project of that IRI)."""
    rows = run_query(store, "money_project_attainment", {"project": project}).records()
    if not rows:
        return None
    targets = run_query(store, "money_targets_vs_actual", {"project": project}).records()
    return attainment_from_rows(rows[0], targets, rules)
