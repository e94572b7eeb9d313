"""Initials avatars are drawn in white on a colour per person (`.hue-N` in site.css): every hue
the stylesheet defines must keep WCAG AA contrast (4.5:1) with the white initials. axe checks
only the hues of the people a page happens to show; this checks them all."""

from __future__ import annotations

import colorsys
import re
from pathlib import Path

import pytest

# Run once (colours: no database).
pytestmark = pytest.mark.engine_independent

CSS = Path(__file__).resolve().parents[2] / "src/backchannel/web/static/backchannel/site.css"


def _luminance(r: float, g: float, b: float) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def test_every_avatar_hue_keeps_white_initials_readable() -> None:
    css = CSS.read_text(encoding="utf-8")
    rule = re.search(
        r"\.avatar \{[^}]*color: #fff;[^}]*hsl\(var\(--hue, \d+\) (\d+)% (\d+)%\)", css
    )
    assert rule, "the .avatar rule with white text on hsl(var(--hue) S% L%) was not found"
    saturation, lightness = int(rule.group(1)) / 100, int(rule.group(2)) / 100
    hues = [int(h) for h in re.findall(r"\.hue-\d+ \{ --hue: (\d+); \}", css)]
    assert len(hues) >= 36
    worst = min(
        (1.0 + 0.05) / (_luminance(*colorsys.hls_to_rgb(h / 360, lightness, saturation)) + 0.05)
        for h in hues
    )
    assert worst >= 4.5, f"white initials reach only {worst:.2f}:1 on the lightest hue"
