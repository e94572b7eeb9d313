"""Posts in Spanish: crisis language and contact details, with messages in Spanish.

Many families at these conferences speak Spanish. The text model is English-only, so a post
read as Spanish gets these rules instead (the language-neutral rules, phone numbers and email
addresses, still run). What is covered and what is not is in docs/care.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .crisis import About
from .findings import Finding, Kind, Severity

I = re.IGNORECASE  # noqa: E741

# Words that are Spanish and not English (nor common in English posts), and the reverse.
_ES = set(
    """de la que el los las del se por con una su para es al lo como más mas pero sus le ya
    este esta porque entre cuando muy sin sobre también tambien hasta hay donde quien desde
    todo todos nos durante les ni otros ese eso esto mí qué unos yo otro otra él ella estoy
    estar estás estas quiero tengo soy eres somos hoy gracias mañana manana noche aquí aqui
    nadie nada siempre nunca vida morir matar hijo hija amigo amiga mamá mama papá papa
    favor ayuda necesito puedo puede quiere dijo dice mi mis tu tus usted ustedes pues en y
    vivo estamos están tiene tienen hace hacer sé cómo dónde cuándo todas hola familia
    familias hijos niños niñas escuela comida casa trabajo sesión charla bien mal ayer ahora
    nuestro nuestra nuestros""".split()  # noqa: SIM905
)
_EN = set(
    """the and to of in is it you that for on with was this be are have at so but not they what
    just my me we our your he she his her from about all will can there their would if do an
    by or as one up out like get really thanks great session talk""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-záéíóúñü]+", I)


