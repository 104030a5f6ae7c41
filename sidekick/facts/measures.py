"""Objective measures: the lexicon, spoken numbers, and measures written in a note.

The lexicon (``sidekick/data/lexicon/measures.yaml``) names each test with the words that
identify it, in a note ("TUG 13.4 sec") or in a session ("walk to the cone, turn around").
Range of motion and manual muscle tests are not listed one by one: their names are composed
from a joint, a motion and the mode (``knee flexion AROM``, ``hip abduction MMT``).

Reading the spoken session lives in ``sidekick.facts.spoken``; this module holds what both
readers share plus the reader for written notes. Values compared with an earlier visit
("(112 at visit 4)") are not today's measures and are skipped.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from sidekick.models import Measure, Side, Span

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


_SIDE_WORD = re.compile(
    r"(?<!all )(?<!that's )\b(right|left)\b(?!\s+(now|here|there|away|in\b|below|above|at\b|way|"
    r"into|spot|back|to go|over))",
    re.I,
)
_NOTE_SIDE = re.compile(r"\b(R|L|right|left|bilat(?:eral)?|bil)\b(?!/)", re.I)


def spoken_side(text: str) -> Side | None:
    """The last side a spoken sentence names ("on the left"), if any."""
    found = [m.group(1).lower() for m in _SIDE_WORD.finditer(text)]
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
    elif base in (1, 2) and j < len(toks) and _joined(text, toks[j - 1], toks[j]):
        rest = _small_at(toks, j, text)
        if rest and rest[0] >= 10:  # "one thirty-two" = 132 (goniometry shorthand)
            value, j = base * 100 + rest[0], rest[1]
    return _fraction(toks, j, text, value)


def _fraction(toks: list[re.Match[str]], j: int, text: str, value: float) -> tuple[float, int]:
    words = [t.group().lower() for t in toks[j : j + 3]]
    if words[:1] == ["point"] and len(words) > 1 and words[1] in _SMALL and _SMALL[words[1]] < 10:
        return value + _SMALL[words[1]] / 10, j + 2
    if words == ["and", "a", "half"]:
        return value + 0.5, j + 3
    return value, j


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
        if got is None:
            i += 1
            continue
        value, j = got
        out.append(Number(value, tok.start(), toks[j - 1].end()))
        i = j
    return out


def clean_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


# --------------------------------------------------------------------------- notes

PRIOR = re.compile(
    r"\b(last (week|time|visit|month|session|test)|at (the |your )?(evaluation|eval|start|"
    r"initial|first visit|visit \d+|prior test|discharge)|prior|previous(ly)?|baseline|ago|"
    r"when (we|you) (started|began)|at start|initial(ly)?|from \d|first active)\b",
    re.I,
)
_NOTE_VALUE = re.compile(
    r"(?P<neg>-|minus\s*)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>degrees|deg\b|°|seconds|secs?\b|s\b|"
    r"reps\b|repetitions|lbs?\b|pounds|kg\b|cm\b|mm\b|%|/80|/100|/10\b|/56|/5\b|m/s|m\b|"
    r"inches|in\b|bpm|/24|/30|/28|/9\b)?"
    r"(?P<grade>[+-](?=/5))?",
    re.I,
)
_GRADE = re.compile(r"\b([0-5])([+-]?)/5\b|\b([0-5])([+-])(?=[\s,;.)]|$)")
_UNIT_NAMES = {
    "degrees": "deg",
    "deg": "deg",
    "°": "deg",
    "seconds": "s",
    "sec": "s",
    "secs": "s",
    "s": "s",
    "reps": "reps",
    "repetitions": "reps",
    "lb": "lb",
    "lbs": "lb",
    "pounds": "lb",
    "kg": "kg",
    "cm": "cm",
    "mm": "mm",
    "%": "%",
    "/80": "/80",
    "/100": "/100",
    "/10": "/10",
    "/56": "/56",
    "m/s": "m/s",
    "m": "m",
    "inches": "in",
    "in": "in",
    "bpm": "bpm",
    "/24": "/24",
    "/30": "/30",
    "/28": "/28",
    "/9": "/9",
}
_INTERVENTION = re.compile(
    r"^\s*(ther(apeutic)? ?ex|ther(apeutic)? act|manual|neuromusc|nmr|self[- ]care|gait tr|"
    r"97\d{3}|cues?\b|verbal|skilled|hep\b|home|modalit|pt performed|pt tolerated|patient "
    r"performed|total|pain\b(?!-)|post[- ]treatment|end[- ]of[- ]session|symptoms)",
    re.I,
)
_PAREN_PRIOR = re.compile(r"\(([^)]*)\)")


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


def _note_measure_name(sentence: str, region: str | None, lex: MeasureLexicon) -> tuple[str, str]:
    """(kind, base) for a note sentence: ('test', name), ('rom', mode), ('mmt', '') or ('', '')."""
    low = sentence.lower()
    if re.search(r"\bmmt\b|manual muscle|(?<![\d.])[0-5][+-]?/5\b", low):
        return "mmt", ""
    if re.search(r"\b(a|p)rom\b|\d+\s*(deg\b|degrees|°)|goniom", low) and not re.search(
        r"\bbox\b|\binch", low
    ):
        mode = "PROM" if re.search(r"\bprom\b|passive", low) else "AROM"
        return "rom", mode
    test = lex.find_test(sentence)
    if test is not None:
        return "test", test.name
    return "", ""


def measures_from_note_text(
    text: str,
    *,
    section: str | None = None,
    region: str | None = None,
    diagnosis: str | None = None,
) -> list[Measure]:
    """Measures written in a note section ("L shoulder AROM flexion 120 deg (112 at visit 4)")."""
    lex = load_lexicon()
    involved = affected_side(diagnosis)
    out: list[Measure] = []
    for start, sentence in _measure_sentences(text, lex):
        today = _PAREN_PRIOR.sub(lambda m: "" if PRIOR.search(m.group(1)) else m.group(), sentence)
        span = Span(
            source="note", text=sentence, section=section, start=start, end=start + len(sentence)
        )
        out.extend(note_special_tests(today, span, lex, involved))
        kind, base = _note_measure_name(today, region, lex)
        if kind == "test":
            out.extend(_note_test_values(today, lex.test(base), span, involved))
        elif kind in ("rom", "mmt"):
            out.extend(note_rom_measures(today, kind, base, span, region, involved))
    return _dedupe(out)


def _measure_sentences(text: str, lex: MeasureLexicon) -> list[tuple[int, str]]:
    """Sentences that may state measures: intervention lines and dosed items are left out."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        head = line.split(":")[0]
        if not (_INTERVENTION.search(line) and not lex.find_test(head)):
            for start, sentence in split_sentences(line):
                if _DOSED.search(sentence) and not lex.find_test(sentence):
                    continue
                out.append((offset + start, sentence))
        offset += len(line)
    return out


