"""The detectors of the caution check: each finds one kind of sensitive passage.

They are rules, not a model: offline, fast (well under a millisecond for a post), and
explainable to the author. Each needs a *specific* person or detail before it speaks, so
general discussion stays silent: conditions named in general, statistics with ages, presenters'
names, de-identified vignettes and idioms ("this talk killed it"). The labelled set in
tests/care/ measures both misses and false alarms (docs/care.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers
from rapidfuzz.distance import Levenshtein

from . import lexicon
from .findings import MESSAGES, Finding, Kind, Severity

_Trie = dict[str, "_Trie"]  # letter -> the rest; "" marks the end of a word


def _alternation(words: Iterable[str]) -> str:
    """The words as one alternation for a case-insensitive pattern, the longest that fits
    first ("foster care" before "foster"), written as a trie: `adhd|add` is `ad(?:hd|d)`.

    Python's re tries every branch of a plain alternation at each word, and under IGNORECASE
    it cannot skip a branch by its first letter: the word lists were a tenth of a post's
    instructions (issue #17). In the trie one letter decides each step, and trying a longer
    branch before ending matches what longest-first chose. Letters are folded to lower case,
    so use it only where IGNORECASE applies (a test compares both forms)."""
    root: _Trie = {}
    for word in words:
        node = root
        for letter in word:
            folded = letter.lower()
            node = node.setdefault(folded if len(folded) == 1 else letter, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: _Trie) -> str:
    branches = [re.escape(letter) + _trie_pattern(rest) for letter, rest in node.items() if letter]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # The longer words first, then ending here: `(?:...)?` is greedy.
    return f"(?:{pattern})?" if "" in node else pattern


I = re.IGNORECASE  # noqa: E741 (a flag, read as "ignore case")

# --- people -------------------------------------------------------------------------------

_TITLES = r"(?:Dr|Prof|Mr|Mrs|Ms|Mx|Rev|Sen|Rep|Judge|Dean|Coach)\.?"
# Capitalised words that are not names (sentence starters, days, months, common words).
_NOT_NAMES = {
    w.lower()
    for w in """I I'm I've I'd I'll A An The This That These Those There Here Today Tomorrow
    Yesterday Tonight We Our You Your He She They It Its His Her Their My Me Us Them Just So
    But And Or If When While After Before Also Still Great Good Love Thanks Thank Wow Yes No
    Not Very Really Session Sessions Keynote Plenary Panel Workshop Opening Closing Day
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Kids Children Parents Families
    Youth Teens Boys Girls Mom Dad Mum Son Daughter Family Families School Schools Elementary
    Middle High Academy Primary Foster Care Home Group Court County State City Town Many Most
    Some Every Each All Any Both Few One Two Three Four Five Six Seven Eight Nine Ten Who What
    Why How Where Which Please Let Lets Let's Happy Proud Glad Sad Hard Easy New Next Last
    First Second Third Big Small Don't Can't Won't Didn't Isn't Aren't Wasn't Weren't Hey Hi
    Hello Agree Agreed Exactly Absolutely Question Questions Answer Slide Slides Talk Q A
    ADHD PTSD OCD ODD CPS DCFS ER ICU SAMHSA NAMI CDC NIH NIMH AAP APA TI TI2012""".split()  # noqa: SIM905
}
_NAME = r"(?<![\w@#.])(?<!Dr\. )(?<!Dr )[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?(?![\w@])"
_INITIALS = r"(?<![\w.])[A-Z]\.\s?(?:[A-Z]\.\s?)?(?=[\s,;:)(]|$)"
_CHILD_KIN = _alternation(lexicon.CHILD_KIN)
_ANY_KIN = _alternation(lexicon.CHILD_KIN + lexicon.ADULT_KIN)
_POSSESSIVE = r"(?:my|our|his|her|their|your|a friend's|my friend's|a client's)"
_KIN_REF = (
    rf"\b{_POSSESSIVE}\s+(?:(?:[\w']+|\d{{1,2}}[- ]year[- ]old)\s+)?(?:{_ANY_KIN})\b"
    rf"|(?-i:\b[A-Z][a-z]+)'s\s+(?:{_ANY_KIN})\b"
)
_CHILD_REF = rf"\b{_POSSESSIVE}\s+(?:(?:\w+|\d{{1,2}}[- ]year[- ]old)\s+)?(?:{_CHILD_KIN})\b"

_name_re = re.compile(_NAME)
_initials_re = re.compile(_INITIALS)
_kin_re = re.compile(_KIN_REF, I)
_child_kin_re = re.compile(_CHILD_REF, I)
_title_name_re = re.compile(rf"\b{_TITLES}\s+[A-Z][a-z]+")


def _names(text: str) -> Iterator[tuple[int, int]]:
    """Spans of words that look like someone's name (not titles like Dr. Rivera)."""
    titled = {m.end() for m in _title_name_re.finditer(text)}
    for match in _name_re.finditer(text):
        if match.group().lower() in _NOT_NAMES or match.end() in titled:
            continue
        yield match.span()
    for match in _initials_re.finditer(text):
        yield match.start(), match.end()


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"[.!?;\n]+(?=\s|$)", text):
        yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


