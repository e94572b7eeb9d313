"""The caution check's rules (one example per rule and its benign neighbour), its properties
under any input (hypothesis), the `backchannel caution` command and the composer's API. Its
cost is measured by bench/caution.py, not timed here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.care import lexicon
from backchannel.care.check import check
from backchannel.care.findings import Kind, Severity
from tests.support import http

BIN = Path(sys.executable).parent / "backchannel"


def kinds(text: str, terms: tuple[str, ...] = ()) -> set[str]:
    return {str(f.kind) for f in check(text, terms)}


@pytest.mark.parametrize(
    ("text", "expected", "passage"),
    [
        ("Tyler, 9, is the reason I do this work.", "child_identity", "Tyler, 9"),
        ("Working with 12-year-old Jamie this month.", "child_identity", "12-year-old Jamie"),
        ("My client was hospitalized last week.", "health_detail", "My client was hospitalized"),
        ("Write to a.b@example.org today", "contact_info", "a.b@example.org"),
        (
            "Text me: five five five one two one two",
            "contact_info",
            "five five five one two one two",
        ),
        ("I want to die.", "crisis", "want to die"),
        ("@dr_rivera is a fraud.", "harassment", "@dr_rivera is a fraud"),
    ],
)
def test_each_rule_points_at_the_passage(text: str, expected: str, passage: str) -> None:
    findings = [f for f in check(text) if f.kind == expected]
    assert findings, text
    assert text[findings[0].start : findings[0].end] == passage


@pytest.mark.parametrize(
    "text",
    [
        "Kids aged 12-17 are most at risk; 1 in 5 teens has a diagnosable condition.",
        "Dr. Rivera's keynote on autism was the best hour of the week.",
        "This talk killed it. #TI2012 #TIopen",
        "A 9-year-old boy in foster care drew his 'safe place'. The room went quiet.",
        "Call the lifeline at 1-800-273-8255, any time.",
        "Suicide prevention is everyone's job.",
        "That's crazy good news for rural families.",
        "Session starts 10:30-12:00 in room 204.",
    ],
)
def test_general_discussion_is_left_alone(text: str) -> None:
    assert check(text) == []


def test_own_health_details_inform_without_asking_to_confirm() -> None:
    (finding,) = check("I have ADHD and I'm proud of it.")
    assert finding.kind == Kind.HEALTH_DETAIL and finding.severity == Severity.LOW
    assert not finding.asks_to_confirm


def test_crisis_never_asks_to_confirm_but_child_details_do() -> None:
    crisis = [f for f in check("I want to die") if f.kind == Kind.CRISIS]
    assert crisis and not crisis[0].asks_to_confirm
    child = [f for f in check("Jamie (12) is in foster care") if f.kind == Kind.CHILD_IDENTITY]
    assert child and child[0].asks_to_confirm and child[0].severity == Severity.HIGH


def test_policy_terms_match_whole_words_in_any_case() -> None:
    assert kinds("Thanks to ACME health for the grant", ("Acme Health",)) == {"policy"}
    assert kinds("Acme Healthcare is a different company", ("Acme Health",)) == set()
    assert kinds("anything", ("", "  ")) == set()


def test_curly_apostrophes_read_like_straight_ones() -> None:
    assert "harassment" in kinds("She\u2019s crazy, ignore her")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_gets_well_formed_findings(text: str, terms: list[str]) -> None:
    findings = check(text, terms)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.message
        assert finding.kind in set(Kind) and finding.severity in set(Severity)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert check(text, terms) == findings  # deterministic


# Digits as people type them (ASCII, full-width, Arabic-Indic, Devanagari), the punctuation
# phone numbers come with, and letters.
PHONE_LIKE = st.text(
    alphabet=st.sampled_from(
        [
            *"0123456789 +-().ext#/abcXYZ\n_,:[]~\u00a0\u2010\uff08\uff09",
            *map(chr, range(0xFF10, 0xFF1A)),  # full-width
            *map(chr, range(0x0660, 0x066A)),  # Arabic-Indic
            *map(chr, range(0x0966, 0x0970)),  # Devanagari
        ]
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(PHONE_LIKE)
def test_the_phone_matcher_is_skipped_only_where_it_would_find_nothing(text: str) -> None:
    """detectors.phone_numbers asks phonenumbers only when seven digits stand with nothing but
    punctuation between them (issue #17): without such a run, the matcher itself reports
    nothing worth a word."""
    from backchannel.care.detectors import matched_phone_numbers, phone_numbers

    found = [m.raw_string for m in phone_numbers(text)]
    assert found == [m.raw_string for m in matched_phone_numbers(text)]
    if sum(c.isdigit() for c in text) < 7:
        assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "Call 555 123 4567 tonight",
        "ring 555-1234",  # seven digits: the shortest reported
        "(555) 123-4567",
        "+44 20 7946 0958",
        "555.123.4567 x89",
        "\uff15\uff15\uff15\uff11\uff12\uff13\uff14\uff15\uff16\uff17",
        "phone: 555\u00a0123\u00a04567",
    ],
)
def test_the_phone_matcher_is_asked_for_a_run_that_could_be_a_number(text: str) -> None:
    from backchannel.care.detectors import phone_numbers

    assert [m.raw_string for m in phone_numbers(text)], text


def test_digits_split_by_words_do_not_ask_the_phone_matcher() -> None:
    """The bench mix's "point 123 ... #ti2012": seven digits in all, none of them a number."""
    from backchannel.care import detectors

    assert detectors._SEVEN_DIGIT_RUN.search("Great point 123 from the panel #ti2012") is None
    assert detectors._SEVEN_DIGIT_RUN.search("room 12, 2012-11-05") is not None  # asked


def test_a_phone_number_in_other_digits_is_still_found() -> None:
    full_width = str.maketrans("0123456789", "".join(map(chr, range(0xFF10, 0xFF1A))))
    assert "contact_info" in kinds("Call me on 555 201 4467 tonight".translate(full_width))
    assert "contact_info" in kinds("Text 555-201-4467")
    assert "contact_info" not in kinds("Room 1204, 3rd floor, 45 minutes")


# Everyday conference talk, composed: any opener, any topic, any ending.
OPENERS = st.sampled_from(
    ["Great talk on", "Loved the session about", "So much to think about after the panel on",
     "Notes from the workshop on", "Big takeaway on", "We need more", "Thank you for the data on",
     "Who else is going to the talk on", "Slides are up for the session on", "Really useful:"]
)  # fmt: skip
TOPICS = st.lists(
    st.sampled_from(
        ["peer support", "families", "kids in care", "youth voice", "school-based care",
         "the system", "family engagement", "data", "trauma-informed care", "workforce",
         "slides", "wraparound", "rural telehealth", "parents", "youth", "crisis response"]
    ),
    min_size=1,
    max_size=3,
)  # fmt: skip
ENDINGS = st.sampled_from(["", "!", ".", " #TI2012", ". Slides in the app.", " :)", "?"])


@settings(max_examples=200, deadline=None)
@given(OPENERS, TOPICS, ENDINGS)
def test_everyday_conference_talk_stays_silent(opener: str, topics: list[str], end: str) -> None:
    text = f"{opener} {' and '.join(topics)}{end}"
    assert check(text) == [], text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_a_finding_survives_any_benign_prefix(prefix: str) -> None:
    text = f"{prefix}\nCall me at 614-555-0123."
    found = [f for f in check(text) if f.kind == Kind.CONTACT_INFO]
    assert any(text[f.start : f.end] == "614-555-0123" for f in found)


def test_the_caution_command_reads_and_writes_json_lines() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Jamie (12) is in foster care"}),
        json.dumps({"id": "two", "text": "Great talk #TI2012"}),
        "",
        "not json",
        json.dumps({"id": 4, "text": 5}),
        json.dumps({"id": 5, "text": "Thanks Acme Health", "policy_terms": ["Acme Health"]}),
    ]
    result = subprocess.run(
        [BIN, "caution"], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1  # some lines were not valid; the rest were answered
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a.get("id") for a in answers] == [1, "two", None, 4, 5]
    assert answers[0]["findings"][0]["kind"] == "child_identity"
    assert set(answers[0]["findings"][0]) == {"kind", "start", "end", "severity", "message"}
    assert answers[1]["findings"] == []
    assert "error" in answers[2] and "error" in answers[3]
    assert answers[4]["findings"][0]["kind"] == "policy"


