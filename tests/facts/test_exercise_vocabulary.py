"""The lexicon names exercises beyond orthopaedic PT: SLP, jaw, vestibular, hand, pool, tasks.

Each row is a synthetic therapist turn (not case text): the exercise it names and its dose.
"""

from __future__ import annotations

import pytest

from sidekick.facts.exercises import extract_exercises
from sidekick.models import Transcript, Turn


def _names(*lines: str) -> list[tuple]:
    transcript = Transcript(turns=[Turn(speaker="therapist", start=float(i), text=line)
                                   for i, line in enumerate(lines)])
    return [(e.name, e.sets, e.reps, e.hold_s if e.hold_s is not None else e.duration_s)
            for e in extract_exercises(transcript)]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ("Next, effortful swallows, squeeze hard. Three sets of five.",
         ("effortful swallow", 3, 5, None)),
        ("Now the Masako, tongue between the teeth, then swallow. Eight swallows.",
         ("Masako maneuver", 1, 8, None)),
        ("Mendelsohn now, hold it at the top two seconds. Six of them.",
         ("Mendelsohn maneuver", 1, 6, 2.0)),
        ("Head lifts, lie flat and lift to look at your toes. Hold thirty seconds, two times.",
         ("Shaker exercise", 2, None, 30.0)),
        ("Okay, jaw isometrics, five holds of six seconds.",
         ("isometric resisted mouth opening", 5, None, 6.0)),
        ("Now open with the tongue on the palate, only as far as it stays. Eight reps.",
         ("controlled mouth opening with tongue on palate", 1, 8, None)),
        ("Now the eye exercise, keep the letter clear while you turn. Forty-five seconds, twice.",
         ("gaze stabilization", 2, None, 45.0)),
        ("Foam now, feet apart, turn your head side to side, eight turns, three sets.",
         ("foam stance with head turns", 3, 8, None)),
        ("Elbow bends, bend and straighten twelve times.",
         ("elbow flexion and extension AROM", 1, 12, None)),
        ("Hand pumps, make a fist and open wide, fifteen.", ("hand pumps", 1, 15, None)),
        ("Thumb IP blocking, two sets of eight.", ("thumb IP joint blocking", 2, 8, None)),
        ("Start with water walking across the shallow end, six minutes.",
         ("water walking", 1, None, 360.0)),
        ("Towel scrunches, pull the towel in with the toes, two sets of ten.",
         ("towel scrunches", 2, 10, None)),
        ("Seated calf raises, two sets of twenty.", ("seated calf raise", 2, 20, None)),
        ("Okay, the car next. Four practice runs, swing the legs in together.",
         ("car transfer practice", 1, 4, None)),
    ],
    ids=["effortful-swallow", "masako", "mendelsohn", "shaker", "jaw-isometrics",
         "tongue-up-opening", "eye-exercise", "foam-head-turns", "elbow-bends", "hand-pumps",
         "thumb-blocking", "water-walking", "towel-scrunch-not-short-foot", "seated-calf-raise",
         "car-transfer"],
)
def test_therapy_vocabulary_is_recognised(turn, expected):
    assert _names(turn) == [expected]


@pytest.mark.parametrize(
    ("turn", "name"),
    [
        ("Kegels now, ten quick flicks, then rest.", "pelvic floor contraction"),
        ("Pursed lip breathing while you walk, two minutes.", "pursed lip breathing"),
        ("Lat pulldowns, thirty pounds, three sets of ten.", "lat pulldown"),
        ("Marble pickups with the left foot, twenty marbles.", "marble pickup"),
        ("External rotation at ninety with the red band, two sets of twelve.",
         "external rotation at 90 degrees"),
        ("Ceiling punches with a two pound weight, fifteen.", "serratus punch"),
        ("Prone props, three holds of a minute and a half.", "prone on elbows"),
        ("Tongue lateralization, ten each side.", "oral motor exercises"),
    ],
    ids=["kegels", "pursed-lip", "lat-pulldown", "marbles", "er-at-90", "ceiling-punch",
         "prone-props", "oral-motor"],
)
def test_more_therapy_vocabulary_is_named(turn, name):
    assert [n[0] for n in _names(turn)] == [name]


def test_a_neck_head_lift_stays_a_chin_tuck():
    assert [n[0] for n in _names("Chin tucks with a head lift, ten reps.")] == ["chin tuck"]


def test_shifting_weight_as_a_cue_is_not_weight_shifts():
    assert [n[0] for n in _names("Sit to stand, shift your weight onto your legs, two sets "
                                 "of eight.")] == ["sit to stand"]


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["Now lean on your left hand on the mat, elbow straight. "
          "Hold twenty seconds, five times."],
         "upper extremity weight bearing"),
        (["Now spoon the rice from the bowl to the plate, twelve times."], "self-feeding practice"),
        (["Now the band around your fingertips. Open the fingers against it, fifteen."],
         "finger extension with rubber band"),
        (["Next, wringing out the dish towel, six times."], "towel wringing"),
        (["Elbow straightening with the two pound cuff weight, two sets of eight."],
         "triceps extension"),
        (["Now, bend down to touch the floor, then sit up and look at the ceiling. Eight times."],
         "habituation exercises"),
        (["Now your functional phrases, loud, twelve of them."], "functional phrases"),
        (["Okay, daily exercises. Long loud ah, ten of them."], "sustained phonation"),
        (["Now bend just the tip of the thumb while I hold the base. Ten times."],
         "thumb IP joint blocking"),
        (["Now wrist side to side with the one pound weight, fifteen reps."],
         "radial and ulnar deviation"),
        (["Now press your thumb out against my finger, hold five seconds, six times."],
         "isometric thumb abduction"),
    ],
    ids=["ue-weight-bearing", "spoon-transfer", "finger-ext-band", "wringing", "elbow-straighten",
         "habituation", "functional-phrases", "daily-exercises-is-today", "thumb-ip-blocking",
         "wrist-deviation", "thumb-isometric"],
)
def test_ot_slp_vestibular_tasks_are_named(lines, name):
    """Synthetic turns: tasks said in plain words, and 'daily exercises' as today's work."""
    assert [n[0] for n in _names(*lines)] == [name]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [("TRX rows, 3 by 12.", ("suspension row", 3, 12, None)),
     ("Sled push, 20 kilos, 4 times down the turf.", ("sled push", 1, 4, None))],
    ids=["trx-row-is-not-a-band-row", "sled-push"],
)
def test_gym_equipment_exercises_are_named(turn, expected):
    assert _names(turn) == [expected]


def test_stand_to_sit_is_the_sit_to_stand_exercise():
    assert _names("Now stand to sit and back up from the mat, no hands. Three sets of five.") == [
        ("sit to stand", 3, 5, None)]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ("Wheelies now. Pop the casters and hold twenty seconds, five times.",
         ("wheelie practice", 5, None, 20.0)),
        ("Now curb ascent, the four inch curb. Six attempts.", ("curb training", 1, 6, None)),
        ("Then the ramp, up and down, three times.", ("ramp negotiation", 1, 3, None)),
        ("Level transfers with the slide board, wheelchair to mat, eight reps.",
         ("wheelchair transfer practice", 1, 8, None)),
        ("Depression lifts on the armrests, hold 5 seconds, 3 sets of ten.",
         ("wheelchair push-up", 3, 10, 5.0)),
    ],
    ids=["wheelie", "curb-ascent", "ramp", "level-transfer", "depression-lift"],
)
def test_wheelchair_skills_are_known_exercises(turn, expected):
    assert _names(turn) == [expected]
