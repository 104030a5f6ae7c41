"""GR-* rules: for each, a row that fires, one that does not, one on the boundary."""

from __future__ import annotations

import pytest
from helpers import fires, make_context, make_record, run_rule

from sidekick import facts
from sidekick.models import Patient

PATIENT = Patient(
    id="P-TEST-01", diagnosis="Right patellofemoral pain syndrome", body_region="knee"
)

SESSION = [
    ("therapist", "Side-lying for me. Let's see where that right hip is. Push up into my hand."),
    ("therapist", "That's a four out of five now."),
    ("therapist", "Clamshells with the blue band. Three sets of fifteen, each side."),
    ("patient", "Blue is definitely harder."),
    ("therapist", "Next, single-leg bridges. Three sets of ten on each leg."),
    ("therapist", "Keep your pelvis level."),
    ("therapist", "Next visit we'll add lateral step-downs off the four-inch box."),
]

NOTE = """Subjective: R patellofemoral pain syndrome. Pain 1/10 on arrival.
Objective: Hip MMT R: abduction 4/5.
Ther ex (97110, 20 min): clamshells with blue band 3x15 each side; single-leg bridges 3x10 each leg.
Assessment: Tolerated progression.
Plan: Continue 2x/week."""


def _ctx(note_text: str, turns=SESSION):
    record = make_record(note=note_text, turns=turns, diagnosis=PATIENT.diagnosis)
    record = record.model_copy(update={"patient": PATIENT})
    note = facts.parse_note(note_text, PATIENT)
    return make_context(
        record, note=note, transcript_facts=facts.extract_from_transcript(record.transcript, record)
    )


@pytest.mark.parametrize(
    "note_text, expected",
    [
        pytest.param(
            NOTE.replace(
                "single-leg bridges 3x10 each leg",
                "single-leg bridges 3x10 each leg; lateral step-downs off 4-inch box 2x10",
            ),
            True,
            id="GR-UNSUPPORTED-fires-exercise-only-planned",
        ),
        pytest.param(NOTE, False, id="GR-UNSUPPORTED-silent-all-said"),
        pytest.param(
            NOTE.replace("3x15", "3x20"), True, id="GR-UNSUPPORTED-boundary-one-dose-number"
        ),
        pytest.param(
            NOTE.replace("abduction 4/5", "abduction 3+/5"),
            True,
            id="GR-UNSUPPORTED-fires-measure-not-said",
        ),
    ],
)
def test_unsupported_table(note_text, expected):
    assert fires("GR-UNSUPPORTED", _ctx(note_text)) is expected


def test_unsupported_quotes_the_claim_and_says_what_the_transcript_has():
    text = NOTE.replace(
        "single-leg bridges 3x10 each leg",
        "single-leg bridges 3x10 each leg; lateral step-downs off 4-inch box 2x10",
    )
    [finding] = run_rule("GR-UNSUPPORTED", _ctx(text))
    assert finding.message == (
        "The note states 'lateral step-downs off 4-inch box 2x10', but the transcript mentions "
        "it only for a later visit or the home program (\"Next visit we'll add lateral "
        'step-downs off the four-inch box.").'
    )
    assert finding.severity == "block"


def test_unsupported_dose_says_what_the_transcript_has():
    [finding] = run_rule("GR-UNSUPPORTED", _ctx(NOTE.replace("3x15", "3x20")))
    assert "does not support reps 20" in finding.message
    assert "clamshell 3x15, blue band" in finding.message


@pytest.mark.parametrize(
    "turns, expected",
    [
        pytest.param(
            SESSION + [("therapist", "Now wall sits. Hold thirty seconds, three times.")],
            True,
            id="GR-OMITTED-fires-exercise-missing",
        ),
        pytest.param(SESSION, False, id="GR-OMITTED-silent-everything-in-note"),
        pytest.param(
            SESSION
            + [("therapist", "Now turn the knee out against me. External rotation is four plus.")],
            True,
            id="GR-OMITTED-boundary-measure-missing",
        ),
    ],
)
def test_omitted_table(turns, expected):
    assert fires("GR-OMITTED", _ctx(NOTE, turns)) is expected


def test_omitted_lists_what_is_missing():
    turns = SESSION + [
        ("therapist", "Now turn the knee out against me. External rotation is four plus.")
    ]
    [finding] = run_rule("GR-OMITTED", _ctx(NOTE, turns))
    assert finding.message == (
        "Performed in the session but missing from the note: hip external rotation MMT right 4+/5."
    )
    assert finding.severity == "warn"


def test_grounding_needs_a_transcript():
    note = facts.parse_note(NOTE, PATIENT)
    ctx = make_context(make_record(note=NOTE), note=note)
    assert not fires("GR-UNSUPPORTED", ctx) and not fires("GR-OMITTED", ctx)


def test_empty_transcript_gives_no_error():
    record = make_record(note=NOTE, turns=[])
    ctx = make_context(
        record,
        note=facts.parse_note(NOTE, PATIENT),
        transcript_facts=facts.extract_from_transcript(record.transcript, record),
    )
    assert run_rule("GR-UNSUPPORTED", ctx) == [] and run_rule("GR-OMITTED", ctx) == []


_WEIGHT_SESSION = [
    ("therapist", "Long arc quads with the one and a half kilo weight, two sets of twelve."),
    ("patient", "Twelve. And twelve."),
]


@pytest.mark.parametrize(
    "load, expected", [("1.5 kg", False), ("2 kg", True)], ids=["said-load", "other-amount"]
)
def test_a_load_amount_other_than_the_one_said_is_unsupported(load, expected):
    note = NOTE.replace(
        "clamshells with blue band 3x15 each side; single-leg bridges 3x10 each leg",
        f"LAQ {load} 2x12",
    )
    assert fires("GR-UNSUPPORTED", _ctx(note, turns=SESSION[:2] + _WEIGHT_SESSION)) is expected
