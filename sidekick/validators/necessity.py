"""MN-*: medical necessity (rule-catalog.md). Is the skilled service justified by the note?

Each rule reads the note's facts: filled by the drafter when the note is structured, extracted
by ``sidekick.facts.parse_note`` when it is free text. A structured note whose list is empty is
read again from its section text with the same detectors, so a drafter that writes the fact
into prose without listing it is not flagged. Rules without a note (a drafting case before
drafting) stay silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sidekick.facts import session
from sidekick.models import Evidence, Exercise, Finding, SoapNote
from sidekick.validators import rule
from sidekick.validators.base import Rule, RuleContext

_DOSE_TEXT = re.compile(
    r"\d+\s*x\s*\d+|\bx\s*\d+|\d+\s*x\b|\d+\s*(reps?|repetitions|sets?|sec\w*|s\b|min\w*|"
    r"breaths|steps|times|rounds?|lb|lbs|kg|feet|ft|m\b|laps)",
    re.I,
)
_LOAD_WORDS = re.compile(
    r"\b(band|theraband|tubing|(ankle|cuff|hand|free) weights?|weights|dumbbells?|kettlebell)\b",
    re.I,
)
_LOAD_GIVEN = re.compile(
    r"\b(red|yellow|green|blue|black|silver|gold|grey|gray|orange|purple|"
    r"tan|light|medium|heavy|x-?light|x-?heavy|\d+(\.\d+)?\s*(lb|lbs|kg|#|"
    r"pounds?|kilos?))\b|bodyweight|body weight|no weight",
    re.I,
)


#: A measure written in a form the note reader may not name: a grade, a score out of a scale's
#: maximum (EAT-10 /40, FOIS /7, Berg /56), a pressure or a distance in millimetres.
_MEASURE_TEXT = re.compile(
    r"\b[0-5][+-]?/5\b|\b\d+(\.\d+)?\s*/\s*(7|10|24|28|30|40|56|80|100)\b|"
    r"\b\d+(\.\d+)?\s*(kpa|mm|m/s)\b|\bfois\b[^.\n]*\blevel \d|"
    # a named test or score with its number: "Berg 45", "FOTO 55", "TUG 12.3\"", "30s CST 9 reps"
    r"\b(berg|foto|lefs|odi|ndi|quickdash|dash|psfs|koos|hoos|tug|[26]mwt|10mwt|fga|dgi|"
    r"abc|cst|5xsts)\b[^.\n]{0,20}?\d|"
    # a joint motion with its range: "Knee ext -5", "hip flex 95"
    r"\b(knee|hip|shoulder|elbow|wrist|ankle|cervical|lumbar|trunk)\b[^.\n;]{0,25}?"
    r"\b(flex\w*|ext\w*|abd\w*|add\w*|rotation|er|ir|df|pf)\s*[:=]?\s*-?\d{1,3}\b"
    r"(?!\s*(x\b|×|sets?|reps?|min|sec|lb|kg))",
    re.I,
)


def _where(note: SoapNote, section: str) -> Evidence:
    return Evidence(where="note", location=f"note:{section}")


def _text(note: SoapNote, *sections: str) -> str:
    parts = note.sections()
    return "\n".join(parts[s] for s in sections) if sections else note.text()


@rule
class TreatedDiagnosis(Rule):
    """MN-DIAGNOSIS fires when the note names no treated diagnosis or problem area: no body
    region with a condition ("L midportion Achilles tendinopathy" suffices; an ICD-10 code is
    welcome but not required)."""

    id = "MN-DIAGNOSIS"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        found = session.diagnosis_in(note.text())
        if found or (note.structured and note.diagnosis and session.diagnosis_in(note.diagnosis)):
            return
        example = ctx.record.patient.diagnosis or "the condition and body region treated"
        yield self.finding(
            "The note names no treated diagnosis or problem area (a condition with its body "
            "region).",
            evidence=_where(note, "Subjective"),
            fix=f"State the treated diagnosis in the Subjective or Assessment, e.g. '{example}'.",
        )


@rule
class FunctionalLimitation(Rule):
    """MN-FUNCTION fires when the note documents no functional limitation (an activity of daily
    life, work or sport the condition limits), so nothing ties the exercises to the patient."""

    id = "MN-FUNCTION"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        if note.functional_limitations or (note.structured and session.limitations(note.text())):
            return
        yield self.finding(
            "No functional limitation is documented: nothing says what the patient cannot do "
            "(stairs, walking, reaching, eating or swallowing, speaking, dressing, work or "
            "sport) that these exercises address.",
            evidence=_where(note, "Assessment"),
            fix="Add the functional limitation the treatment targets and link it to the "
            "exercises in the Assessment.",
        )


@rule
class ObjectiveMeasure(Rule):
    """MN-OBJECTIVE fires when the note has no objective measure this visit (ROM in degrees,
    MMT grade, pain score, girth, a functional test such as TUG or 5xSTS, LEFS/ODI score)."""

    id = "MN-OBJECTIVE"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        if note.measures or note.pain.before is not None or note.pain.after is not None:
            return
        if _MEASURE_TEXT.search(note.text()):
            return
        yield self.finding(
            "No objective measure is documented this visit (ROM, strength grade, pain score, "
            "functional test or outcome score).",
            evidence=_where(note, "Objective"),
            fix="Record at least one measure taken today in the Objective, e.g. ROM in degrees "
            "or a timed test, and pain before and after.",
        )


_REPS_TEXT = re.compile(
    r"\d+\s*x\s*\d+|\bx\s*\d+|\d+\s*(reps?|repetitions|breaths|steps|times|sec\w*|s\b|"
    r"min\w*|laps|feet|ft|m\b|each)",
    re.I,
)


def _undosed(ex: Exercise, dosed_names: set[str]) -> str | None:
    """Why an exercise's dose is incomplete, or None when it is complete."""
    seg = ex.span.text if ex.span else ""
    has_dose = ex.reps or ex.hold_s or ex.duration_s
    if ex.sets and not has_dose and not _REPS_TEXT.search(seg):
        return None if _named_with_dose(ex.name, dosed_names) else "sets without reps"
    if not has_dose and not ex.sets and not _DOSE_TEXT.search(seg):
        if _named_with_dose(ex.name, dosed_names):
            return None  # named again elsewhere (a cue line) with its dose
        return "no sets x reps, hold or duration"
    from_note = ex.span is not None and ex.span.source == "note"
    today = re.sub(r"\([^)]*\)", " ", seg)  # "(progressed from red)" is not today's load
    if (
        from_note
        and ex.load is None
        and _LOAD_WORDS.search(today)
        and not _LOAD_GIVEN.search(today)
    ):
        return "a band or weight without its colour or amount"
    return None


