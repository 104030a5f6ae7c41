"""Reading written notes: SOAP headings in their usual spellings, then the facts."""

from __future__ import annotations

import pytest

from sidekick import facts
from sidekick.facts import split_sections
from sidekick.models import Patient

PATIENT = Patient(id="P-T", diagnosis="Right knee osteoarthritis", body_region="knee")

NOTE = """Subjective: 70 y/o with R knee OA (M17.11). Pain 4/10 on arrival. Unable to descend
stairs reciprocally.

Objective: R knee AROM flexion 110 deg (100 last week). TUG 12.0 sec.
Ther ex (97110, 25 min): bridges 3x10; clamshells with red band 2x15.
Cues for knee alignment during bridges.
Pain 2/10 after session.
Total timed minutes 25; total treatment minutes 30.

Assessment: Tolerated progression to red band. Progressing toward goal of TUG under 10 sec.

Plan: Continue 2x/week. Next visit add step-ups."""


@pytest.mark.parametrize(
    "text",
    [
        "S: pain in knee\nO: flexion 100 deg\nA: improving\nP: continue",
        "Subjective: pain in knee\nObjective: flexion 100 deg\nAssessment: improving\n"
        "Plan: continue",
        "SUBJECTIVE\npain in knee\nOBJECTIVE\nflexion 100 deg\nASSESSMENT\nimproving\n"
        "PLAN\ncontinue",
        "Subjective - pain in knee\nObjective - flexion 100 deg\nAssessment - improving\n"
        "Plan - continue",
        "## Subjective\npain in knee\n## Objective\nflexion 100 deg\n## Assessment\nimproving\n"
        "## Plan\ncontinue",
        "**Subjective:** pain in knee\n**Objective:** flexion 100 deg\n**Assessment:** improving\n"
        "**Plan:** continue",
        "Subjective: pain in knee. Objective: flexion 100 deg. Assessment: improving. "
        "Plan: continue",
    ],
    ids=["letters", "words", "upper-alone", "dash", "markdown", "bold", "one-paragraph"],
)
def test_split_sections_reads_usual_heading_spellings(text):
    sections = split_sections(text)
    assert sections["Subjective"].rstrip(".") == "pain in knee"
    assert sections["Objective"].rstrip(".") == "flexion 100 deg"
    assert sections["Assessment"].rstrip(".") == "improving"
    assert sections["Plan"] == "continue"


def test_merged_assessment_plan_fills_both_sections():
    sections = split_sections("S: sore\nO: 90 deg\nAssessment/Plan: improving; continue 2x/week")
    assert sections["Assessment"] == sections["Plan"] == "improving; continue 2x/week"


def test_a_note_without_headings_is_kept_whole_and_asks_for_headings():
    text = "Pt with R knee OA did bridges 3x10, pain 3/10 after session, continue 2x/week."
    note = facts.parse_note(text, PATIENT)
    assert note.subjective == text
    assert note.to_add == ["SOAP headings (Subjective, Objective, Assessment, Plan)"]
    assert note.pain.after == 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Paciente con dolor de rodilla. Ejercicios hechos.",
        "患者は膝の痛みがあります。",
        "S:\nO:\nA:\nP:",
    ],
    ids=["empty", "blank", "spanish", "japanese", "empty-sections"],
)
def test_parse_note_never_crashes_on_odd_text(text):
    note = facts.parse_note(text, PATIENT)
    assert note.structured is False
    assert note.measures == []


def test_parse_note_fills_sections_and_facts():
    note = facts.parse_note(NOTE, PATIENT)
    assert note.objective.startswith("R knee AROM flexion 110 deg")
    assert note.plan == "Continue 2x/week. Next visit add step-ups."
    assert {(m.name, m.value) for m in note.measures} == {
        ("knee flexion AROM", 110),
        ("Timed Up and Go", 12.0),
    }
    assert (note.pain.before, note.pain.after) == (4, 2)
    assert (note.total_timed_minutes, note.total_treatment_minutes) == (25, 30)
    assert note.diagnosis is not None and "M17.11" in note.diagnosis
    assert note.functional_limitations == ["Unable to descend stairs reciprocally."]
    assert note.plan_items and note.goals and note.skilled and note.responses


def test_measure_span_names_the_note_section():
    note = facts.parse_note(NOTE, PATIENT)
    spans = {m.span.section for m in note.measures if m.span}
    assert spans == {"Objective"}


def test_a_note_in_another_language_asks_for_english():
    note = facts.parse_note("Paciente con dolor de rodilla derecha. Ejercicios: puentes.", PATIENT)
    assert "the note in English: the checks read English clinical phrasing" in note.to_add
    assert facts.parse_note(NOTE, PATIENT).to_add == []


def test_a_treatment_heading_mid_line_after_a_measure_is_read():
    from sidekick.facts import parse_note

    note = parse_note(
        "Subjective: neck pain, limits driving.\n\nObjective: Cervical rotation measured at 58 "
        "degrees to the left. Therapeutic exercise (97110, 20 minutes) consisted of chin tucks "
        "for two sets of ten and open books ten repetitions each side.\n\nPlan: continue."
    )
    assert [(e.name, e.sets, e.reps) for e in note.exercises] == [
        ("chin tuck", 2, 10), ("open book", 1, 10)]
