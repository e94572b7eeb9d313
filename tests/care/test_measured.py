"""The caution check against its corpus, with floors (docs/care.md, How well it works).

- The corpus: big enough per kind, hand-written posts the majority, most benign posts hard.
- The shipped weights are a rebuild of the corpus (`make care-model`), and the rebuild's
  cross-validation stays above its floors: the honest estimate on wording the model did not see.
- Each held-out set scores no worse than when it was first measured, before it joined training.

Floors are measured values rounded down (the cross-validation's a little further: a few posts
more move its folds by a point or two); raise them when the check improves, never lower them
silently. The rebuild needs scikit-learn (the `train` extra, installed by `make test`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from backchannel.care.model import WEIGHTS, TextModel
from backchannel.care.training import corpus, fit, generate
from backchannel.care.training.__main__ import found_kinds
from tests.conftest import require_service

# Run once (the caution check's corpus and model: no database).
pytestmark = [pytest.mark.engine_independent, pytest.mark.long]

KINDS = corpus.KINDS

# The rebuild's 5-fold cross-validation (rules and model), kind: (precision, recall).
# Crisis recall went from 0.85 to 0.80 on purpose (2026-11-30): everyday first-person posts
# ("I'm going home tomorrow", "I love the hotel gym") joined the corpus because the model read
# them as crisis, and pronouns and very short sentences now weigh less for the same reason; the
# hardest crisis posts of the corpus pay for it here, while the held-out set written after
# measured crisis recall 1.00 (docs/care.md).
CROSS_VALIDATION_FLOORS = {
    "crisis": (0.87, 0.80),
    "health_detail": (0.90, 0.86),
    "harassment": (0.83, 0.75),
    "child_identity": (0.93, 0.93),
    "contact_info": (0.95, 0.94),
}
CROSS_VALIDATION_BENIGN_CEILING = 0.095  # hand-written benign posts, mostly hard, with any finding


# Each held-out set as first measured, scored once before it joined training (docs/care.md):
# (precision, recall) per kind, the measured values rounded down to 0.05 (a set has 20 to 60
# posts of a kind, so one post moves a figure by two to five points), and the share of benign
# posts with any finding as measured plus 0.02.
def _floors(measured: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    return {k: (int(p * 20) / 20, int(r * 20) / 20) for k, (p, r) in measured.items()}


HELD_OUT = {
    "heldout-2026-11-30.txt": {
        "benign_ceiling": 0.044 + 0.02,
        "floors": _floors(
            {
                "crisis": (0.917, 0.902),
                "health_detail": (0.955, 0.933),
                "harassment": (1.00, 0.94),
                "child_identity": (0.973, 1.00),
                "contact_info": (0.93, 1.00),
            }
        ),
    },
    "heldout-2026-11-30-second.txt": {
        "benign_ceiling": 0.030 + 0.02,
        "floors": _floors(
            {
                "crisis": (1.00, 0.898),
                "health_detail": (1.00, 0.976),
                "harassment": (0.938, 0.918),
                "child_identity": (0.919, 1.00),
                "contact_info": (1.00, 1.00),
            }
        ),
    },
    # Not trained on yet: it measures the model as shipped, until the next training adds it.
    "heldout-2026-11-30-third.txt": {
        "benign_ceiling": 0.029 + 0.02,
        "floors": _floors(
            {
                "crisis": (0.949, 1.00),
                "health_detail": (1.00, 0.951),
                "harassment": (0.976, 0.953),
                "child_identity": (0.96, 1.00),
                "contact_info": (1.00, 0.963),
            }
        ),
    },
}
# Scored, not yet trained on (the next `make care-model` run starts by moving them in).
WAITING = Path(corpus.CORPUS).parent / "heldout"


def _held_out_path(name: str) -> Path:
    waiting = WAITING / name
    return waiting if waiting.exists() else corpus.CORPUS / name


def _failures(result: dict[str, Any], floors: dict[str, tuple[float, float]]) -> list[str]:
    failures = []
    for kind, (precision, recall) in floors.items():
        measured = result["kinds"][kind]
        if measured["precision"] < precision or measured["recall"] < recall:
            failures.append(f"{kind}: {measured} below ({precision}, {recall})")
    return failures


def test_the_corpus_is_big_varied_and_mostly_hand_written() -> None:
    posts = corpus.dedupe(corpus.hand_written())
    made = generate.generate(posts)
    for kind in KINDS:
        written = sum(kind in p.kinds for p in posts)
        generated = sum(kind in p.kinds for p in made)
        assert written + generated >= 400, kind
        assert written >= generated, kind
        families = {p.family for p in posts if kind in p.kinds}
        assert len(families) >= 10, (kind, families)
    benign = [p for p in posts if not p.kinds]
    assert len(benign) >= 1000
    hard = [p for p in benign if not p.family.startswith("everyday")]
    assert len(hard) > len(benign) / 2
    assert len(made) == len(generate.generate(posts))  # seeded: the same every time


def test_every_corpus_line_is_well_formed() -> None:
    for path in sorted(corpus.CORPUS.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            kinds, _, text = line.partition("\t")
            assert text.strip() and "\t" not in text, f"{path.name}:{number}"
            assert kinds == "-" or set(kinds.split(",")) <= set(KINDS), f"{path.name}:{number}"


@pytest.fixture(scope="module")
def rebuilt() -> tuple[dict[str, Any], dict[str, Any]]:
    require_service(importlib.util.find_spec("sklearn") is not None, "scikit-learn (train extra)")
    from backchannel.care.training.__main__ import build

    return build()


def test_the_shipped_weights_are_a_rebuild_of_the_corpus(rebuilt: Any) -> None:
    model, _ = rebuilt
    assert fit.same_model(TextModel.from_file(WEIGHTS), TextModel(model)), (
        "care/model.json.gz differs from a rebuild of the corpus: run `make care-model`"
    )


def test_the_cross_validation_stays_above_its_floors(rebuilt: Any) -> None:
    _, report = rebuilt
    measured = report["rules_and_model"]
    assert not _failures(measured, CROSS_VALIDATION_FLOORS)
    assert measured["benign_with_any_finding"] <= CROSS_VALIDATION_BENIGN_CEILING


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_sets_score_no_worse_than_when_first_measured(name: str) -> None:
    posts = corpus.read(_held_out_path(name))
    result = fit.measure(posts, [found_kinds(p.text) for p in posts])
    expected = HELD_OUT[name]
    assert not _failures(result, expected["floors"])  # type: ignore[arg-type]
    assert result["benign_with_any_finding"] <= expected["benign_ceiling"]  # type: ignore[operator]


def test_every_held_out_file_is_recorded() -> None:
    files = {p.name for p in Path(corpus.CORPUS).glob("heldout-*.txt")}
    files |= {p.name for p in WAITING.glob("heldout-*.txt")}
    assert files == set(HELD_OUT)


def test_a_waiting_held_out_set_is_not_trained_on() -> None:
    trained = {" ".join(p.text.lower().split()) for p in corpus.hand_written()}
    for path in WAITING.glob("heldout-*.txt"):
        for post in corpus.read(path):
            assert " ".join(post.text.lower().split()) not in trained, post.source
