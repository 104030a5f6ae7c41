"""Measures said the way therapists say them: value-first, units in words, SLP and jaw tests."""

from __future__ import annotations

import pytest

from sidekick.facts.spoken import measures_from_turns
from sidekick.models import Turn


def _turns(*lines: str) -> list[Turn]:
    who = {"t": "therapist", "p": "patient"}
    return [
        Turn(speaker=who[line[0]], start=float(i), text=line[3:])  # type: ignore[arg-type]
        for i, line in enumerate(lines)
    ]


def _facts(turns, **kw) -> set[tuple]:
    return {(m.name, m.side, m.value, m.unit) for m in measures_from_turns(turns, **kw)}


@pytest.mark.parametrize(
    "lines, kw, expected",
    [
        pytest.param(
            [
                "t: Turn your head as far as it goes. Right rotation sixty.",
                "p: Ow.",
                "t: Left rotation sixty-five. Good.",
            ],
            {"diagnosis": "Cervical strain", "region": "neck"},
            {
                ("cervical rotation AROM", "right", 60, "deg"),
                ("cervical rotation AROM", "left", 65, "deg"),
            },
            id="value-after-the-motion",
        ),
        pytest.param(
            ["t: Passive abduction is eighty degrees, stay relaxed."],
            {"diagnosis": "Right rotator cuff repair", "region": "shoulder"},
            {("shoulder abduction PROM", "right", 80, "deg")},
            id="degrees-without-a-measuring-cue",
        ),
        pytest.param(
            ["t: Your left hip adductors are a three out of five, right is four."],
            {"diagnosis": "Left hip OA", "region": "hip"},
            {("hip adduction MMT", "left", "3", "/5"), ("hip adduction MMT", "right", "4", "/5")},
            id="muscle-group-grade-out-of-five",
        ),
        pytest.param(
            ["t: Slump is negative on the left.", "t: Right as well."],
            {"diagnosis": "Low back pain", "region": "lumbar"},
            {
                ("slump test", "left", "negative", "result"),
                ("slump test", "right", "negative", "result"),
            },
            id="special-test-other-side-as-well",
        ),
        pytest.param(
            ["t: Let's do the FOIS, the seven levels.", "t: You're at level six now."],
            {},
            {("Functional Oral Intake Scale", None, 6, "/7")},
            id="fois-level",
        ),
        pytest.param(
            ["t: Now the EAT-10, the ten questions.", "p: Done.", "t: Twelve out of forty."],
            {},
            {("Eating Assessment Tool (EAT-10)", None, 12, "/40")},
            id="score-said-apart-from-name-with-number",
        ),
        pytest.param(
            [
                "t: Tongue pressure now, press the bulb up.",
                "t: Forty, forty-two, forty-one. Best is forty-two kilopascals.",
            ],
            {},
            {("maximum anterior tongue pressure (IOPI)", None, 42, "kPa")},
            id="best-of-trials-kpa",
        ),
        pytest.param(
            ["t: Open as wide as you can for me.", "t: Thirty-eight millimeters."],
            {"diagnosis": "TMJ disorder"},
            {("maximal mouth opening", None, 38, "mm")},
            id="mouth-opening-mm",
        ),
        pytest.param(
            [
                "t: Reach down toward your toes.",
                "t: Fingertips are eighteen centimeters off the floor.",
            ],
            {"diagnosis": "Low back pain", "region": "lumbar"},
            {("fingertip-to-floor distance (lumbar flexion)", None, 18, "cm")},
            id="fingertips-from-floor",
        ),
        pytest.param(
            ["t: Bend the knee for me.", "t: Active flexion one twenty, passive one thirty."],
            {"diagnosis": "Left TKA", "region": "knee"},
            {("knee flexion AROM", "left", 120, "deg"), ("knee flexion PROM", "left", 130, "deg")},
            id="active-and-passive-in-one-sentence",
        ),
        pytest.param(
            ["t: Straighten the elbow all the way.", "t: Extension lacks twenty degrees."],
            {"diagnosis": "Right elbow fracture", "region": "elbow"},
            {("elbow extension AROM", "right", -20, "deg")},
            id="lacks-is-negative",
        ),
        pytest.param(
            ["t: Your right glute med is a four minus."],
            {"diagnosis": "Right hip OA", "region": "hip"},
            {("hip abduction MMT", "right", "4-", "/5")},
            id="grade-with-sign-without-cue",
        ),
    ],
)
def test_general_spoken_measures(lines, kw, expected):
    assert _facts(_turns(*lines), **kw) == expected


def test_an_exercise_with_bare_reps_is_not_a_value_first_measure():
    turns = _turns("t: Foam roller now. Thoracic extension over the roll, twelve.")
    assert _facts(turns, diagnosis="Neck pain", region="neck") == set()


def test_a_special_test_on_both_sides_is_two_results():
    turns = _turns("t: Anterior drawer is negative on both sides.")
    assert _facts(turns, diagnosis="Right ankle sprain") == {
        ("anterior drawer test", "right", "negative", "result"),
        ("anterior drawer test", "left", "negative", "result"),
    }