# --- contact details ------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.@])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_TLD = r"(?:com|org|net|edu|gov|io|us|uk|ca|info|co|me|biz)"
_EMAIL_SPELLED = re.compile(
    rf"\b[\w.+-]+\s*[\[(]?\s*(?:at)\s*[\])]?\s*[\w-]+\s*[\[(]?\s*(?:dot)\s*[\])]?\s*{_TLD}\b", I
)
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_SPELLED_RUN = re.compile(
    r"(?:\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b[\s,.-]*){7,}", I
)
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl)"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){{1,3}}{_STREET_SUFFIX}\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|#)\.?\s*\w+)?"
)
_VENUE = re.compile(
    r"\b(?:hotel|venue|convention cent(?:er|re)|conference cent(?:er|re)|conference is|"
    r"sessions are|ballroom|library|stadium|museum|city hall|statehouse)\b",
    I,
)
# Helplines and organisations' numbers are meant to be shared.
_TOLL_FREE = ("800", "888", "877", "866", "855", "844", "833")


# Seven digits with nothing but punctuation and spaces between them. phonenumbers' matcher
# reads a number only from such a run (its candidates are digits, punctuation, brackets,
# plus signs and "x"; `\d` is the same class it reads), and every number reported here has
# seven digits or more, so a text without such a run has none worth a word. Letters other
# than x end a run; the filler takes no digits, so the search is linear.
_SEVEN_DIGIT_RUN = re.compile(r"(?:\d[\W_xX]*+){7}")


