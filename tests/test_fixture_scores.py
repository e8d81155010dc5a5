"""The extractor scored against fixtures written by reading the source text.

Prints precision and recall of (period, level3, value) pairs and level accuracy per document
(run with ``-s`` to see them); fails below 0.98 F1 or 0.98 level accuracy.
"""

from __future__ import annotations

import pytest

from graphbuild.records import Extraction
from tests.scoring import EXPECTED_DIR, Score, key, load_expected, score_table

FIXTURES = sorted(p.name for p in EXPECTED_DIR.glob("*.json"))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_targets_match_the_hand_written_fixture(
    fixture: str, samples: dict[str, Extraction]
) -> None:
    expected = load_expected(fixture)
    extraction = samples[expected["document"]]
    score = Score()
    for table in expected["tables"]:
        score.add(score_table(extraction.targets, table))
    print(
        f"\n{fixture}: precision {score.precision:.3f} recall {score.recall:.3f} "
        f"F1 {score.f1:.3f} level accuracy {score.level_accuracy:.3f} "
        f"({score.matched}/{score.expected} expected, {score.extracted} extracted)"
    )
    detail = "\n".join(score.misses[:10] + score.extras[:10] + score.level_errors[:10])
    assert score.f1 >= 0.98, detail
    assert score.level_accuracy >= 0.98, detail


def test_every_fixture_table_yields_a_project(samples: dict[str, Extraction]) -> None:
    for fixture in FIXTURES:
        expected = load_expected(fixture)
        names = {key(p.project) for p in samples[expected["document"]].projects}
        for table in expected["tables"]:
            if table["table"] == "project":
                assert key(table["project"]) in names, (fixture, table["project"])


def test_final_accounts_actuals_weights_scores(samples: dict[str, Extraction]) -> None:
    expected = load_expected("002_c6a9cc9c84081a5e.json")
    extraction = samples[expected["document"]]
    wanted = right = 0
    wrong: list[str] = []
    for table in expected["tables"]:
        got = {
            (t.line, key(t.level3)): t
            for t in extraction.targets
            if table["first_line"] <= t.line <= table["last_line"]
        }
        for want in table["targets"]:
            wanted += 1
            target = got.get((want["line"], key(want["level3"])))
            if (
                target
                and key(target.actual) == key(want["actual"])
                and target.weight == want["weight"]
                and target.score == want["score"]
            ):
                right += 1
            else:
                wrong.append(
                    f"{want['line']} {want['level3']}: {target and (target.actual, target.weight, target.score)}"
                )
    assert right / wanted >= 0.98, wrong


def test_final_accounts_project_figures(samples: dict[str, Extraction]) -> None:
    expected = load_expected("002_c6a9cc9c84081a5e.json")
    projects = samples[expected["document"]].projects
    for table in expected["tables"]:
        project = next(
            p
            for p in projects
            if key(p.project) == key(table["project"])
            and table["first_line"] <= p.line <= table["last_line"]
        )
        assert project.budget_yuan == table["budget_yuan"], project.project
        assert project.spent_yuan == table["spent_yuan"], project.project
        assert project.execution_rate == pytest.approx(table["execution_rate"]), project.project
        assert project.total_score == table["total_score"], project.project
        assert project.grade == table["grade"], project.project


def test_henan_project_codes_and_funds(samples: dict[str, Extraction]) -> None:
    expected = load_expected("004_5c2b6dad15e272f5.json")
    projects = {p.project_code: p for p in samples[expected["document"]].projects}
    for table in expected["tables"]:
        if table["table"] != "project":
            continue
        project = projects[table["project_code"]]
        assert key(project.project) == key(table["project"])
        assert project.total_funds_yuan == pytest.approx(table["total_funds_yuan"])
