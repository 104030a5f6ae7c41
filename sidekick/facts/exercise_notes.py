"""Exercises written in a finished note, each with the dose written beside it."""

from __future__ import annotations

import re

from sidekick.facts.doses import parse_dose
from sidekick.facts.exercise_blocks import (
    _MEASURE,
    _absorb,
    _activity_name,
    _Block,
    _drop_past,
    _fresh,
    _hits,
    _split_at_hits,
    _to_exercise,
    diagnosis_side,
)
from sidekick.facts.lexicon import Lexicon, load_lexicon
from sidekick.models import Exercise, Patient, Side, Span

_NOTE_STOP = re.compile(r"\b(hep|home\s+(?:exercise\s+)?program|next\s+(?:visit|session|time)|"
                        r"will\s+add|add\s+\w+\s+next)\b", re.I)
_NOTE_SKIP = re.compile(
    r"^\s*(?:s|a|p|subjective|assessment|plan|goals?|cues?|verbal|tactile|pain|total|"
    r"manual\s+therapy|mt|stm|soft\s+tissue|modalit\w*|education|assessment\s+and\s+plan|"
    r"trials?\s+of)\b",
    re.I,
)
_NOTE_HEADING = re.compile(r"^\s*(?:o|objective)\s*:\s*", re.I)
#: A heading on a line of its own ("SUBJECTIVE"): the lines under it belong to that section.
_NOTE_SECTION = re.compile(r"^\s*(subjective|objective|assessment|plan|[soap])\s*:?\s*$", re.I)
#: Gait distance ("ambulation 4 x 40 ft") is gait training, not an exercise dose.
_DISTANCE = re.compile(r"\d\s*(?:ft|feet|foot|m|meters?|metres?|yards?)\b", re.I)
_BILLING = re.compile(
    r"^[^:]{0,80}?(?:\(\s*\d{5}[^)]*\)|\b\d{5}\b|\b\d+\s*min(?:utes)?\b)[^:]{0,80}:", re.I)
#: A treatment heading later in a line that opens with pain or cue text: "Pain 3/10. Ther ex
#: (97110, 20 min) consisted of ...".
_LATER_TREATMENT = re.compile(r"[.;]\s+[^.;()]{0,60}\(\s*9\d{4}\b")
#: A treatment heading inside a sentence: "Ther ex (97110, 25 minutes) consisted of ...".
_INLINE_BILLING = re.compile(
    r"^[^():]{0,80}?\(\s*\d{5}\b[^)]*\)\s*(?:(?:consisted|consists) of|included|includes|"
    r"including|comprised|was|were)\s+", re.I)
_NOTE_MEASURE = re.compile(
    r"\b(?:l|r|left|right)\s+\d+(?:\.\d+)?\s*(?:sec|s|deg|lb|kg|cm|reps)\b", re.I
)


def extract_exercises_from_text(
    text: str, patient: Patient | None = None, section: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Exercise]:
    """Exercises written in a note's text, with the dose written beside each.

    Reads treatment lines ("Ther ex (97110, 24 min): upright bike 5 min level 5; clamshells
    with blue band 3x15 each side"). Segments are split at ``;`` and sentence ends; a
    segment naming several exercises in a list ("NuStep, pelvic tilts, bridges") gives one
    exercise each, undosed. Not read: Subjective, Assessment and Plan lines, cue, pain and
    total lines, manual therapy, home-program and next-visit text, and measures. An exercise
    named again without a dose (in a cue) is not a second exercise.

    Args:
        text: the note (or one section of it).
        patient: for the diagnosis side of one-sided exercises.
        section: the section name, recorded in each span.
        lexicon: the exercise lexicon (default: the built-in one).
    """
    lex = lexicon or load_lexicon()
    dx_side = diagnosis_side(patient.diagnosis if patient else None)
    out: list[Exercise] = []
    skipping = False  # under a SUBJECTIVE / ASSESSMENT / PLAN heading line
    for line in text.splitlines():
        heading = _NOTE_SECTION.match(line)
        if heading:
            skipping = heading.group(1).lower() not in ("objective", "o")
            continue
        if _NOTE_HEADING.match(line) or _BILLING.match(line.strip()):
            skipping = False
        line = _NOTE_HEADING.sub("", line)
        if skipping or _NOTE_SKIP.match(line) and not _LATER_TREATMENT.search(line):
            continue
        stop = _NOTE_STOP.search(line)
        body = line[: stop.start()] if stop else line
        treatment = bool(_BILLING.match(body.strip()))
        body = _BILLING.sub("", body.strip())
        for segment in re.split(r";|\.\s", body):
            segment, inline = _INLINE_BILLING.subn("", segment.strip())
            if re.search(r"\b9\d{4}\b|\bunits?\b", segment):
                continue  # billing text ("97110 x 3 units"), not a dose
            found = _segment_exercises(lex, segment, section, dx_side)
            out.extend(e for e in found if treatment or inline or not _measure_like(e))
    return _dedupe(out)


def _measure_like(ex: Exercise) -> bool:
    """A lone timed value outside a treatment line ("R single leg stance 6 sec") is a measure."""
    return ex.hold_s is not None and ex.reps is None and (ex.sets or 1) == 1


def _dedupe(exercises: list[Exercise]) -> list[Exercise]:
    """One exercise per name: the first dosed mention, else the first mention."""
    out: list[Exercise] = []
    for ex in exercises:
        dosed = ex.sets is not None or ex.hold_s is not None or ex.duration_s is not None
        same = next((i for i, o in enumerate(out) if o.name == ex.name), None)
        if same is None:
            out.append(ex)
        elif dosed and out[same].sets is None and out[same].hold_s is None \
                and out[same].duration_s is None:
            out[same] = ex
    return out


def _segment_exercises(lex: Lexicon, segment: str, section: str | None,
                       dx_side: Side | None) -> list[Exercise]:
    if not segment or (_MEASURE.search(segment) or _NOTE_MEASURE.search(segment)) \
            and not re.search(r"\d\s*x\s*\d", segment):
        return []
    clean = re.sub(r"\([^)]*(?:from|progressed|reduced)[^)]*\)", " ", segment)
    hits = _hits(lex, clean)
    span = Span(source="note", text=segment, section=section)
    dose = parse_dose(_drop_past(clean))
    if not hits:
        if not _fresh(dose) or _DISTANCE.search(segment):
            return []
        block = _Block(None, _activity_name([segment]), span)
        _absorb(block, dose, segment, override=True)
        return [_to_exercise(block, dx_side)]
    out = []
    parts = _split_at_hits(clean, hits)
    for hit, part in parts:
        # Each exercise of a list keeps its own text, so one item's dose is not another's.
        own = span if len(parts) == 1 else Span(source="note", text=part.strip(), section=section)
        block = _Block(hit.entry, hit.entry.name, own)
        part = _without_numbered_name(part, hit.entry.synonyms)
        _absorb(block, parse_dose(_drop_past(part)), part, override=True)
        out.append(_to_exercise(block, dx_side))
    return out


def _without_numbered_name(part: str, synonyms: list[str]) -> str:
    """The segment without a name that holds a number ("VOR x1", "VOR x 2"): not a dose."""
    for name in synonyms:
        if re.search(r"\d", name):
            pattern = r"\s*".join(re.escape(c) for c in name.replace(" ", ""))
            part = re.sub(rf"(?<!\w){pattern}(?!\w)", " ", part, flags=re.I)
    return part
