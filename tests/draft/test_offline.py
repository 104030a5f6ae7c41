"""The offline drafter: structured, grounded by construction, says what is missing."""

from __future__ import annotations

import re

import pytest
from draft_helpers import short_facts, short_record
from hypothesis import given
from hypothesis import strategies as st

from sidekick.draft import DraftResult, draft_note
from sidekick.draft.compose import exercise_phrase, measure_phrase, minute_totals
from sidekick.draft.offline import BillingLookup, OfflineDrafter
from sidekick.models import BillingLine, Exercise, Measure, Pain, SoapFacts

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _numbers(text: str) -> set[float]:
    return {float(n) for n in _NUMBER.findall(text)}


def _allowed_numbers(record, facts: SoapFacts) -> set[float]:
    """Every number the note may contain: the facts', the billing's and the record's."""
    allowed: set[float] = set()
    allowed |= _numbers(facts.model_dump_json())
    allowed |= _numbers(record.model_dump_json(exclude={"transcript"}))
    timed, total = minute_totals(record.billing, lambda c: c != "97161")
    allowed |= {float(timed or 0), float(total or 0), 10.0}  # "/10" of a pain score
    return allowed


def test_draft_is_structured_and_names_its_drafter(settings, record, fake_extractor):
    drafter = OfflineDrafter(settings, extractor=fake_extractor)
    result = draft_note(record.transcript, record, settings, drafter=drafter)
    assert isinstance(result, DraftResult)
    assert result.drafter == "offline" and result.fallback_reason is None
    assert result.attempts == 1 and result.latency_s >= 0
    note = result.note
    assert note.structured and note.provenance.drafter == "offline"
    assert note.provenance.prompt_id is None  # no prompt: templates only
    assert [e.name for e in note.exercises] == ["straight leg raise"]
    assert fake_extractor.calls == 1


def test_note_text_writes_no_number_outside_facts_billing_and_record(
        settings, record, fake_extractor):
    note = OfflineDrafter(settings, extractor=fake_extractor).draft(record.transcript, record)
    invented = _numbers(note.text()) - _allowed_numbers(record, short_facts())
    assert invented == set()


def test_totals_count_timed_codes_only_for_timed_minutes(settings, record, fake_extractor):
    note = OfflineDrafter(settings, extractor=fake_extractor).draft(record.transcript, record)
    assert (note.total_timed_minutes, note.total_treatment_minutes) == (23, 43)
    assert "Total timed minutes 23; total treatment minutes 43." in note.objective


def test_totals_are_left_out_when_a_line_has_no_minutes(settings, fake_extractor):
    record = short_record(billing=[{"cpt": "97110", "units": 2, "modifiers": ["GP"]}])
    note = OfflineDrafter(settings, extractor=fake_extractor).draft(record.transcript, record)
    assert note.total_timed_minutes is None and "Total timed" not in note.objective
    assert note.to_add == [
        "Add the minutes of every billed code: this payer needs total timed and total "
        "treatment minutes."
    ]


def test_complete_session_needs_nothing_added(settings, record, fake_extractor):
    note = OfflineDrafter(settings, extractor=fake_extractor).draft(record.transcript, record)
    assert note.to_add == []
    assert "Right knee osteoarthritis (M17.11)" in note.subjective
    assert "Pain 4/10 on arrival." in note.subjective
    assert "R knee flexion AROM 110 deg" in note.objective
    assert "straight leg raise R 3x10" in note.objective
    assert ("Straight leg raise address the functional limitations reported (Stairs are hard)."
            in note.assessment)


def test_session_without_essentials_lists_what_to_add(settings):
    record = short_record(diagnosis="")
    record = record.model_copy(update={"patient": record.patient.model_copy(
        update={"icd10": []})})
    bare = SoapFacts(exercises=[Exercise(name="bridge")])
    drafter = OfflineDrafter(settings, extractor=lambda t, r: bare)
    note = drafter.draft(record.transcript, record)
    assert note.to_add == [
        "Add the treated diagnosis and body region (none in the visit record).",
        "Add the functional limitation these exercises address (none was said).",
        "Add an objective measure taken this visit (ROM, MMT, pain score, functional test); "
        "none was said.",
        "Add the dose for 'bridge' (sets x reps, or hold/duration, and load if used); it was "
        "not said.",
        "Add the skilled element (cues, progression or regression, clinical reasoning); none "
        "was found.",
    ]


