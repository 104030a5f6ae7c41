"""The app's adapters between widgets and models (ui/state.py, ui/history.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from sidekick.errors import InputError
from sidekick.models import Exercise, HistoricalNote, Measure, Pain, SoapNote, Transcript, Turn
from ui import history, state


def test_pasted_transcript_keeps_times_and_speakers():
    t = state.parse_pasted("[00:05] Therapist: Bridges, two sets of ten.\nPatient: Fine.\n"
                           "[01:10] Therapist: Clamshells with the red band.")
    assert [(x.start, x.speaker) for x in t.turns] == [
        (5.0, "therapist"), (5.0, "patient"), (70.0, "therapist")]
    assert t.source == "pasted"


def test_empty_paste_names_the_pasted_transcript_not_a_temporary_file():
    with pytest.raises(InputError) as err:
        state.parse_pasted("  \n ")
    assert str(err.value) == (
        "pasted transcript: transcript: holds no text; one turn a line, such as 'Therapist: ...'"
    )


def test_corrected_transcript_table_round_trips():
    t = Transcript(turns=[Turn(speaker="therapist", start=75, text="Three sets of ten.")])
    rows = state.transcript_rows(t)
    assert rows == [{"time": "01:15", "speaker": "therapist", "text": "Three sets of ten."}]
    rows[0]["text"] = "Three sets of twelve."
    rows.append({"time": "1:02:03", "speaker": "patient", "text": "ok"})
    back = state.rows_to_transcript(rows, t)
    assert [(x.start, x.text) for x in back.turns] == [
        (75.0, "Three sets of twelve."), (3723.0, "ok")]


def test_bad_time_in_transcript_table_is_a_clear_error():
    with pytest.raises(InputError) as err:
        state.rows_to_transcript([{"time": "soon", "speaker": "patient", "text": "hi"}],
                                 Transcript())
    assert str(err.value) == (
        "transcript table: row 1: time 'soon' is not mm:ss; write it as 01:15")


def test_exercise_table_edits_keep_the_transcript_span():
    from sidekick.models import Span

    span = Span(source="transcript", text="bridges", turn=0)
    original = [Exercise(name="bridge", sets=2, reps=10, span=span)]
    rows = [{"name": "bridge", "side": None, "sets": 3.0, "reps": 12, "hold_s": float("nan"),
             "load": ""},
            {"name": "clamshell", "side": "left", "sets": 2, "reps": 15, "hold_s": None,
             "load": "red band"},
            {"name": None, "side": None, "sets": None, "reps": None, "hold_s": None, "load": None}]
    out = state.rows_to_exercises(rows, original)
    assert [(e.name, e.sets, e.reps, e.hold_s, e.load, e.span) for e in out] == [
        ("bridge", 3, 12, None, None, span), ("clamshell", 2, 15, None, "red band", None)]


def test_a_word_in_a_number_column_is_a_clear_error():
    with pytest.raises(InputError) as err:
        state.rows_to_exercises([{"name": "bridge", "sets": "three"}], [])
    assert str(err.value) == (
        "exercise table: row 1: sets 'three' is not a number; write a number or leave it empty")


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 0), (29, 0), (30, 1), (89, 1), (90, 2),
                                                    (600, 10)])
def test_timer_rounds_to_the_nearest_minute(seconds, minutes):
    assert state.elapsed_minutes(1000.0, 1000.0 + seconds) == minutes


def test_open_blocks_are_those_without_a_reason():
    from sidekick.models import Finding

    findings = [Finding(rule_id="MN-PARAMS", severity="block", message="m"),
                Finding(rule_id="TU-UNITS", severity="block", message="m"),
                Finding(rule_id="MN-PLAN", severity="warn", message="m")]
    assert state.open_blocks(findings, {"TU-UNITS": "payer contract", "MN-PARAMS": "  "}) == [
        "MN-PARAMS"]


def test_evidence_points_at_the_transcript_turns_it_quotes():
    t = Transcript(turns=[Turn(start=0, text="Good morning."),
                          Turn(start=60, text="Clamshells with the red band, two sets."),
                          Turn(start=90, text="Bridges now.")])
    turns = state.transcript_passage("transcript", "clamshell red band", t, width=0)
    assert [x.start for x in turns] == [60]
    assert [x.start for x in state.transcript_passage("transcript@01:31", None, t, 0)] == [90]


@pytest.mark.parametrize(("value", "number"), [(95, 95.0), ("4", 4.0), ("4+", 4 + 1 / 3),
                                               ("4-/5", 4 - 1 / 3), ("positive", None)])
def test_measures_become_plottable_numbers(value, number):
    got = history.measure_value(Measure(name="m", value=value))
    assert got == pytest.approx(number) if number is not None else got is None


def _note(flexion: float, sets: int, pain: float) -> SoapNote:
    return SoapNote(measures=[Measure(name="knee flexion AROM", side="right", value=flexion,
                                      unit="deg")],
                    exercises=[Exercise(name="SLR", side="right", sets=sets, reps=10,
                                        load="2 lb")],
                    pain=Pain(before=pain))


def test_history_series_and_dose_table_follow_the_visits():
    earlier = [HistoricalNote(note_id=f"v{i}", patient_id="P", date=dt.date(2026, 1, i),
                              note=_note(90 + i, 2 + i, 6 - i)) for i in (1, 2)]
    points = history.visit_points(earlier, _note(100, 3, 3), dt.date(2026, 1, 9))
    series = history.measure_series(points)
    assert series == {"deg": {"knee flexion AROM (R)": [
        ("2026-01-01", 91), ("2026-01-02", 92), ("2026-01-09 (draft)", 100)]}}
    table = history.dose_table(points)
    assert table == [{"exercise": "straight leg raise (R)", "2026-01-01": "3x10, 2 lb",
                      "2026-01-02": "4x10, 2 lb", "2026-01-09 (draft)": "3x10, 2 lb"}]
    assert history.progress_figure(points) is not None
