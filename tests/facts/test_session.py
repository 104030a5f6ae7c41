"""Session facts: pain, function, goals, skill, response, plan; and the transcript API."""

from __future__ import annotations

import pytest

from sidekick import facts
from sidekick.facts import session
from sidekick.models import Patient, SoapFacts, Transcript, Turn, Visit, VisitRecord


def _turns(*lines: str) -> list[Turn]:
    who = {"t": "therapist", "p": "patient"}
    return [
        Turn(speaker=who[line[0]], start=float(i), text=line[3:])  # type: ignore[arg-type]
        for i, line in enumerate(lines)
    ]


def _record(diagnosis: str = "Left total knee arthroplasty") -> VisitRecord:
    return VisitRecord(
        id="t",
        patient=Patient(id="P", diagnosis=diagnosis, body_region="knee"),
        visit=Visit.model_validate(
            {
                "date": "2025-03-14",
                "discipline": "PT",
                "payer": "medicare",
                "clinician": {"name": "X", "credential": "PT"},
            }
        ),
    )


@pytest.mark.parametrize(
    "sections, before, after",
    [
        (
            {
                "Subjective": "Pain 5/10 on arrival, 7/10 Sunday after a weekend of quilting.",
                "Objective": "Pain 3/10 after session.",
            },
            5,
            3,
        ),
        ({"Subjective": "First-step pain 7/10; 5/10 on arrival after a 12-hour shift."}, 5, None),
        (
            {
                "Objective": "End-of-session pain 2/10, unchanged.",
                "Subjective": "Rates pain 2/10 today.",
            },
            2,
            2,
        ),
        ({"Assessment": "Goal: decline squat pain 2/10 or less."}, None, None),
    ],
    ids=[
        "arrival-then-after",
        "arrival-wins-over-after-a-shift",
        "end-of-session",
        "goal-is-not-pain",
    ],
)
def test_note_pain_reads_before_and_after(sections, before, after):
    pain = session.note_pain(sections)
    assert (pain.before, pain.after) == (before, after)


def test_transcript_pain_uses_answers_to_pain_questions_and_the_closing_summary():
    turns = _turns(
        "t: Zero to ten, those first steps?",
        "p: A seven. Then it loosens up.",
        "t: And right now?",
        "p: Right now a five.",
        *["t: Keep going." for _ in range(6)],
        "t: How's the heel right now, zero to ten?",
        "p: A three.",
    )
    pain = session.transcript_pain(turns)
    assert (pain.before, pain.after) == (7, 3)
    summary = turns[:-2] + _turns("t: Five down to a three. Nice work.")
    assert session.transcript_pain(summary).model_dump() == {"before": 5, "after": 3}


def test_counting_reps_is_not_a_pain_score():
    turns = _turns("t: How do the knees feel now?", "p: Eight, nine, ten. Good.")
    assert session.transcript_pain(turns).model_dump() == {"before": None, "after": None}


@pytest.mark.parametrize(
    "text, found",
    [
        ("Unable to reach top kitchen cabinet with L arm.", True),
        ("Walking limited to about 20 min before aching.", True),
        ("Descends stairs one step at a time with the rail.", True),
        ("Improved tolerance to elevated arm position after soft tissue work.", False),
        ("Reports intermittent tingling R 4th and 5th digits.", False),
    ],
    ids=[
        "unable-reach",
        "walking-limited",
        "stairs-step-to",
        "tolerance-not-activity",
        "symptom-only",
    ],
)
def test_limitations_pair_an_activity_with_a_limit(text, found):
    assert bool(session.limitations(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "Pt chokes on mixed-consistency foods at lunch.",
        "Mealtimes take over an hour because of fatigue while chewing.",
        "Unable to speak on the phone for more than 10 minutes due to voice fatigue.",
        "Can't do more than half an hour at the computer before neck pain.",
        "Needs help with dressing and bathing after the fall.",
        "Turns the whole body instead of the head when shoulder checking while driving.",
        "Jaw locks when biting into a sandwich.",
        "Dizziness when looking up to the top shelf.",
        "Needs mod A for tub transfers.",
        "Dependent for IADLs such as meal prep.",
        "Decreased tolerance for standing at the sink.",
        "Handwriting limited to 10 minutes.",
    ],
)
def test_non_physical_limitations_count(text):
    assert session.limitations(text)


@pytest.mark.parametrize(
    "text",
    [
        "Single-leg stance with feedback from the mirror.",
        "Lumbar spine mobilization grade III.",
    ],
)
def test_exercise_words_are_not_limitations(text):
    assert not session.limitations(text)


@pytest.mark.parametrize(
    "detector, text, found",
    [
        (session.goals, "Progressing toward goals: walk 20 minutes without rest.", True),
        (session.goals, "TUG 13.4 sec (15.2 sec at evaluation).", True),
        (session.goals, "Heel felt looser after session.", False),
        (session.skilled, "Verbal cues for level pelvis during bridges.", True),
        (session.skilled, "Pt performed HEP.", False),
        (
            session.skilled,
            "Neuromuscular re-ed (97112, 10 min): balance training. Pt would "
            "benefit from continued skilled PT.",
            False,
        ),
        (session.responses, "Tolerated progression to blue band without increase in pain.", True),
        (session.responses, "Reduced pain-free grip and wrist extensor load tolerance.", False),
        (session.plan_items, "Continue PT 2x/week. Next visit add step-ups.", True),
        (session.plan_items, "Pt verbalized understanding. Questions answered.", False),
    ],
    ids=[
        "goal-stated",
        "goal-comparison",
        "goal-none",
        "skilled-cues",
        "skilled-hep-only",
        "skilled-boilerplate-is-not",
        "response-tolerated",
        "response-pain-free-is-not",
        "plan-next-visit",
        "plan-none",
    ],
)
def test_detectors(detector, text, found):
    assert bool(detector(text)) is found


