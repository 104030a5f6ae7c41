"""S/O/A/P text from templates, the session's facts and the visit.

Grounded by construction: every number written here comes from the facts (which the
extractor read from the transcript), from the billing lines, or from the visit record. The
templates add words, never numbers. The totals are arithmetic on the billing lines, done in
code: timed minutes are the minutes of timed codes, treatment minutes are all billed minutes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sidekick.models import BillingLine, Exercise, Measure, SoapFacts, VisitRecord

logger = logging.getLogger(__name__)

#: Timed (15-minute) codes, used when the billing engine's table is not available
#: (shared/reference/billing-rules.md, section 1a).
TIMED_CODES = frozenset({
    "97110", "97112", "97113", "97116", "97140", "97530", "97535", "97542", "97750",
    "97760", "97761", "97763", "97032", "97033", "97035", "97036",
})

MAX_SKILLED = 8  # cues quoted in the Objective; the structured list keeps them all
_SIDE_ABBREV = {"left": "L", "right": "R", "bilateral": "bilateral"}
_DISCIPLINE = {"PT": "physical therapy", "OT": "occupational therapy", "SLP": "speech therapy"}


def num(value: float | int | str) -> str:
    """A number as a clinician writes it: 5 not 5.0, 2.5 stays 2.5."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip().rstrip(";,:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _sentences(items: Iterable[str], limit: int | None = None) -> str:
    """Statements as sentences, once each, in order (at most ``limit``)."""
    return " ".join(_sentence(item) for item in _dedupe(items)[:limit])


