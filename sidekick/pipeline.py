"""Runs the stages in order for one visit; batch loops over it.

Stages never import each other: this module wires them. ``check_record`` is the heart of
``sidekick check``: read the note (structured, or extracted from free text), read the
transcript's facts, compute the units the payer's rule allows, and run every rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sidekick.config import Settings
from sidekick.models import (
    Case,
    CheckResult,
    HistoricalNote,
    SoapNote,
    VisitRecord,
)
from sidekick.validators import RULE_SET_VERSION, RuleContext, RuleOptions, run_rules

logger = logging.getLogger(__name__)


def rule_options(settings: Settings) -> RuleOptions:
    return RuleOptions(
        clone_threshold=settings.clone_threshold,
        section_threshold=settings.section_threshold,
        cross_threshold=settings.cross_threshold,
        static_visits=settings.static_visits,
    )


def note_of(record: VisitRecord) -> SoapNote | None:
    """The record's finished note read into a SoapNote (facts extracted from its text)."""
    if not record.note:
        return None
    from sidekick import facts

    return facts.parse_note(record.note, record.patient)


def build_context(
    record: VisitRecord,
    settings: Settings,
    *,
    note: SoapNote | None = None,
    history: Iterable[HistoricalNote] = (),
    corpus: Iterable[HistoricalNote] = (),
    billing_config: object | None = None,
) -> RuleContext:
    """Everything the rules need for one visit (pure computation, no I/O but the tables)."""
    from sidekick import billing, facts

    config = billing_config if billing_config is not None else billing.load_config(settings)
    if note is None:
        note = note_of(record)
    transcript = record.transcript if record.transcript and record.transcript.turns else None
    transcript_facts = facts.extract_from_transcript(transcript, record) if transcript else None
    units = billing.compute_units(record.billing, record.visit, config)
    return RuleContext(
        record=record,
        note=note,
        transcript=transcript,
        transcript_facts=transcript_facts,
        history=list(history),
        corpus=list(corpus),
        units=units,
        billing_config=config,
        options=rule_options(settings),
    )


def check_record(
    record: VisitRecord,
    settings: Settings,
    *,
    note: SoapNote | None = None,
    history: Iterable[HistoricalNote] = (),
    corpus: Iterable[HistoricalNote] = (),
    billing_config: object | None = None,
    families: tuple[str, ...] | None = None,
) -> CheckResult:
    """Check one visit: its note (given, or the record's own) against every rule."""
    ctx = build_context(
        record, settings, note=note, history=history, corpus=corpus, billing_config=billing_config
    )
    findings = run_rules(ctx, families)
    logger.info("record %s: %d finding(s)", record.id, len(findings))
    return CheckResult(
        record_id=record.id,
        note=ctx.note,
        findings=findings,
        units=ctx.units,
        rule_set_version=RULE_SET_VERSION,
    )


def case_history(
    case: VisitRecord, index: dict[str, Case], settings: Settings
) -> tuple[list[HistoricalNote], list[HistoricalNote]]:
    """The history and corpus of a gold case, from ``prior_note_ids`` / ``corpus_note_ids``.

    An earlier case with a written note contributes that note; one without (a drafting case)
    contributes the note the offline drafter makes from its transcript.
    """
    def as_history(ids: list[str]) -> list[HistoricalNote]:
        out = []
        for note_id in ids:
            other = index.get(note_id)
            if other is None:
                logger.warning("case %s: earlier note %s not in the folder", case.id, note_id)
                continue
            note = note_of(other) or _offline_note(other, settings)
            if note is None:
                continue
            out.append(
                HistoricalNote(
                    note_id=other.id,
                    patient_id=other.patient.id,
                    date=other.visit.date,
                    clinician=other.visit.clinician.name,
                    note=note,
                )
            )
        return sorted(out, key=lambda h: (h.date is None, h.date))

    return as_history(case.prior_note_ids), as_history(case.corpus_note_ids)


def _offline_note(record: VisitRecord, settings: Settings) -> SoapNote | None:
    if not record.transcript or not record.transcript.turns:
        return None
    from sidekick import draft

    return draft.draft_note(record.transcript, record, settings, drafter_name="offline").note
