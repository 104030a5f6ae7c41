"""Sign-off: re-check the note, refuse while a block finding is open, sign, then addenda only.

At sign-off the checks run again on the note as it stands (units and modifiers recomputed from
the billed minutes and the payer's table, history from the store). Every open ``block`` finding
needs an override with a written reason, or the signature is refused. The signed version is
immutable in the store (it refuses updates); later changes are addenda with their own author
and time. Every step is an event in the store's hash-chained log: a refusal, each override
(with a hash of its reason), an edit (old and new note hashes), the signature (a hash of the
signature record) and each addendum. Payloads hold ids and hashes, never note text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping

from sidekick.config import Settings
from sidekick.errors import InputError, SidekickError
from sidekick.models import (
    Addendum,
    BillingLine,
    Finding,
    HistoricalNote,
    NoteDocument,
    Override,
    Signature,
    SignedLine,
    SoapNote,
    UnitsResult,
    VisitRecord,
)
from sidekick.pipeline import check_record, log_ref
from sidekick.store import Store
from sidekick.store import events as store_events
from sidekick.validators import RULE_SET_VERSION

logger = logging.getLogger(__name__)

THERAPY_MODIFIERS = {"PT": "GP", "OT": "GO", "SLP": "GN"}
ASSISTANT_MODIFIERS = {"PTA": "CQ", "OTA": "CO"}


class SignoffRefused(SidekickError):
    """Sign-off refused: block findings are open (done, with blocking findings: exit 1)."""

    exit_code = 1

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []  # the open block findings, for the CLI to show


def sha256_json(model: SoapNote | Signature) -> str:
    return hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()


def parse_overrides(items: list[str]) -> dict[str, str]:
    """``RULE_ID=reason`` strings (from ``--override``) into a mapping; reasons are required."""
    out: dict[str, str] = {}
    for item in items:
        rule_id, sep, reason = item.partition("=")
        rule_id, reason = rule_id.strip().upper(), reason.strip()
        if not sep or not rule_id:
            raise InputError(f"--override {item!r}: expected RULE_ID=\"reason\"")
        if not reason:
            raise InputError(
                f"--override {rule_id}: the reason is empty; write why the finding does not apply"
            )
        out[rule_id] = reason
    return out


def recompute_billing(
    record: VisitRecord, units: UnitsResult | None, config: object
) -> list[SignedLine]:
    """Billed lines with the units the payer's rule allows and the modifiers its table needs.

    Therapy (GP/GO/GN), assistant (CQ/CO) and KX modifiers are set from the payer's rule, the
    discipline, the treating clinician's credential and the year-to-date amount; any other
    modifier the clinician entered (59, XE, XS, XP, XU) is kept as entered.
    """
    visit = record.visit
    _, rule = config.payer(visit.payer)  # type: ignore[attr-defined]
    managed: set[str] = set()
    wanted: list[str] = []
    if rule.therapy_modifiers:
        managed |= set(THERAPY_MODIFIERS.values())
        wanted.append(THERAPY_MODIFIERS[visit.discipline])
    if rule.assistant_modifiers:
        managed |= set(ASSISTANT_MODIFIERS.values())
        if visit.clinician.credential in ASSISTANT_MODIFIERS:
            wanted.append(ASSISTANT_MODIFIERS[visit.clinician.credential])
    if rule.kx:
        managed.add("KX")
        threshold = config.kx_threshold(visit.date)  # type: ignore[attr-defined]
        ytd = visit.ytd_therapy_amount_usd
        if threshold is not None and ytd is not None and ytd > threshold[1]:
            wanted.append("KX")
    allowed = units.units if units else {}
    return [_signed_line(line, allowed, managed, wanted) for line in record.billing]


def _signed_line(
    line: BillingLine, allowed: Mapping[str, int], managed: set[str], wanted: list[str]
) -> SignedLine:
    kept = [m for m in line.modifiers if m not in managed]
    return SignedLine(
        cpt=line.cpt, minutes=line.minutes, units=allowed.get(line.cpt, line.units),
        modifiers=[*wanted, *kept],
    )


def _check_overrides(overrides: Mapping[str, str], blocking: set[str]) -> None:
    stray = sorted(set(overrides) - blocking)
    if stray:
        open_ids = ", ".join(sorted(blocking)) or "none"
        raise InputError(
            f"--override {stray[0]}: no open block finding has that id (open: {open_ids}); "
            "remove it"
        )


def _refuse(store: Store, doc: NoteDocument, missing: list[str], clinician: str,
            findings: list[Finding]) -> None:
    store.append_event("note.sign_refused", {"visit_id": doc.record.id, "open": missing},
                       clinician)
    raise SignoffRefused(
        f"{doc.name}: sign-off refused: open block finding(s) {', '.join(missing)}; fix the "
        'note, or pass --override RULE_ID="reason" for each',
        [f for f in findings if f.blocks and f.rule_id in missing],
    )


def _history(
    store: Store, record: VisitRecord
) -> tuple[list[HistoricalNote], list[HistoricalNote]]:
    history = store.patient_history(
        record.patient.id, before=record.visit.date, exclude_visit_id=record.id
    )
    corpus = store.corpus(record.patient.id, limit=2000)
    return history, corpus


def sign_note(
    doc: NoteDocument, settings: Settings, store: Store, *, clinician: str, credential: str,
    overrides: Mapping[str, str] | None = None, note: SoapNote | None = None,
    now: dt.datetime | None = None,
) -> NoteDocument:
    """Re-check and sign a note; returns the signed document.

    Args:
        doc: The note document (``<name>.note.json``, or rebuilt from the store).
        settings: Thresholds and billing tables for the re-check.
        store: The history database (history for CL-*, the note versions, the event log).
        clinician, credential: Who signs.
        overrides: ``{rule_id: reason}`` for open block findings the clinician overrides.
        note: The clinician's edited note, when it differs from ``doc.note`` (an edit event).
        now: The signing time (tests); default now, UTC.

    Raises:
        SignoffRefused: a block finding is open and not overridden (exit 1).
        InputError: already signed, an override names no open finding, or a bad credential.
        StoreError: the database could not be written (nothing is signed then).
    """
    from sidekick import billing

    overrides = dict(overrides or {})
    latest = store.latest_note(doc.record.id)
    if doc.signature is not None or (latest is not None and latest.status == "signed"):
        raise InputError(
            f"{doc.name}: already signed; a signed note never changes: add an addendum with "
            "--addendum TEXT"
        )
    signer = _signer(clinician, credential)
    note = note or doc.note
    history, corpus = _history(store, doc.record)
    config = billing.load_config(settings)
    check = check_record(doc.record, settings, note=note, history=history, corpus=corpus,
                         billing_config=config)
    blocking = {f.rule_id for f in check.findings if f.blocks}
    _check_overrides(overrides, blocking)
    missing = sorted(blocking - set(overrides))
    if missing:
        _refuse(store, doc, missing, signer[0], check.findings)
    prov = note.provenance
    signature = Signature(
        clinician=signer[0], credential=signer[1],  # type: ignore[arg-type]
        signed_at=now or dt.datetime.now(dt.UTC), rule_set_version=RULE_SET_VERSION,
        prompt_id=prov.prompt_id if prov else None,
        prompt_version=prov.prompt_version if prov else None,
        prompt_hash=prov.prompt_hash if prov else None, note_sha256=sha256_json(note),
        overrides=[Override(rule_id=k, reason=v) for k, v in sorted(overrides.items())],
        billing=recompute_billing(doc.record, check.units, config),
        explanation=check.units.explanation if check.units else [],
    )
    _save_signed(store, doc, note, latest, check.findings, signature)
    logger.info("visit %s signed (%d override(s))", log_ref(doc.record.id), len(overrides))
    return doc.model_copy(update={
        "note": note, "findings": check.findings, "units": check.units,
        "rule_set_version": RULE_SET_VERSION, "signature": signature,
    })


def _signer(clinician: str, credential: str) -> tuple[str, str]:
    from pydantic import ValidationError

    from sidekick.models import Clinician

    if not clinician.strip():
        raise InputError("--clinician: is empty; give the signing clinician's name")
    try:
        who = Clinician(name=clinician.strip(), credential=credential)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InputError(
            f"--credential {credential!r}: not a known credential; use PT, PTA, OT, OTA or SLP"
        ) from exc
    return who.name, who.credential


def _save_signed(store: Store, doc: NoteDocument, note: SoapNote, latest: object,
                 findings: list[Finding], signature: Signature) -> None:
    """Visit, draft (when the store lacks it), edit, overrides, signed version and signature
    event: one transaction, so a failure signs nothing."""
    visit_id = doc.record.id
    actor = signature.clinician
    with store.transaction() as c:
        store.save_visit(doc.record, conn=c)
        drafted = getattr(latest, "note", None)
        if drafted is None:  # the draft was made with another database: keep it first
            drafted = doc.note
            store.save_note_version(visit_id, drafted, "draft", f"sidekick:{doc.drafter}",
                                    doc.findings, conn=c)
        if drafted != note:
            store_events.append(c, "note.edited", {
                "visit_id": visit_id, "from_sha256": sha256_json(drafted),
                "to_sha256": sha256_json(note)}, actor)
        for o in signature.overrides:
            store_events.append(c, "finding.overridden", {
                "visit_id": visit_id, "rule_id": o.rule_id,
                "reason_sha256": hashlib.sha256(o.reason.encode("utf-8")).hexdigest()}, actor)
        version_id = store.save_note_version(visit_id, note, "signed", actor, findings,
                                             signature, conn=c)
        store_events.append(c, "note.signature", {
            "visit_id": visit_id, "version_id": version_id,
            "signature_sha256": sha256_json(signature),
            "rule_set_version": signature.rule_set_version,
            "prompt": signature.prompt_id, "prompt_version": signature.prompt_version}, actor)


def add_addendum(
    doc: NoteDocument, store: Store, *, text: str, author: str, credential: str | None = None
) -> NoteDocument:
    """Attach an addendum to a signed note (the note itself never changes)."""
    if not text.strip():
        raise InputError("--addendum: the text is empty; write what the addendum adds")
    latest = store.latest_note(doc.record.id)
    if latest is None or latest.status != "signed":
        raise InputError(
            f"{doc.name}: not signed yet; edit the draft and sign it instead of adding an addendum"
        )
    name, cred = _signer(author, credential) if credential else (author.strip(), None)
    addendum: Addendum = store.add_addendum(latest.version_id, text.strip(), name, cred)
    return doc.model_copy(update={"addenda": [*latest.addenda, addendum],
                                  "signature": doc.signature or latest.signature})


def document_from_store(store: Store, visit_id: str) -> NoteDocument:
    """Rebuild a visit's note document from the store (``sidekick sign VISIT_ID``)."""
    record = store.get_visit(visit_id)
    latest = store.latest_note(visit_id)
    if record is None or latest is None:
        raise InputError(
            f"{visit_id}: no such file, and no visit with a note by that id in the history "
            "database; pass a <name>.note.json or a visit id from `sidekick history`"
        )
    return NoteDocument(
        name=visit_id, record=record, note=latest.note, findings=latest.findings,
        rule_set_version=RULE_SET_VERSION, drafter=latest.author,
        signature=latest.signature if latest.status == "signed" else None,
        addenda=latest.addenda, visit_key=visit_id,
    )