def test_the_caution_command_exits_0_when_every_line_is_valid() -> None:
    result = subprocess.run(
        [BIN, "caution"],
        input=json.dumps({"id": 1, "text": "hello"}) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"id": 1, "findings": []}


def test_the_composer_api_checks_a_draft(site: str, conference: Any) -> None:
    with conference.attendee.api(site) as api:
        response = api.post("/api/v1/caution/check", json={"text": "I want to die"})
        assert response.status_code == 200
        body = response.json()
        assert body["crisis"] is True and body["asks_to_confirm"] is False
        assert body["findings"][0]["kind"] == "crisis"
        child = api.post("/api/v1/caution/check", json={"text": "Jamie (12) is in foster care"})
        assert child.json()["asks_to_confirm"] is True
        assert api.post("/api/v1/caution/check", json={"text": "Nice slides"}).json() == {
            "findings": [],
            "asks_to_confirm": False,
            "crisis": False,
            "crisis_support": None,
        }
        # Crisis resources come worded for who may be at risk, with the event's own lines
        # when the draft's session is named.
        own = body["crisis_support"]
        assert own["about"] == "self" and own["lines"] and own["title"]
        friend = api.post(
            "/api/v1/caution/check",
            json={
                "text": "My colleague just messaged that she has a plan to kill herself tonight",
                "session_id": conference.session.pk,
            },
        ).json()["crisis_support"]
        assert friend["about"] == "someone_else" and "emergency services" in friend["intro"]
        assert conference.session.event.name in friend["at_event"]
        missing = api.post("/api/v1/caution/check", json={"text": "hi", "session_id": 10**12})
        assert missing.status_code == 404
        for bad in [{}, {"text": 5}, {"text": "x" * 10_001}, []]:
            refused = api.post("/api/v1/caution/check", json=bad)
            assert refused.status_code in (400, 422), (bad, refused.status_code)
            assert "detail" in refused.json()

    anonymous = http.post(f"{site}/api/v1/caution/check", json={"text": "hi"}, timeout=10)
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("text", "kind", "about"),
    [
        ("Ya no quiero vivir, estoy cansada de todo.", "crisis", "self"),
        ("Mi hijo dice que se quiere matar y no sé qué hacer.", "crisis", "someone_else"),
        ("Mi ex me amenazó con matarme y está en el hotel.", "crisis", "danger"),
        ("mi correo es juan arroba gmail punto com", "contact_info", ""),
        ("Mi número es 55 1234 5678, escríbanme por favor", "contact_info", ""),
        ("Vivo en Calle Reforma 123, vengan a la comida", "contact_info", ""),
    ],
)
def test_spanish_posts_get_crisis_and_contact_checks_in_spanish(
    text: str, kind: str, about: str
) -> None:
    finding = next(f for f in check(text) if f.kind == kind)
    assert finding.about == about
    assert finding.message.startswith(("Parece", "Esto parece"))  # said in Spanish


