"""The labelled corpus: one post per line, `kinds<TAB>text`, kinds comma-separated or `-`.

Comment lines start with `#`; `# family: …` names the family of wording of the lines below it
(reports break results down by family).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# The kinds the text model learns (policy terms are the organisation's own list, not learnt).
KINDS = ("crisis", "health_detail", "harassment", "child_identity", "contact_info")


@dataclass(frozen=True)
class Labelled:
    text: str
    kinds: frozenset[str]
    source: str  # file name, and line number
    family: str
    generated: bool = False


def read(path: Path, *, generated: bool = False) -> list[Labelled]:
    posts = []
    family = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("# family:"):
            family = raw.removeprefix("# family:").strip()
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        kinds, text = raw.split("\t", 1)
        labels = frozenset() if kinds == "-" else frozenset(kinds.split(","))
        unknown = labels - set(KINDS)
        if unknown:
            raise ValueError(f"{path.name}:{number}: unknown kinds {sorted(unknown)}")
        posts.append(Labelled(text, labels, f"{path.name}:{number}", family, generated))
    return posts


def hand_written(folder: Path = CORPUS) -> list[Labelled]:
    """Every hand-written file of the corpus, in a fixed order (held-out files included once
    they have been scored: see docs/care.md)."""
    return [post for path in sorted(folder.glob("*.txt")) for post in read(path)]


def dedupe(posts: Iterable[Labelled]) -> list[Labelled]:
    seen: set[str] = set()
    unique = []
    for post in posts:
        key = " ".join(post.text.lower().split())
        if key not in seen:
            seen.add(key)
            unique.append(post)
    return unique
