"""FHIR R4 export: a document Bundle (Composition, Patient, Practitioner) built with the
maintained ``fhir.resources`` models (its R4B package, the R4 technical correction), so the
output is validated by the library rather than by hand-written JSON.

The Composition is ``final`` once signed (with a legal attester at the signing time) and
``preliminary`` for a draft. Sections carry the S/O/A/P text, the exercise table and the
billing lines as XHTML narrative. ``fhir.resources`` is an extra: ``pip install
'sidekick[fhir]'``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from typing import Any

from sidekick.errors import ConfigError
from sidekick.export.layout import BILLING_COLUMNS, EXERCISE_COLUMNS, billing_rows, exercise_row
from sidekick.models import NoteDocument

LOINC = "http://loinc.org"
_SECTION_CODES = {  # LOINC section codes for the SOAP parts
    "Subjective": ("61150-9", "Subjective Narrative"),
    "Objective": ("61149-1", "Objective Narrative"),
    "Assessment": ("51848-0", "Evaluation note"),
    "Plan": ("18776-5", "Plan of care note"),
}
_NS = uuid.UUID("6f1f6a0c-6a55-4d1b-9a59-0c5a3b1f2d77")  # Sidekick's namespace for stable ids


def _div(body: str) -> str:
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def _paragraphs(text: str) -> str:
    parts = [p for p in text.strip().split("\n") if p.strip()] or ["(none)"]
    return "".join(f"<p>{html.escape(p)}</p>" for p in parts)


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fhir_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]", "-", text)[:64] or "x"


def _sections(doc: NoteDocument) -> list[dict[str, Any]]:
    out = []
    for name, body in doc.note.sections().items():
        code, display = _SECTION_CODES[name]
        out.append({"title": name, "code": {"coding": [{"system": LOINC, "code": code,
                                                         "display": display}]},
                    "text": {"status": "generated", "div": _div(_paragraphs(body))}})
    if doc.note.exercises:
        rows = [exercise_row(e) for e in doc.note.exercises]
        out.append({"title": "Exercises", "text": {"status": "generated",
                                                   "div": _div(_table(EXERCISE_COLUMNS, rows))}})
    if billing_rows(doc):
        out.append({"title": "Billing", "text": {"status": "generated", "div": _div(
            _table(BILLING_COLUMNS, billing_rows(doc)))}})
    return out


def _urn(kind: str, ident: str, doc: NoteDocument) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}/{ident}/{doc.record.id}')}"


def _resources(doc: NoteDocument) -> dict[str, dict[str, Any]]:
    """The three resources, keyed by their ``urn:uuid`` (references point at those)."""
    rec, sig = doc.record, doc.signature
    patient_id, author_id = _fhir_id(rec.patient.id), _fhir_id(rec.visit.clinician.name)
    patient_urn, author_urn = _urn("Patient", patient_id, doc), _urn("Practitioner", author_id, doc)
    when = sig.signed_at if sig else doc.created_at or dt.datetime.combine(
        rec.visit.date, dt.time(), tzinfo=dt.UTC)
    clinician = f"{rec.visit.clinician.name}, {rec.visit.clinician.credential}"
    composition: dict[str, Any] = {
        "resourceType": "Composition", "id": _fhir_id(rec.id),
        "status": "final" if sig else "preliminary",
        "type": {"coding": [{"system": LOINC, "code": "11506-3", "display": "Progress note"}]},
        "subject": {"reference": patient_urn},
        "date": when.isoformat(),
        "author": [{"reference": author_urn, "display": clinician}],
        "title": f"{rec.visit.discipline} daily note {rec.visit.date.isoformat()}",
        "section": _sections(doc),
    }
    if sig:
        composition["attester"] = [{"mode": "legal", "time": sig.signed_at.isoformat(),
                                    "party": {"reference": author_urn,
                                              "display": f"{sig.clinician}, {sig.credential}"}}]
    patient = {"resourceType": "Patient", "id": patient_id,
               "identifier": [{"system": "urn:sidekick:patient", "value": rec.patient.id}]}
    practitioner = {"resourceType": "Practitioner", "id": author_id,
                    "name": [{"text": rec.visit.clinician.name}],
                    "qualification": [{"code": {"text": rec.visit.clinician.credential}}]}
    return {_urn("Composition", composition["id"], doc): composition, patient_urn: patient,
            author_urn: practitioner}


def render_fhir(doc: NoteDocument) -> str:
    """The note as a FHIR R4 document Bundle (JSON text)."""
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError as exc:
        raise ConfigError(
            "the FHIR export needs fhir.resources: pip install 'sidekick[fhir]'"
        ) from exc
    resources = _resources(doc)
    composition = next(iter(resources.values()))  # a document Bundle starts with it
    bundle = Bundle.model_validate({
        "resourceType": "Bundle", "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986",
                       "value": _urn("Bundle", composition["date"], doc)},
        "timestamp": composition["date"],
        "entry": [{"fullUrl": urn, "resource": r} for urn, r in resources.items()],
    })
    return bundle.model_dump_json(indent=2) + "\n"
