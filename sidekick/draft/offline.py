"""The offline drafter: the embedded default, works with no key and sends nothing anywhere.

The fact extractor (``sidekick.facts.extract_from_transcript``) fills exercises, doses,
measures, pain and the session's statements; ``compose`` writes the S/O/A/P text from
templates and those statements. It never writes a number the transcript or the billing
entry does not contain. What the session lacks is listed in ``SoapNote.to_add``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sidekick.config import Settings
from sidekick.draft import compose
from sidekick.errors import ConfigError
from sidekick.models import NoteProvenance, SoapFacts, SoapNote, Transcript, VisitRecord

logger = logging.getLogger(__name__)

Extractor = Callable[[Transcript, VisitRecord], SoapFacts]


def _default_extractor(transcript: Transcript, record: VisitRecord) -> SoapFacts:
    try:
        from sidekick import facts
    except ImportError as exc:  # the extractor is a separate stage; say so plainly
        raise ConfigError(
            "the fact extractor (sidekick.facts) is not installed; reinstall sidekick"
        ) from exc
    return facts.extract_from_transcript(transcript, record)


def timed_code_checker(settings: Settings | None) -> Callable[[str], bool]:
    """Whether a code is timed, from the billing engine's table when it is there."""
    if settings is not None:
        try:
            from sidekick import billing

            config = billing.load_config(settings)
            is_timed = getattr(config, "is_timed", None)
            if callable(is_timed):
                return lambda code: bool(is_timed(code))
            codes = getattr(config, "codes", None)
            if isinstance(codes, dict) and codes:
                return lambda code: _timed_from_table(codes, code)
        except ImportError:
            logger.debug("billing engine not available; using the built-in timed-code list")
    return lambda code: code.strip().upper() in compose.TIMED_CODES


def _timed_from_table(codes: dict, code: str) -> bool:
    entry = codes.get(code.strip().upper())
    if entry is None:
        return code.strip().upper() in compose.TIMED_CODES
    timed = entry.get("timed") if isinstance(entry, dict) else getattr(entry, "timed", None)
    return bool(timed) if timed is not None else code in compose.TIMED_CODES


def compose_note(
    facts: SoapFacts,
    record: VisitRecord,
    is_timed: Callable[[str], bool],
    provenance: NoteProvenance,
) -> SoapNote:
    """A structured SoapNote from the facts, the visit and the billing lines."""
    totals = compose.minute_totals(record.billing, is_timed)
    data = facts.model_dump()
    data["total_timed_minutes"], data["total_treatment_minutes"] = totals
    if not data.get("diagnosis"):
        data["diagnosis"] = compose.diagnosis_text(record, facts) or None
    return SoapNote(
        **data,
        subjective=compose.subjective(record, facts),
        objective=compose.objective(facts, record.billing, totals),
        assessment=compose.assessment(record, facts),
        plan=compose.plan(facts),
        structured=True,
        provenance=provenance,
        to_add=compose.missing_items(record, facts, totals),
    )


class OfflineDrafter:
    """Rules and templates over the fact extractor. Deterministic and parallel-safe."""

    name = "offline"
    parallel_safe = True

    def __init__(self, settings: Settings | None = None, extractor: Extractor | None = None):
        self._extract = extractor or _default_extractor
        self._is_timed = timed_code_checker(settings)

    def draft(self, transcript: Transcript, record: VisitRecord) -> SoapNote:
        facts = self._extract(transcript, record)
        provenance = NoteProvenance(
            drafter=self.name, created_at=dt.datetime.now(dt.UTC)
        )
        note = compose_note(facts, record, self._is_timed, provenance)
        logger.info(
            "offline draft: %d exercise(s), %d measure(s), %d item(s) to add",
            len(note.exercises), len(note.measures), len(note.to_add),
        )
        return note
