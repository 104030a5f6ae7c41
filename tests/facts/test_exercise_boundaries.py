"""Doses stay with their own exercise; general wording rules (synthetic sessions)."""

from __future__ import annotations

from sidekick.facts.exercises import extract_exercises
from sidekick.models import Transcript, Turn


def _session(*lines: str) -> Transcript:
    roles = {"T": "therapist", "P": "patient"}
    return Transcript(turns=[Turn(speaker=roles[line[0]], start=float(i), text=line[3:])
                             for i, line in enumerate(lines)])


def _dose(ex):
    return (ex.name, ex.sets, ex.reps, ex.hold_s if ex.hold_s is not None else ex.duration_s,
            ex.load)


def test_a_bare_count_after_the_cue_is_the_rep_count():
    ex = extract_exercises(_session("T: Glute sets. Squeeze and hold four seconds. Eight."))
    assert [_dose(e) for e in ex] == [("glute set", 1, 8, 4.0, None)]


def test_a_bare_number_in_a_later_turn_is_not_a_count():
    ex = extract_exercises(_session("T: Bike, six minutes, level two.", "P: How far?",
                                    "T: Nine."))
    assert [_dose(e) for e in ex] == [("stationary bike", 1, None, 360.0, "level 2")]


def test_stopping_early_lowers_the_stated_reps():
    ex = extract_exercises(_session("T: Wall sits? No, mini squats, two sets of twenty.",
                                    "P: Eleven, twelve, thirteen.",
                                    "T: Let's stop at thirteen, both sets."))
    assert [_dose(e) for e in ex] == [("mini squat", 2, 13, None, None)]


def test_cardio_gets_no_side_from_a_cue():
    ex = extract_exercises(_session("T: NuStep, level four, six minutes. Push with the left leg."))
    assert [(e.name, e.side) for e in ex] == [("NuStep", None)]


def test_a_new_topic_after_a_future_remark_is_today_again():
    ex = extract_exercises(_session(
        "T: Next week we add weights. Okay, now step-ups, two sets of six."))
    assert [_dose(e) for e in ex] == [("step-up", 2, 6, None, None)]


def test_the_home_program_after_a_future_remark_stays_out():
    ex = extract_exercises(_session("T: Bridges, two sets of ten.",
                                    "T: Next week we progress. Keep the clamshells daily, "
                                    "two sets of fifteen."))
    assert [e.name for e in ex] == ["bridge"]


def test_same_as_last_time_names_todays_exercise():
    ex = extract_exercises(_session(
        "T: Same as last time for the wall sits, three holds of thirty seconds."))
    assert [_dose(e) for e in ex] == [("wall sit", 3, None, 30.0, None)]


def test_a_modality_ends_the_exercise_before_it():
    ex = extract_exercises(_session("T: Hamstring stretch, three times thirty seconds.",
                                    "T: Now the hot pack on your back for twelve minutes."))
    assert [_dose(e) for e in ex] == [("hamstring stretch", 3, None, 30.0, None)]


def test_a_score_sentence_does_not_name_an_activity():
    ex = extract_exercises(_session(
        "T: The ABC is sixty out of a hundred. Okay, lunges, two sets of eight."))
    assert [e.name for e in ex] == ["forward lunge"]


def test_of_those_after_a_short_hold_counts_repetitions():
    ex = extract_exercises(_session("T: Glute sets, hold eight seconds. Twelve of those."))
    assert [_dose(e) for e in ex] == [("glute set", 1, 12, 8.0, None)]


def test_of_those_after_a_long_hold_counts_sets():
    ex = extract_exercises(_session("T: Wall sits, hold forty-five seconds. Four of those."))
    assert [_dose(e) for e in ex] == [("wall sit", 4, None, 45.0, None)]


def test_many_rounds_alone_are_repetitions():
    ex = extract_exercises(_session("T: Now tendon glides. Eight rounds."))
    assert [_dose(e) for e in ex] == [("tendon glides", 1, 8, None, None)]


def test_a_described_exercise_with_only_a_bare_count_is_kept():
    ex = extract_exercises(_session(
        "T: Sit tall. Hands behind the head, lean back over the chair back. Twelve."))
    assert [_dose(e) for e in ex] == [("seated thoracic extension over chair back", 1, 12, None,
                                       None)]


