"""Fact scoring: one-to-one matching, dose equality, load normalising (eval/scoring.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.scoring import (
    match_exercises,
    micro_average,
    normalise_load,
    normalise_value,
    score_exercises,
    score_measures,
)
from sidekick.models import Exercise, GoldExercise, GoldMeasure, Measure


def _ex(name, sets=None, reps=None, hold_s=None, load=None, duration_s=None):
    return Exercise(name=name, sets=sets, reps=reps, hold_s=hold_s, load=load,
                    duration_s=duration_s)


def _gold(name, sets=None, reps=None, hold_s=None, load=None):
    return GoldExercise(name=name, sets=sets, reps=reps, hold_s=hold_s, load=load)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("red band", "Red TheraBand"),
        ("red band", "red theraband"),
        ("2 lb ankle weight", "2-pound ankle weight"),
        ("2 lb ankle weight", "2 lbs weights"),
        ("level 3", "Level three"),
        ("6-inch step", "6 inch box"),
        ("red FlexBar", "red rubber bar"),
        ("yellow putty", "Yellow Theraputty"),
        ("16 kg", "16 kilograms"),
    ],
    ids=["band-case", "theraband", "pound-hyphen", "implement-word", "level-word", "step-box",
         "flexbar", "putty", "kilograms"],
)
def test_loads_that_are_the_same_normalise_equal(a, b):
    assert normalise_load(a) == normalise_load(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("red band", "green band"), ("2 lb ankle weight", "3 lb ankle weight"),
     ("level 3", "level 4"), ("red band", "red putty")],
    ids=["colour", "amount", "level", "kind"],
)
def test_different_loads_normalise_differently(a, b):
    assert normalise_load(a) != normalise_load(b)


@pytest.mark.parametrize("text", [None, "", "no weight", "bodyweight", "Body weight", "none"],
                         ids=["none", "empty", "no-weight", "bodyweight", "body-weight", "word"])
def test_no_load_normalises_to_none(text):
    assert normalise_load(text) is None


@given(st.text(max_size=30))
def test_normalise_load_is_idempotent(text):
    once = normalise_load(text)
    assert once is None or normalise_load(once) == once


def test_matching_is_one_to_one_best_pair_first():
    pred = [_ex("bridge"), _ex("single leg bridge")]
    gold = [_gold("single-leg bridge with heel on box"), _gold("bridge")]
    pairs = [(p.name, g.name) for p, g, _ in match_exercises(pred, gold)]
    assert sorted(pairs) == [("bridge", "bridge"),
                             ("single leg bridge", "single-leg bridge with heel on box")]


def test_one_prediction_matches_only_one_gold_exercise():
    score = score_exercises([_ex("clamshell", 2, 12)],
                            [_gold("clamshell", 2, 12), _gold("clamshells", 3, 10)])
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)


def test_synonyms_match_and_an_exact_dose_counts_correct():
    score = score_exercises([_ex("SLR", 3, 10, load="2 lb weight")],
                            [_gold("straight leg raise", 3, 10, load="2 lb ankle weight")])
    assert (score.tp, score.dose_correct, score.dose_total, score.errors) == (1, 1, 1, [])


def test_a_timed_bout_is_compared_as_the_hold():
    score = score_exercises([_ex("bike", 1, duration_s=480, load="level 3")],
                            [_gold("recumbent bike", 1, hold_s=480, load="Level 3")])
    assert score.dose_accuracy == 1.0


@pytest.mark.parametrize(
    ("pred", "error"),
    [
        (_ex("bridge", 2, 10), "bridge: sets 2 != gold 3"),
        (_ex("bridge", 3, 12), "bridge: reps 12 != gold 10"),
        (_ex("bridge", 3, 10, hold_s=5), "bridge: hold 5.0 != gold None"),
        (_ex("bridge", 3, 10, load="red band"), "bridge: load 'red band' != gold None"),
    ],
    ids=["sets", "reps", "hold", "load"],
)
def test_any_dose_difference_makes_the_dose_wrong_and_says_why(pred, error):
    score = score_exercises([pred], [_gold("bridge", 3, 10)])
    assert (score.dose_correct, score.errors) == (0, [error])


def test_missed_and_extra_exercises_are_counted_and_named():
    score = score_exercises([_ex("bird dog", 2, 10)], [_gold("dead bug", 3, 10)])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)
    assert score.errors == ["missed: dead bug", "extra: bird dog"]
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_micro_average_pools_counts_over_cases():
    a = score_exercises([_ex("bridge", 3, 10)], [_gold("bridge", 3, 10)])
    b = score_exercises([_ex("clamshell", 2, 10), _ex("plank", 1)], [_gold("clamshell", 2, 12)])
    total = micro_average([a, b])
    assert (total.tp, total.fp, total.fn, total.correct, total.total) == (2, 1, 0, 1, 2)
    assert total.precision == pytest.approx(2 / 3) and total.dose_accuracy == 0.5


def test_empty_prediction_and_gold_score_perfectly():
    score = score_exercises([], [])
    assert (score.precision, score.recall, score.dose_accuracy) == (1.0, 1.0, 1.0)


# --------------------------------------------------------------------------- measures


@pytest.mark.parametrize(
    ("value", "normal"),
    [("4-", "4-"), ("4 minus", "4-"), ("four minus", "4-"), ("4-/5", "4-"), ("4+", "4+"),
     (95, 95.0), ("95", 95.0)],
    ids=["grade", "minus-word", "spelled", "over-five", "plus", "int", "numeric-string"],
)
def test_measure_values_normalise(value, normal):
    assert normalise_value(value) == normal


def test_measures_match_by_name_and_side_and_compare_values():
    pred = [Measure(name="knee flexion AROM", side="left", value=95.004, unit="deg"),
            Measure(name="knee flexion AROM", side="right", value=120, unit="deg"),
            Measure(name="hip abduction MMT", side="left", value="4 minus")]
    gold = [GoldMeasure(name="knee flexion AROM", side="left", value=95, unit="deg"),
            GoldMeasure(name="knee flexion AROM", side="right", value=125, unit="deg"),
            GoldMeasure(name="hip abduction MMT", side="left", value="4-", unit="/5")]
    score = score_measures(pred, gold)
    assert (score.tp, score.value_correct, score.value_total) == (3, 2, 3)
    assert score.errors == ["knee flexion AROM (right): value 120.0 != gold 125.0"]


def test_a_measure_on_the_wrong_side_does_not_match():
    score = score_measures([Measure(name="knee flexion AROM", side="left", value=95)],
                           [GoldMeasure(name="knee flexion AROM", side="right", value=95)])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)
