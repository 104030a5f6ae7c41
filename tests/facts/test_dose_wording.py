"""Spoken dose wording that generalises beyond the dev transcripts (synthetic phrases)."""

from __future__ import annotations

import pytest

from sidekick.facts.doses import parse_dose
from sidekick.facts.numbers import words_to_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a dozen squats", "12 squats"),
        ("two dozen", "24"),
        ("speed was point seven one", "speed was 0.71"),
        ("at this point two of them", "at this point 2 of them"),
        ("one point five", "1.5"),
        ("one hundred and five", "105"),
    ],
    ids=["a-dozen", "two-dozen", "leading-point", "point-as-a-word", "one-point-five",
         "hundred-and"],
)
def test_spoken_number_forms_become_digits(text, expected):
    assert words_to_digits(text) == expected


def _fields(sentence: str) -> dict:
    dose = parse_dose(sentence)
    return {k: v for k, v in vars(dose).items() if k != "order" and v not in (None, False)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Four by eight.", {"sets": 4, "reps": 8}),
        ("Eleven, three-second hold.", {"reps": 11, "hold_s": 3.0}),
        ("Nine, each leg.", {"reps": 9, "side": "bilateral"}),
        ("Six.", {"bare": 6}),
        ("Four practice runs.", {"reps": 4}),
        ("Eight head turns, two sets.", {"reps": 8, "sets": 2}),
        ("Onto the box, the six inch one.", {"load": "6 inch box"}),
        ("Four lengths of the gym.", {"reps": 4}),
        ("Three rounds of 100 feet.", {"rounds": 3}),
        ("Five thirty-second holds.", {"sets": 5, "hold_s": 30.0}),
        ("Up the four inch curb.", {"load": "4 inch curb"}),
    ],
    ids=["n-by-m", "count-then-hold", "count-then-side", "bare-count", "practice-runs",
         "adjective-count-noun", "inch-one", "lengths-of", "rounds-of-a-distance",
         "n-timed-holds", "inch-curb"],
)
def test_spoken_dose_forms_are_read(sentence, expected):
    assert _fields(sentence) == expected


@pytest.mark.parametrize(
    "sentence", ["We'll stop at nine.", "Both sets to nine then.", "All the sets to nine."],
    ids=["stop-at", "both-sets-to", "all-sets-to"],
)
def test_stopping_early_corrects_the_count(sentence):
    dose = parse_dose(sentence)
    assert (dose.correction, dose.make_that) == (True, 9.0)


def test_stopping_at_a_time_is_not_a_count_correction():
    assert parse_dose("Stop at twenty seconds.").make_that is None


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [("Nine bicep curls with two pounds.", 9), ("Three pound ankle weights on.", None),
     ("Two more sets of those.", None)],
    ids=["count-before-name", "load-not-count", "sets-not-count"],
)
def test_a_count_before_a_named_activity(sentence, counted):
    assert parse_dose(sentence).counted == counted


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Forty seconds times two.", {"seconds": 40.0, "times": 2}),
        ("Hold half a minute.", {"hold_s": 30.0}),
        ("Bike for a minute and a half.", {"seconds": 90.0}),
        ("Okay, third set.", {"min_sets": 3}),
        ("Sixteen side steps in the hallway.", {"counted": 16}),
    ],
    ids=["seconds-times-n", "half-a-minute", "minute-and-a-half", "ordinal-set",
         "count-before-in"],
)
def test_more_spoken_dose_forms(sentence, expected):
    assert _fields(sentence) == expected


def test_sit_for_a_minute_is_not_a_dose():
    assert not parse_dose("Take a seat for a minute.").has_dose()


@pytest.mark.parametrize(
    ("sentence", "load"),
    [("Put the foam cuff on your left wrist.", "foam wrist cuff"),
     ("Take the foam dumbbells down into the water.", "foam dumbbells")],
    ids=["cuff-on-a-limb", "foam-dumbbells"],
)
def test_pool_equipment_is_the_load(sentence, load):
    assert parse_dose(sentence).load == load


@pytest.mark.parametrize(
    ("sentence", "sets", "reps"),
    [("Dead bugs. Twelve, times two.", 2, 12),
     ("Hops, both feet, twenty, times three.", 3, 20)],
    ids=["count-comma-times", "count-comma-times-with-side"],
)
def test_a_count_then_times_n_is_sets_by_reps(sentence, sets, reps):
    dose = parse_dose(sentence)
    assert (dose.sets, dose.reps) == (sets, reps)


