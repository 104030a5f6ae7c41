"""Measures: spoken numbers, measures said in a session, measures written in a note."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sidekick.facts.measures import load_lexicon, scan_numbers
from sidekick.facts.spoken import measures_from_turns
from sidekick.facts.written import measures_from_note_text
from sidekick.models import Turn


def _turns(*lines: str) -> list[Turn]:
    """Turns from 't: ...' / 'p: ...' lines."""
    who = {"t": "therapist", "p": "patient"}
    return [
        Turn(speaker=who[line[0]], start=float(i), text=line[3:])  # type: ignore[arg-type]
        for i, line in enumerate(lines)
    ]


def _facts(measures) -> set[tuple]:
    return {(m.name, m.side, m.value, m.unit) for m in measures}


@pytest.mark.parametrize(
    "text, values",
    [
        ("one thirty-two of flexion", [132]),
        ("One hundred twenty degrees", [120]),
        ("fourteen point two seconds", [14.2]),
        ("fifty-three and a half centimeters", [53.5]),
        ("a hundred and ten degrees", [110]),
        ("Forty-eight on the left", [48]),
        ("3x10 at 2.5 lb", [3, 10, 2.5]),
        ("five, six, seven", [5, 6, 7]),
        ("that's point six two meters per second", [0.62]),
        ("four point seven five", [4.75]),
        ("at one point, two of them", [1, 2]),
        ("flexion one-oh-five", [105]),
        ("one, oh, five", [1, 5]),
    ],
)
def test_scan_numbers_reads_spoken_and_written_numbers(text, values):
    assert [n.value for n in scan_numbers(text)] == values


@given(st.integers(min_value=0, max_value=999))
def test_scan_numbers_reads_any_digit_string(value):
    assert [n.value for n in scan_numbers(f"about {value} today")] == [value]


def test_lexicon_loads_with_unique_test_names():
    names = [t.name for t in load_lexicon().tests]
    assert len(names) == len(set(names))


def test_rom_values_take_the_side_said_and_skip_the_earlier_visit():
    turns = _turns(
        "t: Let me measure the bend. On your back, slide the heel up as far as you can.",
        "t: One thirty-two of flexion on the left. The right goes to one forty-five.",
        "t: Last month you were at one twenty.",
    )
    got = measures_from_turns(turns, diagnosis="Left ACL reconstruction", region="knee")
    assert _facts(got) == {
        ("knee flexion AROM", "left", 132, "deg"),
        ("knee flexion AROM", "right", 145, "deg"),
    }


def test_lacking_degrees_is_a_negative_extension():
    turns = _turns(
        "t: Let's measure. Now push the back of the knee down and straighten it.",
        "t: You're lacking six degrees from straight, so minus six. We want that at zero.",
    )
    got = measures_from_turns(turns, diagnosis="Left total knee arthroplasty", region="knee")
    assert _facts(got) == {("knee extension AROM", "left", -6, "deg")}


def test_mmt_grades_in_words_become_grade_strings():
    turns = _turns(
        "t: Side-lying on the mat. Let me recheck your hip strength. Push up into my hand.",
        "t: Right hip abduction is a four minus out of five. Other side.",
        "t: Left is four plus.",
    )
    got = measures_from_turns(turns, diagnosis="Right patellofemoral pain", region="knee")
    assert _facts(got) == {
        ("hip abduction MMT", "right", "4-", "/5"),
        ("hip abduction MMT", "left", "4+", "/5"),
    }


def test_timed_test_value_follows_its_setup_and_not_the_goal():
    turns = _turns(
        "t: Now the walking test. Stand up, walk to the cone, turn around, come back and sit.",
        "t: Twelve point four seconds. Our goal is under twelve.",
    )
    got = measures_from_turns(turns, diagnosis="Parkinson's disease", region="balance")
    assert _facts(got) == {("Timed Up and Go", None, 12.4, "s")}


def test_counting_aloud_is_not_a_value_and_the_stated_count_is():
    turns = _turns(
        "t: Go up on your left toes as many times as you can.",
        "t: Five, six, seven, eight, nine, ten, eleven, twelve. And you're done.",
        "t: Twelve on the left. Now the right.",
        "t: Twenty on the right.",
    )
    got = measures_from_turns(turns, diagnosis="Left plantar fasciitis", region="foot")
    assert _facts(got) == {
        ("single-leg heel raise test", "left", 12, "reps"),
        ("single-leg heel raise test", "right", 20, "reps"),
    }


def test_exercise_doses_are_not_measures():
    turns = _turns(
        "t: Stand on the right leg on the foam pad. Three rounds of thirty seconds.",
        "t: Thirty seconds. Two more rounds.",
        "t: Clamshells with the red band, three sets of fifteen.",
    )
    assert measures_from_turns(turns, diagnosis="Right ankle sprain", region="ankle") == []


def test_questionnaire_named_only_generically_takes_the_diagnosis_instrument():
    turns = _turns(
        "t: You filled out the questionnaire out front?",
        "p: Yeah, the knee one.",
        "t: Let me add it up. Sixty-two out of a hundred. At your evaluation it was fifty-one.",
    )
    got = measures_from_turns(turns, diagnosis="Left patellar tendinopathy", region="knee")
    assert _facts(got) == {("VISA-P", None, 62, "/100")}


def test_special_tests_and_strength_units():
    turns = _turns(
        "t: Hawkins-Kennedy is positive. Drop arm test is negative.",
        "t: Let me measure your grip. Squeeze the handle as hard as you can, right hand.",
        "t: Sixteen kilos on the right. Now the left.",
        "t: Twenty-one on the left.",
    )
    got = measures_from_turns(turns, diagnosis="Right shoulder impingement", region="shoulder")
    assert _facts(got) == {
        ("Hawkins-Kennedy test", "right", "positive", "result"),
        ("drop arm test", "right", "negative", "result"),
        ("grip strength (dynamometer)", "right", 16, "kg"),
        ("grip strength (dynamometer)", "left", 21, "kg"),
    }


def test_span_points_at_the_turn_the_value_was_said_in():
    turns = _turns("t: Let's do the walking test, walk to the cone and back.", "t: Ten seconds.")
    [measure] = measures_from_turns(turns)
    assert measure.span is not None
    assert (measure.span.source, measure.span.turn, measure.span.text) == (
        "transcript",
        1,
        "Ten seconds.",
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "L shoulder AROM flexion 120 deg (112 at visit 4).",
            {("shoulder flexion AROM", "left", 120, "deg")},
        ),
        (
            "R knee AROM flexion 121 deg, extension -2 deg.",
            {
                ("knee flexion AROM", "right", 121, "deg"),
                ("knee extension AROM", "right", -2, "deg"),
            },
        ),
        (
            "Hip MMT R: abduction 4/5 (4-/5 at prior test), ER 4+/5.",
            {
                ("hip abduction MMT", "right", "4", "/5"),
                ("hip external rotation MMT", "right", "4+", "/5"),
            },
        ),
        (
            "TUG 13.4 sec with cane (15.2 sec at evaluation). LEFS 52/80.",
            {
                ("Timed Up and Go", None, 13.4, "s"),
                ("Lower Extremity Functional Scale", None, 52, "/80"),
            },
        ),
        (
            "Single-leg stance L 9 sec, R 22 sec.",
            {
                ("single-leg stance time", "left", 9, "s"),
                ("single-leg stance time", "right", 22, "s"),
            },
        ),
        (
            "Ther ex (97110, 20 min): bridges 3x10; "
            "supine stabilization at 90 deg flexion 3 x 30 sec.",
            set(),
        ),
    ],
)
def test_note_measures_skip_earlier_values_and_exercise_lines(text, expected):
    got = measures_from_note_text(text, region="knee", diagnosis="Right knee pain")
    assert _facts(got) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (
            ["t: Now the 30 second sit to stand test. As many as you can. Go.", "t: 12 reps."],
            ("30-second chair stand", None, 12, "reps"),
        ),
        (
            ["t: Let's do the six minute walk test.", "t: You covered 350 meters."],
            ("6-minute walk test", None, 350, "m"),
        ),
        (
            ["t: Let's do the functional reach. Reach forward as far as you can.", "t: 9 inches."],
            ("Functional Reach Test", None, 9, "in"),
        ),
        (
            ["t: Your Dynamic Gait Index today is eighteen out of twenty-four."],
            ("Dynamic Gait Index", None, 18, "/24"),
        ),
        (
            ["t: Two minute walk test, at your own pace.", "t: Time. 142 meters."],
            ("2-minute walk test", None, 142, "m"),
        ),
        (
            ["t: Six minute walk, let's go.", "t: You did 1200 feet."],
            ("6-minute walk test", None, 1200, "ft"),
        ),
    ],
    ids=["digits-count", "walk-distance", "reach-inches", "score-out-of", "two-minute-walk",
         "walk-in-feet"],
)
def test_lexicon_tests_said_with_digits_or_words(lines, expected):
    got = measures_from_turns(_turns(*lines), diagnosis="Fall risk", region="balance")
    assert _facts(got) == {expected}


def test_a_hundred_and_n_is_one_value_in_a_session():
    turns = _turns("t: Let me measure your knee bend. Flexion is a hundred and eight.")
    values = {m.value for m in measures_from_turns(turns, diagnosis="Right TKA", region="knee")}
    assert values == {108}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "R wrist extension AROM 45 deg (L 70 deg).",
            {("wrist extension AROM", "right", 45), ("wrist extension AROM", "left", 70)},
        ),
        (
            "Lateral pinch L 9 lb (R 14 lb).",
            {
                ("lateral (key) pinch strength", "left", 9),
                ("lateral (key) pinch strength", "right", 14),
            },
        ),
        (
            "R shoulder flexion AROM 120 deg (105 deg at visit 2).",
            {("shoulder flexion AROM", "right", 120)},
        ),
        (
            "Grip strength: R 35 lbs / L 62 lbs.",
            {
                ("grip strength (dynamometer)", "right", 35),
                ("grip strength (dynamometer)", "left", 62),
            },
        ),
    ],
    ids=["rom-other-side", "strength-other-side", "earlier-value-not-a-side", "slash-sides"],
)
def test_note_other_side_in_brackets_is_its_own_measure(text, expected):
    got = {(m.name, m.side, m.value) for m in measures_from_note_text(text)}
    assert got == expected


def test_note_special_test_bilaterally_is_two_results():
    got = {
        (m.name, m.side, m.value) for m in measures_from_note_text("Slump negative bilaterally.")
    }
    assert got == {("slump test", "right", "negative"), ("slump test", "left", "negative")}


def test_heart_rate_needs_beats_after_hr_and_an_hour_is_not_a_pulse():
    assert {(m.name, m.value) for m in measures_from_note_text("HR 72 bpm after bike.")} == {
        ("heart rate", 72)
    }
    assert measures_from_note_text("R knee pain after sitting 1 hr.") == []


@pytest.mark.parametrize(
    "line, expected",
    [
        ("t: Shoulder flexion is 105 degrees.", ("shoulder flexion AROM", None, 105, "deg")),
        ("t: Shoulder abduction is ninety degrees.", ("shoulder abduction AROM", None, 90, "deg")),
        ("t: Left shoulder flexion, one hundred and five degrees actively.",
         ("shoulder flexion AROM", "left", 105, "deg")),
    ],
    ids=["digits", "words", "hundred-and"],
)
def test_shoulder_is_not_read_as_should(line, expected):
    """'should' marks a target ("you should get to 120"), 'shoulder' is a joint."""
    assert _facts(measures_from_turns(_turns(line))) == {expected}


def test_should_still_marks_a_target_not_a_value():
    assert measures_from_turns(_turns("t: Knee flexion should get to 120 degrees.")) == []


def test_a_difference_is_not_the_value_and_took_states_one():
    """'eleven seconds faster than' is a change; 'The left took twenty-one' is a value."""
    got = _facts(
        measures_from_turns(
            _turns(
                "t: Nine hole peg test, right hand. Go.",
                "t: Fifty-eight point four seconds on the right. The left took twenty-one.",
                "t: It's slow, but it's eleven seconds faster than the evaluation.",
            )
        )
    )
    assert got == {
        ("9-hole peg test", "right", 58.4, "s"),
        ("9-hole peg test", "left", 21, "s"),
    }


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["t: Say ah, big and long, as long as you can.", "t: Fourteen and a half seconds."],
         {("maximum phonation time", None, 14.5, "s")}),
        (["t: Conversation was around sixty-eight dB."],
         {("conversational loudness", None, 68, "dB")}),
        (["t: Voice Handicap Index, you filled it out: twenty-two out of forty."],
         {("Voice Handicap Index-10", None, 22, "/40")}),
    ],
    ids=["mpt", "loudness-db", "vhi-10"],
)
def test_voice_measures_are_read(lines, expected):
    assert _facts(measures_from_turns(_turns(*[f"{line}" for line in lines]))) == expected


def test_single_leg_stance_with_a_count_of_holds_is_an_exercise_not_a_test():
    lines = _turns("t: Now single leg stance, left leg, fifteen seconds, three times.", "p: Done.")
    assert measures_from_turns(lines) == []


def test_finger_joint_rom_is_named_for_the_finger_joint_not_the_wrist():
    lines = _turns(
        "t: Now the ring finger, I'll put the goniometer on the middle knuckle. Bend it for me.",
        "t: PIP flexion ninety-two degrees.",
    )
    assert _facts(measures_from_turns(lines, diagnosis="Left ring finger trigger finger")) == {
        ("finger PIP flexion AROM", "left", 92, "deg")
    }


def test_test_named_with_its_value_and_no_unit_is_read():
    """The test's own name is not extra words around a bare value ("Heart rate is 72.")."""
    got = _facts(measures_from_turns(_turns("t: Okay, sit for me.", "t: Heart rate is 72.")))
    assert ("heart rate", None, 72, "bpm") in got


def test_each_clause_takes_the_test_it_names():
    """Vitals read out in one sentence: each value goes with its own test."""
    got = _facts(measures_from_turns(_turns(
        "t: Okay, sit for me.", "t: Oxygen check. Pulse is 80, oxygen 95 percent.")))
    assert {("heart rate", None, 80, "bpm"), ("SpO2 at rest", None, 95, "%")} <= got


def test_a_strength_unit_said_once_at_the_end_holds_for_the_whole_sentence():
    lines = ("t: Okay.", "t: Grip strength: left 18, right 26 kilos.")
    got = _facts(measures_from_turns(_turns(*lines)))
    assert got == {("grip strength (dynamometer)", "left", 18, "kg"),
                   ("grip strength (dynamometer)", "right", 26, "kg")}
