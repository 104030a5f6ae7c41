"""What the store's read methods return (besides ``HistoricalNote``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from sidekick.models import Addendum, Finding, Signature, SoapNote


class StoredNote(BaseModel):
    """One stored note version with its findings and addenda."""

    model_config = ConfigDict(extra="forbid")

    version_id: int
    visit_id: str
    version: int
    status: str
    author: str
    created_at: str
    note: SoapNote
    signature: Signature | None = None
    findings: list[Finding] = Field(default_factory=list)
    addenda: list[Addendum] = Field(default_factory=list)


class VisitSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visit_id: str
    patient_id: str
    date: dt.date | None
    clinician: str | None
    versions: int
    status: str | None  # of the latest version; None when the visit has no note yet


class NoteText(BaseModel):
    """A latest note's text with who and when (the clinic audit reads these)."""

    model_config = ConfigDict(extra="forbid")

    visit_id: str
    patient_id: str
    clinician: str | None
    date: dt.date | None
    text: str


class PatientSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: str
    clinic: str | None
    visits: int
    last_visit: dt.date | None
