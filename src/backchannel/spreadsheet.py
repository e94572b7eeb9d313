"""CSV that is safe to open in a spreadsheet. A cell that starts with = + - @ (or a tab or a
return) would be read as a formula, so it is prefixed with ' and read as text. Every CSV the
product writes (poll results, personal exports, archives) goes through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if value is None else value) for value in row])
    return out.getvalue()
