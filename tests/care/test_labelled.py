"""The caution check against its labelled set: per-kind precision and recall with floors.

The floors are the measured values rounded down (docs/care.md); raise them when the check
improves, never lower them silently. A false alarm costs as much as a miss: a checker that
nags on benign posts gets ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from backchannel.care.check import check
from backchannel.care.findings import Kind

LABELLED = Path(__file__).with_name("labelled.txt")

# kind: (precision floor, recall floor)
FLOORS = {
    Kind.CHILD_IDENTITY: (0.90, 0.90),
    Kind.HEALTH_DETAIL: (0.90, 0.85),
    Kind.CONTACT_INFO: (0.95, 0.90),
    Kind.CRISIS: (0.90, 0.90),
    Kind.HARASSMENT: (0.90, 0.85),
    Kind.POLICY: (1.00, 1.00),
}
# Of the posts labelled benign, the share that may draw any finding at all.
BENIGN_FALSE_ALARM_CEILING = 0.05


@dataclass
class Post:
    line: int
    text: str
    kinds: set[str]
    policy_terms: list[str] = field(default_factory=list)


def labelled_posts(path: Path = LABELLED) -> list[Post]:
    posts = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        kinds, text, *rest = raw.split("\t")
        terms = rest[0].split(";") if rest else []
        posts.append(Post(number, text, set() if kinds == "-" else set(kinds.split(",")), terms))
    return posts


def scores(path: Path = LABELLED) -> tuple[dict[str, dict[str, float]], list[str], float]:
    counts = {str(kind): {"tp": 0, "fp": 0, "fn": 0} for kind in Kind}
    mistakes = []
    benign = alarmed = 0
    for post in labelled_posts(path):
        found = {str(f.kind) for f in check(post.text, post.policy_terms)}
        if not post.kinds:
            benign += 1
            alarmed += bool(found)
        for kind in counts:
            if kind in found and kind in post.kinds:
                counts[kind]["tp"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
                mistakes.append(f"line {post.line}: false {kind}: {post.text}")
            elif kind in post.kinds:
                counts[kind]["fn"] += 1
                mistakes.append(f"line {post.line}: missed {kind}: {post.text}")
    result = {}
    for kind, c in counts.items():
        flagged, actual = c["tp"] + c["fp"], c["tp"] + c["fn"]
        result[kind] = {
            "precision": c["tp"] / flagged if flagged else 1.0,
            "recall": c["tp"] / actual if actual else 1.0,
            "support": actual,
        }
    return result, mistakes, alarmed / benign


def test_the_set_is_big_enough_and_half_benign() -> None:
    posts = labelled_posts()
    assert len(posts) >= 200
    assert sum(1 for p in posts if not p.kinds) >= len(posts) // 2
    for kind in Kind:
        if kind != Kind.POLICY:
            assert sum(1 for p in posts if str(kind) in p.kinds) >= 15, kind


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_precision_and_recall_stay_above_their_floors(kind: Kind) -> None:
    result, mistakes, _ = scores()
    precision_floor, recall_floor = FLOORS[kind]
    measured = result[str(kind)]
    related = "\n".join(m for m in mistakes if str(kind) in m)
    assert measured["precision"] >= precision_floor, related
    assert measured["recall"] >= recall_floor, related


def test_benign_posts_are_left_alone() -> None:
    _, mistakes, false_alarm_rate = scores()
    assert false_alarm_rate <= BENIGN_FALSE_ALARM_CEILING, "\n".join(
        m for m in mistakes if "false" in m
    )


HELD_OUT = Path(__file__).with_name("heldout.txt")
# Measured once, before any rule was changed for these posts (docs/care.md). Do not tune the
# rules on this file: add its misses to labelled.txt, and write new held-out posts instead.
HELD_OUT_RECALL_FLOORS = {Kind.CRISIS: 0.75, Kind.HARASSMENT: 0.75}


def test_held_out_posts_score_no_worse_than_when_first_measured() -> None:
    result, mistakes, false_alarm_rate = scores(HELD_OUT)
    report = "\n".join(mistakes)
    assert false_alarm_rate <= BENIGN_FALSE_ALARM_CEILING, report
    for kind in Kind:
        measured = result[str(kind)]
        assert measured["precision"] >= 0.9, report
        assert measured["recall"] >= HELD_OUT_RECALL_FLOORS.get(kind, 1.0), report
