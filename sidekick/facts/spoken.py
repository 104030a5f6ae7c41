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
from sidekick.facts.spoken_tests import special_tests
from sidekick.facts.spoken_words import (
    AROM_CUE,
    DOSE,
    GENERIC_QUESTIONNAIRE,
    GRADE_SAID,
    GRADE_WORD,
    GRADES,
    LEVEL,
    MEASURE_CUE,
    MMT_CUE,
    NOT_TODAY,
    ORDINAL,
    PROM_CUE,
    ROM_CUE,
    SCORE_CUE,
    bare,
    counting,
    first_side,
    level_score,
    not_best,
    prescription,
    unnamed,
    value_first,
    with_unit,
)
from sidekick.models import Measure, Side, Span, Turn

logger = logging.getLogger(__name__)

#: Turns a measuring context lasts without a value (counting aloud and banter in between).
_TTL = 3


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
            prior_question = "?" in turn.text and bool(NOT_TODAY.search(turn.text))
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
    paused = re.sub(r"\.\.\.|…", lambda p: "," + " " * (len(p.group()) - 1), turn.text)
    sentences = [m for m in re.finditer(r"[^.!?]+(?:\.\d[^.!?]*)*[.!?]*", paused)]  # "..." pauses
    for n, m in enumerate(sentences):
        sentence = m.group().strip()
        if not sentence:
            continue
        span = Span(
            source="transcript",
            text=turn.text[m.start():m.end()].strip(),
            turn=index,
            start=m.start(),
            end=m.end(),
            time_s=turn.start,
        )
        _special_tests(s, sentence, span, sentences[n - 1].group().strip() if n else "")
        same = _update_context(s, sentence)
        if sentence.endswith("?") and s.ctx.kind and not same:
            _track_side(s.ctx, sentence)  # "Right side?" asks for the other side's value
            continue
        if (skip_first and n == 0) or counting(sentence):
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


def _special_tests(s: _Session, sentence: str, span: Span, previous: str = "") -> None:
    s.out.extend(special_tests(sentence, span, s.lex, s.out, s.ctx.side or s.involved, previous))


def _update_context(s: _Session, sentence: str) -> TestDef | None:
    """Open, change or close the context; returns a test that holds for this sentence only."""
    ctx, low = s.ctx, sentence.lower()
    test = s.lex.find_test(sentence)
    if test is None and GENERIC_QUESTIONNAIRE.search(low) and not DOSE.search(low):
        test = s.lex.questionnaire_for(s.diagnosis)
    if test is not None and test.same_sentence:
        return test
    if test is not None:
        ctx.reset()
        ctx.kind, ctx.test, ctx.ttl = "test", test, _TTL
        ctx.side = first_side(sentence)
        ctx.setup = sentence
        return None
    stripped = re.sub(
        r"elbows? (at|by) (your|the) side|(with )?(the |your )?elbows? (bent|straight)", "", low
    )
    joint = find_first(s.lex.rom.joints, stripped)
    motion = find_first(s.lex.rom.motions, stripped)
    if re.search(r"empty(ing)? (a )?can|thumbs? down", low):
        joint, motion = None, "scaption (empty can)"
    if MMT_CUE.search(low) or ((joint or motion) and GRADE_SAID.search(low)):
        _open_motion(ctx, "mmt", joint, motion, sentence)
    elif (
        (joint or motion or ctx.kind == "rom")
        and ROM_CUE.search(low)
        and (ctx.kind in ("rom", "mmt") or MEASURE_CUE.search(low))
        and not DOSE.search(low)
    ):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif (
        joint
        and motion
        and scan_numbers(low)
        and not prescription(low)
        and ctx.kind != "mmt"
        and re.search(r"\b(is|of|to|at|measures?|was)\b|degrees?", low)
        and not re.search(r"out of (five|5)|/5|\b(plus|minus)\b", low)
    ):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif (motion and ctx.kind != "mmt" and value_first(low)) or (
        (joint or motion) and PROM_CUE.search(low) and not prescription(low)
    ):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif re.search(r"\b(let's|let me|i'll|i will) (measure|take the measurements|check)", low):
        _open_motion(ctx, "rom", joint, motion, sentence)
    elif prescription(low) and not level_score(ctx.test, low):
        ctx.reset()
    elif ctx.kind in ("rom", "mmt") and motion:
        degrees = re.search(r"\bdegrees?\b", low)  # strength, then "rotation twenty degrees"
        _open_motion(ctx, "rom" if degrees else ctx.kind, joint, motion, sentence)
    return None


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
    if PROM_CUE.search(text):
        ctx.mode = "PROM"
    elif AROM_CUE.search(text):
        ctx.mode = "AROM"
    if kind == "mmt" and ctx.joint == "hip" and not ctx.motion and "side-lying" in ctx.turn.lower():
        ctx.motion = "abduction"
    side = first_side(text)
    if side:
        ctx.side = side