def _named_with_dose(name: str, dosed_names: set[str]) -> bool:
    """The exercise is listed elsewhere with its dose (the same name, or a longer name that
    contains it: 'chin tuck' in a strategy line, 'chin tuck against resistance 2x10')."""
    words = name.lower().split()
    return any(
        d == name.lower() or (len(words) >= 2 and re.search(rf"\b{re.escape(name.lower())}\b", d))
        for d in dosed_names
    )


@rule
class ExerciseDose(Rule):
    """MN-PARAMS fires when an exercise lacks its dose: sets and reps, or hold/duration, and
    the load where one is used (band colour, weight)."""

    id = "MN-PARAMS"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        dosed = {e.name.lower() for e in note.exercises if e.reps or e.hold_s or e.duration_s}
        missing: list[tuple[str, str, str | None]] = []
        for ex in note.exercises:
            why = _undosed(ex, dosed)
            if why and ex.name not in [m[0] for m in missing]:
                missing.append((ex.name, why, ex.span.text if ex.span else None))
        if not missing:
            return
        names = ", ".join(f"'{name}' ({why})" for name, why, _ in missing)
        yield self.finding(
            f"{len(missing)} exercise(s) without a complete dose: {names}.",
            evidence=[
                Evidence(where="note", text=text, location="note:Objective")
                for _, _, text in missing[:5]
            ],
            fix="Write each exercise's sets x reps (or hold/duration) and its load, e.g. "
            "'bridges 3x10', 'clamshells with red band 2x15'.",
        )


