"""The audit's findings as a report: counts per document and rule, and CSV, JSON, text or a
standalone HTML page (``perfkg audit``; the service's ``/audit`` page renders the same
:class:`AuditReport` in its own layout).

>>> report = AuditReport(
...     [Finding("empty-value", "warning", "indicator 购置费 has no value",
...              "http://example.org/kg/id/target/a.txt/76/annual", "a.txt", 76)], [])
>>> report.by_document()
[('a.txt', {'empty-value': 1})]
>>> print(to_csv(report), end="")
document,line,rule,severity,message,focus,project
a.txt,76,empty-value,warning,indicator 购置费 has no value,http://example.org/kg/id/target/a.txt/76/annual,
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from graphbuild.analysis.audit import SEVERITIES, Finding, GradeThresholds, Rule, rules, run_audit
from graphbuild.stores.base import Store

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CSV_COLUMNS = ("document", "line", "rule", "severity", "message", "focus", "project")


@dataclass
class AuditReport:
    """The findings of one audit run, the rules that ran and the settings they ran with."""

    findings: list[Finding]
    rules: list[Rule]
    settings: dict[str, Any] = field(default_factory=dict)

    def by_document(self) -> list[tuple[str, dict[str, int]]]:
        """Per document (in name order), how many findings each rule has."""
        counts: dict[str, Counter[str]] = {}
        for finding in self.findings:
            counts.setdefault(finding.document or "(no document)", Counter())[finding.rule] += 1
        return [(doc, dict(sorted(c.items()))) for doc, c in sorted(counts.items())]

    def by_rule(self) -> dict[str, int]:
        """How many findings each rule has (rules without findings count 0)."""
        counts = Counter(f.rule for f in self.findings)
        return {rule.id: counts.get(rule.id, 0) for rule in self.rules}

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def audit(
    store: Store,
    *,
    grade_thresholds: GradeThresholds = GradeThresholds(),  # noqa: B008 (frozen, immutable)
    execution_weight: float = 10,
    min_indicators: int = 3,
    only: list[str] | None = None,
) -> AuditReport:
    """Run the audit on ``store`` and return the report."""
    findings = run_audit(
        store,
        grade_thresholds=grade_thresholds,
        execution_weight=execution_weight,
        min_indicators=min_indicators,
        only=only,
    )
    chosen = [r for r in rules() if only is None or r.id in only]
    settings = {
        "grades": {
            "优": grade_thresholds.excellent,
            "良": grade_thresholds.good,
            "中": grade_thresholds.fair,
        },
        "execution_weight": execution_weight,
        "min_indicators": min_indicators,
    }
    return AuditReport(findings, chosen, settings)


def to_csv(report: AuditReport) -> str:
    """One finding per row: document, line, rule, severity, message, focus IRI, project IRI."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.findings:
        writer.writerow(
            [
                f.document or "",
                f.line or "",
                f.rule,
                f.severity,
                f.message,
                f.focus,
                f.project or "",
            ]
        )
    return out.getvalue()


def to_json(report: AuditReport) -> str:
    """``{"settings", "summary": {"by_severity", "by_document"}, "rules": [...], "findings": [...]}``."""
    by_rule = report.by_rule()
    payload = {
        "settings": report.settings,
        "summary": {
            "findings": len(report.findings),
            "by_severity": report.by_severity(),
            "by_document": dict(report.by_document()),
        },
        "rules": [
            {
                "id": rule.id,
                "severity": rule.severity,
                "title": rule.title,
                "title_en": rule.title_en,
                "description": rule.description,
                "checkable": rule.checkable,
                "query": rule.query.name,
                "findings": by_rule[rule.id],
            }
            for rule in report.rules
        ],
        "findings": [f.as_dict() for f in report.findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def to_text(report: AuditReport) -> str:
    """A terminal summary: counts per document and rule, then one line per finding."""
    lines = [f"{len(report.findings)} findings"]
    for document, counts in report.by_document():
        total = sum(counts.values())
        lines.append(f"  {document}: {total}")
        lines.extend(f"    {rule:28} {count:5d}" for rule, count in counts.items())
    lines.append("")
    for f in report.findings:
        where = f"{f.document}:{f.line}" if f.line else f.document or ""
        about = f.focus.rsplit("/id/", 1)[-1]
        lines.append(f"{where}  {f.severity}  {f.rule}  {f.message}  <{about}>")
    return "\n".join(lines)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def to_html(report: AuditReport, href: Callable[[str], str] | None = None) -> str:
    """A standalone HTML page (no external resources); ``href`` maps an IRI to its link
    (default: the IRI itself, which resolves to its linked-data page when the data's base is
    the server's)."""
    template = _environment().get_template("audit.html")
    return template.render(report=report, href=href or (lambda iri: iri))
