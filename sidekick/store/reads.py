"""The store's read methods (a mixin of ``Store``; see ``sidekick.store``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, select

from sidekick.models import (
    Addendum,
    Finding,
    HistoricalNote,
    Patient,
    Signature,
    SoapNote,
    VisitRecord,
)
from sidekick.store import events as ev
from sidekick.store import schema as t
from sidekick.store.records import NoteText, PatientSummary, StoredNote, VisitSummary


def _latest_versions() -> Any:
    """Subquery: (visit_id, max version) for every visit with a note."""
    nv = t.note_versions
    return (
        select(nv.c.visit_id, func.max(nv.c.version).label("version"))
        .group_by(nv.c.visit_id)
        .subquery()
    )


def _latest_notes_query() -> Select[Any]:
    nv, v, latest = t.note_versions, t.visits, _latest_versions()
    return (
        select(nv.c.visit_id, nv.c.note, nv.c.text, v.c.patient_id, v.c.date, v.c.clinician)
        .join(latest, (latest.c.visit_id == nv.c.visit_id) & (latest.c.version == nv.c.version))
        .join(v, v.c.id == nv.c.visit_id)
        .join(t.patients, t.patients.c.id == v.c.patient_id)
    )


def _historical(row: Any) -> HistoricalNote:
    return HistoricalNote(
        note_id=row.visit_id, patient_id=row.patient_id, date=row.date,
        clinician=row.clinician, note=SoapNote.model_validate_json(row.note),
    )


class ReadMixin:
    engine: Engine

    def latest_note(self, visit_id: str) -> StoredNote | None:
        """The newest version of a visit's note, with findings and addenda (None: no note)."""
        with self.engine.connect() as c:
            row = c.execute(
                select(t.note_versions).where(t.note_versions.c.visit_id == visit_id)
                .order_by(t.note_versions.c.version.desc()).limit(1)
            ).first()
            return None if row is None else _stored(c, row)

    def note_versions(self, visit_id: str) -> list[StoredNote]:
        with self.engine.connect() as c:
            rows = c.execute(
                select(t.note_versions).where(t.note_versions.c.visit_id == visit_id)
                .order_by(t.note_versions.c.version)
            ).all()
            return [_stored(c, r) for r in rows]

    def get_visit(self, visit_id: str) -> VisitRecord | None:
        with self.engine.connect() as c:
            raw = c.execute(select(t.visits.c.record).where(t.visits.c.id == visit_id)).scalar()
        return None if raw is None else VisitRecord.model_validate_json(raw)

    def get_patient(self, patient_id: str) -> Patient | None:
        with self.engine.connect() as c:
            raw = c.execute(select(t.patients.c.data).where(t.patients.c.id == patient_id)).scalar()
        return None if raw is None else Patient.model_validate_json(raw)

    def patient_history(
        self, patient_id: str, before: dt.date | None = None, exclude_visit_id: str | None = None
    ) -> list[HistoricalNote]:
        """Latest note of each earlier visit of a patient, oldest first (CL-PRIOR, CL-STATIC)."""
        q = _latest_notes_query().where(t.visits.c.patient_id == patient_id)
        if before is not None:
            q = q.where(t.visits.c.date < before)
        if exclude_visit_id is not None:
            q = q.where(t.visits.c.id != exclude_visit_id)
        q = q.order_by(t.visits.c.date, t.visits.c.id)
        with self.engine.connect() as c:
            return [_historical(r) for r in c.execute(q)]

    def corpus(
        self, exclude_patient_id: str, clinic: str | None = None, limit: int | None = None
    ) -> list[HistoricalNote]:
        """Other patients' latest notes, newest first (CL-CROSS)."""
        q = _latest_notes_query().where(t.visits.c.patient_id != exclude_patient_id)
        if clinic is not None:
            q = q.where(t.patients.c.clinic == clinic)
        q = q.order_by(t.visits.c.date.desc(), t.visits.c.id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as c:
            return [_historical(r) for r in c.execute(q)]

    def note_texts(self, clinic: str | None = None) -> Iterator[NoteText]:
        """Every visit's latest note text (the clinic audit), streamed."""
        q = _latest_notes_query()
        if clinic is not None:
            q = q.where(t.patients.c.clinic == clinic)
        with self.engine.connect() as c:
            for r in c.execute(q.order_by(t.visits.c.id)):
                yield NoteText(visit_id=r.visit_id, patient_id=r.patient_id,
                               clinician=r.clinician, date=r.date, text=r.text)

    def list_patients(self, clinic: str | None = None) -> list[PatientSummary]:
        p, v = t.patients, t.visits
        q = (
            select(p.c.id, p.c.clinic, func.count(v.c.id).label("n"),
                   func.max(v.c.date).label("last"))
            .outerjoin(v, v.c.patient_id == p.c.id).group_by(p.c.id, p.c.clinic).order_by(p.c.id)
        )
        if clinic is not None:
            q = q.where(p.c.clinic == clinic)
        with self.engine.connect() as c:
            return [PatientSummary(patient_id=r.id, clinic=r.clinic, visits=r.n, last_visit=r.last)
                    for r in c.execute(q)]

    def list_visits(self, patient_id: str) -> list[VisitSummary]:
        v, nv = t.visits, t.note_versions
        counts = (
            select(nv.c.visit_id, func.count().label("n"), func.max(nv.c.version).label("mx"))
            .group_by(nv.c.visit_id).subquery()
        )
        latest = nv.alias("latest")
        q = (
            select(v.c.id, v.c.date, v.c.clinician, counts.c.n, latest.c.status)
            .outerjoin(counts, counts.c.visit_id == v.c.id)
            .outerjoin(latest, (latest.c.visit_id == v.c.id) & (latest.c.version == counts.c.mx))
            .where(v.c.patient_id == patient_id).order_by(v.c.date, v.c.id)
        )
        with self.engine.connect() as c:
            return [VisitSummary(visit_id=r.id, patient_id=patient_id, date=r.date,
                                 clinician=r.clinician, versions=r.n or 0, status=r.status)
                    for r in c.execute(q)]

    def events(self) -> list[ev.Event]:
        with self.engine.connect() as c:
            return ev.read(c)

    def verify_chain(self) -> ev.VerifyResult:
        """Recompute the event log's hash chain; report the first entry that does not verify."""
        with self.engine.connect() as c:
            return ev.verify_conn(c)

    def export_patient(self, patient_id: str) -> dict[str, Any] | None:
        """The patient, each visit record and every note version, as plain JSON data."""
        patient = self.get_patient(patient_id)
        if patient is None:
            return None
        visits = []
        for summary in self.list_visits(patient_id):
            record = self.get_visit(summary.visit_id)
            visits.append({
                "record": record.model_dump(mode="json") if record else None,
                "notes": [n.model_dump(mode="json") for n in self.note_versions(summary.visit_id)],
            })
        return {"patient": patient.model_dump(mode="json"), "visits": visits}


def _stored(c: Connection, row: Any) -> StoredNote:
    found = c.execute(
        select(t.findings.c.data).where(t.findings.c.version_id == row.id).order_by(t.findings.c.id)
    ).scalars()
    addenda = c.execute(
        select(t.addenda).where(t.addenda.c.version_id == row.id).order_by(t.addenda.c.id)
    ).all()
    return StoredNote(
        version_id=row.id, visit_id=row.visit_id, version=row.version, status=row.status,
        author=row.author, created_at=row.created_at,
        note=SoapNote.model_validate_json(row.note),
        signature=Signature.model_validate_json(row.signature) if row.signature else None,
        findings=[Finding.model_validate_json(d) for d in found],
        addenda=[Addendum(text=a.text, author=a.author, credential=a.credential,
                          created_at=dt.datetime.fromisoformat(a.created_at)) for a in addenda],
    )


__all__ = ["ReadMixin"]
