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


class BillingLookup:
    """What the drafter needs from the billing engine's tables: timed codes, payers' totals.

    Without the tables (no settings) it falls back to the built-in timed-code list and to
    "Medicare requires both totals".
    """

    def __init__(self, settings: Settings | None = None):
        self._config = None
        if settings is not None:
            from sidekick import billing

            self._config = billing.load_config(settings)

    def is_timed(self, code: str) -> bool:
        code = code.strip().upper()
        if self._config is not None and code in self._config.codes:
            return self._config.is_timed(code)
        return code in compose.TIMED_CODES

    def requires_totals(self, payer: str) -> bool:
        if self._config is not None:
            key = self._config.payer_key(payer)
            if key is not None:
                return self._config.payers[key].requires_totals
        return payer.strip().lower() == "medicare"


def compose_note(
    facts: SoapFacts,
    record: VisitRecord,
    lookup: BillingLookup,
    provenance: NoteProvenance,
) -> SoapNote:
    """A structured SoapNote from the facts, the visit and the billing lines."""
    totals = compose.minute_totals(record.billing, lookup.is_timed)
    needs_totals = lookup.requires_totals(record.visit.payer)
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
        to_add=compose.missing_items(record, facts, totals, needs_totals=needs_totals),
    )


class OfflineDrafter:
    """Rules and templates over the fact extractor. Deterministic and parallel-safe."""

    name = "offline"
    parallel_safe = True

    def __init__(self, settings: Settings | None = None, extractor: Extractor | None = None):
        self._extract = extractor or _default_extractor
        self._billing = BillingLookup(settings)

    def draft(self, transcript: Transcript, record: VisitRecord) -> SoapNote:
        facts = self._extract(transcript, record)
        provenance = NoteProvenance(
            drafter=self.name, created_at=dt.datetime.now(dt.UTC)
        )
        note = compose_note(facts, record, self._billing, provenance)
        logger.info(
            "offline draft: %d exercise(s), %d measure(s), %d item(s) to add",
            len(note.exercises), len(note.measures), len(note.to_add),
        )
        return note
