"""What every export shows, as plain rows: the header block, exercises, measures, billing.

The text, Markdown and PDF renderers lay out the same rows, so the three always agree.
"""

from __future__ import annotations

from sidekick.models import Exercise, Measure, NoteDocument

EXERCISE_COLUMNS = ("Exercise", "Side", "Sets x reps", "Hold", "Load", "Time", "Cue / progression")
MEASURE_COLUMNS = ("Measure", "Side", "Value")
BILLING_COLUMNS = ("Code", "Minutes", "Units", "Modifiers")


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{shown}{unit}"


def header_rows(doc: NoteDocument) -> list[tuple[str, str]]:
    """Label/value pairs for the header block."""
    rec, visit = doc.record, doc.record.visit
    patient = rec.patient
    diagnosis = patient.diagnosis
    if patient.icd10:
        diagnosis = f"{diagnosis} ({', '.join(patient.icd10)})".strip()
    rows = [
        ("Patient", patient.id + (f", age {patient.age}" if patient.age is not None else "")),
        ("Diagnosis", diagnosis or "-"),
        ("Date of service", visit.date.isoformat()
         + (f", visit {visit.number}" if visit.number else "")),
        ("Discipline / payer", f"{visit.discipline} / {visit.payer}"),
        ("Clinician", f"{visit.clinician.name}, {visit.clinician.credential}"),
    ]
    if visit.session_minutes is not None:
        rows.append(("Session", f"{visit.session_minutes} min"))
    prov = doc.note.provenance
    source = doc.drafter
    if prov and prov.prompt_id:
        source += f" ({prov.prompt_id} {prov.prompt_version or ''}".rstrip() + ")"
    rows.append(("Drafted by", source))
    return rows


def exercise_row(ex: Exercise) -> tuple[str, ...]:
    dose = f"{ex.sets} x {ex.reps}" if ex.sets and ex.reps else _num(ex.sets or ex.reps)
    return (ex.name, ex.side or "", dose, _num(ex.hold_s, " s"), ex.load or "",
            _num(ex.duration_s / 60 if ex.duration_s else None, " min"), ex.cue or "")


def measure_row(m: Measure) -> tuple[str, ...]:
    value = _num(m.value) if not isinstance(m.value, str) else m.value
    unit = m.unit or ""
    joiner = "" if unit.startswith("/") or unit == "%" else " "
    return (m.name, m.side or "", f"{value}{joiner}{unit}".strip())


def billing_rows(doc: NoteDocument) -> list[tuple[str, ...]]:
    """The billed lines: as signed (recomputed units and modifiers) or as entered."""
    lines = doc.signature.billing if doc.signature else doc.record.billing
    return [
        (line.cpt, _num(line.minutes), _num(line.units), " ".join(line.modifiers))
        for line in lines
    ]


def totals_line(doc: NoteDocument) -> str:
    """Total timed minutes and units the payer's rule allows, when known."""
    if doc.units is None:
        return ""
    return (f"Total timed minutes {doc.units.total_timed_minutes}; "
            f"timed units allowed {doc.units.total_units} ({doc.units.method} rule, "
            f"{doc.units.payer})")


def signature_lines(doc: NoteDocument) -> list[str]:
    """The signature block (or the draft status), overrides and addenda."""
    sig = doc.signature
    if sig is None:
        blocking = sorted({f.rule_id for f in doc.findings if f.blocks})
        status = "DRAFT - not signed."
        if blocking:
            status += f" Open blocking findings: {', '.join(blocking)}."
        return [status]
    lines = [
        f"Electronically signed by {sig.clinician}, {sig.credential} on "
        f"{sig.signed_at.strftime('%Y-%m-%d %H:%M UTC')}.",
        f"Rule set {sig.rule_set_version}"
        + (f"; prompt {sig.prompt_id} {sig.prompt_version or ''}".rstrip() if sig.prompt_id else "")
        + f"; note sha256 {sig.note_sha256[:12]}.",
    ]
    lines += [f"Override {o.rule_id}: {o.reason}" for o in sig.overrides]
    for add in doc.addenda:
        who = add.author + (f", {add.credential}" if add.credential else "")
        lines.append(f"Addendum {add.created_at.strftime('%Y-%m-%d %H:%M UTC')} by {who}: "
                     f"{add.text}")
    return lines