@pytest.mark.parametrize(
    ("exercise", "text"),
    [
        (Exercise(name="quad set", side="left", sets=2, reps=10, hold_s=5),
         "quad set L 2x10 with 5 sec hold"),
        (Exercise(name="recumbent bike", sets=1, hold_s=480, load="level 1"),
         "recumbent bike 1 set 8 min, level 1"),
        (Exercise(name="plank", hold_s=30), "plank 30 sec"),
        (Exercise(name="long arc quad", sets=2, reps=10, load="1 lb ankle weight"),
         "long arc quad 2x10, 1 lb ankle weight"),
        (Exercise(name="walk", duration_s=360.0), "walk 6 min"),
    ],
    ids=["hold", "bout-in-minutes", "hold-only", "load", "duration"],
)
def test_exercise_phrase_writes_the_dose_as_said(exercise, text):
    assert exercise_phrase(exercise) == text


@pytest.mark.parametrize(
    ("measure", "text"),
    [
        (Measure(name="knee extension AROM", side="left", value=-6.0, unit="deg"),
         "L knee extension AROM -6 deg"),
        (Measure(name="hip abduction MMT", value="4-", unit="/5"), "hip abduction MMT 4-/5"),
        (Measure(name="TUG", value=13.4, unit="s"), "TUG 13.4 s"),
    ],
)
def test_measure_phrase(measure, text):
    assert measure_phrase(measure) == text


def test_pain_only_counts_as_an_objective_measure(settings, record):
    facts = short_facts().model_copy(update={"measures": [], "pain": Pain(before=3)})
    note = OfflineDrafter(settings, extractor=lambda t, r: facts).draft(record.transcript, record)
    assert not any("objective measure" in item for item in note.to_add)


_doses = st.one_of(st.none(), st.integers(min_value=1, max_value=60))
_seconds = st.one_of(st.none(), st.sampled_from([5.0, 10.0, 30.0, 45.0, 60.0, 90.0, 120.0, 480.0]))


@given(sets=_doses, reps=_doses, hold=_seconds, duration=_seconds,
       load=st.one_of(st.none(), st.sampled_from(["red band", "2 lb ankle weight", "level 3"])))
def test_exercise_phrase_writes_only_the_dose_numbers(sets, reps, hold, duration, load):
    ex = Exercise(name="bridge", sets=sets, reps=reps, hold_s=hold, duration_s=duration,
                  load=load)
    allowed = _numbers(ex.model_dump_json())
    allowed |= {v / 60 for v in allowed}  # a bout in whole minutes is written in minutes
    assert _numbers(exercise_phrase(ex)) <= allowed


@given(st.lists(st.tuples(st.sampled_from(["97110", "97140", "97161", "97150", "97530"]),
                          st.integers(min_value=0, max_value=90)), min_size=1, max_size=6))
def test_minute_totals_split_timed_from_all_minutes(lines):
    billing = [BillingLine(cpt=code, minutes=minutes) for code, minutes in lines]
    timed, total = minute_totals(billing, lambda code: code in {"97110", "97140", "97530"})
    assert total == sum(m for _, m in lines)
    assert timed == sum(m for c, m in lines if c in {"97110", "97140", "97530"})
    assert 0 <= timed <= total


def test_billing_lookup_reads_the_billing_engines_tables(settings):
    lookup = BillingLookup(settings)
    assert lookup.is_timed("97110") and lookup.is_timed(" 97140 ")
    assert not lookup.is_timed("97161") and not lookup.is_timed("97150")
    assert lookup.requires_totals("Medicare Part B")


def test_billing_lookup_without_tables_uses_the_built_in_lists():
    lookup = BillingLookup(None)
    assert lookup.is_timed("97530") and not lookup.is_timed("97166")
    assert lookup.requires_totals("medicare") and not lookup.requires_totals("commercial")


def test_empty_session_still_gives_four_sections_and_a_to_do_list(settings):
    record = short_record(billing=[])
    note = OfflineDrafter(settings, extractor=lambda t, r: SoapFacts()).draft(
        record.transcript, record)
    assert note.objective == "No exercise or measure was identified in the session."
    assert note.plan == "Continue per plan of care."
    assert note.assessment.startswith("To be completed by the treating clinician")
    assert len(note.to_add) == 3
