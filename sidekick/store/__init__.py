"""The history store: patients, visits, note versions, findings and a hash-chained event log.

SQLite by default (``platformdirs.user_data_dir("sidekick")/sidekick.db``, created 0600), or
``settings.db`` / ``--db`` as a file path or any SQLAlchemy URL (PostgreSQL works in
principle: the schema is SQLAlchemy Core, no SQLite-only SQL except optional triggers).
Schema versions are applied by ``sidekick.store.migrations``.

Contract (what the pipeline, sign-off and the app code against)::

    store = open_store(settings)            # or Store(url); usable as a context manager
    store.save_visit(record) -> visit_id    # patient upserted; visit id = record.id
    store.save_note_version(visit_id, note, status="draft"|"signed", author=...,
                            findings=[...], signature=None) -> version_id
    store.update_draft(version_id, note, findings)   # StoreError if the version is signed
    store.add_addendum(version_id, text, author, credential=None) -> Addendum
    store.latest_note(visit_id) -> StoredNote | None ; store.note_versions(visit_id)
    store.get_visit(visit_id) -> VisitRecord | None ; store.get_patient(patient_id)
    store.patient_history(patient_id, before=date, exclude_visit_id=None)
        -> list[HistoricalNote]             # latest note of each earlier visit, oldest first
    store.corpus(exclude_patient_id, clinic=None, limit=None) -> list[HistoricalNote]
    store.note_texts(clinic=None) -> Iterator[NoteText]   # the clinic audit
    store.list_patients(clinic=None), store.list_visits(patient_id)
    store.import_record(record, note, status=..., author=...) -> bool   # one transaction
    store.import_cases(folder, note_for=None) -> ImportSummary          # date order
    store.export_patient(patient_id) -> dict | None
    store.append_event(kind, payload, actor) -> Event ; store.events()
    store.verify_chain() -> VerifyResult(ok, count, first_bad_index, reason)
    with store.transaction() as conn: ... # pass conn= to save_* to group writes

Every write method runs in one transaction (or the caller's ``conn``): a crash never leaves
half a visit. Signed versions never change: ``update_draft`` refuses them, and on SQLite a
trigger refuses UPDATE/DELETE of signed rows and of events. An addendum is a new row with
its own author and time. Saving and signing a note, and adding an addendum, each append an
event (ids and sha256 hashes only, never note text). Errors are ``StoreError`` with a
one-line message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sidekick.store.core import Store, default_db_path, resolve_url
from sidekick.store.events import Event, VerifyResult
from sidekick.store.importing import ImportSummary, NoteFor, import_folder, plain_note
from sidekick.store.records import NoteText, PatientSummary, StoredNote, VisitSummary

if TYPE_CHECKING:
    from sidekick.config import Settings


def open_store(settings_or_url: Settings | str | None = None) -> Store:
    """Open (creating and migrating) the store named by Settings.db, a path or a URL."""
    if settings_or_url is None or isinstance(settings_or_url, str):
        return Store(resolve_url(settings_or_url))
    return Store(resolve_url(settings_or_url.db))


__all__ = [
    "Event", "ImportSummary", "NoteText", "PatientSummary", "Store", "StoredNote",
    "NoteFor", "VerifyResult", "VisitSummary", "default_db_path", "import_folder", "open_store",
    "plain_note", "resolve_url",
]