@rule
class PatientResponse(Rule):
    """MN-RESPONSE fires when the patient's response to treatment is not documented."""

    id = "MN-RESPONSE"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None or note.responses or session.responses(note.text()):
            return
        yield self.finding(
            "The patient's response to treatment is not documented.",
            evidence=_where(note, "Assessment"),
            fix="Add how the patient tolerated the session: pain after treatment, symptoms, "
            "fatigue, or what changed with the exercises.",
        )


@rule
class SkilledService(Rule):
    """MN-SKILLED fires when no skilled element is documented (cueing, progression or
    regression, modification, clinical reasoning); "patient performed HEP" alone is not
    skilled."""

    id = "MN-SKILLED"
    severity = "block"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        cues = [e.cue for e in note.exercises if e.cue]
        if cues or note.skilled or session.skilled(note.text()):
            return
        yield self.finding(
            "No skilled element is documented: the note reads as exercise the patient could "
            "do alone (no cueing, progression, regression, modification or reasoning).",
            evidence=_where(note, "Objective"),
            fix="Document what required a therapist: the cues given, a progression or "
            "regression and why, or the clinical reasoning behind today's choices.",
        )


@rule
class GoalsProgress(Rule):
    """MN-GOALS fires when there is no measurable goal, or nothing about progress toward goals
    (an objective comparison with an earlier value, such as "TUG 13.4 s, 15.2 s at
    evaluation", counts as progress); an evaluation visit needs only the goals."""

    id = "MN-GOALS"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        text = "\n".join([note.text(), *note.goals])
        measurable, progress = session.measurable_goals(text), session.progress(text)
        if measurable and (progress or _is_evaluation(ctx)):
            return
        if measurable or progress:
            missing = "progress toward them" if measurable else "a measurable goal"
            yield self.finding(
                f"Goals are documented without {missing}.",
                evidence=_where(note, "Assessment"),
                fix="State measurable goals (a number or a functional end point) and today's "
                "status against them, e.g. 'TUG 13.4 s (15.2 s at evaluation), goal under 12 s'.",
            )
            return
        yield self.finding(
            "No measurable goal and no progress toward goals is documented.",
            evidence=_where(note, "Assessment"),
            fix="State the measurable goals and today's status against them, or compare a "
            "measure with its earlier value (e.g. 'TUG 13.4 s, 15.2 s at evaluation').",
        )


_EVALUATION_CODES = re.compile(r"^9716[1-7]$|^9700[1-4]$|^9616[1-7]$")


def _is_evaluation(ctx: RuleContext) -> bool:
    """An evaluation visit sets goals; there is no progress to report yet."""
    record = ctx.record
    return (
        any(_EVALUATION_CODES.match(line.cpt) for line in record.billing)
        or record.visit.number == 1
        or bool(re.search(r"\beval", record.title or "", re.I))
    )


@rule
class NextVisitPlan(Rule):
    """MN-PLAN fires when the note has no plan for the next visit(s)."""

    id = "MN-PLAN"
    severity = "warn"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        note = ctx.note
        if note is None:
            return
        plan_text = note.plan or note.text()
        if note.plan_items or session.plan_items(plan_text):
            return
        yield self.finding(
            "No plan for the next visit(s) is documented.",
            evidence=_where(note, "Plan"),
            fix="Add the plan: frequency and duration, what to progress or add next visit, "
            "and the home program.",
        )
