"""Who is at risk in a crisis passage, so the author gets the help that fits.

Safe-messaging guidance for moderators and platforms (docs/care.md) asks that people writing
about *someone else* at risk are told how to help that person now, and that danger from
another person sends people to emergency services first. Three readings, in this order:

- `danger`: someone else threatens, is armed or is violent ("my ex said he'd kill me", "a man
  with a knife in the lobby");
- `someone_else`: the risk is another person's ("my colleague has a plan for tonight");
- `self`: the author's own (the default: when unsure, speak to the author).
"""

from __future__ import annotations

import re
from enum import StrEnum


class About(StrEnum):
    SELF = "self"
    SOMEONE_ELSE = "someone_else"
    DANGER = "danger"


I = re.IGNORECASE  # noqa: E741

_OTHER_PERSON = (
    r"(?:he|she|they|someone|somebody|a (?:man|guy|woman|stranger|dad|father|parent)|"
    r"some (?:man|guy)|my (?:ex|husband|wife|partner|boyfriend|girlfriend|stepdad|stepfather|"
    r"dad|father|abuser|stalker)|(?:her|his|their) (?:ex|husband|partner|boyfriend|dad|father|"
    r"stepdad|uncle|pimp)|the man|that man|this guy|a client)"
)
_DANGER = re.compile(
    r"|".join(
        [
            # armed, said of someone else ("I have my dad's gun" is the author's own risk)
            rf"\b{_OTHER_PERSON}\s+(?:\w+\s+){{0,2}}?(?:has|had|with|holding|pulled|waving|"
            r"carrying|brought|is loading|loading|got)\s+(?:out\s+)?(?:a |his |her |their )?"
            r"(?:gun|knife|weapon|bomb|rifle|pistol|blade)\b",
            r"\b(?:man|guy|woman|someone|person|stranger) (?:with|holding|waving|pulled) "
            r"(?:a |his |her )?(?:gun|knife|weapon|bomb)\b",
            # threats against the author or others
            r"\bthreat(?:en(?:ed|ing|s)?)?\b",
            rf"\b{_OTHER_PERSON}(?:'ll| will|'d| would| is going to| said he'?d| said she'?d| "
            r"says he'?ll| says she'?ll)\s+(?:kill|hurt|beat|shoot|stab|find|get|come for|"
            r"finish)\s+(?:me|us|her|him|them|my|everyone|people|the)\b",
            r"\b(?:kill|hurt|beat|shoot|stab|choke|strangle)(?:ed|s|ing)? "
            r"(?:me|us|my kids|the kids)\b",
            r"\b(?:shoot(?:ing)? up|shots? (?:fired|outside)|heard shots|active shooter|"
            r"bomb threat)\b",
            r"\b(?:follow(?:ing|ed)|stalk(?:ing|ed)|waiting (?:for|outside))\s+(?:me|her|a)\b",
            r"\b(?:abuser|stalker|restraining order|protective order|pimp)\b",
            r"\b(?:beats?|beating|hits?|hitting|punch(?:ed|ing)?|slapped|slammed|choked|pushed|"
            r"grabbed|smashing)\s+(?:me|her|him|a |the |his |someone|my |things)",
            r"\b(?:abusive|violent) (?:ex|husband|partner|boyfriend|dad|father)\b",
            r"\b(?:screaming|yelling|shouting)\b[^.!?]{0,40}\b(?:kill|hurt|shoot|threat\w*|help)\b",
            r"\b(?:I'm|I am|she's|he's|we're) hiding\b|\bbroke into\b|\bby the neck\b|\bbleeding\b|"
            r"\bfinish what he started\b|\bmake (?:me|you|us) pay\b|\bbanging on\b",
            r"\b(?:found|knows) (?:my location|where I'm|where I am|my room|my hotel)\b|"
            r"\bI (?:see|know) you(?:'re| are)?\b",
        ]
    ),
    I,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z']*")
_RISK_WORDS = re.compile(
    r"^(?:die|died|dying|dead|death|kill\w*|suicid\w*|hurt\w*|cut\w*|overdos\w*|pills?|"
    r"jump\w*|burden|alive|live|living|life|exist\w*|disappear\w*|wake|goodbye|end|ending|"
    r"plan|gone|kms|unaliv\w*|hang\w*|drown\w*|harm\w*|noose|gun|razor|bridge|overpass|roof|"
    r"shoot|sorry|done|forever|note|strap)$",
    I,
)
_FIRST = {"i", "i'm", "im", "i've", "ive", "i'll", "i'd", "myself"}
_THIRD = {
    "he", "she", "they", "he's", "she's", "they're", "hes", "shes", "theyre", "him", "her",
    "them", "himself", "herself", "themselves", "someone", "somebody",
}  # fmt: skip
_KIN = re.compile(
    r"^(?:son|daughter|kid|child|friend|colleague|coworker|client|student|brother|sister|mom|"
    r"mum|mother|dad|father|husband|wife|partner|roommate|niece|nephew|cousin|teen|teenager|"
    r"boyfriend|girlfriend|mentee|bff|bestie|homie|patient|youth|girl|boy|man|woman|guy|"
    r"participant|attendee|volunteer|parent|person)s?$",
    re.IGNORECASE,
)


def _subject(tokens: list[str], at: int) -> str | None:
    """The nearest person before the risk word at `at` (or its reflexive object after it):
    "first", "third" or None."""
    for word in tokens[at + 1 : at + 3]:
        low = word.lower()
        if low == "myself":
            return "first"
        if low in {"himself", "herself", "themselves"}:
            return "third"
    for word in reversed(tokens[max(0, at - 8) : at]):
        low = word.lower()
        if low in _FIRST:
            return "first"
        if low in _THIRD or _KIN.match(low):
            return "third"
    return None


# Quoted words are someone else's ("my son texted: 'I'm sorry, don't come in my room'").
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")
# The author looking for someone they cannot reach, or asking how to help.
_HELPING = re.compile(
    r"\b(?:can't|cannot|can not) reach (?:him|her|them)\b|\b(?:isn't|is not|isnt|not|won't|"
    r"wont|hasn't|stopped) (?:answering|answered|picking up|pick up)\b|\bcheck on (?:him|her|"
    r"them)\b|\bwhat (?:do|should) I do\b|\bhow (?:do|can) I help\b",
    I,
)


def who_is_at_risk(text: str) -> About:
    """Read a crisis passage (or the post around it)."""
    if _DANGER.search(text):
        return About.DANGER
    quoted = _QUOTED.sub(
        lambda m: re.sub(r"\b(?:I|I'm|I've|I'll|myself)\b", "they", m.group()), text
    )
    tokens = _TOKEN.findall(quoted)
    subjects = [_subject(tokens, i) for i, t in enumerate(tokens) if _RISK_WORDS.match(t)]
    if "third" in subjects and _HELPING.search(text):
        return About.SOMEONE_ELSE
    if "first" in subjects or not any(subjects):
        return About.SELF
    return About.SOMEONE_ELSE
