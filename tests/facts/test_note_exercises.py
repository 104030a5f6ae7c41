"""Exercises read from finished notes: layout and wording rules (synthetic notes)."""

from __future__ import annotations

from sidekick.facts.exercises import extract_exercises_from_text


def _read(note: str) -> list[tuple]:
    return [(e.name, e.sets, e.reps) for e in extract_exercises_from_text(note)]


def test_lines_under_a_subjective_heading_line_are_not_exercises():
    note = ("SUBJECTIVE\nPt reports pain with bridges 3x10 at home.\n\nOBJECTIVE\n"
            "Ther ex (97110, 15 min): clamshells 2x12.\n")
    assert _read(note) == [("clamshell", 2, 12)]


def test_gait_distance_is_not_an_exercise():
    note = "Gait training (97116, 20 min): ambulation with rolling walker 3 x 60 ft; bridges 2x8."
    assert _read(note) == [("bridge", 2, 8)]


def test_a_named_test_is_not_an_exercise_dose():
    note = ("Objective: 30-second chair stand: 9 reps.\n"
            "Ther ex (97110, 20 min): sit to stand 3x6 from a low chair.")
    assert _read(note) == [("sit to stand", 3, 6)]


def test_a_trial_is_not_an_exercise():
    note = "Trial of 3 tsp puree with chin tuck: no cough.\n- Effortful swallow 3x6."
    assert _read(note) == [("effortful swallow", 3, 6)]


def test_slash_names_keep_their_exercise_and_dose():
    note = "Ther ex (97110, 10 min): wrist flexion/extension AROM 3x12; thumb IP blocking 2x8."
    assert _read(note) == [("wrist flexion and extension AROM", 3, 12),
                           ("thumb IP joint blocking", 2, 8)]


def _full(note: str) -> list[tuple]:
    return [(e.name, e.side, e.sets, e.reps, e.hold_s if e.hold_s is not None else e.duration_s,
             e.load) for e in extract_exercises_from_text(note)]


def test_written_shorthand_is_read():
    note = ("Ther ex (97110, 25 min): SLR x12 x3; heel slides 8 reps x 3 sets; LAQ 3# 2x10 R; "
            "recumbent bike 7'; wall sits 4 x 20\"; NuStep L4 x 6 min; TKE 2x12 w/ blue TB")
    assert _full(note) == [
        ("straight leg raise", None, 3, 12, None, None),
        ("heel slide", None, 3, 8, None, None),
        ("long arc quad", "right", 2, 10, None, "3 lb"),
        ("recumbent bike", None, 1, None, 420.0, None),
        ("wall sit", "bilateral", 4, None, 20.0, None),
        ("NuStep", None, 1, None, 360.0, "level 4"),
        ("terminal knee extension", None, 2, 12, None, "blue band"),
    ]


def test_limb_abbreviations_give_the_side():
    note = "Ther ex: heel raises 2x15 BLE; step-ups 2x10 LLE; SL hip abd 2x12 L"
    assert [(n, s) for n, s, *_ in _full(note)] == [
        ("standing heel raise", "bilateral"), ("step-up", "left"),
        ("side-lying hip abduction", "left")]


def test_a_written_dose_never_stays_in_an_unknown_name():
    note = "Ther ex (97110, 10 min): marble transfers 2x10 R with 1# cuff."
    assert [n for n, *_ in _full(note)] == ["marble transfers"]


def test_a_number_inside_the_exercise_name_is_not_its_dose():
    note = "Neuromuscular re-ed (97112, 20 min):\n- Gaze stabilization (VOR x1) seated, 3 x 45 s"
    got = [(e.name, e.sets, e.reps, e.hold_s) for e in extract_exercises_from_text(note)]
    assert got == [("gaze stabilization", 3, None, 45.0)]


def test_an_unknown_bulleted_exercise_is_named_without_its_bullet():
    note = "Ther ex (97110, 20 min):\n- Sponge squeezes (warm water) 2 x 10"
    assert _read(note) == [("sponge squeezes (warm water)", 2, 10)]


def test_a_treatment_heading_inside_a_narrative_sentence_is_read():
    note = ("Objective: R knee flexion 110 deg. Therapeutic exercise (97110, 20 minutes) "
            "consisted of bridges for two sets of ten, clamshells 3 x 12 each side.")
    assert _read(note) == [("bridge", 2, 10), ("clamshell", 3, 12)]


def test_a_treatment_heading_after_a_pain_sentence_on_the_same_line_is_read():
    note = ("Objective: Pain 3/10 on arrival. Ther ex (97110, 20 min) included bridges 2x10. "
            "Cues for pelvic level.")
    assert _read(note) == [("bridge", 2, 10)]


def test_sebt_is_the_star_excursion_reach():
    note = "Neuro re-ed (97112, 10 min): SEBT reaches R stance x3 rounds."
    assert [e.name for e in extract_exercises_from_text(note)] == ["star excursion balance reach"]


def test_colour_theraband_abbreviations_are_the_band_load():
    note = "Ther ex (97110, 10 min): clamshells w/ GTB 2x15; rows RTB 3x10."
    assert [(e.name, e.load) for e in extract_exercises_from_text(note)] == [
        ("clamshell", "green band"), ("band row", "red band")]


def test_hs_stretch_is_the_hamstring_stretch():
    note = "Ther ex (97110, 10 min): HS stretch 3 x 30\"."
    assert [e.name for e in extract_exercises_from_text(note)] == ["hamstring stretch"]
