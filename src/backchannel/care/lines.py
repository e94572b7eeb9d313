"""`backchannel caution`: JSON lines in, JSON lines out (the public contract).

In:  {"id": any, "text": str, "policy_terms": [str] (optional)} per line.
Out: {"id": the same, "findings": [{"kind", "start", "end", "severity", "message"}]} per line;
     a line that is not such an object gets {"id": its id or null, "error": "..."} and the
     command exits 1 at the end (the other lines are still answered).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from .check import check


def answer(line: str) -> tuple[dict[str, Any], bool]:
    """The output object for one input line, and whether the line was valid."""
    try:
        item = json.loads(line)
    except ValueError:
        return {"id": None, "error": "Not JSON: each line must be one JSON object."}, False
    if not isinstance(item, dict):
        return {"id": None, "error": 'Each line must be a JSON object {"id", "text"}.'}, False
    ident = item.get("id")
    text = item.get("text")
    terms = item.get("policy_terms", [])
    if not isinstance(text, str):
        return {"id": ident, "error": '"text" must be a string.'}, False
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        return {"id": ident, "error": '"policy_terms" must be a list of strings.'}, False
    return {"id": ident, "findings": [f.as_dict() for f in check(text, terms)]}, True


def run(lines: Iterable[str], out: TextIO) -> int:
    ok = True
    for line in lines:
        if not line.strip():
            continue
        result, valid = answer(line)
        ok = ok and valid
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0 if ok else 1
