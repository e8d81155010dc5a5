"""Scoring extracted targets against the hand-written fixtures in ``tests/data/expected``."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.extract.cells import clean
from graphbuild.records import Target

EXPECTED_DIR = Path(__file__).parent / "data" / "expected"


def key(text: str | None) -> str:
    return unicodedata.normalize("NFKC", clean(text or "")).replace(" ", "")


@dataclass
class Score:
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    levels_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    level_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def level_accuracy(self) -> float:
        return self.levels_right / self.matched if self.matched else 1.0

    def add(self, other: Score) -> None:
        for name in ("expected", "extracted", "matched", "levels_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras
        self.level_errors += other.level_errors


def load_expected(name: str) -> dict:
    return json.loads((EXPECTED_DIR / name).read_text(encoding="utf-8"))


def _in_table(target: Target, table: dict) -> bool:
    if target.table != table["table"]:
        return False
    if not table["first_line"] <= target.line <= table["last_line"]:
        return False
    return table["table"] == "department" or key(target.project) == key(table["project"])


def score_table(targets: list[Target], table: dict) -> Score:
    """Precision/recall of (period, level3, value) and level accuracy for one fixture table."""
    got = [t for t in targets if _in_table(t, table)]
    score = Score(expected=len(table["targets"]), extracted=len(got))
    pool = Counter((t.period, key(t.level3), key(t.value)) for t in got)
    by_pair: dict[tuple[str, str, str], list[Target]] = {}
    for t in got:
        by_pair.setdefault((t.period, key(t.level3), key(t.value)), []).append(t)
    for want in table["targets"]:
        pair = (want["period"], key(want["level3"]), key(want["value"]))
        if pool[pair] > 0:
            pool[pair] -= 1
            score.matched += 1
            candidates = by_pair[pair]
            best = next((c for c in candidates if c.line == want.get("line")), candidates[0])
            candidates.remove(best)
            if best.level1 == want["level1"] and best.level2 == want["level2"]:
                score.levels_right += 1
            else:
                score.level_errors.append(
                    f"{table.get('project')} line {want.get('line')}: {want['level3']} expected "
                    f"{want['level1']}/{want['level2']}, got {best.level1}/{best.level2}"
                )
        else:
            score.misses.append(f"{table.get('project')} line {want.get('line')}: {pair}")
    for pair, count in pool.items():
        for _ in range(count):
            score.extras.append(f"{table.get('project')}: {pair}")
    return score
