"""An event's accent colour, made safe to read. Organisers pick any colour; the pages use the
nearest shade of it that keeps text WCAG AA (4.5:1): links and headings in the accent on the
page's background, and the button text on the accent. A light colour is darkened for the
light theme and a dark one lightened for the dark theme, so a brand's yellow or navy still
reads as itself without making anything unreadable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backchannel.errors import Invalid

AA = 4.5
_HEX = re.compile(r"#?([0-9a-fA-F]{6})")

# The page colours the accent must stand out against (web/static/backchannel/site.css).
LIGHT_BACKGROUND = "#f6f5f1"
LIGHT_BUTTON_TEXT = "#ffffff"
DARK_BACKGROUND = "#14181b"
DARK_SURFACE = "#1c2226"
DARK_BUTTON_TEXT = "#0d1a1c"

RGB = tuple[float, float, float]


def clean_colour(value: str, *, field: str = "accent_colour") -> str:
    """ "#1a2b3c" in lower case, or "" for none; anything else is refused."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _HEX.fullmatch(value)
    if match is None:
        raise Invalid("Choose a colour as six hexadecimal digits, like #0f5c63.", field=field)
    return "#" + match.group(1).lower()


def _rgb(colour: str) -> RGB:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, towards: str, share: float) -> str:
    a, b = _rgb(colour), _rgb(towards)
    return _hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def _readable(colour: str, towards: str, against: tuple[str, ...]) -> str:
    """The colour, moved towards black or white in small steps until it reaches AA against
    each of `against` (at worst it becomes `towards` itself, which always does here)."""
    for step in range(21):
        shade = mix(colour, towards, step / 20)
        if all(contrast(shade, other) >= AA for other in against):
            return shade
    return towards


@dataclass(frozen=True)
class Palette:
    """The CSS custom properties an event's pages override, for each theme."""

    light: dict[str, str]
    dark: dict[str, str]

    def css(self) -> str:
        def block(values: dict[str, str]) -> str:
            return "; ".join(f"{name}: {value}" for name, value in values.items())

        return (
            f":root {{ {block(self.light)}; }}\n"
            f"@media (prefers-color-scheme: dark) {{ :root {{ {block(self.dark)}; }} }}"
        )


def palette(colour: str) -> Palette:
    light = _readable(colour, "#000000", (LIGHT_BACKGROUND, LIGHT_BUTTON_TEXT))
    dark = _readable(colour, "#ffffff", (DARK_BACKGROUND, DARK_SURFACE, DARK_BUTTON_TEXT))
    return Palette(
        light={
            "--accent": light,
            "--accent-strong": mix(light, "#000000", 0.25),
            "--accent-soft": mix(light, "#ffffff", 0.88),
        },
        dark={
            "--accent": dark,
            "--accent-strong": mix(dark, "#ffffff", 0.25),
            "--accent-soft": mix(dark, DARK_BACKGROUND, 0.82),
        },
    )
