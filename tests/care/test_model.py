"""The text model scores what it was trained on: a post's score is the bias plus the weights of
the features `features.weighted` gives it (the training's view), however scoring finds them."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.care.features import CHAR_PREFIX, post_grams, weighted
from backchannel.care.model import shipped

# Words the model knows (crisis, health, contact, insults) mixed with everyday ones, so that
# generated posts reach many of its features.
WORDS = (  # noqa: SIM905
    "i want to end it all tonight my son was diagnosed with adhd call me at 555 0100 you are "
    "an idiot the keynote on anxiety in teens was brilliant @sam #ti2012 https://example.org "
    "nobody would miss me pills bridge she is 9 and goes to lincoln elementary"
).split()


def scored_as_trained(text: str) -> dict[str, float]:
    """Each kind's score from the training's feature vector, feature by feature."""
    model = shipped()
    vector = weighted(text)
    return {
        kind: model.bias[kind] + sum(w * model.weights[kind].get(f, 0.0) for f, w in vector.items())
        for kind in model.kinds
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=2, max_size=30), st.sampled_from([" ", ". "]))
def test_scoring_adds_up_the_weights_of_the_trained_features(words: list[str], sep: str) -> None:
    text = sep.join(words)
    scored = post_grams(text)
    if not scored:
        return
    got = shipped().scores(scored[-1][2])  # the whole post, as weighted() sees it
    expected = scored_as_trained(text)
    for kind in shipped().kinds:
        assert math.isclose(got[kind], expected[kind], rel_tol=1e-9, abs_tol=1e-9), kind


def test_character_features_are_named_with_their_prefix() -> None:
    vector = weighted("Nobody would miss me after the keynote.")
    chars = [f for f in vector if f.startswith(CHAR_PREFIX)]
    assert chars
    assert " no" in {f[len(CHAR_PREFIX) :] for f in chars}
    assert any(f in shipped().weights[shipped().kinds[0]] for f in chars)
