"""What the caution check's text model sees of a post: the same features when it is trained
(care/training) and when it scores a post (care/model.py), so the two cannot drift apart.

A post is cut into units (its sentences, and the whole post when it has several), each unit is
normalised (lower case, digits as 0, handles and links as placeholders) and described by word
1-3-grams and character 3-5-grams. Each group is scaled by one over the square root of its size
(but never as if it were tiny), so a short sentence with a strong cue scores as high as a long
post made of it.
"""

from __future__ import annotations

import math
import re

from .lexicon import PHRASE_CLASSES, WORD_CLASSES

# A unit ends at . ! ? ; or a line break followed by space (or the end); "Dr. Rivera" and
# "5.5" stay whole because a letter or digit follows the dot.
_UNIT_END = re.compile(r"[.!?;\n]+(?=\s|$)|\n")

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"<[a-z_]+>|[#@]?[a-z0-9][a-z0-9'*]*|[!?\"]")
_WORDS_ONLY = re.compile(r"[#@]?[a-z0-9][a-z0-9'*]*")
# Applied one after another: each pattern's own literal prefix lets the engine skip ahead,
# where one alternation of them all is tried at every character (twice as slow).
_PHRASES = [(re.compile(pattern), f" {name} ") for pattern, name in PHRASE_CLASSES]


WORD_NGRAMS = (1, 2, 3)
# Words that say who is speaking or spoken to, and nothing of what is said: alone they would
# only teach the model that crisis posts say "I" and insults say "you" (so do most posts; and
# most mentions are friendly), so they count in pairs and threes ("i want", "you're a", "@user
# is"), never as features of their own; the sentence's edges alone say only how short it is.
_PRONOUNS = """i i'm im i've ive i'll i'd me my myself you you're youre your u ur he she they
    him her them his their he's she's they're we we're our us @user <self> <you> <you_are>
    <they>""".split()  # noqa: SIM905
_CONTEXT_ONLY = (
    {f"w {p}" for p in _PRONOUNS}
    | {f"k {p}" for p in _PRONOUNS}
    | {"w <s>", "w </s>", "w @user </s>", "w <s> @user", "k <s> <self>", "k <s> <you>"}
)
CHAR_NGRAMS = (3, 4, 5)
CHAR_PREFIX = "c "  # a character n-gram's feature name is this and the n-gram
# A unit's features are scaled by one over the square root of their number, but never as if
# there were fewer than these: one word alone ("kids") must not weigh like a whole sentence.
MIN_WORD_GRAMS = 48
MIN_WORDS = 2  # a unit of fewer words is not scored on its own
MIN_CHAR_GRAMS = 160


def units(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a text, without leading and trailing white space; the whole
    text is its own single unit when it has one sentence."""
    spans = []
    start = 0
    for match in _UNIT_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        chunk = text[a:b]
        stripped = chunk.strip()
        if not stripped or not any(c.isalnum() for c in stripped):
            continue
        a += len(chunk) - len(chunk.lstrip())
        trimmed.append((a, a + len(stripped)))
    return trimmed


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _URL.sub(" link ", text)
    text = _HANDLE.sub("@user", text)
    text = _DIGIT.sub("0", text)
    text = _REPEAT.sub(r"\1\1", text)  # "soooo" and "sooo" read alike
    return _SPACE.sub(" ", text).strip()


def ngrams(text: str) -> tuple[set[str], set[str]]:
    """Word and character n-grams of a normalised text, as two sets. The word n-grams come
    twice: as written, and with words replaced by their class (lexicon.WORD_CLASSES) where the
    n-gram has one, so "you're a total <insult>" covers insults the corpus never used.
    Character n-grams are the bare substrings; their features are named `CHAR_PREFIX` + the
    substring (`weighted`): a post has hundreds of them, and prefixing each was a tenth of
    the check's time (issue #17)."""
    words = ["<s>", *_WORD.findall(text), "</s>"]
    word_grams: set[str] = set()
    for n in WORD_NGRAMS:
        for i in range(len(words) - n + 1):
            word_grams.add("w " + " ".join(words[i : i + n]))
    abstract = text
    for pattern, name in _PHRASES:
        abstract = pattern.sub(name, abstract)
    tokens = ["<s>", *_WORD.findall(abstract), "</s>"]
    classes = [WORD_CLASSES.get(t, t) for t in tokens]
    classed = [t != c or t[0] == "<" for t, c in zip(tokens, classes, strict=True)]
    classed[0] = classed[-1] = False
    for n in WORD_NGRAMS:
        for i in range(len(tokens) - n + 1):
            if any(classed[i : i + n]):
                word_grams.add("k " + " ".join(classes[i : i + n]))
    word_grams -= _CONTEXT_ONLY  # pronouns, handles and edges count only in context
    # A handle or a link is one thing to the characters: "@user" spelt out would add a dozen
    # n-grams to every post that mentions someone.
    padded = f" {text.replace('@user', ' ').replace(' link ', ' / ')} "
    char_grams = {padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)}
    return word_grams, char_grams


Grams = tuple[set[str], set[str]]  # word n-grams, character n-grams


def post_grams(text: str) -> list[tuple[int, int, Grams]]:
    """What the model scores in a post: each sentence, then, when there are several, the whole
    post as the union of its sentences (some posts say it only across two sentences)."""
    scored = []
    for start, end in units(text):
        normalised = normalise(text[start:end])
        # One word alone ("Text", "kids", "Help.") says too little to judge; the rules still
        # read it.
        if len(_WORDS_ONLY.findall(normalised)) < MIN_WORDS:
            continue
        scored.append((start, end, ngrams(normalised)))
    if len(scored) > 1:
        words: set[str] = set().union(*(g[0] for _, _, g in scored))
        chars: set[str] = set().union(*(g[1] for _, _, g in scored))
        scored.append((scored[0][0], scored[-1][1], (words, chars)))
    return scored


def weighted(text: str) -> dict[str, float]:
    """The feature vector the model learns a post from: the post as run time sees it whole
    (the union of its sentences' n-grams), each n-gram scaled by its group."""
    scored = post_grams(text)
    if not scored:
        return {}
    word_grams, char_grams = scored[-1][2]
    vector: dict[str, float] = {}
    if word_grams:
        vector.update(dict.fromkeys(word_grams, scale(len(word_grams), MIN_WORD_GRAMS)))
    if char_grams:
        weight = scale(len(char_grams), MIN_CHAR_GRAMS)
        vector.update(dict.fromkeys((CHAR_PREFIX + g for g in char_grams), weight))
    return vector


def scale(count: int, least: int) -> float:
    return 1.0 / math.sqrt(max(count, least))