def test_box_and_block_counts_per_hand():
    turns = _turns(
        "t: Box and blocks with the left hand, one minute, go.",
        "t: Forty-one blocks. Now the right.",
        "t: Fifty-five.",
    )
    assert _facts(turns, diagnosis="Left CVA") == {
        ("Box and Block Test", "left", 41, "blocks"),
        ("Box and Block Test", "right", 55, "blocks"),
    }


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Noble compression is positive on the left.", "Noble compression test"),
        ("Yergason's is negative.", "Yergason test"),
        ("External rotation lag sign is positive.", "external rotation lag sign"),
        ("Head impulse test is positive to the right.", "head impulse test"),
    ],
)
def test_more_special_tests(sentence, name):
    found = measures_from_turns(_turns("t: " + sentence), diagnosis="Left knee pain")
    assert name in {m.name for m in found}


@pytest.mark.parametrize(
    "lines, kw, expected",
    [
        pytest.param(
            ["t: Let me check your hip rotation.", "t: Internal rotation fifteen, external forty."],
            {"diagnosis": "Left hip OA", "region": "hip"},
            {
                ("hip internal rotation PROM", "left", 15),
                ("hip external rotation PROM", "left", 40),
            },
            id="external-said-alone",
        ),
        pytest.param(
            ["t: Straighten the knee all the way.", "t: Minus three."],
            {"diagnosis": "Left TKA", "region": "knee"},
            {("knee extension AROM", "left", -3)},
            id="all-the-way-then-value",
        ),
        pytest.param(
            ["t: I'll lift your arm, stay relaxed.", "t: Flexion one-oh-five."],
            {"diagnosis": "Right frozen shoulder", "region": "shoulder"},
            {("shoulder flexion PROM", "right", 105)},
            id="therapist-moves-the-limb-is-prom",
        ),
    ],
)
def test_rom_set_up_by_the_therapist(lines, kw, expected):
    assert {(n, sd, v) for n, sd, v, _ in _facts(_turns(*lines), **kw)} == expected


def test_a_timed_walk_in_meters_per_second_is_the_10_meter_walk():
    turns = _turns("t: Now the timed walk. Ten meters, your normal speed, with the cane.",
                   "t: Zero point six two meters per second.")
    assert _facts(turns, diagnosis="Left CVA") == {("10-meter walk test", None, 0.62, "m/s")}


def test_a_special_test_result_in_the_sentence_after_its_name():
    turns = _turns("t: Straight leg raise on the right. Positive at fifty degrees, calf pain.")
    assert ("straight leg raise test", "right", "positive", "result") in _facts(
        turns, diagnosis="Lumbar radiculopathy")


def test_the_five_times_alone_names_the_five_times_sit_to_stand():
    turns = _turns("t: Then the five times, same chair. Fourteen point two seconds.")
    assert _facts(turns, diagnosis="Multiple sclerosis") == {
        ("five times sit to stand", None, 14.2, "s")}


def test_degrees_after_a_strength_grade_switch_back_to_range_of_motion():
    turns = _turns("t: Hip abduction on the right is four minus.",
                   "t: Internal rotation twenty degrees on the right.")
    assert ("hip internal rotation PROM", "right", 20.0, "deg") in _facts(
        turns, diagnosis="Right hip osteoarthritis", region="hip")


def test_a_score_said_as_n_of_the_maximum():
    turns = _turns("t: Let's do Berg first.", "t: Forty-four of fifty-six.")
    assert _facts(turns, diagnosis="Parkinson disease") == {
        ("Berg Balance Scale", None, 44.0, "/56")}


def test_a_pause_is_not_a_sentence_end_and_an_earlier_clause_gives_the_side():
    turns = _turns("t: Okay, measure time. Bend... one hundred and twelve degrees.",
                   "t: Let me check rotation. Turn right, sixty degrees. Turn left... forty-five.")
    assert ("knee flexion AROM", "right", 112.0, "deg") in _facts(
        turns[:1], diagnosis="Right knee replacement", region="knee")
    assert _facts(turns[1:], diagnosis="Left cervical radiculopathy", region="neck") == {
        ("cervical rotation AROM", "right", 60.0, "deg"),
        ("cervical rotation AROM", "left", 45.0, "deg")}


def test_how_many_heel_raises_is_the_heel_raise_test():
    turns = _turns("t: How many single leg heel raises can you do on the left? Go.",
                   "p: Six, seven. That's it.", "t: Seven. The right did twenty-two last week.")
    assert _facts(turns, diagnosis="Left ankle fracture", region="ankle") == {
        ("single-leg heel raise test", "left", 7.0, "reps")}


def test_timing_sit_to_stand_five_times_is_the_5xsts():
    turns = _turns("t: Let's time sit to stand, five times, arms crossed. Go.",
                   "p: One, two, three, four, five.",
                   "t: Fourteen point eight seconds.")
    assert _facts(turns) == {("five times sit to stand", None, 14.8, "s")}
