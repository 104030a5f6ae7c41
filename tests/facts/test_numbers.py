"""Number words and the dose grammar (sidekick.facts.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sidekick.facts.doses import parse_dose
from sidekick.facts.numbers import words_to_digits, words_to_number

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _say(n: int, hyphen: bool = True, with_and: bool = False) -> str:
    """English words for 0..999 (the way a therapist would say them)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = "a hundred" if hundreds == 1 and with_and else f"{_ONES[hundreds]} hundred"
    if not rest:
        return head
    return f"{head} {'and ' if with_and else ''}{_say(rest, hyphen)}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("fifteen", 15),
        ("eighty-eight", 88),
        ("eighty eight", 88),
        ("a hundred and ten", 110),
        ("one hundred twenty", 120),
        ("two and a half", 2.5),
        ("thirteen point four", 13.4),
        ("one thirty-two", 132),
        ("one forty-five", 145),
        ("45", 45),
    ],
    ids=["teen", "hyphen", "space", "a-hundred-and", "hundred", "half", "point", "goniometry",
         "goniometry-2", "digits"],
)
def test_number_words_give_their_value(text, value):
    assert words_to_number(text) == value


@pytest.mark.parametrize("text", ["one two", "sets", "", "and ten"],
                         ids=["two-numbers", "not-a-number", "empty", "leading-and"])
def test_text_that_is_not_one_number_gives_none(text):
    assert words_to_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three sets of ten", "3 sets of 10"),
        ("One, two, three.", "1, 2, 3."),
        ("the six-inch step", "the 6-inch step"),
        ("twenty-five pounds", "25 pounds"),
        ("step-ups and the one where you lie", "step-ups and the 1 where you lie"),
    ],
    ids=["dose", "counting-stays-separate", "hyphen-unit", "compound", "other-words-kept"],
)
def test_words_to_digits_rewrites_only_numbers(text, expected):
    assert words_to_digits(text) == expected


@given(st.integers(min_value=0, max_value=999), st.booleans(), st.booleans())
def test_spelled_numbers_round_trip(n, hyphen, with_and):
    assert words_to_number(_say(n, hyphen, with_and)) == n


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=60))
def test_sets_of_reps_in_words_round_trip(sets, reps):
    dose = parse_dose(f"{_say(sets)} sets of {_say(reps)}")
    assert (dose.sets, dose.reps) == (sets, reps)


def _fields(dose, names):
    return {n: getattr(dose, n) for n in names}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Three sets of ten.", {"sets": 3, "reps": 10}),
        ("clamshells 3x15 each side", {"sets": 3, "reps": 15, "side": "bilateral"}),
        ("sleeper stretch 3 x 30 sec", {"sets": 3, "hold_s": 30.0}),
        ("Hold ten seconds, five times.", {"hold_s": 10.0, "times": 5}),
        ("hold for five. Two sets of ten.", {"hold_s": 5.0, "sets": 2, "reps": 10}),
        ("a 5 second hold", {"hold_s": 5.0}),
        ("Thirty seconds, three times.", {"seconds": 30.0, "times": 3}),
        ("Three rounds of thirty seconds.", {"sets": 3, "hold_s": 30.0}),
        ("Bike first, six minutes, level six.", {"duration_s": 360.0, "load": "level 6"}),
        ("Ninety pounds, three sets of ten.", {"load": "90 lb", "sets": 3, "reps": 10}),
        ("rows with the red band", {"load": "red band"}),
        ("Step-ups on the six-inch step, left leg leading.", {"load": "6 inch step",
                                                              "side": "left"}),
        ("Ten, rest, ten more.", {"sets": 2, "reps": 10}),
        ("Eight with the right leg leading, eight with the left, two rounds.",
         {"reps": 8, "rounds": 2, "side": "bilateral"}),
        ("Ten times through, hold each position for three.",
         {"times": 10, "times_through": True, "hold_s": 3.0}),
        ("Eight of them, two sets.", {"times": 8, "sets": 2}),
        ("Three by ten.", {"sets": 3, "reps": 10}),
        ("Three times ten.", {"sets": 3, "reps": 10}),
        ("A set of twelve.", {"sets": 1, "reps": 12}),
        ("Hold for a count of five.", {"hold_s": 5.0}),
        ("Give me ten.", {"times": 10}),
        ("jar opening with gripper x5", {"reps": 5}),
        ("10 reps x 10 sec hold at 24 mmHg", {"reps": 10, "hold_s": 10.0, "load": "24 mmHg"}),
        ("Treadmill, ten minutes at three point oh miles per hour.",
         {"duration_s": 600.0, "load": "3 mph"}),
    ],
    ids=["sets-of", "3x15", "x-seconds", "hold-times", "hold-for", "n-second-hold",
         "seconds-times", "rounds-of-seconds", "timed-bout", "pounds", "band-colour",
         "step-height", "rest-more", "each-leg-rounds", "times-through", "of-them", "by",
         "times-n", "a-set-of", "count-of", "give-me", "x-n", "mmhg", "speed"],
)
def test_dose_phrases_are_read(sentence, expected):
    assert _fields(parse_dose(sentence), expected) == expected


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        ("Rest thirty seconds.", "seconds"),
        ("Fifteen more seconds.", "seconds"),
        ("Straighten all the way, hold for one second at the top.", "hold_s"),
        ("Slow and controlled, two seconds up, two seconds down.", "seconds"),
        ("And every twenty minutes, put it down.", "duration_s"),
        ("Four directions.", "reps"),
        ("Let's go to the twenty pound dumbbells for the last two sets.", "sets"),
    ],
    ids=["rest", "more-seconds", "one-second-pause", "tempo", "every-n-minutes", "directions",
         "last-two-sets"],
)
def test_phrases_that_are_not_a_dose_give_none(sentence, field):
    assert getattr(parse_dose(sentence), field) is None


def test_make_that_is_a_correction_with_its_number():
    dose = parse_dose("Actually, let's make that fifteen, the red looks easy for you.")
    assert (dose.correction, dose.make_that) == (True, 15)


def test_make_that_with_sets_is_a_set_count_not_a_bare_number():
    dose = parse_dose("Actually, let's make that three sets.")
    assert (dose.make_that, dose.sets) == (None, 3)
