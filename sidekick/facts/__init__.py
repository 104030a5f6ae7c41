"""Clinical facts: exercises, doses, measures and session facts, from a transcript or a note.

Deterministic readers, no model: the lexicons in ``sidekick/data/lexicon/`` name exercises and
measures; the readers return the pydantic models of ``sidekick.models`` with the span each fact
came from. Three public names:

- ``extract_from_transcript(transcript, record=None) -> SoapFacts``
- ``parse_note(text, patient=None) -> SoapNote`` (``structured=False``)
- ``split_sections(text) -> dict[str, str]``
"""

from __future__ import annotations

import logging

from sidekick.facts import session
from sidekick.facts.notes import parse_note, split_sections
from sidekick.facts.spoken import measures_from_turns
from sidekick.facts.spoken_session import is_skilled, real_plan, spoken_plan, spoken_progress
from sidekick.models import Exercise, SoapFacts, Transcript, Turn, VisitRecord

logger = logging.getLogger(__name__)


def extract_from_transcript(
    transcript: Transcript | None, record: VisitRecord | None = None
) -> SoapFacts:
    """The facts of a session transcript: performed exercises, measures, pain, function, plan.

    Args:
        transcript: the session; ``None`` or no turns gives empty facts.
        record: the visit, when known: its patient's diagnosis and body region name the
            involved side and joint, and pick the standard questionnaire for a score said
            without its name.
    """
    if transcript is None or not transcript.turns:
        return SoapFacts()
    turns = transcript.turns
    patient = record.patient if record else None
    diagnosis = patient.diagnosis if patient else None
    region = patient.body_region if patient else None
    by_speaker = session.transcript_facts_text(turns)
    therapist, said_by_patient = by_speaker["therapist"], by_speaker["patient"]
    facts = SoapFacts(
        exercises=_exercises(transcript, record),
        measures=measures_from_turns(turns, diagnosis=diagnosis, region=region),
        pain=session.transcript_pain(turns),
        diagnosis=diagnosis or session.diagnosis_in(transcript.text()),
        functional_limitations=session.spoken_limitations(turns),
        goals=_unique(session.spoken_goals(therapist) + spoken_progress(therapist)),
        skilled=_skilled(turns),
        responses=session.responses(said_by_patient),
        plan_items=[
            p
            for p in _unique(session.plan_items(_closing(turns)) + spoken_plan(turns))
            if real_plan(p)
        ],
        home_program=session.home_program(therapist),
    )
    logger.debug(
        "transcript facts: %d exercise(s), %d measure(s)", len(facts.exercises), len(facts.measures)
    )
    return facts


def _exercises(transcript: Transcript, record: VisitRecord | None) -> list[Exercise]:
    try:
        from sidekick.facts.exercises import extract_exercises
    except ImportError:  # the exercise reader ships separately (issue 3, part A)
        logger.debug("exercise extractor not available; transcript exercises left empty")
        return []
    return list(extract_exercises(transcript, record))


def _skilled(turns: list[Turn]) -> list[str]:
    """Corrections and cues the therapist gives ("Keep your knee over your second toe"); not
    doses, measures, home-program remarks or a bare "Better."."""
    cues: list[str] = []
    for turn in turns:
        if turn.speaker in ("therapist", "unknown"):
            cues += [s for s in session.skilled(turn.text) if is_skilled(s, hands_on=True)]
            cues += [s for s in session.cues(turn.text) if is_skilled(s)]
    return _unique(cues)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _closing(turns: list[Turn]) -> str:
    """The therapist's last third of the session, where the plan is said."""
    start = int(len(turns) * 2 / 3)
    return "\n".join(t.text for t in turns[start:] if t.speaker in ("therapist", "unknown"))


__all__ = ["extract_from_transcript", "parse_note", "split_sections"]