_DOSED = re.compile(r"\d+\s*x\s*\d+|\b\d+ (sets|reps)\b|\bsets? of\b", re.I)


def note_special_tests(
    sentence: str, span: Span, lex: MeasureLexicon, involved: Side | None
) -> list[Measure]:
    """Special tests with their result ("Hawkins-Kennedy is positive", "neg Spurling")."""
    out: list[Measure] = []
    low = sentence.lower()
    for seg in re.split(r"[,;]|\band\b", low):
        result = re.search(r"\b(positive|negative|pos|neg|\+|-)(?=\W|$)", seg)
        if not result or not re.search(r"\b(positive|negative|pos|neg)\b|\(\s*[+-]\s*\)", seg):
            continue
        for st in lex.special_tests:
            if any(re.search(t, seg) for t in st.triggers):
                word = result.group(1)
                value = "positive" if word in ("positive", "pos", "+") else "negative"
                side_m = _NOTE_SIDE.search(sentence) or _SIDE_WORD.search(seg)
                side = note_side(side_m.group(1)) if side_m else involved
                out.append(Measure(name=st.name, side=side, value=value, unit="result", span=span))
    return out


def note_rom_measures(
    sentence: str, kind: str, mode: str, span: Span, region: str | None, involved: Side | None
) -> list[Measure]:
    """ROM ("R knee AROM flexion 121 deg, extension -2 deg") or MMT ("Hip MMT R: abd 4/5")."""
    words = load_lexicon().rom
    joint = find_first(words.joints, sentence) or region_joint(region)
    first_side = _NOTE_SIDE.search(sentence)
    motion: str | None = None
    out: list[Measure] = []
    for seg in re.split(r"[,;]", sentence):
        motion = find_first(words.motions, seg) or motion
        side_m = _NOTE_SIDE.search(seg) or first_side
        side: Side | None = note_side(side_m.group(1)) if side_m else involved
        if motion is None:
            continue
        if kind == "mmt":
            g = _GRADE.search(seg)
            if not g:
                continue
            value: float | str = (g.group(1) or g.group(3)) + (g.group(2) or g.group(4) or "")
            name, unit = f"{joint} {motion} MMT" if joint else f"{motion} MMT", "/5"
        else:
            v = re.search(r"(-|minus\s*)?(\d+(?:\.\d+)?)\s*(deg\b|degrees|°)", seg, re.I)
            if not v:
                continue
            value = clean_value(float(v.group(2)) * (-1 if v.group(1) else 1))
            name, unit = rom_name(joint, motion, mode, seg + " " + sentence), "deg"
        if joint in ("lumbar", "thoracic") or (
            joint == "cervical" and motion not in ("rotation", "side bending")
        ):
            side = None
        out.append(Measure(name=name, side=side, value=value, unit=unit, span=span))
    return out


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


def _note_test_values(
    sentence: str, test: TestDef, span: Span, involved: Side | None
) -> list[Measure]:
    out: list[Measure] = []
    if test.kind == "level":
        level = re.search(r"\b([CTLS]\d{1,2})\b", sentence)
        if level:
            side_m = _NOTE_SIDE.search(sentence.replace(level.group(1), ""))
            side = note_side(side_m.group(1)) if side_m else involved
            return [
                Measure(
                    name=test.name,
                    side=side,
                    value=level.group(1).upper(),
                    unit=test.unit,
                    span=span,
                )
            ]
        return []
    for segment in re.split(r"[,;]|\bvs\.?\b", sentence):
        if PRIOR.search(segment) and not test.matches(segment):
            continue
        side_m = list(_NOTE_SIDE.finditer(segment))
        side: Side | None = note_side(side_m[-1].group(1)) if side_m else None
        for m in _NOTE_VALUE.finditer(segment):
            unit = _UNIT_NAMES.get((m.group("unit") or "").lower())
            if unit is None and not side_m:
                continue
            if (
                unit
                and unit != test.unit
                and not (test.unit in ("lb", "kg") and unit in ("lb", "kg"))
            ):
                continue
            if re.match(
                r"\s*(inch|minute|min\b|hour|x\b|times|(cm |in )?(above|below|proximal|"
                r"distal|from))",
                segment[m.end() :],
                re.I,
            ):
                continue
            value = clean_value(float(m.group("num")))
            if test.kind == "pain" and value > 10:
                continue
            msid = side if test.sided else None
            if test.sided and msid is None:
                msid = involved if involved != "bilateral" else None
            out.append(
                Measure(name=test.name, side=msid, value=value, unit=unit or test.unit, span=span)
            )
            break
    return out


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