@pytest.mark.parametrize(
    "text",
    [
        "Gracias a todos por la sesión de hoy, muy útil.",
        "La prevención del suicidio empieza por preguntar directamente.",
        "Las familias necesitan apoyo, no juicios. Gran panel.",
    ],
)
def test_spanish_general_talk_is_left_alone(text: str) -> None:
    assert check(text) == []


def test_english_posts_are_not_read_as_spanish() -> None:
    from backchannel.care import spanish
    from backchannel.care.training import corpus

    english = [p.text for p in corpus.hand_written() if not spanish.is_spanish(p.text)]
    read_as_spanish = [p.text for p in corpus.hand_written() if spanish.is_spanish(p.text)]
    # The corpus is English but for a few Spanish contact details.
    assert len(read_as_spanish) <= 6, read_as_spanish
    assert len(english) > 4000


# The word lists the detectors read as alternations (detectors._alternation).
WORD_LISTS = [
    lexicon.CHILD_KIN + lexicon.ADULT_KIN,
    lexicon.DIAGNOSES + lexicon.MEDICATIONS + lexicon.TREATMENT + lexicon.ABUSE,
    lexicon.PLACEMENTS,
    lexicon.INSULTS,
    lexicon.STIGMA,
    lexicon.GROUPS + lexicon.DEHUMANISING,
    lexicon.SLURS,
]
# How the detectors embed them: alone, as whole words, before a word boundary, before more.
CONTEXTS = ["(?:{})", r"(?<![\w#@])(?:{})(?![\w])", r"(?:{})\b", r"(?:{})(?:s|es)?\b"]


@st.composite
def text_near_words(draw: Any) -> tuple[list[str], str]:
    """Text made of a list's words, their beginnings and endings, in any case, with what
    comes between words."""
    words = draw(st.sampled_from(WORD_LISTS))
    word = st.sampled_from(words)
    piece = st.one_of(
        word,
        word.map(lambda w: w[: len(w) // 2 + 1]),
        word.map(lambda w: w[len(w) // 2 :]),
        st.sampled_from([" ", "  ", "-", "'", "s", "es", "ed", "#", "@", ".", "\n", "the "]),
    )
    case = st.sampled_from([str.lower, str.upper, str.title, str.swapcase, str])
    parts = draw(st.lists(st.tuples(piece, case), max_size=12))
    return words, "".join(change(text) for text, change in parts)


@settings(max_examples=500, deadline=None)
@given(text_near_words(), st.sampled_from(CONTEXTS))
def test_the_word_trie_matches_as_longest_first_alternation_did(
    drawn: tuple[list[str], str], context: str
) -> None:
    """detectors._alternation writes a word list as a trie (issue #17); under IGNORECASE it
    finds what the longest-first alternation of the escaped words found, span for span."""
    from backchannel.care.detectors import _alternation

    words, text = drawn
    longest_first = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    before = re.compile(context.format(longest_first), re.IGNORECASE)
    after = re.compile(context.format(_alternation(words)), re.IGNORECASE)
    assert [m.span() for m in after.finditer(text)] == [m.span() for m in before.finditer(text)]


def test_the_word_trie_prefers_the_longest_word() -> None:
    from backchannel.care.detectors import _alternation

    pattern = re.compile(f"(?:{_alternation(['foster', 'foster care', 'add', 'ADHD'])})", re.I)
    assert [m.group() for m in pattern.finditer("Foster care, ADD and adhd")] == [
        "Foster care",
        "ADD",
        "adhd",
    ]
