"""Raw-text support for grounding: a note line the extractor missed is found in the words."""

from __future__ import annotations

import pytest

from sidekick.facts.raw_support import claimed_numbers, name_words, raw_support
from sidekick.models import Exercise, Transcript, Turn


def _transcript(*lines: str) -> Transcript:
    who = {"t": "therapist", "p": "patient"}
    return Transcript(
        turns=[
            Turn(speaker=who[line[0]], start=float(i), text=line[3:])  # type: ignore[arg-type]
            for i, line in enumerate(lines)
        ]
    )


SESSION = _transcript(
    "t: Balance now. Feet heel to toe on the line, four times twenty seconds.",
    "p: Wobbly.",
    "t: Green band around the foot, turning out against it. Two by twelve.",
    "t: Touch the thumb to each fingertip. Eight rounds.",
    "t: Next visit we'll add lunges with the kettlebell, three by eight.",
)


@pytest.mark.parametrize(
    "exercise, supported",
    [
        (Exercise(name="tandem stance", sets=4, hold_s=20), True),
        (Exercise(name="band ankle eversion", sets=2, reps=12, load="green band"), True),
        (Exercise(name="thumb opposition", reps=8), True),
        (Exercise(name="band ankle eversion", sets=3, reps=12), False),  # 3 never said there
        (Exercise(name="forward lunge", sets=3, reps=8), False),  # said only for next visit
        (Exercise(name="hip hike", sets=2, reps=10), False),
    ],
    ids=[
        "synonym-heel-to-toe",
        "synonym-turning-out",
        "thumb",
        "number-missing",
        "future",
        "never-said",
    ],
)
def test_raw_support(exercise, supported):
    assert raw_support(exercise, SESSION) is supported


def test_name_words_drop_side_and_setting_words():
    assert name_words("weight shifts onto the L leg in parallel bars") == ["weight", "shifts"]


def test_claimed_numbers_skip_one_set_and_read_minutes_and_load():
    ex = Exercise(name="bike", sets=1, duration_s=600, load="3 lb ankle weight")
    assert claimed_numbers(ex) == {10.0, 3.0}