def _track_side(ctx: _Context, sentence: str) -> None:
    low = sentence.lower()
    if re.search(r"other side|other one|switch", low):
        ctx.side = {"right": "left", "left": "right"}.get(ctx.side or "", None)  # type: ignore[assignment]
        return
    side = first_side(sentence)
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
    if test is not None and test.kind == "strength":
        _strength_unit(s, sentence)  # "left 18, right 26 kilos": the unit said once, at the end
    said: Side | None = None  # the side an earlier clause named ("Turn right, sixty degrees")
    for clause in re.split(r",|;|\bbut\b|\bso\b|(?<!hundred )\band\b(?! a half)", sentence):
        if not clause.strip() or NOT_TODAY.search(clause) or not_best(ctx.turn, clause):
            continue
        own = s.lex.find_test(clause) if kind == "test" else None  # "pulse 72, oxygen 97%"
        got = _clause_value(s, clause, kind, own or test)
        if got is None:
            said = first_side(clause) or said
            continue
        name, value, unit, sided = got
        side = (first_side(clause) or said or ctx.side or s.involved) if sided else None
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


def _test_value(
    s: _Session, clause: str, test: TestDef
) -> tuple[str, float | str, str, bool] | None:
    name, unit = test.name, test.unit
    if test.kind == "level":
        m = LEVEL.search(clause)
        if not m:
            return None
        level = (
            m.group(3) or f"{m.group(2)[0].upper()}{ORDINAL.get(m.group(1).lower(), m.group(1))}"
        )
        return name, level.upper(), unit, test.sided
    if test.kind == "score":
        nums = [n for n in scan_numbers(unnamed(clause, test)) if 1 < n.value <= 100]
        if not nums or not (
            SCORE_CUE.search(clause) or bare(clause) is not None or test.matches(clause)
        ):
            return None
        if re.search(r"out of eighty|/80", clause, re.I):
            unit = "/80"
        return name, clean_value(nums[0].value), unit, test.sided
    if test.kind == "strength":
        unit = _strength_unit(s, clause) or unit
        value = with_unit(clause, unit) or bare(unnamed(clause, test))
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
        value = with_unit(clause, unit)
        if value is None and test.kind == "length":
            for other in ("cm", "in", "mm", "m", "ft"):
                value = with_unit(clause, other)
                if value is not None:
                    unit = other
                    break
        if value is None and test.kind != "percent":
            value = bare(unnamed(clause, test))
    if value is None:
        return None
    if test.name.startswith("single-leg stance") and "eyes closed" in s.ctx.setup.lower():
        name = "single-leg stance eyes closed"
    return name, clean_value(value), unit, test.sided


def _strength_unit(s: _Session, clause: str) -> str | None:
    if re.search(r"kilo(?!pascal)|\bkg\b", clause, re.I):
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
    m = re.search(r"\b(lacking|lacks|minus)\s+(\w+(?:-\w+)?)", low)
    if m and scan_numbers(m.group(2)):
        value = -scan_numbers(m.group(2))[0].value
    else:
        value = with_unit(clause, "deg")
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
            value = bare(clause)
    if value is None or abs(value) > 200:
        return None
    joint = _joint(s)
    clause_mode = re.search(r"\b(active|passive)\b", low)
    mode = {"active": "AROM", "passive": "PROM"}[clause_mode.group(1)] if clause_mode else ""
    mode = mode or ctx.mode or ("PROM" if joint == "hip" else "AROM")
    name = rom_name(joint, motion, mode, ctx.setup + " " + clause)
    sided = not (joint in ("lumbar", "thoracic") or (joint == "cervical" and motion != "rotation"))
    return name, clean_value(value), "deg", sided


def _mmt_value(s: _Session, clause: str) -> tuple[str, float | str, str, bool] | None:
    ctx = s.ctx
    for m in GRADE_WORD.finditer(clause):
        has_suffix = bool(m.group(2) or m.group(3))
        if not has_suffix and bare(clause) is None:
            continue
        grade = GRADES.get(m.group(1).lower(), m.group(1))
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
