"""Position and body-part variants of a named exercise (sidekick.facts.variants)."""

from __future__ import annotations

import pytest

from sidekick.facts.exercises import extract_exercises
from sidekick.facts.lexicon import load_lexicon
from sidekick.facts.variants import isometric_variant, position_variant
from sidekick.models import Patient, Transcript, Turn, VisitRecord


@pytest.mark.parametrize(
    ("named", "text", "expected"),
    [
        ("side-lying hip abduction", "leg lifts out to the side, standing at the counter",
         "standing hip abduction"),
        ("standing heel raise", "heel raises, seated, weight on the knees", "seated calf raise"),
        ("standing hip extension", "hip extension on hands and knees", "quadruped hip extension"),
        ("standing hip abduction", "standing, lift the leg out", "standing hip abduction"),
        ("single leg heel raise", "standing on the step, one leg", "single leg heel raise"),
    ],
    ids=["side-lying-to-standing", "standing-to-seated", "standing-to-quadruped",
         "same-position-kept", "no-position-of-its-own"],
)
def test_the_stated_position_picks_the_family_variant(named, text, expected):
    lex = load_lexicon()
    assert position_variant(lex, lex.lookup(named), text).name == expected


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Calf isometrics, five holds.", "", "isometric calf press"),
        ("Isometrics now, press the chin down against your fist.", "",
         "isometric resisted mouth opening"),
        ("Now isometrics, five holds.", "Cervical strain", "cervical isometrics"),
        ("Now isometrics, five holds.", "Right rotator cuff tendinopathy", "shoulder isometrics"),
    ],
    ids=["calf-in-turn", "jaw-in-turn", "neck-from-diagnosis", "shoulder-from-diagnosis"],
)
def test_bare_isometrics_takes_the_body_part_in_question(text, context, expected):
    lex = load_lexicon()
    assert isometric_variant(lex, lex.lookup("shoulder isometrics"), text, context).name \
        == expected


def test_a_session_names_the_standing_variant():
    transcript = Transcript(turns=[Turn(speaker="therapist", start=0.0,
                                        text="Side leg lifts now, standing. Ten each leg, "
                                             "two sets.")])
    assert [e.name for e in extract_exercises(transcript)] == ["standing hip abduction"]


def test_bare_isometrics_in_a_session_uses_the_diagnosis():
    record = VisitRecord.model_construct(patient=Patient.model_construct(diagnosis="Neck pain"))
    transcript = Transcript(turns=[Turn(speaker="therapist", start=0.0,
                                        text="Okay, isometrics. Five holds of ten seconds.")])
    assert [e.name for e in extract_exercises(transcript, record)] == ["cervical isometrics"]
