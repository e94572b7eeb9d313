"""Crisis resources for an author whose post has crisis language, worded for who is at risk.

The wording follows published safe-messaging guidance for moderators and platforms (docs/care.md
cites it): speak warmly and directly, never about methods; give a next step that fits, with
emergency services first when someone may be in danger now; someone writing about another
person gets ways to help that person, not only "if you are struggling". The event's own crisis
lines and contact come first when the organisers set them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from . import spanish
from .crisis import About
from .findings import Finding, Kind

_WORDS: dict[str, dict[str, Any]] = {
    "en": {
        About.SELF: (
            "You are not alone.",
            "If you are struggling or thinking about suicide, support is available right now, "
            "any time of day:",
        ),
        About.SOMEONE_ELSE: (
            "Helping someone who may be at risk",
            "If they could act on it soon, call emergency services now. If you can, reach out "
            "to them privately, ask them directly how they are, and stay with them or keep "
            "them talking. A crisis line can also tell you how to help:",
        ),
        About.DANGER: (
            "If someone is in danger",
            "If anyone is in immediate danger, call emergency services now and move somewhere "
            "safe if you can. Then tell a facilitator or venue security:",
        ),
        "lines": [
            "988 Suicide & Crisis Lifeline (US): call or text 988, or chat at 988lifeline.org.",
            "In immediate danger: call 911.",
        ],
        "at_event": "At {event}: {contact}",
        "any_facilitator": "any facilitator can help, quietly.",
    },
    "es": {
        About.SELF: (
            "No estás a solas con esto.",
            "Si lo estás pasando mal o piensas en el suicidio, hay apoyo disponible ahora "
            "mismo, a cualquier hora:",
        ),
        About.SOMEONE_ELSE: (
            "Cómo ayudar a alguien que podría estar en riesgo",
            "Si podría actuar pronto, llama ahora a los servicios de emergencia. Si puedes, "
            "escríbele en privado, pregúntale directamente cómo está y quédate con esa persona "
            "o sigue hablando con ella. Una línea de crisis también te orienta:",
        ),
        About.DANGER: (
            "Si alguien está en peligro",
            "Si hay un peligro inmediato, llama ahora a los servicios de emergencia y ponte a "
            "salvo si puedes. Después avisa a una persona facilitadora o a la seguridad del "
            "lugar:",
        ),
        "lines": [
            "Línea 988 de Prevención del Suicidio y Crisis (EE. UU.): llama o envía un texto "
            "al 988 y elige español.",
            "En peligro inmediato: llama al 911.",
        ],
        "at_event": "En {event}: {contact}",
        "any_facilitator": "cualquier persona facilitadora puede ayudarte con discreción.",
    },
}


def crisis_support(
    about: str,
    *,
    language: str = "en",
    event_name: str,
    lines: Sequence[str] = (),
    contact: str = "",
) -> dict[str, Any]:
    """What to show the author: a title, a line that says what to do, where to turn."""
    words = _WORDS.get(language, _WORDS["en"])
    who = About(about) if about in set(About) else About.SELF
    title, intro = words[who]
    return {
        "about": str(who),
        "language": language if language in _WORDS else "en",
        "title": title,
        "intro": intro,
        "lines": list(lines) or list(words["lines"]),
        "at_event": words["at_event"].format(
            event=event_name, contact=contact or words["any_facilitator"]
        ),
    }


class EventResources(Protocol):
    """What an event says about crisis support (events.models.Event)."""

    name: str
    crisis_contact: str

    @property
    def crisis_line_list(self) -> list[str]: ...


def for_post(
    findings: Sequence[Finding], text: str, event: EventResources
) -> dict[str, Any] | None:
    """The resources to send with the answer to a post (or to its "check this first"), or
    None when it has no crisis language: the author sees them whatever their typing speed."""
    about = next((f.about for f in findings if f.kind == Kind.CRISIS), None)
    if about is None:
        return None
    return crisis_support(
        about or About.SELF,
        language="es" if spanish.is_spanish(text) else "en",
        event_name=event.name,
        lines=event.crisis_line_list,
        contact=event.crisis_contact,
    )
