"""Runs the stages in order for one visit; batch loops over it.

Stages never import each other: this module wires them. ``check_record`` is the heart of
``sidekick check``: read the note (structured, or extracted from free text), read the
transcript's facts, compute the units the payer's rule allows, and run every rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sidekick.config import Settings
from sidekick.errors import InputError
from sidekick.inputs import (
    AUDIO_SUFFIXES,
    Transcriber,
    build_visit,
    content_hash,
    input_kind,
    load_input,
    load_visit,
    read_transcript_text,
    sidecar_visit,
)
from sidekick.models import (
    Case,
    CheckResult,
    HistoricalNote,
    NoteDocument,
    SoapFacts,
    SoapNote,
    Transcript,
    VisitRecord,
)
from sidekick.outputs import (
    atomic_write_bytes,
    atomic_write_text,
    findings_payload,
    output_paths,
    remove_stale_temporaries,
    write_outputs,
)
from sidekick.validators import RULE_SET_VERSION, RuleContext, RuleOptions, run_rules

logger = logging.getLogger(__name__)

HistoryFor = Callable[[VisitRecord], tuple[list[HistoricalNote], list[HistoricalNote]]]

__all__ = [
    "AUDIO_SUFFIXES", "build_visit", "build_context", "case_history", "check_record",
    "content_hash", "input_kind", "load_input", "load_visit", "note_of", "read_transcript_text",
    "rule_options", "run_one", "run_record", "sidecar_visit", "write_outputs",
    "atomic_write_bytes", "atomic_write_text", "findings_payload", "output_paths",
    "remove_stale_temporaries", "save_draft", "store_history", "log_ref",
]


def log_ref(name: str) -> str:
    """A short stable reference for logs: ids and file stems can hold names, so never log them."""
    return "#" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


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
    transcript_facts: SoapFacts | None = None,
) -> RuleContext:
    """Everything the rules need for one visit (pure computation, no I/O but the tables).

    ``transcript_facts``: the extractor's reading of the record's transcript when the caller
    already has it (the offline drafter extracted it), so it is not extracted twice.
    """
    from sidekick import billing, facts
    from sidekick.facts import lexicon

    lexicon.use_settings(settings)  # the clinic's own exercise words, if configured
    config: Any = billing_config if billing_config is not None else billing.load_config(settings)
    if note is None:
        note = note_of(record)
    transcript = record.transcript if record.transcript and record.transcript.turns else None
    if transcript is None:
        transcript_facts = None
    elif transcript_facts is None:
        transcript_facts = facts.extract_from_transcript(transcript, record)
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
    transcript_facts: SoapFacts | None = None,
) -> CheckResult:
    """Check one visit: its note (given, or the record's own) against every rule."""
    ctx = build_context(
        record, settings, note=note, history=history, corpus=corpus,
        billing_config=billing_config, transcript_facts=transcript_facts,
    )
    findings = run_rules(ctx, families)
    logger.info("record %s: %d finding(s)", log_ref(record.id), len(findings))
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


# --------------------------------------------------------------------------- one visit


def _fill_units(record: VisitRecord, settings: Settings) -> VisitRecord:
    """Lines entered with minutes but no units get the units the payer's rule allows."""
    if all(line.units is not None for line in record.billing):
        return record
    from sidekick import billing

    allowed = billing.compute_units(record.billing, record.visit, billing.load_config(settings))
    lines = [
        line if line.units is not None
        else line.model_copy(update={"units": allowed.units.get(line.cpt, 0)})
        for line in record.billing
    ]
    return record.model_copy(update={"billing": lines})


def run_record(
    record: VisitRecord, settings: Settings, *, name: str | None = None,
    drafter_name: str | None = None, drafter: Any = None,
    history: Iterable[HistoricalNote] = (), corpus: Iterable[HistoricalNote] = (),
) -> NoteDocument:
    """Draft (unless the record carries a finished note) and check one visit.

    Returns the note document ``sidekick run`` writes: the record, the note, findings, units.
    """
    record = _fill_units(record, settings)
    fallback = None
    note: SoapNote | None = None
    seen: dict[str, SoapFacts] = {}
    if record.note:
        note, used = note_of(record), "human"
    elif record.transcript and record.transcript.turns:
        from sidekick import draft

        if drafter is None and (drafter_name or settings.drafter).strip().lower() == "offline":
            drafter = _offline_drafter(settings, seen)
        result = draft.draft_note(
            record.transcript, record, settings, drafter_name=drafter_name, drafter=drafter
        )
        note, used, fallback = result.note, result.drafter, result.fallback_reason
    else:
        raise InputError(f"{record.id}: transcript: empty and there is no note; nothing to draft")
    assert note is not None  # note_of returns a note for a record with note text
    check = check_record(record, settings, note=note, history=history, corpus=corpus,
                         transcript_facts=seen.get("facts") if used == "offline" else None)
    return NoteDocument(
        name=name or record.id, record=record, note=check.note or note, findings=check.findings,
        units=check.units, rule_set_version=check.rule_set_version, drafter=used,
        fallback_reason=fallback, created_at=dt.datetime.now(dt.UTC),
    )


def _offline_drafter(settings: Settings, seen: dict[str, SoapFacts]) -> Any:
    """The offline drafter, keeping the facts it extracts so the checks need not redo it."""
    from sidekick import facts
    from sidekick.draft.offline import OfflineDrafter

    def extract(transcript: Transcript, record: VisitRecord) -> SoapFacts:
        seen["facts"] = facts.extract_from_transcript(transcript, record)
        return seen["facts"]

    return OfflineDrafter(settings, extractor=extract)


def _sibling_history(
    record: VisitRecord, folder: Path, settings: Settings
) -> tuple[list[HistoricalNote], list[HistoricalNote]]:
    """History of a gold case from the cases beside it (``prior_note_ids``, ``corpus_note_ids``)."""
    index: dict[str, Case] = {}
    for other in sorted(folder.glob("*.json")):
        data = _quiet_json(other)
        if isinstance(data, dict) and "gold" in data:
            try:
                case = Case.model_validate({"id": other.stem, **data})
            except ValueError:
                continue
            index[case.id] = case
    return case_history(record, index, settings)


def _quiet_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_one(
    path: Path | str, settings: Settings, *, visit: VisitRecord | None = None,
    drafter_name: str | None = None, drafter: Any = None, transcriber: Transcriber | None = None,
    history_for: HistoryFor | None = None, name: str | None = None,
    input_sha256: str | None = None,
) -> NoteDocument:
    """The main job for one input: transcribe when needed, draft, check.

    Args:
        path: Audio, a transcript (JSON/TXT), or a visit record / gold case JSON.
        settings: The run's settings.
        visit: Visit details for audio and transcripts (a sidecar ``<name>.visit.json`` wins).
        drafter_name, drafter: Passed to ``draft.draft_note`` (None: the settings' drafter).
        transcriber: Audio to Transcript (None: the bundled Whisper model).
        history_for: The patient's earlier notes and the clinic corpus for the CL-* checks
            (from the history database); gold cases use the cases beside them instead.
        name: Output name (default: the file's stem).
        input_sha256: The input's content hash when the caller has it (else computed).

    Raises:
        SidekickError: the input cannot be read, transcribed or drafted.
    """
    path = Path(path)
    started = time.perf_counter()
    record = load_input(path, settings, visit=visit, transcriber=transcriber)
    history: tuple[list[HistoricalNote], list[HistoricalNote]] = ([], [])
    if record.prior_note_ids or record.corpus_note_ids:
        history = _sibling_history(record, path.parent, settings)
    elif history_for is not None:
        history = history_for(record)
    doc = run_record(
        record, settings, name=name or path.stem, drafter_name=drafter_name, drafter=drafter,
        history=history[0], corpus=history[1],
    )
    doc.input_sha256 = input_sha256 or content_hash(path, visit, drafter_name or "")
    logger.info("item %s: %d finding(s) in %.2fs", log_ref(doc.name), len(doc.findings),
                time.perf_counter() - started)
    return doc


# --------------------------------------------------------------------------- history database


def store_history(store: Any, corpus_limit: int = 2000) -> HistoryFor:
    """``history_for`` backed by the history database: earlier notes, then the clinic corpus."""

    def history_for(record: VisitRecord) -> tuple[list[HistoricalNote], list[HistoricalNote]]:
        history = store.patient_history(
            record.patient.id, before=record.visit.date, exclude_visit_id=record.id
        )
        return history, store.corpus(record.patient.id, limit=corpus_limit)

    return history_for


def _same_note(a: SoapNote, b: SoapNote) -> bool:
    """Equal apart from when they were drafted (a re-run of the same input)."""
    skip = {"provenance": {"created_at"}}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


def save_draft(store: Any, doc: NoteDocument) -> int | None:
    """Store the visit and its drafted note (with findings; the store logs the event).

    Re-running the same input adds no second version; a signed visit is never given a new
    draft (its note changes only by addenda). Returns the version id, or None when skipped.
    """
    latest = store.latest_note(doc.record.id)
    if latest is not None and latest.status == "signed":
        logger.warning("visit %s is already signed; the new draft is not stored",
                       log_ref(doc.record.id))
        return None
    if latest is not None and _same_note(latest.note, doc.note):
        return int(latest.version_id)
    with store.transaction() as conn:
        store.save_visit(doc.record, conn=conn)
        return int(store.save_note_version(
            doc.record.id, doc.note, "draft", f"sidekick:{doc.drafter}", doc.findings, conn=conn
        ))
