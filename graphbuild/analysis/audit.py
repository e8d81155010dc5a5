"""The target-quality audit: rules over the graph, each a SPARQL file ``queries/audit_*.rq``.

A rule is a named query (``graphbuild.named_queries``) whose header also says::

    # rule: empty-value
    # severity: warning

and whose SELECT projects, per finding, ``?focus`` (the IRI of the target, project or
document the finding is about) and ``?message``, and where it can ``?document`` (the file
name), ``?line`` (the source line), ``?project`` (the project's IRI) and ``?severity`` (which
overrides the header's for that row). Thresholds are the rules' parameters; :func:`run_audit`
binds them from its keyword arguments.

A rule whose data is not in the graph says ``# checkable: no`` and reports one finding per
document with the severity ``not-checkable`` instead of pretending to check.

>>> from graphbuild.stores.memory import MemoryStore
>>> run_audit(MemoryStore())
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from graphbuild.named_queries import QUERIES_DIR, NamedQuery, QueryError, registry
from graphbuild.stores.base import Store

AUDIT_PREFIX = "audit_"
SEVERITIES = ("error", "warning", "info", "not-checkable")
"""From most to least serious; ``not-checkable`` marks a rule whose data is not in the graph."""


@dataclass(frozen=True)
class GradeThresholds:
    """The lowest total score of each grade: 优 ≥ excellent, 良 ≥ good, 中 ≥ fair, else 差."""

    excellent: float = 90
    good: float = 80
    fair: float = 60

    def __post_init__(self) -> None:
        if not self.excellent > self.good > self.fair:
            raise ValueError("grade thresholds must fall: excellent > good > fair")


@dataclass(frozen=True)
class Finding:
    """One audit finding: which rule, how bad, what, about which node, where in the source."""

    rule: str
    severity: str
    message: str
    focus: str
    document: str | None = None
    line: int | None = None
    project: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """An audit rule: its id, severity, titles, description and query."""

    id: str
    severity: str
    title: str
    title_en: str
    description: str
    checkable: bool
    query: NamedQuery


def rules(directory: Path = QUERIES_DIR) -> list[Rule]:
    """The audit rules of ``directory`` (the ``audit_*.rq`` files), in file-name order."""
    found = []
    for name, query in registry(directory).items():
        if not name.startswith(AUDIT_PREFIX):
            continue
        severity = query.header("severity", "warning")
        if severity not in SEVERITIES:
            raise QueryError(f"{name}.rq: severity {severity!r} is not one of {SEVERITIES}")
        found.append(
            Rule(
                id=query.header("rule", name[len(AUDIT_PREFIX) :].replace("_", "-")),
                severity=severity,
                title=query.title,
                title_en=query.title_en,
                description=query.description,
                checkable=query.header("checkable", "yes") != "no",
                query=query,
            )
        )
    return found


def parameters(
    grade_thresholds: GradeThresholds,
    execution_weight: float,
    min_indicators: int,
    tolerance: float,
) -> dict[str, str]:
    """The values the rules' parameters get (a rule takes those it declares)."""
    return {
        "excellent": _number(grade_thresholds.excellent),
        "good": _number(grade_thresholds.good),
        "fair": _number(grade_thresholds.fair),
        "execution_weight": _number(execution_weight),
        "min_indicators": str(int(min_indicators)),
        "tolerance": _number(tolerance),
    }


def _number(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def rule_sparql(rule: Rule, values: dict[str, str]) -> str:
    """The rule's SPARQL with the parameters it declares bound from ``values``."""
    declared = {p.name for p in rule.query.parameters}
    return rule.query.bind({k: v for k, v in values.items() if k in declared})


def findings_from_rows(rule: Rule, rows: Iterable[dict[str, object]]) -> list[Finding]:
    """The findings of a rule from the rows its query answered."""
    findings = []
    for row in rows:
        line = row.get("line")
        findings.append(
            Finding(
                rule=rule.id,
                severity=str(row.get("severity") or rule.severity),
                message=str(row.get("message") or rule.title_en),
                focus=str(row["focus"]),
                document=_text(row.get("document")),
                line=int(str(line)) if line is not None else None,
                project=_text(row.get("project")),
            )
        )
    return findings


def run_rule(store: Store, rule: Rule, values: dict[str, str]) -> list[Finding]:
    """The findings of one rule, with its declared parameters taken from ``values``."""
    return findings_from_rows(rule, store.select(rule_sparql(rule, values)))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in report order: document, line, rule, focus, message."""
    return sorted(
        findings, key=lambda f: (f.document or "", f.line or 0, f.rule, f.focus, f.message)
    )


def select_rules(only: Iterable[str] | None = None, directory: Path = QUERIES_DIR) -> list[Rule]:
    """The rules whose ids are in ``only`` (all when None); ``QueryError`` for an unknown id."""
    all_rules = rules(directory)
    if only is None:
        return all_rules
    chosen = set(only)
    unknown = chosen - {r.id for r in all_rules}
    if unknown:
        known = ", ".join(r.id for r in all_rules)
        raise QueryError(f"no audit rule {sorted(unknown)[0]!r}; known: {known}")
    return [r for r in all_rules if r.id in chosen]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def run_audit(
    store: Store,
    *,
    grade_thresholds: GradeThresholds = GradeThresholds(),  # noqa: B008 (frozen, immutable)
    execution_weight: float = 10,
    min_indicators: int = 3,
    tolerance: float = 0.5,
    only: Iterable[str] | None = None,
    directory: Path = QUERIES_DIR,
) -> list[Finding]:
    """Run every audit rule (or the rule ids in ``only``) and return the findings, sorted by
    document, line, rule and focus.

    ``grade_thresholds`` decide the grade a total score should have; ``execution_weight`` is
    the points budget execution is worth (weights of the indicators plus it should make 100);
    ``min_indicators`` is the fewest indicators a project should have; ``tolerance`` is how far
    sums and scores may differ before it is a finding (rounding in the printed tables).
    """
    values = parameters(grade_thresholds, execution_weight, min_indicators, tolerance)
    findings: list[Finding] = []
    for rule in select_rules(only, directory):
        findings.extend(run_rule(store, rule, values))
    return sort_findings(findings)