def test_same_band_turning_in_carries_the_band():
    ex = extract_exercises(_session("T: Green band, turning the foot out. Two sets of ten.",
                                    "T: Same band, turning in. Two by ten."))
    assert [_dose(e) for e in ex] == [("band ankle eversion", 2, 10, None, "green band"),
                                      ("band ankle inversion", 2, 10, None, "green band")]


def test_a_strength_value_in_the_next_turn_is_not_the_load():
    ex = extract_exercises(_session(
        "T: Now reach the mug up to the top shelf with a two pound weight, eight reps.",
        "T: Grip strength on the right is thirty-five pounds."))
    assert [e.load for e in ex] == ["2 lb weight"]


def test_a_strength_grade_does_not_give_the_next_exercise_its_side():
    ex = extract_exercises(_session(
        "T: Knee extension strength is a four plus on the left. Okay, bridges, two sets of ten."))
    assert [(e.name, e.side) for e in ex] == [("bridge", "bilateral")]


def test_same_thing_copies_the_dose_before():
    ex = extract_exercises(_session("T: Bridges, two sets of twelve.",
                                    "T: Okay, clamshells, same thing."))
    assert [_dose(e) for e in ex] == [("bridge", 2, 12, None, None),
                                      ("clamshell", 2, 12, None, None)]


def test_the_same_on_one_leg_is_the_single_leg_variant():
    ex = extract_exercises(_session("T: Bridges, two sets of twelve.",
                                    "T: Good. Now the same on one leg, two sets of six."))
    assert [_dose(e) for e in ex] == [("bridge", 2, 12, None, None),
                                      ("single leg bridge", 2, 6, None, None)]


def test_a_count_before_a_two_word_name_is_the_reps():
    ex = extract_exercises(_session("T: Fourteen hamstring curls with three pounds. Two sets."))
    assert [_dose(e) for e in ex] == [("hamstring curl", 2, 14, None, "3 lb")]


def test_a_count_between_commas_in_the_intro_is_the_reps():
    ex = extract_exercises(_session("T: Mini squats, eighteen, nice and slow."))
    assert [_dose(e) for e in ex] == [("mini squat", 1, 18, None, None)]


def test_counting_aloud_is_not_a_count():
    ex = extract_exercises(_session("T: Glute sets, hold it, four, three, two, one. "
                                    "Nine of those."))
    assert [_dose(e) for e in ex] == [("glute set", 1, 9, None, None)]


def test_another_n_is_one_more_set():
    ex = extract_exercises(_session("T: Now long arc quads. Twelve.", "T: Good. Another twelve."))
    assert [_dose(e) for e in ex] == [("long arc quad", 2, 12, None, None)]


def test_stairs_are_stair_training():
    ex = extract_exercises(_session("T: Okay, the stairs. Up and down the flight, three times."))
    assert [e.name for e in ex] == ["stair training"]


def test_naming_the_second_set_means_at_least_two():
    ex = extract_exercises(_session("T: Wall push-ups, twelve.", "T: Okay, second set, twelve."))
    assert [_dose(e) for e in ex] == [("wall push-up", 2, 12, None, None)]


def _sides(*lines, diagnosis="Left knee pain"):
    from sidekick.models import Patient, VisitRecord
    record = VisitRecord.model_construct(patient=Patient.model_construct(diagnosis=diagnosis))
    return [(e.name, e.side) for e in extract_exercises(_session(*lines), record)]


def test_equipment_on_a_side_is_not_the_working_side():
    assert _sides("T: Step-ups, rail on the right. Left foot up first. Two sets of ten.") == [
        ("step-up", "left")]


def test_the_working_limb_beats_both_feet_in_the_setup():
    assert _sides("T: Eccentric heel drops. Up on both feet, down slowly on the left. "
                  "Two sets of twelve.") == [("eccentric heel drop", "left")]


def test_a_side_cue_does_not_make_a_two_legged_exercise_one_sided():
    assert _sides("T: Mini squats, two sets of ten. Push through the left too.") == [
        ("mini squat", "bilateral")]


def test_helping_hand_and_working_hand_named_is_the_affected_side():
    assert _sides("T: Wrist flexor stretch. Right arm straight, pull the left hand back with "
                  "your right. Thirty seconds, three times.", diagnosis="Left wrist fracture") \
        == [("wrist flexor stretch", "left")]


