"""`python -m backchannel.care.training`: retrain the text model from the corpus, write
care/model.json.gz, and print the cross-validation report (JSON, then a summary).

`--check` rebuilds and compares with the shipped weights instead of writing them (exit 1 when
they differ): the suite runs it, so the weights always come from the corpus as it is.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..check import check, rule_findings
from ..model import WEIGHTS, TextModel
from . import corpus, fit, generate


def found_kinds(text: str) -> set[str]:
    """The kinds the check as shipped finds in a post (policy terms aside)."""
    return {str(f.kind) for f in check(text)} & set(corpus.KINDS)


def build() -> tuple[dict, dict]:
    """The model and the cross-validation report, from the corpus as it is."""
    posts = corpus.dedupe(corpus.hand_written())
    made = generate.generate(posts)
    scores = fit.cross_validate(posts, made)
    thresholds = fit.choose_thresholds(posts, scores)
    flagged = [fit.flagged(s, thresholds) for s in scores]
    rules = [{str(f.kind) for f in rule_findings(p.text)} & set(corpus.KINDS) for p in posts]
    report = {
        "hand_written": len(posts),
        "generated": len(made),
        "thresholds": {k: round(v, 3) for k, v in thresholds.items()},
        "model": fit.measure(posts, flagged),
        "rules": fit.measure(posts, rules),
        "rules_and_model": fit.measure(posts, [a | b for a, b in zip(flagged, rules, strict=True)]),
    }
    model = fit.export(fit.fit([*posts, *made]), thresholds)
    report["features"] = len(model["features"])
    return model, report


def summary(report: dict) -> str:
    lines = [f"{report['hand_written']} hand-written posts, {report['generated']} generated"]
    lines.append("5-fold cross-validation (hand-written posts scored; rules and model):")
    both = report["rules_and_model"]
    for kind, row in both["kinds"].items():
        alone = report["model"]["kinds"][kind]["recall"]
        lines.append(
            f"  {kind:15} precision {row['precision']:.2f}  recall {row['recall']:.2f} "
            f"(model alone {alone:.2f})  n={row['support']}"
        )
    lines.append(
        f"  benign posts with any finding: {both['benign_with_any_finding']:.1%} "
        f"of {both['benign_posts']}"
    )
    lines.append(f"{report['features']} features")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument(
        "--score", metavar="FILE", help="score a held-out file with the check as shipped"
    )
    args = parser.parse_args(argv)
    if args.score:
        posts = corpus.read(Path(args.score))
        result = fit.measure(posts, [found_kinds(p.text) for p in posts])
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    started = time.perf_counter()
    model, report = build()
    if args.check:
        shipped = TextModel.from_file(WEIGHTS)
        rebuilt = TextModel(model)
        same = fit.same_model(shipped, rebuilt)
        print(
            "the shipped weights match the corpus"
            if same
            else "the shipped weights differ from a rebuild: run make care-model"
        )
        return 0 if same else 1
    fit.write(model)
    report["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(report, sys.stdout, indent=1)
    print()
    print(summary(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
