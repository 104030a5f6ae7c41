"""Measures taken during a recorded session, read from the therapist's turns.

A session says a measure in two steps: the therapist sets the test up ("walk to the cone, turn
around, come back and sit") and later says the value ("Thirteen point four seconds."), often
with only a side ("Twenty on the right."). The reader keeps a small context (the test, or the
joint, motion and mode of a range-of-motion or strength check, and the side in play) that a
setup sentence opens and an exercise dose ("three sets of ten") closes. Values said about an
earlier visit, a goal or the normal range are not today's measures.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sidekick.facts.measures import (
    MeasureLexicon,
    TestDef,
    affected_side,
    clean_value,
    dedupe_measures,
    find_first,
    load_lexicon,
    region_joint,
    rom_name,
    scan_numbers,
)
from sidekick.models import Measure, Side, Span, Turn

logger = logging.getLogger(__name__)

_NOT_TODAY = re.compile(
    r"\b(last (week|time|visit|month|session)|at (the |your )?(evaluation|eval|start|first visit|"
    r"visit \w+)|when (we|you) (started|began)|a month ago|ago\b|previous|before surgery|"
    r"you were at|you had|had you at|it was|were at|used to|goals?\b|target|aim|want|need|"
    r"normal|should|we'll|next (time|visit|week)|under \w+ would|down from|up from|"
    r"compared|is no |is the most|\bin (a|one|two|three|four|\d+) (weeks?|months?|days?)|"
    r"scores? a hundred|from straight is|within|toward|by (week|the))",
    re.I,
)
_DOSE = re.compile(
    r"\b(sets?|reps|rounds?|times\b|hold(s|ing)?\b|level \w+|minutes?|laps?|each (side|leg|way)|"
    r"more seconds|seconds? left|ten more|more\b)",
    re.I,
)
_NOT_VALUE = re.compile(
    r"\b(grade|level|sets?|reps?|rounds?|minutes?|times|more|inch\w*|steps?|miles?|hours?|days?|"
    r"weeks?|months?|years?|visits?|o'clock|points? apart|am|pm)\b",
    re.I,
)
_ROM_CUE = re.compile(
    r"measure|goniometer|inclinometer|as far as|as high as|how far|let's see|on your own|"
    r"yourself|for you|check the motion|rotate out|rotating|straighten|push the (back of the )?"
    r"knee|slide the heel|bend\b|bending|turn your head|lift the \w+ arm|arm up|\bup over\b",
    re.I,
)
_MEASURE_CUE = re.compile(
    r"measure|goniometer|inclinometer|as far as|as high as|how far|let's see|check|on your own|"
    r"yourself|for you|passive",
    re.I,
)
_MMT_CUE = re.compile(
    r"against (my|me|mine)|resist|don't let me|into my hand|\bstrength\b|\bmmt\b|muscle test",
    re.I,
)
_PROM_CUE = re.compile(
    r"\bi'?ll (lift|rotate|bend|move|take)|for you\b|passive|i'm going to (lift|bend|rotate)|"
    r"stay (totally )?relaxed",
    re.I,
)
_AROM_CUE = re.compile(r"on your own|yourself|\bactive\b|lift the \w+ arm|as far as you can", re.I)
_GENERIC_QUESTIONNAIRE = re.compile(r"questionnaire|\bthe form\b|\bthe sheet\b|filled out", re.I)
_UNIT_WORDS = {
    "s": r"seconds?|secs?",
    "reps": r"reps|times",
    "deg": r"degrees?",
    "cm": r"centimeters?|cm",
    "mm": r"millimeters?|mm",
    "kg": r"kilos?|kilograms?|kg",
    "lb": r"pounds?|lbs?",
    "%": r"percent|%",
    "m": r"meters?",
    "in": r"inches|inch|in",
    "bpm": r"beats( per minute)?|bpm",
    "m/s": r"meters? per second|m/s",
}
_LEVEL = re.compile(
    r"\b(first|second|third|fourth|fifth|\d)(?:st|nd|rd|th)? (lumbar|thoracic|sacral)|"
    r"\b([LTS]\d{1,2})\b",
    re.I,
)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_GRADE_WORD = re.compile(
    r"\b(zero|one|two|three|four|five|[0-5])(\s*(?:plus|minus|\+|-)(?![\w-]))?"
    r"(\s*(?:out of (?:five|5)|/5))?",
    re.I,
)
#: Turns a measuring context lasts without a value (counting aloud and banter in between).
_TTL = 3
_SCORE_CUE = re.compile(r"\bscor\w*|\bis\b|out of|percent|%|came out|total", re.I)
_GRADES = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


@dataclass
class _Context:
    kind: str | None = None  # test | rom | mmt
    test: TestDef | None = None
    joint: str | None = None
    motion: str | None = None
    mode: str = "AROM"
    side: Side | None = None
    unit: str | None = None
    setup: str = ""
    ttl: int = 0
    measuring: bool = False
    turn: str = ""
    taken: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.kind, self.test, self.joint, self.motion, self.side = None, None, None, None, None
        self.unit, self.setup, self.ttl, self.measuring = None, "", 0, False


@dataclass
class _Session:
    lex: MeasureLexicon
    diagnosis: str | None
    region: str | None
    involved: Side | None
    ctx: _Context = field(default_factory=_Context)
    out: list[Measure] = field(default_factory=list)


def measures_from_turns(
    turns: list[Turn], *, diagnosis: str | None = None, region: str | None = None
) -> list[Measure]:
    """Every objective measure the therapist states in a session, with its span."""
    s = _Session(load_lexicon(), diagnosis, region, affected_side(diagnosis))
    prior_question = False
    for index, turn in enumerate(turns):
        if turn.speaker in ("patient", "other"):
            prior_question = "?" in turn.text and bool(_NOT_TODAY.search(turn.text))
            continue
        produced = _read_turn(s, turn, index, skip_first=prior_question)
        prior_question = False
        short = len(turn.text.split()) <= 3  # "Go.", "Ready." do not end a test
        s.ctx.ttl = s.ctx.ttl if produced or short else s.ctx.ttl - 1
        if s.ctx.ttl <= 0 and s.ctx.kind:
            s.ctx.reset()
    return dedupe_measures(s.out)


def _read_turn(s: _Session, turn: Turn, index: int, *, skip_first: bool) -> bool:
    produced = False
    s.ctx.turn = turn.text
    sentences = [m for m in re.finditer(r"[^.!?]+(?:\.\d[^.!?]*)*[.!?]*", turn.text)]
    for n, m in enumerate(sentences):
        sentence = m.group().strip()
        if not sentence:
            continue
        span = Span(
            source="transcript",
            text=sentence,
            turn=index,
            start=m.start(),
            end=m.end(),
            time_s=turn.start,
        )
        _special_tests(s, sentence, span)
        same = _update_context(s, sentence)
        if sentence.endswith("?") and s.ctx.kind and not same:
            _track_side(s.ctx, sentence)  # "Right side?" asks for the other side's value
            continue
        if (skip_first and n == 0) or _counting(sentence):
            continue
        found = _values(s, sentence, span, same)
        logger.debug(
            "turn %d: ctx=%s/%s/%s found=%s", index, s.ctx.kind, s.ctx.joint, s.ctx.motion, found
        )
        if found:
            produced = True
            s.ctx.ttl = _TTL
        elif s.ctx.kind and not same:
            _track_side(s.ctx, sentence)
    return produced


def _counting(sentence: str) -> bool:
    """True for counting aloud ("five, six, seven, eight"): not values."""
    values = [n.value for n in scan_numbers(sentence)]
    runs = sum(1 for a, b in zip(values, values[1:], strict=False) if b == a + 1)
    return runs >= 2


def _special_tests(s: _Session, sentence: str, span: Span) -> None:
    for clause in re.split(r",|;|\band\b|\bbut\b", sentence):
        low = clause.lower()
        result = re.search(r"\b(positive|negative)\b", low)
        if not result:
            continue
        for st in s.lex.special_tests:
            if any(re.search(t, low) for t in st.triggers):
                side = _first_side(clause) or _first_side(sentence) or s.ctx.side or s.involved
                s.out.append(
                    Measure(
                        name=st.name, side=side, value=result.group(1), unit="result", span=span
                    )
                )


def _update_context(s: _Session, sentence: str) -> TestDef | None:
    """Open, change or close the context; returns a test that holds for this sentence only."""
    ctx, low = s.ctx, sentence.lower()
    test = s.lex.find_test(sentence)
    if test is None and _GENERIC_QUESTIONNAIRE.search(low) and not _DOSE.search(low):
        test = s.lex.questionnaire_for(s.diagnosis)
    if test is not None and test.same_sentence:
        return test
    if test is not None:
        ctx.reset()
        ctx.kind, ctx.test, ctx.ttl = "test", test, _TTL
        ctx.side = _first_side(sentence)
        ctx.setup = sentence
        return None
    stripped = re.sub(r"elbows? (at|by) (your|the) side", "", low)
    joint = find_first(s.lex.rom.joints, stripped)
    motion = find_first(s.lex.rom.motions, stripped)
    if re.search(r"empty(ing)? (a )?can|thumbs? down", low):
        joint, motion = None, "scaption (empty can)"
    if _MMT_CUE.search(low):
        _open_motion(ctx, "mmt", joint, motion, sentence)
    elif (
        (joint or motion or ctx.kind == "rom")
        and _ROM_CUE.search(low)
        and (ctx.kind in ("rom", "mmt") or _MEASURE_CUE.search(low))
        and not _DOSE.search(low)
    ):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif (
        joint
        and motion
        and scan_numbers(low)
        and not _prescription(low)
        and ctx.kind != "mmt"
        and re.search(r"\b(is|of|to|at|measures?|was)\b|degrees?", low)
        and not re.search(r"out of (five|5)|/5|\b(plus|minus)\b", low)
    ):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif re.search(r"\b(let's|let me|i'll|i will) (measure|take the measurements|check)", low):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif _prescription(low):
        ctx.reset()
    elif ctx.kind in ("rom", "mmt") and motion:
        _open_motion(ctx, ctx.kind, joint, motion, sentence)
    return None


def _prescription(low: str) -> bool:
    """An exercise dose ("three sets of ten", "hold thirty seconds, three times"), which ends a
    measuring context; a lone result ("12 reps.", "Eighteen seconds.") does not."""
    if not (_DOSE.search(low) and scan_numbers(low)):
        return False
    return bool(
        re.search(r"\b(sets?|rounds?|times|hold(s|ing)?|each|more|level|minutes?)\b", low)
        or len(scan_numbers(low)) >= 2
    )


def _open_motion(
    ctx: _Context, kind: str, joint: str | None, motion: str | None, text: str
) -> None:
    if ctx.kind != kind:
        ctx.test, ctx.unit = None, None
        if ctx.kind not in ("rom", "mmt"):
            ctx.joint, ctx.motion, ctx.side = None, None, None
        ctx.mode = ""
    ctx.kind, ctx.ttl = kind, _TTL
    if motion and motion != ctx.motion:
        ctx.setup, ctx.side = "", None
    ctx.joint = joint or ctx.joint
    ctx.motion = motion or ctx.motion
    ctx.setup += " " + text
    if _PROM_CUE.search(text):
        ctx.mode = "PROM"
    elif _AROM_CUE.search(text):
        ctx.mode = "AROM"
    if kind == "mmt" and ctx.joint == "hip" and not ctx.motion and "side-lying" in ctx.turn.lower():
        ctx.motion = "abduction"
    side = _first_side(text)
    if side:
        ctx.side = side


def _first_side(text: str) -> Side | None:
    low = text.lower()
    for m in re.finditer(r"\b(right|left)\b", low):
        after, before = low[m.end() : m.end() + 7], low[max(0, m.start() - 11) : m.start()]
        if re.match(r"\s+(now|here|there|away|in\b|below|above|at\b|way|spot|into)", after):
            continue
        if re.search(r"(all |that's |seconds |minutes |ones |is )$", before):
            continue
        return m.group(1)  # type: ignore[return-value]
    return None


def _track_side(ctx: _Context, sentence: str) -> None:
    low = sentence.lower()
    if re.search(r"other side|other one|switch", low):
        ctx.side = {"right": "left", "left": "right"}.get(ctx.side or "", None)  # type: ignore[assignment]
        return
    side = _first_side(sentence)
    if side:
        ctx.side = side


# --------------------------------------------------------------------------- values


def _values(s: _Session, sentence: str, span: Span, same: TestDef | None) -> bool:
    ctx = s.ctx
    kind = "test" if same else ctx.kind
    test = same or ctx.test
    if kind is None:
        return False
    found = False
    for clause in re.split(r",|;|\bbut\b|\bso\b|\band\b(?! a half)", sentence):
        if not clause.strip() or _NOT_TODAY.search(clause):
            continue
        got = _clause_value(s, clause, kind, test)
        if got is None:
            continue
        name, value, unit, sided = got
        side = (_first_side(clause) or ctx.side or s.involved) if sided else None
        if side == "bilateral":
            side = None
        key = f"{name.lower()}|{side}"
        if key in ctx.taken:
            continue
        ctx.taken.add(key)
        s.out.append(Measure(name=name, side=side, value=value, unit=unit, span=span))
        if side:
            ctx.side = side
        found = True
    return found


def _clause_value(
    s: _Session, clause: str, kind: str, test: TestDef | None
) -> tuple[str, float | str, str, bool] | None:
    if kind == "test" and test is not None:
        return _test_value(s, clause, test)
    if kind == "mmt":
        return _mmt_value(s, clause)
    if kind == "rom":
        return _rom_value(s, clause)
    return None


def _bare(clause: str) -> float | None:
    """The number of a short clause that is only a value ("Twenty on the right.")."""
    nums = scan_numbers(clause)
    if len(nums) != 1 or _NOT_VALUE.search(clause) or nums[0].value == 1:
        return None
    rest = clause[: nums[0].start] + clause[nums[0].end :]
    words = [w for w in re.findall(r"[a-z']+", rest.lower()) if w not in _FILLER]
    return nums[0].value if not words else None


_FILLER = {
    "on",
    "the",
    "right",
    "left",
    "side",
    "side's",
    "is",
    "that's",
    "a",
    "to",
    "goes",
    "time",
    "it's",
    "of",
    "and",
    "now",
    "even",
    "solid",
    "this",
    "you",
    "did",
    "okay",
    "good",
    "that",
    "at",
    "just",
    "about",
    "sitting",
    "today",
    "your",
    "with",
    "flexion",
    "extension",
    "bend",
    "make",
    "it",
    "made",
    "get",
    "got",
    "down",
    "up",
    "knee",
    "hip",
    "shoulder",
    "ankle",
    "wrist",
    "elbow",
    "neck",
    "rotation",
    "abduction",
    "external",
    "internal",
    "dorsiflexion",
    "degrees",
    "was",
    "measures",
    "active",
    "passive",
}


def _with_unit(clause: str, unit: str) -> float | None:
    pattern = _UNIT_WORDS.get(unit)
    if not pattern:
        return None
    for num in scan_numbers(clause):
        if re.match(rf"\s*({pattern})\b", clause[num.end :], re.I):
            return num.value
    return None


def _test_value(
    s: _Session, clause: str, test: TestDef
) -> tuple[str, float | str, str, bool] | None:
    name, unit = test.name, test.unit
    if test.kind == "level":
        m = _LEVEL.search(clause)
        if not m:
            return None
        level = (
            m.group(3) or f"{m.group(2)[0].upper()}{_ORDINAL.get(m.group(1).lower(), m.group(1))}"
        )
        return name, level.upper(), unit, test.sided
    if test.kind == "score":
        nums = [n for n in scan_numbers(clause) if 1 < n.value <= 100]
        if not nums or not (
            _SCORE_CUE.search(clause) or _bare(clause) is not None or test.matches(clause)
        ):
            return None
        if re.search(r"out of eighty|/80", clause, re.I):
            unit = "/80"
        return name, clean_value(nums[0].value), unit, test.sided
    if test.kind == "strength":
        unit = _strength_unit(s, clause) or unit
        value = _with_unit(clause, unit) or _bare(clause)
        if value is not None and re.search(r"pain[- ]free", clause, re.I) and "grip" in name:
            name = "pain-free grip strength (dynamometer)"
        elif (
            value is not None
            and name.startswith("pain-free")
            and not re.search(r"pain[- ]free", clause, re.I)
        ):
            name = "grip strength (dynamometer)"
    elif test.kind == "pain":
        nums = [n for n in scan_numbers(clause) if n.value <= 10]
        value = nums[0].value if nums else None
    else:
        value = _with_unit(clause, unit)
        if value is None and test.kind == "length":
            for other in ("cm", "in", "mm", "m"):
                value = _with_unit(clause, other)
                if value is not None:
                    unit = other
                    break
        if value is None and test.kind != "percent":
            value = _bare(clause)
    if value is None:
        return None
    if test.name.startswith("single-leg stance") and "eyes closed" in s.ctx.setup.lower():
        name = "single-leg stance eyes closed"
    return name, clean_value(value), unit, test.sided


def _strength_unit(s: _Session, clause: str) -> str | None:
    if re.search(r"kilo|\bkg\b", clause, re.I):
        s.ctx.unit = "kg"
    elif re.search(r"pound|\blbs?\b", clause, re.I):
        s.ctx.unit = "lb"
    return s.ctx.unit


def _joint(s: _Session) -> str | None:
    return s.ctx.joint or region_joint(s.region) or find_first(s.lex.rom.joints, s.diagnosis or "")


def _rom_value(s: _Session, clause: str) -> tuple[str, float | str, str, bool] | None:
    ctx = s.ctx
    motion = find_first(s.lex.rom.motions, clause) or ctx.motion
    if motion is None:
        return None
    low = clause.lower()
    value: float | None
    if re.search(r"pounds?|kilos?|percent|seconds?|centimet|inch|minutes?", low):
        return None
    m = re.search(r"\b(lacking|minus)\s+(\w+(?:-\w+)?)", low)
    if m and scan_numbers(m.group(2)):
        value = -scan_numbers(m.group(2))[0].value
    else:
        value = _with_unit(clause, "deg")
        if value is None:
            of = re.search(
                r"(\S+(?:\s\S+)?)\s+of\s+(flexion|extension|bend|rotation|external|internal"
                r"|abduction|dorsiflexion)",
                low,
            )
            value = (
                scan_numbers(of.group(1))[-1].value if of and scan_numbers(of.group(1)) else None
            )
        if value is None:
            value = _bare(clause)
    if value is None or abs(value) > 200:
        return None
    joint = _joint(s)
    mode = ctx.mode or ("PROM" if joint == "hip" else "AROM")
    name = rom_name(joint, motion, mode, ctx.setup + " " + clause)
    sided = not (joint in ("lumbar", "thoracic") or (joint == "cervical" and motion != "rotation"))
    return name, clean_value(value), "deg", sided


def _mmt_value(s: _Session, clause: str) -> tuple[str, float | str, str, bool] | None:
    ctx = s.ctx
    for m in _GRADE_WORD.finditer(clause):
        has_suffix = bool(m.group(2) or m.group(3))
        if not has_suffix and _bare(clause) is None:
            continue
        grade = _GRADES.get(m.group(1).lower(), m.group(1))
        sign = (m.group(2) or "").strip().lower()
        grade += "+" if sign in ("plus", "+") else "-" if sign in ("minus", "-") else ""
        motion = find_first(s.lex.rom.motions, clause) or ctx.motion
        if motion is None:
            return None
        joint = find_first(s.lex.rom.joints, clause) or (
            None if motion.startswith("scaption") else _joint(s)
        )
        name = f"{joint} {motion} MMT" if joint else f"{motion} MMT"
        return name, grade, "/5", True
    return None