def phone_numbers(text: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """The phone numbers worth a word. Asking phonenumbers' matcher costs about a quarter of
    the rules' time, and a conference's posts often have digits (years, rooms, counts) but
    seldom a number, so it is asked only when a run could hold one (issue #17)."""
    if _SEVEN_DIGIT_RUN.search(text) is None:
        return
    yield from matched_phone_numbers(text)


def matched_phone_numbers(text: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    # POSSIBLE, not VALID: made-up and 555 numbers are still someone's contact details to
    # the reader; at least seven digits keep years and counts out.
    leniency = phonenumbers.Leniency.POSSIBLE
    for found in phonenumbers.PhoneNumberMatcher(text, "US", leniency=leniency):
        national = str(found.number.national_number)
        if len(national) < 7 or (found.number.country_code == 1 and national[:3] in _TOLL_FREE):
            continue
        if found.raw_string.isdigit() and len(found.raw_string) not in (10, 11):
            continue  # a bare count like 1500000
        yield found


def contact_info(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(Kind.CONTACT_INFO, *match.span(), Severity.MEDIUM, MESSAGES["email"])
    for match in _EMAIL_SPELLED.finditer(text):
        yield Finding(Kind.CONTACT_INFO, *match.span(), Severity.MEDIUM, MESSAGES["email"])
    for found in phone_numbers(text):
        yield Finding(Kind.CONTACT_INFO, found.start, found.end, Severity.MEDIUM, MESSAGES["phone"])
    for match in _SPELLED_RUN.finditer(text):
        words = re.findall(r"[A-Za-z]+|\d", match.group())
        digits = "".join(_DIGIT_WORDS.get(w.lower(), w) for w in words)
        # Mostly words: a spelled-out number (digits alone are the matcher's job).
        if len(digits) >= 7 and sum(w.isalpha() for w in words) >= 4 and digits.isdigit():
            end = match.end() - (len(match.group()) - len(match.group().rstrip(" ,.-")))
            yield Finding(Kind.CONTACT_INFO, match.start(), end, Severity.MEDIUM, MESSAGES["phone"])
    for match in _ADDRESS.finditer(text):
        if _VENUE.search(text, max(0, match.start() - 60), match.start()):
            continue  # the hotel or the venue: public, and meant to be found
        yield Finding(Kind.CONTACT_INFO, *match.span(), Severity.MEDIUM, MESSAGES["address"])


# --- health details -----------------------------------------------------------------------

_HEALTH_TERM = re.compile(
    r"(?<![\w#@])(?:"
    + _alternation(lexicon.DIAGNOSES + lexicon.MEDICATIONS + lexicon.TREATMENT + lexicon.ABUSE)
    + r")(?![\w])",
    I,
)
# What ties a person to a condition: "has", "was diagnosed with", "is on", "'s"...
_ATTRIBUTION = re.compile(
    r"^(?:'s)?\s*(?:,\s*)?(?:who\s+)?(?:just\s+|finally\s+|recently\s+|also\s+|still\s+)?"
    r"(?:has|had|have|'s got|got|gets|was|is|were|are|'s|'m|am|on|been|has been|had been|"
    r"just got|started|starts|takes|took|is taking|was taking|stopped|"
    r"went|goes|ended up|lives with|struggles with|struggled with|is struggling with|"
    r"suffers from|suffered from|battles|battled|got diagnosed with|was diagnosed with|"
    r"is diagnosed with|diagnosed with|was put on|is on|was on|got put on|"
    r"spent \w+ (?:days|weeks|months) in)"
    r"(?:\s+(?:been|being|diagnosed|with|on|in|into|to|a|an|the|back|severe|severely|"
    r"bad|really|so|admitted|sent|put|again|just|recently|also|had|an?|from|through|dealing))*"
    r"\s*$",
    I,
)
_SELF = re.compile(r"\b(?:I|I'm|I've|I was|I am|my own)\b")


def _attributed(text: str, person_end: int, term_start: int) -> bool:
    between = text[person_end:term_start]
    return len(between) <= 60 and bool(_ATTRIBUTION.match(between))


def _people(text: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk = text[start:end]
    spans = [(start + a, start + b) for a, b in _names(chunk)]
    spans += [(start + m.start(), start + m.end()) for m in _kin_re.finditer(chunk)]
    spans += [(start + m.start(), start + m.end()) for m in re.finditer(r"@\w+", chunk)]
    return spans


def people_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Other people a passage points to: names, "my son", "Priya's husband", @handles."""
    return _people(text, start, end)


def health_detail(text: str) -> Iterator[Finding]:
    for s_start, s_end in _sentences(text):
        terms = [m for m in _HEALTH_TERM.finditer(text, s_start, s_end)]
        if not terms:
            continue
        people = _people(text, s_start, s_end)
        selves = [m.span() for m in _SELF.finditer(text, s_start, s_end)]
        for term in terms:
            other = [
                p for p in people if p[1] <= term.start() and _attributed(text, p[1], term.start())
            ]
            if other:
                start = max(p[0] for p in other)
                yield Finding(
                    Kind.HEALTH_DETAIL, start, term.end(), Severity.MEDIUM, MESSAGES["health_other"]
                )
                continue
            mine = [
                s for s in selves if s[1] <= term.start() and _attributed(text, s[1], term.start())
            ]
            if mine:
                start = max(s[0] for s in mine)
                yield Finding(
                    Kind.HEALTH_DETAIL, start, term.end(), Severity.LOW, MESSAGES["health_self"]
                )


# --- a child or family identifiable --------------------------------------------------------

_AGE_AFTER_NAME = re.compile(  # used with .match(text, pos): anchored there
    r"(?:\s*,\s*|\s*\(\s*|\s+(?:who\s+)?(?:is|was|turned|just turned)\s+|\s+aged?\s+)"
    r"(?:age\s+)?(\d{1,2})(?:\s*(?:yo|y/o|y\.o\.|years?\s*old|yrs?))?(?:\s*\))?"
    r"(?=[\s,.;:)!?]|$)",
    I,
)
_AGE_BEFORE_NAME = re.compile(r"\b(\d{1,2})[- ]?(?:year|yr)[- ]old\s*$", I)
_GRADE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)[- ]grade(?:r)?|kindergarten(?:er)?|pre-?k|"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
    r"[- ]grade(?:r)?|freshman|sophomore|junior at|senior at)\b",
    I,
)
_SCHOOL = re.compile(
    r"\b(?:[A-Z][a-z]+\.?\s+){1,3}(?:Elementary|Middle|High|Primary|Junior High|Academy|"
    r"Montessori|Preschool|Day School|Charter)(?:\s+School)?\b"
)
_PLACEMENT = re.compile(r"(?<![\w])(?:" + _alternation(lexicon.PLACEMENTS) + r")(?![\w])", I)
_TOWN = re.compile(r"\b(?:in|from|of)\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:,\s*[A-Z]{2}\b)?")
_DIAGNOSIS = re.compile(r"(?<![\w#@])(?:" + _alternation(lexicon.DIAGNOSES) + r")(?![\w])", I)


def _child_age(match: re.Match[str] | None) -> bool:
    return bool(match) and 0 < int(match.group(1)) < 18  # type: ignore[union-attr]


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, start, end)]


def child_identity(text: str) -> Iterator[Finding]:
    """A name or initials with a child's age; a named child ("my son Tyler") with a school,
    grade, town, diagnosis or placement; a name beside a named school, grade or placement."""
    for s_start, s_end in _sentences(text):
        places = [
            *_spans(_SCHOOL, text, s_start, s_end),
            *_spans(_GRADE, text, s_start, s_end),
            *_spans(_PLACEMENT, text, s_start, s_end),
        ]
        details = places + _spans(_DIAGNOSIS, text, s_start, s_end)
        child_refs = _spans(_child_kin_re, text, s_start, s_end)
        sentence = text[s_start:s_end]
        # Words inside "Lincoln Elementary" or "Kinship care" are not people.
        names = [
            (s_start + a, s_start + b)
            for a, b in _names(sentence)
            if not any(d[0] <= s_start + a < d[1] for d in details)
        ]
        found = False
        for a, b in names:
            age = _AGE_AFTER_NAME.match(text, b)
            if age is not None and _child_age(age):
                found = True
                yield Finding(Kind.CHILD_IDENTITY, a, age.end(), Severity.HIGH, MESSAGES["child"])
                continue
            before = _AGE_BEFORE_NAME.search(text, s_start, a)
            if before is not None and _child_age(before):
                found = True
                yield Finding(
                    Kind.CHILD_IDENTITY, before.start(), b, Severity.HIGH, MESSAGES["child"]
                )
                continue
            near = [d for d in details if abs(d[0] - b) <= 60 or abs(a - d[1]) <= 60]
            ref = next((r for r in child_refs if r[1] <= a <= r[1] + 2), None)
            if ref is not None and (near or _TOWN.search(sentence)):
                found = True
                end = max(b, *(d[1] for d in near)) if near else b
                yield Finding(Kind.CHILD_IDENTITY, ref[0], end, Severity.HIGH, MESSAGES["child"])
                continue
            # A bare capitalised first word is too often not a name ("Hearing from...").
            first_word = not text[s_start:a].strip()
            near_places = [d for d in places if d in near]
            if near_places and not first_word:
                found = True
                start = min(a, *(d[0] for d in near_places))
                end = max(b, *(d[1] for d in near_places))
                yield Finding(Kind.CHILD_IDENTITY, start, end, Severity.HIGH, MESSAGES["child"])
        if not found:
            # No name, but "my son" with a named school: a family is easy to find.
            for ref in child_refs:
                for school in _spans(_SCHOOL, text, s_start, s_end):
                    yield Finding(
                        Kind.CHILD_IDENTITY, ref[0], school[1], Severity.MEDIUM, MESSAGES["child"]
                    )


# --- crisis -----------------------------------------------------------------------------------

_SUBJECT = r"(?:I|I'm|I've|I am|he|she|they|he's|she's|they're|my \w+|(?-i:[A-Z][a-z]+))"
_CRISIS = re.compile(
    r"|".join(
        [
            r"\b(?:kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|cuts|starve|"
            r"starving|hang|hanging|hanged|shoot|shooting|drown|drowning|unalive|unaliving)\s+"
            r"(?:my|him|her|them)\s?sel(?:f|ves)\b(?!\s+laughing)",
            r"\bnoose\b",
            r"\b(?:kms|sewerslide|unalive (?:my|him|her|them)sel(?:f|ves)|unaliving)\b",
            r"\b(?:thinking|thought|thoughts|think|considering|contemplating)\s+(?:about|of)\s+"
            r"(?:suicide|killing myself|ending my life|ending it all|taking my (?:own )?life)\b"
            r"(?!\s+(?:prevention|research|screening|rates?|awareness))",
            r"\b(?:end|take|ending|taking|ended|took)\s+(?:my|his|her|their)\s+"
            r"(?:own\s+)?life\b",
            r"\b(?:want|wants|wanted|wanting)\s+to\s+(?:die|be dead|disappear forever)\b",
            r"\bwish(?:es|ed)?\s+(?:I|he|she|they)\s+(?:was|were)\s+(?:dead|never born)\b",
            rf"\b{_SUBJECT}\s+(?:is\s+|am\s+|are\s+|was\s+|been\s+|feels?\s+|feeling\s+)*suicidal\b",
            r"\b(?:no|not any|there's no|there is no)\s+(?:reason|point)\s+(?:to|in)\s+"
            r"(?:live|living|go on|going on|being here)\b",
            r"\b(?:better off|be better) without me\b",
            r"\b(?:can't|cannot|can not)\s+(?:go on|do this anymore|keep going)\b",
            r"\b(?:don't|do not|doesn't|does not|didn't)\s+want\s+to\s+"
            r"(?:be here|live|wake up|exist)\b(?!\?|\s+(?:at|early|for)\b)",
            r"\b(?:attempted|tried to commit)\s+suicide\b",
            r"\b(?:tried|trying|try)\s+to\s+(?:kill|hurt|end)\s+"
            r"(?:my|him|her|them)sel(?:f|ves)\b",
            r"\b(?:my|his|her|their|a friend's)\s+suicide\s+attempt\b",
            r"\b(?:been|is|are|am|started|keeps?)\s+self[- ]harm(?:ing)?\b",
            r"\bsuicide note\b",
            r"\b(?:planning|plan)\s+(?:to\s+)?(?:my|his|her|their)\s+(?:suicide|death)\b",
            r"\b(?:overdosed|overdose)\s+on\s+purpose\b",
            r"\bgoodbye (?:forever|cruel world)\b",
            r"\b(?:I'm|I am)\s+(?:done|finished)\s+with\s+(?:life|living|everything)\b",
        ]
    ),
    I,
)
# Danger from another person is crisis too (care/crisis.py says who is at risk): a threat to
# kill or hurt people, or violence against someone happening now.
_DANGER = re.compile(
    r"|".join(
        [
            r"\b(?:he|she|they|someone|somebody|a (?:man|guy|woman|dad|father|stranger)|"
            r"my (?:ex|husband|partner|boyfriend|stepdad|stepfather))"
            r"(?:'ll| will|'s going to| is going to| says he'?ll| said he'?d| says she'?ll|"
            r" said she'?d| threatened to| is threatening to| keeps saying he'?ll)\s+"
            r"(?:kill|shoot|stab|hurt|beat|burn)\b",
            r"\b(?:yelling|shouting|screaming|saying) (?:that )?(?:he'?ll|he will|he'?s going to|"
            r"she'?ll|she will)\s+(?:kill|shoot|stab|hurt)\b",
            r"\b(?:punched|hit|slapped|choked|strangled|stabbed|shot|beat|beating|pushed|dragged)"
            r"\s+(?:his|her|their|a|the|my)\s+(?:wife|husband|partner|girlfriend|boyfriend|"
            r"woman|man|kid|child|son|daughter|teen|teenager|girl|boy|baby|mom|mother)\b",
            r"\b(?:man|guy|woman|someone|person|stranger)\s+(?:with|holding|waving|pulled)\s+"
            r"(?:a\s+|his\s+|her\s+)?(?:gun|knife|weapon|bomb)\b",
            r"\b(?:active shooter|shots fired|heard (?:gun)?shots|bomb threat)\b",
        ]
    ),
    I,
)
# "sucidal", "suicdal", "sucicidal": one or two letters off, as people type on a phone.
_SUICIDAL_TYPO = re.compile(
    r"\b(s[uo]\w{4,9})\b(?!\s+(?:ideation|behaviou?rs?|risk|rates?|prevention|research|"
    r"screening|thoughts? (?:in|among)))",
    I,
)


# Crisis words that are taught, quoted or counted rather than lived: a training script ("We
# practised asking 'Are you thinking about killing yourself?'"), a vignette, a survey. The
# rules stay quiet there and leave the sentence to the text model, which has learnt both.
_TAUGHT = re.compile(
    r"\b(?:practi[cs]e[ds]?|practi[cs]ing|rehears\w*|role[- ]?play\w*|script|scenario|vignette|"
    r"case (?:study|example)|composite|simulation|hypothetical|trainer|training video|actor|"
    r"curriculum|screener|screening question|the question|ask(?:ing|ed|s)?|survey|study|"
    r"percent|\d+\s?%|warning sign|what (?:do|would) you (?:do|say)|how (?:do|would) you|"
    r"respond\w*|discuss\w*|phrases?|(?:texts|words|things) like|examples?|data|coded)\b",
    I,
)
_QUOTES = re.compile(r"[\"\u201c\u201d]")


def _taught(text: str, start: int, end: int) -> bool:
    for s_start, s_end in _sentences(text):
        if s_start <= start < s_end:
            sentence = text[s_start:s_end]
            quoted = len(_QUOTES.findall(text, s_start, start)) % 2 == 1
            cue = _TAUGHT.search(sentence) is not None
            return cue and (quoted or bool(_TAUGHT.search(text, s_start, start)))
    return False


def crisis(text: str) -> Iterator[Finding]:
    for pattern in (_CRISIS, _DANGER):
        for match in pattern.finditer(text):
            if _taught(text, *match.span()):
                continue
            yield Finding(Kind.CRISIS, *match.span(), Severity.HIGH, MESSAGES["crisis"])
    for match in _SUICIDAL_TYPO.finditer(text):
        word = match.group(1).lower()
        typo = word not in {"suicidal", "suicide"} and Levenshtein.distance(word, "suicidal") <= 2
        if typo and not _taught(text, *match.span()):
            yield Finding(Kind.CRISIS, *match.span(), Severity.HIGH, MESSAGES["crisis"])


# --- harassment -------------------------------------------------------------------------------

_TARGET = (
    r"(?:you|u|ya|you're|youre|you are|ur|@\w+|he|she|they|he's|she's|they're|"
    r"this (?:speaker|presenter|guy|woman|man|lady|dude|panel|panelist|moderator|facilitator)|"
    r"the (?:speaker|presenter|panel|panelist|moderator|facilitator|keynote speaker)|"
    r"(?-i:(?:Dr\.?|Prof\.?|Mr\.?|Ms\.?|Mrs\.?)\s+[A-Z][a-z]+)|(?P<name>(?-i:[A-Z][a-z]+)))"
)
_INSULT = re.compile(
    rf"(?<![\w@]){_TARGET}\s+(?:is|are|was|were|'s|'re|r|sounds like|seems like|looks like)?\s*"
    rf"(?:such\s+|so\s+|totally\s+|completely\s+|a\s+total\s+|an\s+absolute\s+|really\s+)?"
    rf"(?:a\s+|an\s+|the\s+)?(?:{_alternation(lexicon.INSULTS)})\b",
    I,
)
_INSULT_DIRECT = re.compile(
    r"\b(?:shut up|shut the \w+ up|stfu|go to hell|screw you|f\*+k you|fuck you|fuck off|"
    r"piss off|get lost,? loser|nobody (?:cares|asked) about you|you suck|kys|go die|"
    r"(?:go |just |should |please )?(?:kill|unalive) yourself)\b",
    I,
)
_STIGMA = re.compile(
    rf"\b(?:you're|you are|ur|he's|she's|they're|he is|she is|they are|@\w+ is)\s+"
    rf"(?:so\s+|totally\s+|completely\s+|clearly\s+)?(?:{_alternation(lexicon.STIGMA)})\b",
    I,
)
_THREAT = re.compile(
    r"|".join(
        [
            r"\b(?:I|we)(?:'ll| will|'m going to| am going to|'m gonna| are going to| gonna)\s+"
            r"(?:find|hurt|kill|beat|get|destroy|come for|come after|make you pay|end)\s+"
            r"(?:you|him|her|them|@\w+)\b",
            r"\bwatch your back\b",
            r"\byou(?:'ll| will)\s+(?:regret|pay for)\s+(?:this|it|that)\b",
            r"\b(?:someone|somebody)\s+should\s+(?:hurt|shoot|kill|beat|slap|punch)\b",
            r"\bI know where you live\b",
            r"\b(?:hope|wish)\s+(?:you|he|she|they)\s+(?:die|dies|get hurt|gets hurt)\b",
        ]
    ),
    I,
)
_DEMEANING = re.compile(
    rf"\b(?:those|these|all|such|most|typical)\s+(?:{_alternation(lexicon.GROUPS)})\s+"
    rf"(?:are|r|is)\s+(?:just\s+|all\s+|nothing but\s+)?(?:{_alternation(lexicon.DEHUMANISING)})\b",
    I,
)
_SLUR = re.compile(r"(?<![\w])(?:" + _alternation(lexicon.SLURS) + r")(?![\w])", I)
# "that joke", "no joke", "the talk was a joke?" are about ideas, not a person; these words
# after the target mean something else.
_NOT_INSULT = re.compile(r"\b(?:no joke|not a joke|joke about|joke was|joke that)\b", I)


def harassment(text: str) -> Iterator[Finding]:
    for match in _THREAT.finditer(text):
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.HIGH, MESSAGES["threat"])
    for match in _SLUR.finditer(text):
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.HIGH, MESSAGES["slur"])
    for match in _INSULT.finditer(text):
        name = match.group("name")
        if name and name.lower() in _NOT_NAMES:
            continue  # "This is a joke", "Session was useless": not a person
        if _NOT_INSULT.search(text, match.start(), min(len(text), match.end() + 12)):
            continue
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.MEDIUM, MESSAGES["insult"])
    for match in _INSULT_DIRECT.finditer(text):
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.MEDIUM, MESSAGES["insult"])
    for match in _STIGMA.finditer(text):
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.MEDIUM, MESSAGES["insult"])
    for match in _DEMEANING.finditer(text):
        yield Finding(Kind.HARASSMENT, *match.span(), Severity.MEDIUM, MESSAGES["demeaning"])


# --- an organisation's policy ---------------------------------------------------------------


def policy(text: str, terms: Iterable[str]) -> Iterator[Finding]:
    for term in {t.strip() for t in terms if t and t.strip()}:
        pattern = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", I)
        for match in pattern.finditer(text):
            message = MESSAGES["policy"].format(term=term)
            yield Finding(Kind.POLICY, *match.span(), Severity.MEDIUM, message)