def test_a_family_member_with_same_thing_is_its_own_exercise():
    ex = extract_exercises(_session("T: Step-ups, two sets of eight.",
                                    "T: Now step-downs, same thing."))
    assert [_dose(e) for e in ex] == [("step-up", 2, 8, None, None),
                                      ("lateral step-down", 2, 8, None, None)]


def test_seconds_alone_for_a_rep_exercise_are_a_timed_bout():
    ex = extract_exercises(_session("T: Okay, seated marching, forty-five seconds."))
    assert [_dose(e) for e in ex] == [("seated marching", 1, None, 45.0, None)]


def test_another_set_adds_a_set():
    ex = extract_exercises(_session("T: Bicep curls, a set of twelve, then another set."))
    assert [_dose(e) for e in ex] == [("bicep curl", 2, 12, None, None)]


def test_an_echoed_number_before_the_name_is_not_the_count():
    ex = extract_exercises(_session("T: Pain now?", "P: Four.",
                                    "T: Four. Now the step, six inch, two sets of eight step-ups."))
    assert [_dose(e) for e in ex] == [("step-up", 2, 8, None, "6 inch step")]


def test_an_unknown_activity_is_not_named_after_its_place():
    ex = extract_exercises(_session(
        "T: Now at the table. Beads, thread them onto the string, fifteen of them."))
    assert [(e.name, e.reps) for e in ex] == [("beads", 15)]


def test_a_family_member_with_a_bare_count_is_its_own_exercise():
    ex = extract_exercises(_session("T: Say ah, long and loud. Ten of those.",
                                    "T: Now pitch glides, low to high, eight."))
    assert [(e.name, e.reps) for e in ex] == [("sustained phonation", 10), ("pitch glides", 8)]


def test_a_test_set_up_ends_the_exercise_before_it():
    ex = extract_exercises(_session("T: Wall sits.", "T: Now stand on one leg as long as you can.",
                                    "T: Twenty-two seconds on the left."))
    assert ex == []


def test_the_chair_stand_test_is_not_a_sit_to_stand_exercise():
    ex = extract_exercises(_session("T: The chair stand, thirty seconds, arms crossed, go.",
                                    "T: Eleven. Eleven stands in thirty seconds.",
                                    "T: Now sit to stands, two sets of eight."))
    assert [_dose(e) for e in ex] == [("sit to stand", 2, 8, None, None)]


def test_a_bare_count_with_a_pace_word_is_the_rep_count():
    ex = extract_exercises(_session("T: Cat camel, ten slow."))
    assert [_dose(e) for e in ex] == [("cat-camel", 1, 10, None, None)]


def test_seconds_repeated_in_rounds_are_timed_bouts_of_a_rep_exercise():
    ex = extract_exercises(_session(
        "T: Foam stance with head turns, thirty seconds, three rounds."))
    assert [_dose(e) for e in ex] == [("foam stance with head turns", 3, None, 30.0, None)]


def test_a_timed_walk_and_a_balance_scale_are_tests_not_exercises():
    ex = extract_exercises(_session("T: Now the timed walk. Ten meters, your normal speed.",
                                    "T: Now the balance scale, fourteen items."))
    assert ex == []


def test_a_name_then_its_description_opens_the_exercise_with_the_objects_counted():
    ex = extract_exercises(_session("T: Buttoning now. Five buttons on the practice board."))
    assert [_dose(e) for e in ex] == [("buttoning practice", 1, 5, None, None)]


def test_a_described_task_with_counted_objects_is_its_own_exercise_not_the_last_ones_dose():
    ex = extract_exercises(_session(
        "T: Now the cones. Stack eight cones with your left hand.",
        "P: Eight.",
        "T: Last thing. Spoon the beans from the bowl to the cup, twelve spoonfuls.",
    ))
    assert [_dose(e) for e in ex] == [("cone stacking", 1, 8, None, None),
                                      ("self-feeding practice", 1, 12, None, None)]


def test_seconds_of_an_isometric_are_its_hold():
    ex = extract_exercises(_session("T: Isometric internal rotation, five seconds, ten times."))
    assert [_dose(e) for e in ex] == [("isometric internal rotation", 1, 10, 5.0, None)]


def test_a_count_on_one_side_in_the_intro_is_the_rep_count():
    ex = extract_exercises(_session("T: Clamshells, blue band, fifteen on the right. Two rounds."))
    assert [_dose(e) for e in ex] == [("clamshell", 2, 15, None, "blue band")]


