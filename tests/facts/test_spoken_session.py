"""Spoken session facts: plans said mid-session, progress, skilled sentences, other ratings."""

from __future__ import annotations

import pytest

from sidekick import facts
from sidekick.facts.spoken_session import (
    arrival_pain,
    is_skilled,
    other_rating,
    real_plan,
    spoken_plan,
    spoken_progress,
)
from sidekick.models import Transcript, Turn


def _turns(*lines: str) -> list[Turn]:
    who = {"t": "therapist", "p": "patient"}
    return [
        Turn(speaker=who[line[0]], start=float(i), text=line[3:])  # type: ignore[arg-type]
        for i, line in enumerate(lines)
    ]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Three more sessions in the gym, then we start running drills.", True),
        ("We'll retest the grip next visit.", True),
        ("See you Monday.", True),
        ("Bend the knee a little more.", False),
    ],
)
def test_spoken_plan_anywhere_in_the_session(text, found):
    assert bool(spoken_plan(_turns("t: " + text))) is found


@pytest.mark.parametrize(
    "text, found",
    [
        ("Down from sixty-one.", True),
        ("Ninety and twelve last week.", True),
        ("You were nineteen at the evaluation.", True),
        ("Same weight as last time, two sets of ten.", False),
        ("Last week was rough.", False),
    ],
)
def test_spoken_progress_needs_an_earlier_value(text, found):
    assert bool(spoken_progress(text)) is found


@pytest.mark.parametrize(
    "sentence, skilled",
    [
        ("Keep the knee over the second toe.", True),
        ("Your hips are dropping, lift the left side.", True),
        ("Make it lighter if the shoulder pinches.", True),
        ("Lunges, three sets of eight.", False),
        ("Much better.", False),
        ("Do these every morning at home.", False),
        ("Balance test next.", False),
        ("Upper body yes.", False),
    ],
)
def test_is_skilled_keeps_only_cues_and_changes(sentence, skilled):
    assert is_skilled(sentence) is skilled


def test_other_ratings_are_not_pain():
    assert other_rating("How's the queasiness, zero to ten?")
    assert other_rating("How hard was that, zero to ten?")
    assert not other_rating("Any pain, zero to ten?")


def test_arrival_rating_and_replies():
    assert arrival_pain("Three now. Six when I walked in though.") == 6
    assert arrival_pain("Three now.") is None
    assert not real_plan("I know you will.")
    assert real_plan("We will add step-ups.")


def test_nausea_rating_late_in_session_is_not_pain_after():
    turns = _turns(
        "t: Any pain today, zero to ten?",
        "p: Two.",
        "t: Head turns on the foam now, ten turns.",
        "t: Good.",
        "t: Rate the nausea zero to ten.",
        "p: Four.",
    )
    pain = facts.extract_from_transcript(Transcript(turns=turns)).pain
    assert (pain.before, pain.after) == (2, None)


@pytest.mark.parametrize(
    "question, answer, before",
    [
        ("How's it feeling?", "Tight. Pain's a four.", 4),
        ("How are we today?", "Not bad. Two out of ten.", 2),
        ("How's the hand?", "Stiff. I can't open jars. Pain's about a five.", 5),
    ],
    ids=["pains-a-n", "n-out-of-ten", "pain-named-in-a-later-sentence"],
)
def test_pain_reported_without_a_pain_question(question, answer, before):
    turns = _turns("t: " + question, "p: " + answer, "t: Okay.", "t: Bridges.", "t: Good.")
    assert facts.extract_from_transcript(Transcript(turns=turns)).pain.before == before


def test_supination_and_pronation_said_with_the_value():
    from sidekick.facts.spoken import measures_from_turns

    turns = _turns(
        "t: Turn the palm up.", "t: Supination fifty. Palm down.", "t: Pronation seventy."
    )
    got = {(m.name, m.value) for m in measures_from_turns(turns, diagnosis="Left wrist fracture")}
    assert got == {("forearm supination AROM", 50), ("forearm pronation AROM", 70)}


def test_a_test_instruction_is_not_a_skilled_cue():
    assert not is_skilled("Squeeze as hard as you can, left first.")


def test_freezing_and_near_falls_are_spoken_limitations():
    turns = _turns(
        "t: How has the walking been?",
        "p: I freeze in doorways. I nearly fell getting out of the tub.",
        "t: Okay.",
        "t: Let's start.",
        "t: Good.",
    )
    assert len(facts.session.spoken_limitations(turns)) == 2


def test_amplitude_cues_are_skilled():
    turns = _turns("t: Big steps to the cone. Swing the arms. Think big.")
    assert facts.extract_from_transcript(Transcript(turns=turns)).skilled == [
        "Swing the arms.",
        "Think big.",
    ]


def test_pain_that_keeps_the_patient_up_or_spoils_sitting_is_a_spoken_limitation():
    turns = _turns(
        "t: How's the shoulder?",
        "p: Four. It kept me up. Church pews are killing me.",
        "t: Okay.", "t: Let's start.", "t: Good.",
    )
    assert facts.session.spoken_limitations(turns) == [
        "It kept me up.", "Church pews are killing me."]
