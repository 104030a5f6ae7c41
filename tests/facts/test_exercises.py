"""Exercise and dose extraction from transcripts and notes (sidekick.facts.exercises)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sidekick.errors import ConfigError
from sidekick.facts.exercises import extract_exercises, extract_exercises_from_text
from sidekick.facts.lexicon import load_lexicon
from sidekick.models import Patient, Transcript, Turn


def _session(*lines: str) -> Transcript:
    """Turns from "T: text" / "P: text" lines (T therapist, P patient, O other)."""
    roles = {"T": "therapist", "P": "patient", "O": "other", "?": "unknown"}
    return Transcript(turns=[Turn(speaker=roles[line[0]], start=float(i), text=line[3:])
                             for i, line in enumerate(lines)])


def _dose(ex):
    return (ex.name, ex.sets, ex.reps, ex.hold_s if ex.hold_s is not None else ex.duration_s,
            ex.load)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["T: Straight leg raises now. Three sets of ten."],
         [("straight leg raise", 3, 10, None, None)]),
        (["T: SLR, two sets of fifteen."], [("straight leg raise", 2, 15, None, None)]),
        (["T: Now TKE with the green band, 3x15."],
         [("terminal knee extension", 3, 15, None, "green band")]),
        (["T: Now lie on your side and open your knees like a clam. Two sets of twelve."],
         [("clamshell", 2, 12, None, None)]),
        (["T: Bike first, eight minutes, level three."],
         [("stationary bike", 1, None, 480.0, "level 3")]),
        (["T: Calf stretch at the wall. Thirty seconds, three times."],
         [("standing gastrocnemius stretch", 3, None, 30.0, None)]),
        (["T: Quad sets, hold for five, two sets of ten."], [("quad set", 2, 10, 5.0, None)]),
        (["T: Okay, tandem stance at the counter. Three rounds of thirty seconds."],
         [("tandem stance", 3, None, 30.0, None)]),
    ],
    ids=["name", "abbreviation", "band-colour", "description", "timed-bout", "hold-times",
         "hold-sets-reps", "rounds"],
)
def test_exercise_with_its_dose_is_extracted(lines, expected):
    assert [_dose(e) for e in extract_exercises(_session(*lines))] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["T: Bridges, two sets of twelve. Actually, let's make that three sets of ten."],
         ("bridge", 3, 10, None, None)),
        (["T: Rows with the red band. Two sets of ten.",
          "T: Actually, let's make that fifteen, the red looks easy for you."],
         ("band row", 2, 15, None, "red band")),
        (["T: Long arc quads with the one pound weights. Three sets of ten.",
          "P: One, two, three, four, five, six, seven, eight, nine, ten.",
          "T: Too easy, let's switch to the two pound weights for the rest."],
         ("long arc quad", 3, 10, None, "2 lb weights")),
        (["T: Tandem stance, thirty seconds. Actually, let's make that twenty, three times."],
         ("tandem stance", 3, None, 20.0, None)),
        (["T: Clamshells with the green band. Last week was red. Three sets of fifteen."],
         ("clamshell", 3, 15, None, "green band")),
        (["T: Heel raises, two sets of fifteen.", "P: Fifteen. And ten more, twenty."],
         ("standing heel raise", 2, 15, None, None)),
    ],
    ids=["make-that-sets", "make-that-reps-next-turn", "switch-load", "make-that-hold",
         "past-load-ignored", "patient-count-ignored"],
)
def test_the_last_stated_dose_wins_after_a_correction(lines, expected):
    assert [_dose(e) for e in extract_exercises(_session(*lines))] == [expected]


@pytest.mark.parametrize(
    "lines",
    [
        ["T: Next time we'll add step-downs, three sets of ten."],
        ["T: For home, keep the bridges, three sets of ten, once a day."],
        ["T: Not today. I'd like to add wall push-ups next visit, two sets of ten."],
        ["T: How are the stairs at home?", "P: One at a time, three sets of stairs."],
        ["T: Stand up and sit down as many times as you can in thirty seconds.",
         "T: Time. That's eleven."],
        ["T: Straight leg raises."],
        ["P: I did my bridges, three sets of ten, every day."],
        [],
    ],
    ids=["future", "home-program", "next-visit", "question-and-patient", "test", "no-dose",
         "patient-only", "empty"],
)
def test_exercises_not_performed_today_are_not_extracted(lines):
    assert extract_exercises(_session(*lines)) == []


def test_home_program_does_not_change_todays_dose():
    ex = extract_exercises(_session(
        "T: Bridges now. Two sets of ten.",
        "T: For home, keep doing the bridges.",
        "T: Three sets of fifteen, once a day.",
    ))
    assert [_dose(e) for e in ex] == [("bridge", 2, 10, None, None)]


def test_an_exercise_repeated_later_is_one_exercise():
    ex = extract_exercises(_session(
        "T: Clamshells, two sets of twelve.",
        "T: Now bridges, two sets of ten.",
        "T: Back to the clamshells for the second set.",
    ))
    assert [e.name for e in ex] == ["clamshell", "bridge"]


def test_unknown_activity_with_its_own_dose_is_named_from_its_words():
    ex = extract_exercises(_session(
        "T: Now bridges, two sets of ten.",
        "T: Now the cone tapping drill, three sets of ten.",
    ))
    assert [(e.name, e.sets, e.reps) for e in ex][1] == ("cone tapping drill", 3, 10)


@pytest.mark.parametrize(
    ("lines", "diagnosis", "side"),
    [
        (["T: Straight leg raises, three sets of ten."], "Left total knee arthroplasty", "left"),
        (["T: Step-ups, right leg leading, two sets of ten."], "Left knee pain", "right"),
        (["T: Hip abduction at the counter, two sets of ten each leg."], "Right hip OA",
         "bilateral"),
        (["T: Bridges, two sets of ten."], "Right hip OA", "bilateral"),
        (["T: Bike, six minutes."], "Right hip OA", None),
    ],
    ids=["diagnosis-side", "explicit-side", "each-leg", "bilateral-exercise", "no-side"],
)
def test_side_comes_from_words_else_the_diagnosis(lines, diagnosis, side):
    from sidekick.models import VisitRecord

    record = VisitRecord.model_validate({
        "id": "t", "patient": {"id": "p", "diagnosis": diagnosis},
        "visit": {"date": "2025-01-02", "discipline": "PT", "payer": "medicare",
                  "clinician": {"name": "A", "credential": "PT"}},
    })
    assert extract_exercises(_session(*lines), record)[0].side == side


def test_span_points_at_the_turn_and_time():
    ex = extract_exercises(_session("T: Hello.", "T: Now bridges, two sets of ten."))[0]
    assert (ex.span.source, ex.span.turn, ex.span.time_s) == ("transcript", 1, 1.0)


def test_unknown_speakers_are_read_like_the_therapist():
    ex = extract_exercises(_session("?: Okay, mini squats, two sets of ten."))
    assert [_dose(e) for e in ex] == [("mini squat", 2, 10, None, None)]


def test_non_english_text_gives_no_exercises():
    assert extract_exercises(_session("T: Ahora haga tres series de diez sentadillas.")) == []


# --------------------------------------------------------------------------- notes


def test_note_treatment_line_gives_each_exercise_with_its_dose():
    text = ("Ther ex (97110, 24 min): upright bike 5 min level 5; clamshells with blue band "
            "3x15 each side (progressed from green); single-leg bridges 3x10 each leg")
    ex = extract_exercises_from_text(text, Patient(id="p", diagnosis="Right PFPS"), "Objective")
    assert [_dose(e) for e in ex] == [
        ("upright bike", 1, None, 300.0, "level 5"),
        ("clamshell", 3, 15, None, "blue band"),
        ("single leg bridge", 3, 10, None, None),
    ]
    assert ex[0].span.source == "note" and ex[0].span.section == "Objective"


def test_note_list_without_doses_gives_undosed_exercises():
    ex = extract_exercises_from_text("Pt performed ther ex per flowsheet: NuStep, pelvic tilts, "
                                     "bridges, bird dogs.")
    assert [(e.name, e.sets) for e in ex] == [("NuStep", None), ("posterior pelvic tilt", None),
                                               ("bridge", None), ("bird dog", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Plan: Continue PT 2x/week. HEP: bridges 3x10 daily.",
        "Cues for knee alignment during mini squats.",
        "Subjective: Pt did bridges 3x10 at home.",
        "Objective: TUG 13.4 sec. R single leg stance 6 sec.",
        "97110 x 3 units.",
        "",
    ],
    ids=["plan-hep", "cues", "subjective", "measures", "billing", "empty"],
)
def test_note_text_that_is_not_treatment_gives_no_exercises(text):
    assert extract_exercises_from_text(text) == []


# --------------------------------------------------------------------------- lexicon file


def test_user_lexicon_adds_an_exercise(tmp_path: Path):
    extra = tmp_path / "lexicon.yaml"
    extra.write_text("exercises:\n  - {name: turkish get-up, synonyms: [TGU], kind: reps}\n")
    lex = load_lexicon(extra)
    ex = extract_exercises(_session("T: Now TGU, three sets of five."), lexicon=lex)
    assert [_dose(e) for e in ex] == [("turkish get-up", 3, 5, None, None)]


def test_user_lexicon_extends_an_existing_entry(tmp_path: Path):
    extra = tmp_path / "lexicon.yaml"
    extra.write_text("exercises:\n  - {name: clamshell, synonyms: [oyster]}\n")
    assert load_lexicon(extra).lookup("oyster").name == "clamshell"


def test_bad_lexicon_file_is_a_config_error_naming_the_field(tmp_path: Path):
    extra = tmp_path / "lexicon.yaml"
    extra.write_text("exercises:\n  - {name: x, synonym: [y]}\n")
    with pytest.raises(ConfigError) as info:
        load_lexicon(extra)
    assert str(info.value) == (f"{extra}: exercises.0.synonym: Extra inputs are not permitted; "
                               "see exercises.yaml for the format.")


def test_missing_lexicon_file_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="cannot read the lexicon file"):
        load_lexicon(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["T: Now the box lift. Last time we did fifteen pounds, today it's twenty. "
          "Three sets of five."], ("floor-to-waist box lift", 3, 5, None, "20 lb")),
        (["T: This bag is twenty-five pounds. Pick it up from the floor with a hip hinge and "
          "set it on the bench. Two sets of eight.",
          "T: Last one. Bag on your shoulder, step up onto the box and down, ten, then switch "
          "legs. Two rounds."], ("step-up carrying bag", 2, 10, None, "25 lb bag")),
        (["T: Come over to the rack. The strap goes behind both knees, and sit back like "
          "you're in a chair.", "P: My quads hate this one.",
          "T: Your quads need this one. Forty-five seconds, five times."],
         ("Spanish squat", 5, None, 45.0, None)),
    ],
    ids=["unit-carries-to-today", "named-implement-carries-load", "description-then-dose"],
)
def test_dose_said_across_clauses_and_turns_is_joined(lines, expected):
    assert [_dose(e) for e in extract_exercises(_session(*lines))][-1] == expected


def test_hands_on_work_by_the_therapist_is_not_an_exercise():
    ex = extract_exercises(_session(
        "T: Bridges, two sets of ten.",
        "T: I'm going to hold the elbow and glide the forearm while you make a fist.",
        "T: That's why we use it. Ten squeezes, and I'll keep the glide on.",
    ))
    assert [_dose(e) for e in ex] == [("bridge", 2, 10, None, None)]


def test_two_exercises_in_one_sentence_get_their_own_doses():
    ex = extract_exercises(_session("T: Okay, heel slides, two sets of fifteen, then quad sets, "
                                    "two sets of ten with a five second hold."))
    assert [_dose(e) for e in ex] == [("heel slide", 2, 15, None, None),
                                      ("quad set", 2, 10, 5.0, None)]
