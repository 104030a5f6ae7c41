"""Sign-off: refused while a block finding is open, overrides with reasons, immutable signed
notes and addenda, units and modifiers recomputed, and a tamper-evident event log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sidekick.cli import main
from sidekick.errors import InputError, StoreError
from sidekick.inputs import load_input
from sidekick.models import BillingLine, VisitRecord
from sidekick.pipeline import run_record, save_draft, write_outputs
from sidekick.signoff import SignoffRefused, parse_overrides, recompute_billing, sign_note
from sidekick.store import open_store
from sidekick.validators import RULE_SET_VERSION

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample-session.transcript.json"


def _record(settings, **billing_update) -> VisitRecord:
    record = load_input(SAMPLE, settings)
    # 24 timed minutes allow 2 units under the CMS rule: billing 4 is a TU-UNITS block.
    lines = [BillingLine(cpt="97110", minutes=24, units=4, modifiers=["GP"])]
    return record.model_copy(update={"billing": lines, **billing_update})


@pytest.fixture
def drafted(settings):
    store = open_store(settings)
    doc = run_record(_record(settings), settings)
    save_draft(store, doc)
    yield doc, store
    store.close()


def _blocking(doc) -> list[str]:
    return sorted({f.rule_id for f in doc.findings if f.blocks})


def test_signoff_is_refused_while_a_block_finding_is_open(drafted, settings):
    doc, store = drafted
    assert "TU-UNITS" in _blocking(doc)
    with pytest.raises(SignoffRefused) as err:
        sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT")
    assert str(err.value) == (
        f"{doc.name}: sign-off refused: open block finding(s) {', '.join(_blocking(doc))}; fix "
        'the note, or pass --override RULE_ID="reason" for each'
    )
    assert err.value.exit_code == 1
    assert store.latest_note(doc.record.id).status == "draft"
    assert store.events()[-1].kind == "note.sign_refused"


def test_overrides_with_reasons_sign_and_are_recorded(drafted, settings):
    doc, store = drafted
    reasons = {rule: f"reviewed {rule}: see attached log" for rule in _blocking(doc)}
    signed = sign_note(doc, settings, store, clinician="Sam Rivera", credential="DPT",
                       overrides=reasons)
    sig = signed.signature
    assert {o.rule_id: o.reason for o in sig.overrides} == reasons
    assert (sig.clinician, sig.credential, sig.rule_set_version) == (
        "Sam Rivera", "PT", RULE_SET_VERSION)
    assert sig.prompt_id == (doc.note.provenance.prompt_id if doc.note.provenance else None)
    assert [(b.cpt, b.units, b.modifiers) for b in sig.billing] == [("97110", 2, ["GP"])]
    stored = store.latest_note(doc.record.id)
    assert stored.status == "signed" and stored.signature == sig
    kinds = [e.kind for e in store.events()]
    assert kinds.count("finding.overridden") == len(reasons)
    assert kinds[-2:] == ["note.signed", "note.signature"]
    assert store.verify_chain().ok


def test_a_signed_note_never_changes_later_changes_are_addenda(drafted, settings):
    from sidekick.signoff import add_addendum

    doc, store = drafted
    overrides = {rule: "clinically justified" for rule in _blocking(doc)}
    signed = sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT",
                       overrides=overrides)
    with pytest.raises(InputError) as err:
        sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT",
                  overrides=overrides)
    assert str(err.value) == (
        f"{doc.name}: already signed; a signed note never changes: add an addendum with "
        "--addendum TEXT"
    )
    version = store.latest_note(doc.record.id)
    with pytest.raises(StoreError):
        store.update_draft(version.version_id, doc.note)
    later = add_addendum(signed, store, text="Patient called: pain 2/10 that evening.",
                         author="Lee Park", credential="PTA")
    assert later.note == signed.note and later.signature == signed.signature
    assert [(a.author, a.credential) for a in later.addenda] == [("Lee Park", "PTA")]
    assert later.addenda[0].created_at >= signed.signature.signed_at
    assert store.events()[-1].kind == "note.addendum"


def test_override_of_a_finding_that_is_not_open_is_refused(drafted, settings):
    doc, store = drafted
    open_ids = ", ".join(_blocking(doc))
    with pytest.raises(InputError) as err:
        sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT",
                  overrides={"ZZ-NOPE": "because"})
    assert str(err.value) == (
        f"--override ZZ-NOPE: no open block finding has that id (open: {open_ids}); remove it"
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [(["TU-UNITS="], "--override TU-UNITS: the reason is empty; write why the finding does "
                     "not apply"),
     (["TU-UNITS"], "--override 'TU-UNITS': expected RULE_ID=\"reason\"")],
    ids=["empty-reason", "no-reason"],
)
def test_an_override_needs_a_written_reason(items, message):
    with pytest.raises(InputError) as err:
        parse_overrides(items)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("credential", "payer", "ytd", "entered", "expected"),
    [
        ("PT", "medicare", 900.0, [], ["GP"]),
        ("PTA", "medicare", 900.0, ["GO", "59"], ["GP", "CQ", "59"]),
        ("PT", "medicare", 5000.0, ["GP"], ["GP", "KX"]),
        ("PT", "commercial", 5000.0, ["59"], ["59"]),
    ],
    ids=["adds-GP", "assistant-CQ-keeps-59", "over-KX-threshold", "commercial-untouched"],
)
def test_modifiers_are_recomputed_at_signoff(settings, credential, payer, ytd, entered,
                                             expected):
    from sidekick import billing

    record = _record(settings)
    visit = record.visit.model_copy(update={
        "payer": payer, "ytd_therapy_amount_usd": ytd,
        "clinician": record.visit.clinician.model_copy(update={"credential": credential}),
    })
    record = record.model_copy(update={
        "visit": visit, "billing": [BillingLine(cpt="97110", minutes=24, units=4,
                                                modifiers=entered)]})
    config = billing.load_config(settings)
    units = billing.compute_units(record.billing, record.visit, config)
    lines = recompute_billing(record, units, config)
    assert [(line.units, line.modifiers) for line in lines] == [(2, expected)]


def _sign_cli(args: list[str]):
    return CliRunner().invoke(main, ["sign", *args])


def test_sign_command_refuses_then_signs_with_overrides_and_verify_catches_tampering(
    tmp_path, settings
):
    doc = run_record(_record(settings), settings)
    paths = write_outputs(doc, tmp_path)
    db = str(tmp_path / "h.db")
    base = [str(paths["note.json"]), "--clinician", "Sam Rivera", "--credential", "PT",
            "--db", db]
    refused = _sign_cli(base)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: {doc.name}: sign-off refused: open block finding")
    overrides = [arg for rule in _blocking(doc) for arg in ("--override", f"{rule}=reviewed")]
    signed = _sign_cli([*base, *overrides])
    assert signed.exit_code == 0, signed.output
    signed_file = tmp_path / f"{doc.name}.signed.json"
    assert json.loads(signed_file.read_text())["signature"]["clinician"] == "Sam Rivera"
    assert signed.stdout.endswith(f"Wrote {signed_file}\n")

    ok = CliRunner().invoke(main, ["verify", "--db", db])
    assert ok.exit_code == 0
    assert ok.stdout.startswith("Event log intact: ")

    with sqlite3.connect(db) as conn:  # an attacker drops the guards and edits an entry
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        conn.execute("UPDATE events SET actor = 'Someone Else' WHERE idx = 1")
    tampered = CliRunner().invoke(main, ["verify", "--db", db])
    assert tampered.exit_code == 1
    assert tampered.stdout == (
        "Event log TAMPERED at entry 1: entry 1 was changed after it was written.\n"
    )


def test_signing_an_edited_note_records_the_edit(drafted, settings, tmp_path):
    from sidekick import facts

    doc, store = drafted
    edited = facts.parse_note(doc.note.text() + "\nPatient tolerated well.", doc.record.patient)
    from sidekick.pipeline import check_record

    check = check_record(doc.record, settings, note=edited)  # no earlier visits: no history
    overrides = {f.rule_id: "reviewed" for f in check.findings if f.blocks}
    signed = sign_note(doc, settings, store, clinician="Sam Rivera", credential="PT",
                       overrides=overrides, note=edited)
    assert signed.note == edited
    edit = next(e for e in store.events() if e.kind == "note.edited")
    assert edit.actor == "Sam Rivera" and edit.payload["visit_id"] == doc.record.id
    assert "Patient tolerated" not in json.dumps(edit.payload)  # ids and hashes, no note text


def test_sign_and_export_by_visit_id_from_the_history_database(tmp_path, settings):
    doc = run_record(_record(settings), settings)
    with open_store(settings) as store:
        save_draft(store, doc)
    overrides = [arg for rule in _blocking(doc) for arg in ("--override", f"{rule}=reviewed")]
    out = tmp_path / "signed.json"
    signed = _sign_cli([doc.record.id, "--clinician", "Sam Rivera", "--credential", "PT",
                        "--db", settings.db, "-o", str(out), *overrides])
    assert signed.exit_code == 0, signed.output
    assert json.loads(out.read_text())["signature"]["credential"] == "PT"
    shown = CliRunner().invoke(main, ["export", doc.record.id, "--format", "md",
                                      "--db", settings.db])
    assert shown.exit_code == 0
    assert "Electronically signed by Sam Rivera, PT on " in shown.stdout
    added = _sign_cli([doc.record.id, "--clinician", "Lee Park", "--credential", "PTA",
                       "--db", settings.db, "--addendum", "Called: no new pain."])
    assert added.exit_code == 0
    assert added.stdout == f"Addendum added to {doc.record.id} by Lee Park.\n"


def test_unknown_visit_id_is_a_one_line_error(settings):
    result = _sign_cli(["no-such-visit", "--clinician", "A", "--credential", "PT",
                        "--db", settings.db])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no-such-visit: no such file, and no visit with a note by that id in the history "
        "database; pass a <name>.note.json or a visit id from `sidekick history`\n"
    )


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_sign_command_signs_the_clinicians_edit_of_an_export(tmp_path, settings, fmt):
    from sidekick.export import render

    doc = run_record(_record(settings), settings)
    paths = write_outputs(doc, tmp_path)
    edited = tmp_path / f"edited.{fmt}"
    exported = render(doc, fmt)
    edited.write_text(exported.replace(doc.note.assessment.strip(),
                                       doc.note.assessment.strip() + " Gait more symmetric."))
    overrides = [a for rule in _blocking(doc) for a in ("--override", f"{rule}=reviewed")]
    result = _sign_cli([str(paths["note.json"]), "--clinician", "Sam Rivera", "--credential",
                        "PT", "--db", settings.db, "--note", str(edited), *overrides])
    assert result.exit_code == 0, result.output
    signed = json.loads((tmp_path / f"{doc.name}.signed.json").read_text())
    assert signed["note"]["assessment"].endswith("Gait more symmetric.")
    assert "Patient:" not in signed["note"]["subjective"]  # the header block is not note text
    with open_store(settings) as store:
        assert any(e.kind == "note.edited" for e in store.events())