@pytest.mark.parametrize(
    "sentence",
    ["Three sets of eight. Wait, let's do ten, you look steady.",
     "Three sets of eight. Actually, let's do ten."],
    ids=["wait-lets-do", "actually-lets-do"],
)
def test_a_spoken_correction_with_lets_do_replaces_the_count(sentence):
    dose = parse_dose(sentence)
    assert (dose.correction, dose.make_that) == (True, 10)


@pytest.mark.parametrize(
    "sentence", ["Let's drop it to eight.", "Bring it down to eight, your form is slipping."],
    ids=["drop-it-to", "bring-it-down-to"],
)
def test_lowering_the_count_is_a_correction(sentence):
    dose = parse_dose(sentence)
    assert (dose.correction, dose.make_that) == (True, 8.0)


def test_a_step_height_without_the_word_step():
    assert parse_dose("Let's go up to the eight inch.").load == "8 inch step"


def test_a_count_of_an_exercise_named_sets():
    assert parse_dose("Fifteen glute sets, hold three.").reps == 15


@pytest.mark.parametrize(
    ("sentence", "times"),
    [("Then the left in front. Three each.", 3), ("Band rows, ten each, two sets.", 10)],
    ids=["holds-each", "reps-each"],
)
def test_n_each_alone_is_a_count(sentence, times):
    assert parse_dose(sentence).times == times


def test_metric_and_decimal_loads_keep_their_value():
    """'0.5 kg' is not split at its decimal point; 'half a kilo' is 0.5 (synthetic turns)."""
    from sidekick.facts.exercises import extract_exercises
    from sidekick.models import Transcript, Turn

    def load(text: str) -> list:
        turns = [Turn(speaker="therapist", start=0.0, text=text)]
        return [e.load for e in extract_exercises(Transcript(turns=turns))]

    assert load("Now wrist curls with the 0.5 kg dumbbell, two sets of twelve.") == [
        "0.5 kg dumbbell"]
    assert load("Now wrist curls with the half kilo dumbbell, two sets of twelve.") == [
        "0.5 kg dumbbell"]
    assert load("Now wrist curls with a one and a half kilo dumbbell, 2 x 10.") == [
        "1.5 kg dumbbell"]
    assert load("Now wrist curls with the 2.5 pound weight, 2 x 10.") == ["2.5 lb weight"]


def test_repeated_timed_bouts_in_minutes_or_said_with_by_are_sets_of_holds():
    """'One minute, three times' and 'thirty seconds by three' (synthetic turns)."""
    from sidekick.facts.exercises import extract_exercises
    from sidekick.models import Transcript, Turn

    def dose(text: str) -> list:
        turns = [Turn(speaker="therapist", start=0.0, text=text)]
        return [(e.sets, e.reps, e.hold_s) for e in extract_exercises(Transcript(turns=turns))]

    assert dose("Now gaze stabilization, keep the letter clear. One minute, three times.") == [
        (3, None, 60.0)]
    assert dose("Now foam stance, feet together, eyes closed. Thirty seconds by three.") == [
        (3, None, 30.0)]


@pytest.mark.parametrize(
    "sentence",
    ["Band TKE, fifteen, then fifteen more.", "Weight shifts at the bars, 15, then 15 again."],
    ids=["then-n-more", "then-n-again"],
)
def test_a_count_then_the_same_count_again_is_two_sets(sentence):
    dose = parse_dose(sentence)
    assert (dose.sets, dose.reps) == (2, 15)


def test_seconds_each_after_a_count_is_the_hold_per_rep():
    """'fifteen of them, five seconds each' (synthetic turn); 'each side' stays a side."""
    from sidekick.facts.exercises import extract_exercises
    from sidekick.models import Transcript, Turn

    turns = [Turn(speaker="therapist", start=0.0,
                  text="Okay, long loud ah, fifteen of them, five seconds each.")]
    got = [(e.sets, e.reps, e.hold_s) for e in extract_exercises(Transcript(turns=turns))]
    assert got == [(1, 15, 5.0)]


def test_a_hold_then_times_n_is_not_a_count_times_n():
    dose = parse_dose("Bridges, ten reps, hold for five, times three.")
    assert (dose.reps, dose.hold_s, dose.times) == (10, 5.0, 3)


@pytest.mark.parametrize(
    ("sentence", "seconds"),
    [("Bike for a quarter of an hour, level three.", 900), ("Walk for half an hour.", 1800)],
    ids=["quarter-hour", "half-hour"],
)
def test_parts_of_an_hour_are_a_duration(sentence, seconds):
    assert parse_dose(sentence).duration_s == seconds
