"""The lexicon repair pass: near-miss words back onto exercise names, only in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from sidekick.models import Turn
from sidekick.transcribe.vocab import decoding_vocabulary, repair_text, repair_turns


@pytest.mark.parametrize(
    "heard, before, expected",
    [
        ("Next, he slides, two sets of ten.", "", "Next, heel slides, two sets of ten."),
        ("Let's start with one sec, hold five seconds.", "",
         "Let's start with quad sets, hold five seconds."),
        ("Clam shells on the left, fifteen reps.", "", "Clamshells on the left, fifteen reps."),
        ("Ten more ham string curls.", "", "Ten more hamstring curls."),
        ("He slides it across the table.", "", "He slides it across the table."),
        ("Give me one sec, three sets of ten.", "", "Give me one sec, three sets of ten."),
        ("Okay, one sec.", "Quad sets, ten reps each.", "Okay, quad sets."),
        ("One sec, let me grab the band.", "Three sets of ten.",
         "One sec, let me grab the band."),
        ("Do your clam shells at home.", "", "Do your clamshells at home."),
        ("Three sets of ten external rotations.", "", "Three sets of ten external rotations."),
    ],
    ids=["heel-slides-with-dose", "quad-sets-teaching", "spelling-always", "spacing-always",
         "ordinary-sentence", "give-me-one-sec", "context-from-neighbour",
         "aside-in-exercise-context", "spelling-without-context", "plural-left-alone"],
)
def test_repair_maps_near_misses_in_context_only(heard, before, expected):
    assert repair_text(heard, before)[0] == expected


def test_repair_turns_keeps_times_and_speakers():
    turns = [Turn(speaker="therapist", start=1.0, end=2.0, text="Next, he slides, ten reps."),
             Turn(speaker="patient", start=2.5, end=3.0, text="Okay.")]
    fixed = repair_turns(turns)
    assert fixed[0].model_dump(exclude={"text"}) == turns[0].model_dump(exclude={"text"})
    assert fixed[0].text == "Next, heel slides, ten reps." and fixed[1] is turns[1]


@pytest.mark.parametrize("mode, key", [("prompt", "initial_prompt"), ("hotwords", "hotwords")])
def test_vocabulary_modes_give_decoder_hints(mode, key):
    hints = decoding_vocabulary(mode)
    assert list(hints) == [key] and "quad sets" in hints[key]


def test_vocabulary_none_gives_no_hints():
    assert decoding_vocabulary("none") == {}


def test_context_can_come_from_the_next_segment():
    turns = [Turn(text="Now one sec."), Turn(text="Ten reps, hold five seconds.")]
    assert repair_turns(turns)[0].text == "Now quad sets."
    assert repair_turns(turns[:1])[0].text == "Now one sec."


def test_no_context_no_sound_alike_repair():
    turns = [Turn(text="He slides over."), Turn(text="The chair is by the door.")]
    assert repair_turns(turns)[0].text == "He slides over."


@pytest.mark.parametrize(
    "heard, expected",
    [
        ("Three sets of ten minis quads.", "Three sets of ten mini squats."),
        ("Ten heal raises, hold two seconds.", "Ten heel raises, hold two seconds."),
        ("Ten shoulder rolls, then three sets of rows.", "Ten shoulder rolls, then three sets "
                                                         "of rows."),
        ("Two sets of ten external rotations.", "Two sets of ten external rotations."),
        ("Minis quads are on the shelf.", "Minis quads are on the shelf."),
        ("Straight leg raise is negative, three sets of ten.",
         "Straight leg raise is negative, three sets of ten."),
        ("Chin tucks. A dozen, five-second hold.", "Chin tucks. A dozen, five-second hold."),
    ],
    ids=["resegmented", "one-sound-off", "near-but-different", "lexicon-name-kept",
         "no-context-lower-bar-off", "next-word-not-swallowed", "not-across-a-sentence"],
)
def test_near_spellings_need_exercise_context(heard, expected):
    assert repair_text(heard)[0] == expected


def test_repair_leaves_correct_transcripts_unchanged(dev_cases):
    from sidekick.cases import load_cases

    extra = Path(__file__).resolve().parent.parent / "data" / "cases-extra"
    cases = list(dev_cases) + (list(load_cases(extra)) if extra.is_dir() else [])
    changed = []
    for case in cases:
        turns = case.transcript.turns if case.transcript else []
        pairs = zip(turns, repair_turns(turns), strict=True)
        changed += [(case.id, a.text, b.text) for a, b in pairs if a.text != b.text]
    assert changed == []


@pytest.mark.parametrize(
    "heard, expected",
    [
        ("Free sets of ten.", "Three sets of ten."),
        ("Three sets on ten.", "Three sets of ten."),
        ("Ten reps and two sets, then rest.", "Ten reps and two sets, then rest."),
        ("We went to sets of ten last time.", "We went to sets of ten last time."),
    ],
    ids=["free-three", "on-of", "and-before-a-count-kept", "to-kept"],
)
def test_misheard_dose_words_are_repaired(heard, expected):
    assert repair_text(heard)[0] == expected
