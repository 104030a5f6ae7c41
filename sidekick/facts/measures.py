"""Objective measures: the lexicon, spoken numbers, and what both measure readers share.

The lexicon (``sidekick/data/lexicon/measures.yaml``) names each test with the words that
identify it, in a note ("TUG 13.4 sec") or in a session ("walk to the cone, turn around").
Range of motion and manual muscle tests are not listed one by one: their names are composed
from a joint, a motion and the mode (``knee flexion AROM``, ``hip abduction MMT``).

Reading a spoken session lives in ``sidekick.facts.spoken``, reading a written note in
``sidekick.facts.written``; this module holds the lexicon, sides, spoken numbers and names.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from sidekick.models import Measure, Side

logger = logging.getLogger(__name__)


class TestDef(BaseModel):
    """One named test or score of the lexicon."""

    model_config = ConfigDict(extra="forbid")

    name: str
    unit: str
    sided: bool = False
    kind: str
    triggers: list[str]
    veto: list[str] = Field(default_factory=list)
    same_sentence: bool = False

    def matches(self, text: str) -> bool:
        low = text.lower()
        if any(re.search(v, low) for v in self.veto):
            return False
        return any(re.search(t, low) for t in self.triggers)


class SpecialTest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    triggers: list[str]


class QuestionnaireRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    diagnosis: str
    name: str


class RomWords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    joints: dict[str, list[str]]
    motions: dict[str, list[str]]


class MeasureLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tests: list[TestDef]
    questionnaire_by_diagnosis: list[QuestionnaireRule]
    special_tests: list[SpecialTest]
    rom: RomWords

    def test(self, name: str) -> TestDef:
        return next(t for t in self.tests if t.name == name)

    def find_test(self, text: str) -> TestDef | None:
        for t in self.tests:
            if t.matches(text):
                return t
        return None

    def questionnaire_for(self, diagnosis: str | None) -> TestDef | None:
        low = (diagnosis or "").lower()
        for q in self.questionnaire_by_diagnosis:
            if re.search(q.diagnosis, low):
                return self.test(q.name)
        return None


@functools.cache
def load_lexicon() -> MeasureLexicon:
    """The measure lexicon shipped with Sidekick."""
    text = resources.files("sidekick").joinpath("data/lexicon/measures.yaml").read_text("utf-8")
    return MeasureLexicon.model_validate(yaml.safe_load(text))


# --------------------------------------------------------------------------- words


def find_first(patterns: dict[str, list[str]], text: str) -> str | None:
    """The first key whose patterns match ``text`` (lower-cased), in table order."""
    low = text.lower()
    for key, pats in patterns.items():
        if any(re.search(p, low) for p in pats):
            return key
    return None


SIDE_WORD = re.compile(
    r"(?<!all )(?<!that's )\b(right|left)\b(?!\s+(now|here|there|away|in\b|below|above|at\b|way|"
    r"into|spot|back|to go|over))",
    re.I,
)
NOTE_SIDE = re.compile(r"\b(R|L|right|left|bilat(?:eral)?|bil)\b(?!/)", re.I)


def spoken_side(text: str) -> Side | None:
    """The last side a spoken sentence names ("on the left"), if any."""
    found = [m.group(1).lower() for m in SIDE_WORD.finditer(text)]
    found = [f for f in found if not re.search(rf"seconds? {f}\b", text.lower())]
    return found[-1] if found else None  # type: ignore[return-value]


def note_side(token: str) -> Side:
    t = token.lower()
    if t.startswith("bil"):
        return "bilateral"
    return "right" if t in ("r", "right") else "left"


def affected_side(diagnosis: str | None) -> Side | None:
    """The involved side named by a diagnosis ("Right total knee arthroplasty")."""
    low = (diagnosis or "").lower()
    if "bilateral" in low or re.search(r"\bboth\b", low):
        return "bilateral"
    has_r, has_l = bool(re.search(r"\bright\b|\br\b", low)), bool(re.search(r"\bleft\b|\bl\b", low))
    if has_r != has_l:
        return "right" if has_r else "left"
    return None


# --------------------------------------------------------------------------- numbers

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+")


@dataclass
class Number:
    """A number found in text, with its character span."""

    value: float
    start: int
    end: int


def _joined(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """True when two tokens are separated only by spaces or a hyphen."""
    gap = text[a.end() : b.start()]
    return gap in (" ", "-", "  ")


def _small_at(toks: list[re.Match[str]], i: int, text: str) -> tuple[int, int] | None:
    """A number below 100 in words at token i: (value, next index)."""
    w = toks[i].group().lower()
    if w in _SMALL:
        return _SMALL[w], i + 1
    if w in _TENS:
        if i + 1 < len(toks) and _joined(text, toks[i], toks[i + 1]):
            nxt = toks[i + 1].group().lower()
            if nxt in _SMALL and 1 <= _SMALL[nxt] <= 9:
                return _TENS[w] + _SMALL[nxt], i + 2
        return _TENS[w], i + 1
    return None


def _word_number(toks: list[re.Match[str]], i: int, text: str) -> tuple[float, int] | None:
    w = toks[i].group().lower()
    if w == "a" and i + 1 < len(toks) and toks[i + 1].group().lower() == "hundred":
        base, j = 1, i + 1
    else:
        got = _small_at(toks, i, text)
        if got is None:
            return None
        base, j = got
    value: float = base
    if (
        j < len(toks)
        and toks[j].group().lower() == "hundred"
        and _joined(text, toks[j - 1], toks[j])
    ):
        value, j = base * 100, j + 1
        if j + 1 < len(toks) and toks[j].group().lower() == "and" and _small_at(toks, j + 1, text):
            j += 1
        rest = _small_at(toks, j, text) if j < len(toks) else None
        if rest and _joined(text, toks[j - 1], toks[j]):
            value, j = value + rest[0], rest[1]
    elif (oh := _oh_digit(toks, j, text)) is not None and base in (1, 2):
        value, j = base * 100 + oh, j + 2  # "one-oh-five" = 105
    elif base in (1, 2) and j < len(toks) and _joined(text, toks[j - 1], toks[j]):
        rest = _small_at(toks, j, text)
        if rest and rest[0] >= 10:  # "one thirty-two" = 132 (goniometry shorthand)
            value, j = base * 100 + rest[0], rest[1]
    return _fraction(toks, j, text, value)


def _oh_digit(toks: list[re.Match[str]], j: int, text: str) -> int | None:
    """The digit of "oh five" right after a hundreds word ("one-oh-five")."""
    if j + 1 >= len(toks) or toks[j].group().lower() not in ("oh", "o"):
        return None
    digit = _SMALL.get(toks[j + 1].group().lower())
    joined = _joined(text, toks[j - 1], toks[j]) and _joined(text, toks[j], toks[j + 1])
    return digit if joined and digit is not None and 1 <= digit <= 9 else None


def _fraction(toks: list[re.Match[str]], j: int, text: str, value: float) -> tuple[float, int]:
    words = [t.group().lower() for t in toks[j : j + 3]]
    if (
        words[:1] == ["point"]
        and len(words) > 1
        and words[1] in _SMALL
        and _SMALL[words[1]] < 10
        and _joined(text, toks[j], toks[j + 1])
    ):
        return _decimals(toks, j + 1, text, value)
    if words == ["and", "a", "half"]:
        return value + 0.5, j + 3
    return value, j


def _decimals(toks: list[re.Match[str]], j: int, text: str, value: float) -> tuple[float, int]:
    """Digits said one by one after "point": "point six two" is .62."""
    digits = ""
    while j < len(toks) and len(digits) < 3:
        w = toks[j].group().lower()
        if w not in _SMALL or _SMALL[w] > 9 or not _joined(text, toks[j - 1], toks[j]):
            break
        digits, j = digits + str(_SMALL[w]), j + 1
    return value + float("0." + digits), j


def scan_numbers(text: str) -> list[Number]:
    """Every number in ``text``, in digits or words ("one thirty-two", "fourteen point two")."""
    toks = list(_TOKEN.finditer(text))
    out: list[Number] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.group()[0].isdigit():
            value: float = float(tok.group())
            value, j = _fraction(toks, i + 1, text, value)
            out.append(Number(value, tok.start(), toks[j - 1].end()))
            i = j
            continue
        got = _word_number(toks, i, text)
        if got is None and _leading_point(toks, i, text):
            got = _decimals(toks, i + 1, text, 0.0)
        if got is None:
            i += 1
            continue
        value, j = got
        out.append(Number(value, tok.start(), toks[j - 1].end()))
        i = j
    return out


def _leading_point(toks: list[re.Match[str]], i: int, text: str) -> bool:
    """ "point six two meters per second": a decimal said without its zero."""
    if toks[i].group().lower() != "point" or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1].group().lower()
    before = text[max(0, toks[i].start() - 12) : toks[i].start()].lower()
    return (
        nxt in _SMALL
        and _SMALL[nxt] < 10
        and _joined(text, toks[i], toks[i + 1])
        and not re.search(r"(a|the|one|that|this|some|what)\s*$", before)
    )


def clean_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


# --------------------------------------------------------------------------- shared


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets; a period inside a number does not split."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"[^.;!?\n]+(?:\.\d[^.;!?\n]*)*[.;!?]*", text):
        s = m.group().strip()
        if s:
            out.append((m.start() + len(m.group()) - len(m.group().lstrip()), s))
    return out


def rom_name(joint: str | None, motion: str, mode: str, context: str) -> str:
    """Compose a range-of-motion measure name, with the qualifiers clinicians record."""
    low = context.lower()
    if motion == "flexion" and re.search(
        r"straight leg raise|\bslr\b|leg straight up|hamstring length", low
    ):
        return "straight leg raise PROM (hamstring length)"
    name = f"{joint} {motion} {mode}" if joint else f"{motion} {mode}"
    if motion == "external rotation" and re.search(r"at (your |the |his |her )?side", low):
        name += " (arm at side)"
    elif motion == "dorsiflexion" and re.search(r"knee (straight|extended)", low):
        name += " (knee extended)"
    elif joint == "lumbar" and "inclinometer" in low:
        name += " (inclinometer)"
    return name


_REGION_JOINT = {
    "knee": "knee",
    "shoulder": "shoulder",
    "ankle": "ankle",
    "foot": "ankle",
    "hand": "wrist",
    "wrist": "wrist",
    "hip": "hip",
    "thigh": "hip",
    "elbow": "elbow",
    "lumbar": "lumbar",
    "cervical": "cervical",
    "thoracic": "thoracic",
    "neck": "cervical",
    "back": "lumbar",
}


def region_joint(region: str | None) -> str | None:
    """The joint a body region names ("foot" -> ankle), for ROM without a joint word."""
    return _REGION_JOINT.get((region or "").lower().strip())


def _dedupe(measures: list[Measure]) -> list[Measure]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for m in measures:
        key = (m.name.lower(), m.side)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def dedupe_measures(measures: list[Measure]) -> list[Measure]:
    """The first value of each (name, side)."""
    return _dedupe(measures)
