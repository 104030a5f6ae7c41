"""The history database's tables (SQLAlchemy 2 Core, portable between SQLite and PostgreSQL).

``note_versions`` keep every version of a visit's note: drafts may be replaced by newer
versions, signed ones never change (enforced in ``Store`` and, on SQLite, by a trigger).
``events`` is the append-only, hash-chained log (``sidekick.store.events``).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("clinic", String(200), nullable=True),
    Column("data", Text, nullable=False),  # Patient JSON
)

visits = Table(
    "visits",
    metadata,
    Column("id", String(200), primary_key=True),  # the record id
    Column("patient_id", String(200), ForeignKey("patients.id"), nullable=False),
    Column("date", Date, nullable=True),
    Column("clinician", String(200), nullable=True),
    Column("discipline", String(10), nullable=True),
    Column("payer", String(100), nullable=True),
    Column("record", Text, nullable=False),  # VisitRecord JSON
    Column("created_at", String(40), nullable=False),
    Index("ix_visits_patient_date", "patient_id", "date"),
)

note_versions = Table(
    "note_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("visit_id", String(200), ForeignKey("visits.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # draft | signed
    Column("author", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("note", Text, nullable=False),  # SoapNote JSON
    Column("text", Text, nullable=False),  # SoapNote.text(), for the clinic audit
    Column("signature", Text, nullable=True),  # Signature JSON when signed
    UniqueConstraint("visit_id", "version", name="uq_note_versions_visit_version"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("note_versions.id"), nullable=False),
    Column("rule_id", String(40), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("data", Text, nullable=False),  # Finding JSON
    Index("ix_findings_version", "version_id"),
)

addenda = Table(
    "addenda",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("note_versions.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("credential", String(10), nullable=True),
    Column("created_at", String(40), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("idx", Integer, primary_key=True, autoincrement=False),  # 0, 1, 2, ... no gaps
    Column("ts", String(40), nullable=False),
    Column("kind", String(60), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
