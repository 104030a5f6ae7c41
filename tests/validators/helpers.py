"""Shared helpers for rule tables: build records and contexts, read findings.

Generic on purpose, for every rule family::

    record = make_record(billing=[bill("97110", 33, 2, "GP")], payer="medicare")
    ctx = make_context(record, note=make_note(objective="..."))
    assert ids(run_rule("TU-UNITS", ctx)) == {"TU-UNITS"}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sidekick.billing import builtin_config, compute_units
from sidekick.models import (
    BillingLine,
    Clinician,
    Finding,
    HistoricalNote,
    Patient,
    SoapNote,
    Transcript,
    Turn,
    Visit,
    VisitRecord,
)
from sidekick.validators import RULES, RuleContext


def bill(cpt: str, minutes: int | None = None, units: int | None = None,
         *modifiers: str) -> BillingLine:
    """One billing line: ``bill("97110", 33, 2, "GP")``."""
    return BillingLine(cpt=cpt, minutes=minutes, units=units, modifiers=list(modifiers))


def make_record(
    *,
    billing: Iterable[BillingLine] = (),
    payer: str = "medicare",
    discipline: str = "PT",
    credential: str = "PT",
    date: str | dt.date = "2025-03-14",
    session_minutes: int | None = 60,
    ytd: float | None = 0.0,
    note: str | None = None,
    turns: Iterable[tuple[str, str]] | None = None,
    record_id: str = "test-record",
    patient_id: str = "P-TEST-01",
    diagnosis: str = "Right knee osteoarthritis",
    **extra: Any,
) -> VisitRecord:
    """A synthetic visit record; ``turns`` are ``(speaker, text)`` pairs, 5 s apart."""
    transcript = None
    if turns is not None:
        transcript = Transcript(turns=[
            Turn(speaker=speaker, start=5.0 * i, text=text)  # type: ignore[arg-type]
            for i, (speaker, text) in enumerate(turns)
        ])
    return VisitRecord(
        id=record_id,
        patient=Patient(id=patient_id, diagnosis=diagnosis),
        visit=Visit(
            date=dt.date.fromisoformat(date) if isinstance(date, str) else date,
            discipline=discipline,  # type: ignore[arg-type]
            payer=payer,
            clinician=Clinician(name="Test Clinician", credential=credential),  # type: ignore[arg-type]
            session_minutes=session_minutes,
            ytd_therapy_amount_usd=ytd,
        ),
        billing=list(billing),
        transcript=transcript,
        note=note,
        **extra,
    )


def make_note(**fields: Any) -> SoapNote:
    """A SoapNote with the given sections/facts (``structured`` defaults to True)."""
    fields.setdefault("structured", True)
    return SoapNote(**fields)


def make_context(
    record: VisitRecord,
    *,
    note: SoapNote | None = None,
    history: Iterable[HistoricalNote] = (),
    corpus: Iterable[HistoricalNote] = (),
    **extra: Any,
) -> RuleContext:
    """A RuleContext with the built-in billing tables and the engine's units."""
    config = builtin_config()
    return RuleContext(
        record=record,
        note=note,
        transcript=record.transcript,
        history=list(history),
        corpus=list(corpus),
        units=compute_units(record.billing, record.visit, config),
        billing_config=config,
        **extra,
    )


def run_rule(rule_id: str, ctx: RuleContext) -> list[Finding]:
    """The findings of one registered rule."""
    return list(RULES[rule_id].check(ctx))


def ids(findings: Iterable[Finding]) -> set[str]:
    """The rule ids among findings."""
    return {f.rule_id for f in findings}


def fires(rule_id: str, ctx: RuleContext) -> bool:
    """Whether the rule raises at least one finding."""
    return bool(run_rule(rule_id, ctx))
