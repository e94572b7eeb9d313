"""The caution check's text model: one small linear model per kind, beside the rules.

Rules catch what can be said precisely (an email address, "Tyler, 9"); the model catches the
families of wording rules miss (indirect crisis language, hostility without an insult word,
health details said plainly). It was trained with scikit-learn on the corpus in care/corpus/
(`make care-model`, care/training/); here it is scored in pure Python from the shipped weights,
sentence by sentence, so each finding still points at a passage.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .features import (
    CHAR_PREFIX,
    MIN_CHAR_GRAMS,
    MIN_WORD_GRAMS,
    Grams,
    ngrams,
    normalise,
    post_grams,
    scale,
)

WEIGHTS = Path(__file__).with_name("model.json.gz")


@dataclass(frozen=True)
class Flag:
    """A unit of the text that the model scored at or over a kind's threshold."""

    kind: str
    start: int
    end: int
    margin: float  # the score minus the threshold (0 or more)


class TextModel:
    def __init__(self, data: dict[str, Any]) -> None:
        scale = float(data["scale"])
        features: list[str] = data["features"]
        self.kinds: list[str] = list(data["kinds"])
        self.bias = {k: data["bias"][k] / scale for k in self.kinds}
        self.threshold = {k: float(data["threshold"][k]) for k in self.kinds}
        self.weights: dict[str, dict[str, float]] = {}
        for kind in self.kinds:
            column = data["weights"][kind]
            self.weights[kind] = {f: w / scale for f, w in zip(features, column, strict=True)}
        # The same weights by feature (every kind's, zeros included, in `kinds` order), words'
        # and characters' apart (characters by their bare n-gram, as features.ngrams gives
        # them): scoring keeps the n-grams the model knows with one set intersection in C,
        # looks each of those up once and sums the kinds' columns in C (issue #17).
        self.word_rows: dict[str, tuple[float, ...]] = {}
        self.char_rows: dict[str, tuple[float, ...]] = {}
        for f in features:
            row = tuple(self.weights[kind][f] for kind in self.kinds)
            if f.startswith(CHAR_PREFIX):
                self.char_rows[f[len(CHAR_PREFIX) :]] = row
            else:
                self.word_rows[f] = row
        self.word_vocabulary = frozenset(self.word_rows)
        self.char_vocabulary = frozenset(self.char_rows)
        self._nothing = (0,) * len(self.kinds)

    @classmethod
    def from_file(cls, path: Path = WEIGHTS) -> TextModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(json.load(handle))

    def decisions(self, text: str) -> dict[str, float]:
        """Each kind's score (a logit) for one unit of text."""
        return self.scores(ngrams(normalise(text)))

    def scores(self, grams: Grams) -> dict[str, float]:
        word_grams, char_grams = grams
        word_scale = scale(len(word_grams), MIN_WORD_GRAMS)
        char_scale = scale(len(char_grams), MIN_CHAR_GRAMS)
        words = self._sums(word_grams, self.word_vocabulary, self.word_rows)
        chars = self._sums(char_grams, self.char_vocabulary, self.char_rows)
        return {
            kind: self.bias[kind] + word_sum * word_scale + char_sum * char_scale
            for kind, word_sum, char_sum in zip(self.kinds, words, chars, strict=True)
        }

    def _sums(
        self, grams: set[str], vocabulary: frozenset[str], rows: dict[str, tuple[float, ...]]
    ) -> Sequence[float]:
        """Each kind's sum of the weights of the n-grams it knows (the rest weigh nothing)."""
        known = grams & vocabulary
        if not known:
            return self._nothing
        return list(map(sum, zip(*map(rows.__getitem__, known), strict=True)))

    def flags(self, text: str) -> list[Flag]:
        """The units each kind flags. The whole post (scored when it has several sentences)
        speaks only when no sentence did, and then points at its highest-scoring sentence."""
        found: list[Flag] = []
        best: dict[str, tuple[float, int, int]] = {}
        flagged: set[str] = set()
        scored = post_grams(text)
        for index, (start, end, grams) in enumerate(scored):
            whole = len(scored) > 1 and index == len(scored) - 1
            for kind, score in self.scores(grams).items():
                margin = score - self.threshold[kind]
                if whole:
                    if margin >= 0 and kind not in flagged and kind in best:
                        _, a, b = best[kind]
                        found.append(Flag(kind, a, b, margin))
                    continue
                if margin >= 0:
                    flagged.add(kind)
                    found.append(Flag(kind, start, end, margin))
                if kind not in best or score > best[kind][0]:
                    best[kind] = (score, start, end)
        return found


@cache
def shipped() -> TextModel:
    """The model in the package, loaded once per process."""
    return TextModel.from_file()
