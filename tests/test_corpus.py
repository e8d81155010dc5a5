"""The synthetic corpus generator: deterministic, prefix-stable, all families, and scored.

Forty documents are generated twice (seconds); the expected records come from the generator's
model of what it printed, and perfkg's extraction is scored against them.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from benchmarks import corpus, corpus_vocab
from benchmarks.corpus import FAMILIES, Noise, generate, score

SEED = 7


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.jsonl"))} | {
        p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))
    }


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate(40, SEED, folder)
    return folder


def test_the_docstring_examples() -> None:
    for module in (corpus, corpus_vocab):
        assert doctest.testmod(module).failed == 0


def test_the_same_seed_gives_the_same_bytes(noisy: Path, tmp_path: Path) -> None:
    generate(40, SEED, tmp_path)
    assert files(tmp_path) == files(noisy)


def test_a_document_does_not_depend_on_the_corpus_size(noisy: Path, tmp_path: Path) -> None:
    small = generate(10, SEED, tmp_path)
    name = small[3].name
    assert (tmp_path / name).read_bytes() == (noisy / name).read_bytes()
    expected = f"expected/{Path(name).stem}.jsonl"
    assert (tmp_path / expected).read_bytes() == (noisy / expected).read_bytes()


def test_every_family_appears_with_targets_of_every_value_form(noisy: Path) -> None:
    assert {p.stem.split("_", 1)[1] for p in noisy.glob("*.txt")} == set(FAMILIES)
    texts = [p.read_text(encoding="utf-8") for p in sorted(noisy.glob("expected/*.jsonl"))]
    records = [json.loads(line) for text in texts for line in text.splitlines()]
    assert {r["period"] for r in records} == {"implementation", "annual"}
    values = {r["value"] for r in records}
    for form in ("≥", "≤", "%", "万元", "年", "月", "提高"):
        assert any(form in value for value in values), form
    sizes = [len(text.splitlines()) for text in texts]
    assert min(sizes) >= 10 and max(sizes) <= 800


def test_extraction_of_a_clean_corpus_scores_f1_above_099(tmp_path: Path) -> None:
    generate(40, SEED, tmp_path, Noise.off())
    result = score(tmp_path)
    assert result["documents"] == 40 and not result["errors"]
    assert result["overall"]["f1"] >= 0.99, result["overall"]
    assert result["overall"]["level1"] >= 0.99


def test_extraction_of_the_noisy_corpus_stays_above_a_floor(noisy: Path) -> None:
    """Noise costs recall (see the report of ``python -m benchmarks.corpus score``); this floor
    catches a generator or parser regression, not the known costs of noise."""
    result = score(noisy)
    assert result["overall"]["f1"] >= 0.97, result["overall"]
    assert set(result["families"]) == set(FAMILIES)


def test_generating_again_replaces_a_larger_corpus(tmp_path: Path) -> None:
    generate(12, SEED, tmp_path)
    generate(5, SEED, tmp_path)
    assert len(list(tmp_path.glob("*.txt"))) == len(list(tmp_path.glob("expected/*"))) == 5