def test_the_same_exercise_switched_to_the_other_side_is_bilateral():
    ex = extract_exercises(_session(
        "T: Clamshells, fifteen on the right. Now flip over, same on the left.",
                                    "T: Side-lying hip abduction, right leg, 2 sets of 10.",
                                    "T: Don't let the left hip roll back."))
    assert [(e.name, e.side) for e in ex] == [("clamshell", "bilateral"),
                                             ("side-lying hip abduction", "right")]


def test_a_correction_that_opens_with_thats_still_changes_the_load():
    """'Actually that's pinching, let's drop to the one pound' (synthetic turn): 1 lb weight."""
    ex = extract_exercises(_session(
        "T: Now wrist curls with the two pound weight. Actually that's pinching, let's drop to "
        "the one pound. Two sets of twelve."))
    assert [_dose(e) for e in ex] == [("wrist flexion with weight", 2, 12, None, "1 lb weight")]


def test_the_session_minutes_read_out_are_not_a_dose():
    """'Twenty-four minutes of exercise, ten minutes of balance work ... forty-two timed
    minutes' is the therapist reading out the billing, not a duration for the last exercise."""
    ex = extract_exercises(_session(
        "T: Balance on the foam on the right leg, three rounds of thirty seconds each.",
        "T: Today was twenty four minutes of exercise, ten minutes of balance work and eight "
        "minutes of manual therapy. Forty two timed minutes in a forty five minute visit.",
    ))
    assert [(e.name, e.sets, e.hold_s, e.duration_s) for e in ex] == [
        ("single leg stance on foam", 3, 30.0, None)
    ]


def test_i_will_work_on_with_manual_therapy_ends_the_exercise_before_it():
    ex = extract_exercises(_session(
        "T: Mini squats, three sets of fifteen.",
        "T: I will work on the kneecap with manual therapy for about eight minutes.",
    ))
    assert [(e.name, e.sets, e.reps, e.duration_s) for e in ex] == [("mini squat", 3, 15, None)]


def test_a_turn_naming_a_known_test_ends_the_exercise_before_it():
    ex = extract_exercises(_session("T: Rows with the yellow band, two sets of 15.",
                                    "P: Fifteen, fifteen.",
                                    "T: Grip strength check. Right hand 28 kilograms, left 24."))
    assert [_dose(e) for e in ex] == [("band row", 2, 15, None, "yellow band")]


def test_a_time_for_a_new_unknown_task_is_not_the_squats_duration():
    ex = extract_exercises(_session("T: Goblet squats with the 20 pound kettlebell, 3 by 8.",
                                    "P: Eight. Eight. Eight.",
                                    "T: Now the crate stacking, box to the shelf and back, "
                                    "two minutes."))
    assert [_dose(e) for e in ex] == [("squat", 3, 8, None, "20 lb kettlebell"),
                                      ("crate stacking", 1, None, 120.0, None)]


def test_on_with_the_is_not_part_of_an_unknown_activity_name():
    ex = extract_exercises(_session("T: Bridges, 2 by 10.",
                                    "T: Now on with the liner practice. Roll it on, three times."))
    assert [e.name for e in ex] == ["bridge", "liner practice"]


def test_metric_heights_and_speeds_are_loads_not_measures():
    ex = extract_exercises(_session("T: Step-ups onto the 20 centimeter step, 2 sets of 10.",
                                    "T: Treadmill at 2.5 kilometers an hour for 8 minutes."))
    assert [_dose(e) for e in ex] == [("step-up", 2, 10, None, "20 cm step"),
                                      ("treadmill walking", 1, None, 480.0, "2.5 km/h")]


def test_make_it_n_after_a_time_in_minutes_changes_the_minutes():
    ex = extract_exercises(_session("T: NuStep, level five, fifteen minutes.",
                                    "P: Can I do ten?", "T: Okay, make it ten."))
    assert [_dose(e) for e in ex] == [("NuStep", 1, None, 600.0, "level 5")]


def test_sorry_lets_do_n_corrects_the_count():
    ex = extract_exercises(_session("T: Wall slides, 12 reps. Sorry, let's do 10."))
    assert [_dose(e) for e in ex] == [("wall slide", 1, 10, None, None)]