def is_spanish(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    spanish = sum(w in _ES for w in words)
    english = sum(w in _EN for w in words)
    return spanish >= 2 and spanish > english


_CRISIS = re.compile(
    r"|".join(
        [
            r"\b(?:me\s+)?quiero\s+(?:morir(?:me)?|matar(?:me)?|suicidar(?:me)?|desaparecer)\b",
            r"\bme\s+(?:quiero|voy\s+a|gustaría|gustaria)\s+(?:morir|matar|suicidar)\b",
            r"\b(?:matarme|suicidarme|quitarme\s+la\s+vida|quitarse\s+la\s+vida)\b",
            r"\b(?:pienso|pensando|he\s+pensado)\s+en\s+(?:el\s+)?(?:suicidio|suicidarme|"
            r"matarme|morirme|quitarme\s+la\s+vida)\b",
            r"\b(?:ya\s+)?no\s+quiero\s+(?:vivir|seguir(?:\s+viviendo)?|despertar|estar\s+aqu[ií]|"
            r"existir)\b",
            r"\b(?:acabar|terminar)\s+con\s+(?:mi\s+vida|todo|esto\s+para\s+siempre)\b",
            r"\bojal[aá]\s+(?:me\s+muriera|estuviera\s+muert[oa]|no\s+despertara|no\s+existiera)\b",
            r"\b(?:estar[ií]an|estar[ií]a|vivir[ií]an)\s+mejor\s+sin\s+m[ií]\b",
            r"\bsoy\s+una\s+carga\b",
            r"\b(?:hacerme|me\s+hago|me\s+hice)\s+daño\b|\blastimarme\b",
            r"\b(?:me\s+cort[eé]|me\s+estoy\s+cortando|cortarme|volv[ií]\s+a\s+cortarme)\b",
            r"\b(?:tom[eé]|me\s+tom[eé])\s+(?:todas\s+las|muchas|un\s+frasco\s+de)\s+pastillas\b",
            r"\bno\s+aguanto\s+m[aá]s\b|\bya\s+no\s+puedo\s+m[aá]s\b",
            r"\b(?:esta\s+es\s+mi\s+despedida|me\s+despido\s+de\s+todos|adi[oó]s\s+para\s+siempre)\b",
            # someone else
            r"\bse\s+(?:quiere|va\s+a)\s+(?:matar|suicidar|morir)\b",
            r"\bquiere\s+(?:morirse|matarse|suicidarse)\b|\bse\s+est[aá]\s+cortando\b",
            # danger from another person
            r"\b(?:me|nos|la|lo|te)\s+(?:amenaz[oó]|va\s+a\s+matar|quiere\s+matar|va\s+a\s+hacer\s+daño)\b",
            r"\bamenaz(?:a|ó|o)\s+con\s+matar\w*\b",
            r"\b(?:tiene|trae|con)\s+(?:una|un)\s+(?:pistola|arma|cuchillo|navaja)\b",
            r"\bme\s+(?:est[aá]\s+siguiendo|peg[oó]|golpe[oó])\b",
        ]
    ),
    I,
)
_DANGER = re.compile(
    r"\b(?:amenaz\w*|pistola|arma|cuchillo|navaja|me\s+peg[oó]|me\s+golpe[oó]|"
    r"me\s+est[aá]\s+siguiendo|(?:me|nos)\s+(?:va|quiere)\s+a?\s*matar)\b",
    I,
)
_SOMEONE_ELSE = re.compile(
    r"\bse\s+(?:quiere|va\s+a)\s+(?:matar|suicidar|morir)\b|\bquiere\s+(?:morirse|matarse|"
    r"suicidarse)\b|\bquitarse\s+la\s+vida\b|\bse\s+est[aá]\s+cortando\b",
    I,
)

_EMAIL_SPELLED = re.compile(
    r"\b[\w.+-]+\s+arroba\s+[\w-]+\s+punto\s+(?:com|org|net|edu|gov|mx|es)\b", I
)
_PHONE_CUED = re.compile(
    r"\b(?:mi\s+(?:n[uú]mero|celular|cel|tel[eé]fono|whats(?:app)?)(?:\s+es)?|ll[aá]mame\s+al|"
    r"escr[ií]beme\s+al|m[aá]ndame\s+(?:un\s+)?mensaje\s+al)\s*:?\s*(\+?\d[\d\s.-]{6,}\d)",
    I,
)
_ADDRESS = re.compile(
    r"\b(?:calle|avenida|av\.|avda\.|camino|paseo|privada|colonia|col\.)\s+"
    r"[A-ZÁÉÍÓÚÑ0-9][\wáéíóúñ.]*(?:\s+[\wáéíóúñ.]+){0,3}?\s*(?:#|n[uú]m(?:ero)?\.?|no\.)?\s*"
    r"\d{1,5}\b",
    I,
)

MESSAGES = {
    About.SELF: "Parece que estás pasando por algo muy doloroso. No tienes que pasar por esto "
    "a solas: hay apoyo disponible ahora mismo.",
    About.SOMEONE_ELSE: "Parece que alguien que conoces podría estar en riesgo. Si podría estar "
    "en peligro ahora, llama a los servicios de emergencia; una persona facilitadora del evento "
    "puede ayudarte con discreción.",
    About.DANGER: "Parece que alguien podría estar en peligro. Si hay un peligro inmediato, llama "
    "ahora a los servicios de emergencia y avisa a una persona facilitadora o a la seguridad del "
    "lugar.",
    "email": "Esto parece una dirección de correo. Las publicaciones son públicas: comparte tus "
    "datos de contacto en privado.",
    "phone": "Esto parece un número de teléfono. Las publicaciones son públicas: comparte tus "
    "datos de contacto en privado.",
    "address": "Esto parece una dirección. Las publicaciones son públicas y lo seguirán siendo.",
    "contact": "Esto parece un dato de contacto de alguien. Las publicaciones son públicas: "
    "comparte los datos de contacto en privado.",
}


def crisis_message(about: About) -> str:
    return MESSAGES[about]


def about(text: str) -> About:
    if _DANGER.search(text):
        return About.DANGER
    if _SOMEONE_ELSE.search(text):
        return About.SOMEONE_ELSE
    return About.SELF


def findings(text: str) -> Iterator[Finding]:
    for match in _CRISIS.finditer(text):
        yield Finding(Kind.CRISIS, *match.span(), Severity.HIGH, MESSAGES[About.SELF])
    for match in _EMAIL_SPELLED.finditer(text):
        yield Finding(Kind.CONTACT_INFO, *match.span(), Severity.MEDIUM, MESSAGES["email"])
    for match in _PHONE_CUED.finditer(text):
        yield Finding(Kind.CONTACT_INFO, *match.span(1), Severity.MEDIUM, MESSAGES["phone"])
    for match in _ADDRESS.finditer(text):
        yield Finding(Kind.CONTACT_INFO, *match.span(), Severity.MEDIUM, MESSAGES["address"])


# The English rules' contact messages, said in Spanish for a Spanish post.
def translate(finding: Finding, english: dict[str, str]) -> Finding:
    for key in ("email", "phone", "address", "contact"):
        if finding.message == english.get(key):
            spanish = MESSAGES[key]
            return Finding(finding.kind, finding.start, finding.end, finding.severity, spanish)
    return finding