def _join(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = " ".join(item.lower().split())
        if key and key not in seen:
            seen.add(key)
            out.append(" ".join(item.split()))
    return out


# --------------------------------------------------------------------------- pieces


def _seconds(value: float) -> str:
    """A bout as said: whole minutes in minutes (480 -> "8 min"), else seconds."""
    if value >= 60 and float(value / 60).is_integer():
        return f"{num(float(value / 60))} min"
    return f"{num(value)} sec"


def exercise_phrase(ex: Exercise) -> str:
    """``quad set L 2x10 with 5 sec hold, red band`` from the structured dose."""
    parts = [ex.name]
    if ex.side:
        parts.append(_SIDE_ABBREV[ex.side])
    if ex.sets and ex.reps:
        parts.append(f"{ex.sets}x{ex.reps}")
    elif ex.reps:
        parts.append(f"{ex.reps} reps")
    elif ex.sets:
        parts.append(f"{ex.sets} set{'s' if ex.sets != 1 else ''}")
    if ex.hold_s is not None:
        parts.append(f"with {num(ex.hold_s)} sec hold" if ex.reps else _seconds(ex.hold_s))
    if ex.duration_s is not None and ex.duration_s != ex.hold_s:
        parts.append(_seconds(ex.duration_s))
    text = " ".join(parts)
    if ex.load:
        text += f", {ex.load}"
    return text


def has_dose(ex: Exercise) -> bool:
    """Sets and reps, or a hold, or a duration (the MN-PARAMS minimum)."""
    return bool(ex.sets and ex.reps) or ex.hold_s is not None or ex.duration_s is not None


def measure_phrase(m: Measure) -> str:
    side = f"{_SIDE_ABBREV[m.side]} " if m.side else ""
    unit = m.unit or ""
    value = num(m.value)
    if unit.startswith("/") or unit == "%":
        return f"{side}{m.name} {value}{unit}"
    return f"{side}{m.name} {value}{' ' + unit if unit else ''}"


def minute_totals(
    billing: list[BillingLine], is_timed: Callable[[str], bool]
) -> tuple[int | None, int | None]:
    """(total timed minutes, total treatment minutes) from the billing lines, or None.

    None when a line lacks its minutes: the sum would understate the time.
    """
    if not billing or any(line.minutes is None for line in billing):
        return None, None
    timed = sum(line.minutes or 0 for line in billing if is_timed(line.cpt))
    total = sum(line.minutes or 0 for line in billing)
    return timed, total


def diagnosis_text(record: VisitRecord, facts: SoapFacts) -> str:
    diagnosis = record.patient.diagnosis or facts.diagnosis or ""
    codes = ", ".join(record.patient.icd10)
    if diagnosis and codes:
        return f"{diagnosis} ({codes})"
    return diagnosis


# --------------------------------------------------------------------------- sections


def opening(record: VisitRecord, facts: SoapFacts) -> str:
    """Who was seen, for what, which visit: every number from the visit record."""
    visit = record.visit
    who = f"{record.patient.age} y/o patient" if record.patient.age else "Patient"
    diagnosis = diagnosis_text(record, facts)
    text = f"{who} seen for {diagnosis}" if diagnosis else f"{who} seen"
    text += f", {visit.discipline}" + (f" visit {visit.number}" if visit.number else "")
    if visit.clinician.is_assistant:
        text += f", treated by {visit.clinician.credential} under the supervising plan of care"
    return text + "."


def subjective(record: VisitRecord, facts: SoapFacts) -> str:
    lines = [opening(record, facts)]
    if facts.pain.before is not None:
        lines.append(f"Pain {num(facts.pain.before)}/10 on arrival.")
    if facts.functional_limitations:
        quoted = " ".join(f'"{_sentence(x)}"' for x in _dedupe(facts.functional_limitations))
        lines.append(f"Functional limitations reported: {quoted}")
    return " ".join(lines)


def objective(
    facts: SoapFacts, billing: list[BillingLine], totals: tuple[int | None, int | None]
) -> str:
    lines = []
    if facts.measures:
        lines.append("Measures: " + "; ".join(measure_phrase(m) for m in facts.measures) + ".")
    if facts.exercises:
        lines.append("Exercises: " + "; ".join(exercise_phrase(e) for e in facts.exercises) + ".")
    if facts.skilled:
        lines.append("Skilled interventions (cueing, progression, reasoning): "
                     + _sentences(facts.skilled, limit=MAX_SKILLED))
    if facts.pain.after is not None:
        lines.append(f"Pain {num(facts.pain.after)}/10 after session.")
    coded = [f"{line.cpt} {line.minutes} min" for line in billing if line.minutes is not None]
    if coded:
        lines.append("Billed time: " + "; ".join(coded) + ".")
    timed, total = totals
    if timed is not None and total is not None:
        lines.append(f"Total timed minutes {timed}; total treatment minutes {total}.")
    return "\n".join(lines) or "No exercise or measure was identified in the session."


def assessment(record: VisitRecord, facts: SoapFacts) -> str:
    lines = []
    if facts.responses:
        lines.append("Response to treatment: " + _sentences(facts.responses))
    limits = _dedupe(facts.functional_limitations)
    names = _dedupe(e.name for e in facts.exercises)
    if names and limits:
        lines.append(
            f"{_sentence(_join(names))[:-1]} address the functional limitations reported "
            f"({'; '.join(_sentence(x)[:-1] for x in limits)})."
        )
    elif limits:
        lines.append("Treatment addresses the functional limitations reported.")
    field = _DISCIPLINE.get(record.visit.discipline, "therapy")
    if facts.skilled:
        aim = "address these limitations" if limits else "progress the program above"
        lines.append(
            f"Pt requires skilled {field} for cueing, progression and clinical reasoning to "
            f"{aim}."
        )
    return " ".join(lines) or "To be completed by the treating clinician (see the items to add)."


def plan(facts: SoapFacts) -> str:
    lines = []
    said: set[str] = set()
    for label, items in (("", facts.plan_items), ("Goals: ", facts.goals),
                         ("HEP: ", facts.home_program)):
        fresh = [i for i in _dedupe(items) if " ".join(i.lower().split()) not in said]
        said |= {" ".join(i.lower().split()) for i in fresh}
        if fresh:
            lines.append(label + _sentences(fresh))
    if not lines:
        lines.append("Continue per plan of care.")
    return " ".join(lines)


# --------------------------------------------------------------------------- to add


def missing_items(
    record: VisitRecord, facts: SoapFacts, totals: tuple[int | None, int | None],
    *, needs_totals: bool,
) -> list[str]:
    """Plain statements of what the clinician must add before signing."""
    out = []
    if not diagnosis_text(record, facts):
        out.append("Add the treated diagnosis and body region (none in the visit record).")
    if not facts.functional_limitations:
        out.append("Add the functional limitation these exercises address (none was said).")
    if not facts.measures and facts.pain.before is None and facts.pain.after is None:
        out.append("Add an objective measure taken this visit (ROM, MMT, pain score, "
                   "functional test); none was said.")
    for ex in facts.exercises:
        if not has_dose(ex):
            out.append(f"Add the dose for '{ex.name}' (sets x reps, or hold/duration, and load "
                       "if used); it was not said.")
    if not facts.skilled:
        out.append("Add the skilled element (cues, progression or regression, clinical "
                   "reasoning); none was found.")
    if needs_totals and record.billing and None in totals:
        out.append("Add the minutes of every billed code: this payer needs total timed and "
                   "total treatment minutes.")
    return out