@pytest.mark.parametrize(
    "text, found",
    [
        ("66 y/o female with adhesive capsulitis of the L shoulder.", True),
        ("Pt seen for visit 5, M75.02.", True),
        ("66 y/o female, PT visit 5. Pain 4/10 on arrival.", False),
    ],
)
def test_diagnosis_needs_a_condition_with_a_region_or_a_code(text, found):
    assert bool(session.diagnosis_in(text)) is found


def test_extract_from_transcript_of_nothing_is_empty_facts():
    assert facts.extract_from_transcript(None).model_dump() == SoapFacts().model_dump()
    assert facts.extract_from_transcript(Transcript(turns=[])).measures == []


def test_extract_from_transcript_collects_measures_pain_plan_and_home_program():
    transcript = Transcript(
        turns=_turns(
            "t: Zero to ten, how's the knee right now?",
            "p: About a five.",
            "t: Let's measure. Slide the heel up as far as you can.",
            "t: Eighty-eight degrees of bend. Last week you were at eighty-two.",
            "t: Keep your knee over your second toe.",
            "t: How's the knee now, zero to ten?",
            "p: A three.",
            "t: For home, keep the quad sets three times a day.",
            "t: Next time we'll add step-ups. See you Thursday, twice a week.",
        )
    )
    got = facts.extract_from_transcript(transcript, _record())
    assert [(m.name, m.side, m.value) for m in got.measures] == [("knee flexion AROM", "left", 88)]
    assert (got.pain.before, got.pain.after) == (5, 3)
    assert got.home_program == ["For home, keep the quad sets three times a day."]
    assert "Keep your knee over your second toe." in got.skilled
    assert any("Next time" in p for p in got.plan_items)
    assert got.diagnosis == "Left total knee arthroplasty"


def test_non_english_transcript_gives_empty_facts_not_an_error():
    transcript = Transcript(turns=_turns("t: ¿Cómo está la rodilla hoy?", "p: Me duele un poco."))
    got = facts.extract_from_transcript(transcript, _record())
    assert got.measures == [] and got.exercises == []


def test_transcript_without_speaker_roles_still_gives_pain_and_measures():
    lines = [
        "How's the knee right now, zero to ten?",
        "About a five.",
        "Let's measure. Slide the heel up as far as you can.",
        "Ready.",
        "Ninety-five degrees.",
        *["Keep going." for _ in range(6)],
        "How's the knee now, zero to ten?",
        "A three.",
    ]
    transcript = Transcript(turns=[Turn(speaker="unknown", text=t) for t in lines])
    got = facts.extract_from_transcript(transcript, _record())
    assert (got.pain.before, got.pain.after) == (5, 3)
    assert [(m.name, m.value) for m in got.measures] == [("knee flexion AROM", 95)]


def test_note_pain_ignores_other_symptom_ratings():
    pain = session.note_pain({"Objective": "Pain 4/10 on arrival. Dizziness 3/10 after session."})
    assert (pain.before, pain.after) == (4, None)


@pytest.mark.parametrize(
    "sentence",
    ["Actually make it one set, you're fading.", "Touch the bar only if you need it."],
    ids=["regression-to-fewer-sets", "assist-only-if-needed"],
)
def test_spoken_modifications_and_assist_guidance_are_cues(sentence):
    assert session.cues(sentence) == [sentence]


def test_unlabelled_turns_still_give_the_patients_limitations():
    """Whisper without diarization labels every turn 'unknown': the patient's report of what
    they cannot do must still reach the note (MN-FUNCTION), the therapist's talk must not."""
    from sidekick.facts import extract_from_transcript
    from sidekick.models import Transcript, Turn

    lines = [
        "How are the stairs at home?",
        "I can't go down the stairs without holding the rail.",
        "Let's keep you holding the rail when you walk down the stairs for now.",
        "Now mini squats, two sets of ten.",
        "Good, slow on the way down.",
        "Next visit we add step-downs.",
        "See you Thursday.",
    ]
    transcript = Transcript(turns=[Turn(speaker="unknown", text=t) for t in lines])
    limits = extract_from_transcript(transcript).functional_limitations
    assert limits == ["I can't go down the stairs without holding the rail."]


@pytest.mark.parametrize(
    "sentence", ["F/u 1 wk.", "RTC Thursday.", "Pt to return in 1 week.", "See pt next Tues.",
                 "Progress as tolerated."],
)
def test_emr_plan_shorthand_is_a_plan(sentence):
    assert session.plan_items(sentence)


@pytest.mark.parametrize(
    "sentence", ["Limited amb tolerance to 10 min.", "c/o pain w/ overhead reaching."],
)
def test_emr_limitation_shorthand_is_a_limitation(sentence):
    assert session.limitations(sentence)
