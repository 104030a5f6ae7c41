"""The history store: saving, reading, immutability, permissions, import, export."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from sqlalchemy import text

from sidekick.errors import StoreError
from sidekick.models import Clinician, Finding, Patient, SoapNote, Visit, VisitRecord
from sidekick.store import Store, open_store, plain_note, resolve_url


def _record(visit_id: str, day: int, patient: str = "P-1") -> VisitRecord:
    return VisitRecord(
        id=visit_id,
        patient=Patient(id=patient, diagnosis="synthetic"),
        visit=Visit(date=dt.date(2025, 3, day), discipline="PT", payer="medicare",
                    clinician=Clinician(name="Test Clinician", credential="PT")),
    )


def _note(word: str) -> SoapNote:
    return SoapNote(subjective=f"Pt reports {word}.", assessment="Improving.", plan="Continue.")


@pytest.fixture
def store(settings):
    with open_store(settings) as s:
        yield s


def test_database_files_are_created_owner_only(settings, store):
    store.append_event("test", {}, "tester")  # the write-ahead log files exist from now on
    files = [settings.db, settings.db + "-wal", settings.db + "-shm"]
    assert [stat.S_IMODE(os.stat(f).st_mode) for f in files] == [0o600] * 3


def test_history_is_the_patients_earlier_latest_notes_oldest_first(store):
    for vid, day in (("v3", 12), ("v1", 5), ("v2", 8)):
        store.save_visit(_record(vid, day))
        store.save_note_version(vid, _note(f"{vid} draft"), author="a")
    store.save_note_version("v2", _note("v2 second"), author="a")
    store.save_visit(_record("other", 6, patient="P-2"))
    store.save_note_version("other", _note("other"), author="b")

    history = store.patient_history("P-1", before=dt.date(2025, 3, 12))
    assert [h.note_id for h in history] == ["v1", "v2"]
    assert history[1].note.subjective == "Pt reports v2 second."
    assert [h.note_id for h in store.corpus("P-1")] == ["other"]
    assert [h.note_id for h in store.patient_history("P-1", exclude_visit_id="v1")] == ["v2", "v3"]


def test_signed_version_cannot_be_updated(store):
    store.save_visit(_record("v1", 5))
    vid = store.save_note_version("v1", _note("x"), status="signed", author="Dr A")
    with pytest.raises(StoreError) as err:
        store.update_draft(vid, _note("changed"))
    assert str(err.value) == f"note version {vid} is signed and cannot change; add an addendum"
    with pytest.raises(Exception, match="signed note versions are immutable"):
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE note_versions SET note = '{}' WHERE id = :i"), {"i": vid})
    assert store.latest_note("v1").note == _note("x")


def test_draft_can_be_updated_with_new_findings(store):
    store.save_visit(_record("v1", 5))
    vid = store.save_note_version("v1", _note("x"), author="a")
    finding = Finding(rule_id="MN-PLAN", severity="block", message="no plan")
    store.update_draft(vid, _note("y"), [finding])
    latest = store.latest_note("v1")
    assert latest.note == _note("y") and latest.findings == [finding]


def test_addendum_is_a_new_row_with_its_own_author(store):
    store.save_visit(_record("v1", 5))
    vid = store.save_note_version("v1", _note("x"), status="signed", author="Dr A")
    store.add_addendum(vid, "Late entry: pt called.", "Dr B", "PT")
    latest = store.latest_note("v1")
    assert latest.note == _note("x")
    assert [(a.text, a.author, a.credential) for a in latest.addenda] == [
        ("Late entry: pt called.", "Dr B", "PT")
    ]
    assert [e.kind for e in store.events()] == ["note.signed", "note.addendum"]


def test_note_version_for_unknown_visit_is_refused(store):
    with pytest.raises(StoreError) as err:
        store.save_note_version("nope", _note("x"))
    assert str(err.value) == f"visit nope is not in {store.where}; save the visit first"


def test_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            store.save_visit(_record("v1", 5), conn=conn)
            store.save_note_version("v1", _note("x"), conn=conn)
            raise RuntimeError("crash mid-visit")
    assert store.get_visit("v1") is None
    assert store.events() == []


def test_import_cases_in_date_order_and_skips_on_rerun(settings, dev_cases):
    from sidekick.cases import load_case  # noqa: F401 - dev_cases proves the folder exists
    from tests.conftest import DEV_CASES

    with open_store(settings) as store:
        first = store.import_cases(DEV_CASES, note_for=lambda r: plain_note(r.note) if r.note
                                   else None)
        again = store.import_cases(DEV_CASES)
        assert (first.imported, first.without_note) == (len(dev_cases), 18)
        assert (again.imported, again.skipped) == (0, len(dev_cases))
        history = store.patient_history("P-DEV-SHD-01", before=dt.date(2025, 2, 18))
        assert [h.note_id for h in history] == ["dev-shdisl-r-v05", "dev-shdisl-r-v06"]
        assert store.verify_chain().ok


def test_export_patient_holds_visits_and_versions(store):
    store.save_visit(_record("v1", 5))
    store.save_note_version("v1", _note("x"), status="signed", author="Dr A")
    data = store.export_patient("P-1")
    assert data["patient"]["id"] == "P-1"
    assert [v["record"]["id"] for v in data["visits"]] == ["v1"]
    assert data["visits"][0]["notes"][0]["status"] == "signed"
    assert store.export_patient("P-404") is None


def test_unwritable_path_is_a_one_line_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as err:
        Store(resolve_url(str(blocker / "sub" / "h.db")))
    assert str(err.value).startswith(f"{blocker / 'sub' / 'h.db'}: cannot create the history")


def test_newer_schema_is_refused(settings, store):
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (99, 'future')"))
    with pytest.raises(StoreError) as err:
        open_store(settings)
    assert "schema version 99 is newer than this Sidekick understands" in str(err.value)
