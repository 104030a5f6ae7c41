"""Measures written in a note ("L shoulder AROM flexion 120 deg (112 at visit 4)").

A note states a measure in one sentence: its name (a lexicon test, or a joint, motion and
AROM/PROM/MMT), an optional side (R, L) and the value with its unit. Values compared with an
earlier visit ("(112 at visit 4)", "down from 34 at the evaluation") are not today's and are
skipped; intervention lines ("Ther ex (97110, 20 min): ...") and dosed items are not read.
"""

from __future__ import annotations

import re

from sidekick.facts.measures import (
    NOTE_SIDE,
    SIDE_WORD,
    MeasureLexicon,
    TestDef,
    affected_side,
    clean_value,
    dedupe_measures,
    find_first,
    load_lexicon,
    note_side,
    region_joint,
    rom_name,
    split_sentences,
)
from sidekick.models import Measure, Side, Span

PRIOR = re.compile(
    r"\b(last (week|time|visit|month|session|test)|at (the |your )?(evaluation|eval|start|"
    r"initial|first visit|visit \d+|prior test|discharge)|prior|previous(ly)?|baseline|ago|"
    r"when (we|you) (started|began)|at start|initial(ly)?|from \d|first active)\b",
    re.I,
)
_NOTE_VALUE = re.compile(
    r"(?P<neg>-|minus\s*)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>degrees|deg\b|°|seconds|secs?\b|s\b|"
    r"reps\b|repetitions|lbs?\b|pounds|kg\b|cm\b|mm\b|%|/80|/100|/10\b|/56|/5\b|m/s|m\b|"
    r"inches|in\b|bpm|/24|/30|/28|/9\b|/40|/7\b|kpa\b)?"
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
    "/40": "/40",
    "/7": "/7",
    "kpa": "kPa",
}
_INTERVENTION = re.compile(
    r"^\s*(ther(apeutic)? ?ex|ther(apeutic)? act|manual|neuromusc|nmr|self[- ]care|gait tr|"
    r"97\d{3}|cues?\b|verbal|skilled|hep\b|home|modalit|pt performed|pt tolerated|patient "
    r"performed|total|pain\b(?!-)|post[- ]treatment|end[- ]of[- ]session|symptoms)",
    re.I,
)
_PAREN_PRIOR = re.compile(r"\(([^)]*)\)")
_OTHER_SIDE = re.compile(r"\(\s*((?:R|L|right|left|uninvolved)\b[^()]*?\d[^()]*)\)", re.I)


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
        today = _OTHER_SIDE.sub(r"; \1", today)  # "(R 18 deg)": the other side's own value
        span = Span(
            source="note", text=sentence, section=section, start=start, end=start + len(sentence)
        )
        out.extend(note_special_tests(today, span, lex, involved))
        kind, base = _note_measure_name(today, region, lex)
        if kind == "test":
            out.extend(_note_test_values(today, lex.test(base), span, involved))
        elif kind in ("rom", "mmt"):
            out.extend(note_rom_measures(today, kind, base, span, region, involved))
    return dedupe_measures(out)


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
                side_m = NOTE_SIDE.search(sentence) or SIDE_WORD.search(seg)
                side = note_side(side_m.group(1)) if side_m else involved
                if re.search(r"\bbilat\w*|\bb/l\b|both sides", seg):
                    side = "bilateral"
                sides: list[Side | None] = ["right", "left"] if side == "bilateral" else [side]
                out += [
                    Measure(name=st.name, side=one, value=value, unit="result", span=span)
                    for one in sides
                ]
    return out


def note_rom_measures(
    sentence: str, kind: str, mode: str, span: Span, region: str | None, involved: Side | None
) -> list[Measure]:
    """ROM ("R knee AROM flexion 121 deg, extension -2 deg") or MMT ("Hip MMT R: abd 4/5")."""
    words = load_lexicon().rom
    joint = find_first(words.joints, sentence) or region_joint(region)
    first_side = NOTE_SIDE.search(sentence)
    motion: str | None = None
    out: list[Measure] = []
    for seg in re.split(r"[,;]", sentence):
        motion = find_first(words.motions, seg) or motion
        side_m = NOTE_SIDE.search(seg) or first_side
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


def _note_test_values(
    sentence: str, test: TestDef, span: Span, involved: Side | None
) -> list[Measure]:
    out: list[Measure] = []
    if test.kind == "level":
        level = re.search(r"\b([CTLS]\d{1,2})\b", sentence)
        if level:
            found = NOTE_SIDE.search(sentence.replace(level.group(1), ""))
            level_side = note_side(found.group(1)) if found else involved
            return [
                Measure(
                    name=test.name,
                    side=level_side,
                    value=level.group(1).upper(),
                    unit=test.unit,
                    span=span,
                )
            ]
        return []
    for segment in re.split(r"[,;]|\bvs\.?\b|\s/\s", sentence):
        if PRIOR.search(segment) and not test.matches(segment):
            continue
        side_m = list(NOTE_SIDE.finditer(segment))
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
