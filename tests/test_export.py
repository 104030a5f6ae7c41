"""Exports: plain text for an EMR, Markdown, PDF (one page), JSON; the export command."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from sidekick.cli import main
from sidekick.export import export_note, load_document, render, render_bytes
from sidekick.models import (
    BillingLine,
    Clinician,
    Exercise,
    Finding,
    Measure,
    NoteDocument,
    NoteProvenance,
    Override,
    Patient,
    Signature,
    SignedLine,
    SoapNote,
    Visit,
    VisitRecord,
)


def _doc(signed: bool = False) -> NoteDocument:
    record = VisitRecord(
        id="x-visit",
        patient=Patient(id="P-X-01", age=67, diagnosis="Right TKA aftercare", icd10=["Z47.1"]),
        visit=Visit(date=dt.date(2026, 3, 10), number=6, discipline="PT", payer="medicare",
                    clinician=Clinician(name="Sam Rivera", credential="PT"), session_minutes=45),
        billing=[BillingLine(cpt="97110", minutes=24, units=2, modifiers=["GP"]),
                 BillingLine(cpt="97140", minutes=8, units=1)],
    )
    note = SoapNote(
        subjective="Pain 5/10 (ouch \u2013 \u201cstairs\u201d).",
        objective="Knee flexion 100\u00b0.",
        assessment="Improving.", plan="Add 8 inch step.", structured=True,
        exercises=[Exercise(name="straight leg raise", side="right", sets=3, reps=10,
                            load="2 lb ankle weight", cue="quad set first")],
        measures=[Measure(name="knee flexion AROM", side="right", value=100, unit="deg")],
        provenance=NoteProvenance(drafter="offline"),
    )
    signature = None
    if signed:
        signature = Signature(
            clinician="Sam Rivera", credential="PT",
            signed_at=dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC),
            rule_set_version="rules-test", note_sha256="ab" * 32,
            overrides=[Override(rule_id="CL-PRIOR", reason="same protocol, new values")],
            billing=[SignedLine(cpt="97110", minutes=24, units=2, modifiers=["GP"]),
                     SignedLine(cpt="97140", minutes=8, units=0, modifiers=["GP"])],
        )
    return NoteDocument(
        name="x-visit", record=record, note=note, drafter="offline", signature=signature,
        findings=[Finding(rule_id="TU-UNITS", severity="block", message="units differ")],
    )


def test_text_export_has_header_sections_tables_and_draft_status():
    text = render(_doc(), "text")
    assert "Patient: P-X-01, age 67" in text
    assert "SUBJECTIVE\nPain 5/10" in text
    assert re.search(r"straight leg raise\s+right\s+3 x 10\s+2 lb ankle weight", text)
    assert re.search(r"97110\s+24\s+2\s+GP", text)
    assert "DRAFT - not signed. Open blocking findings: TU-UNITS." in text


def test_signed_export_shows_recomputed_billing_signature_and_override():
    text = render(_doc(signed=True), "text")
    assert re.search(r"97140\s+8\s+0\s+GP", text)
    assert "Electronically signed by Sam Rivera, PT on 2026-03-10 15:00 UTC." in text
    assert "Override CL-PRIOR: same protocol, new values" in text


def test_markdown_export_has_tables():
    md = render(_doc(), "md")
    assert md.startswith("# SOAP note: P-X-01, 2026-03-10\n")
    assert "| straight leg raise | right | 3 x 10 | 2 lb ankle weight | quad set first |" in md
    assert "| 97110 | 24 | 2 | GP |" in md


def test_pdf_export_is_one_page_and_handles_non_latin1_text():
    data = render_bytes(_doc(signed=True), "pdf")
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", data)) == 1


def test_json_export_round_trips(tmp_path):
    path = export_note(_doc(signed=True), "json", tmp_path / "n.json")
    assert load_document(path) == _doc(signed=True)


def test_export_command_writes_pdf(tmp_path):
    src = export_note(_doc(), "json", tmp_path / "x.note.json")
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["export", str(src), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}\n"
    assert out.read_bytes().startswith(b"%PDF-")


def test_export_pdf_to_stdout_is_refused(tmp_path):
    src = export_note(_doc(), "json", tmp_path / "x.note.json")
    result = CliRunner().invoke(main, ["export", str(src), "--format", "pdf"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --format pdf: needs an output file; pass -o NOTE.pdf\n"


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_export_command_prints_text_formats(tmp_path, fmt):
    src = export_note(_doc(), "json", tmp_path / "x.note.json")
    result = CliRunner().invoke(main, ["export", str(src), "--format", fmt])
    assert result.exit_code == 0
    assert result.stdout == render(_doc(), fmt)


def test_export_of_a_malformed_note_names_the_field(tmp_path):
    bad = tmp_path / "bad.note.json"
    bad.write_text('{"name": "x"}')
    result = CliRunner().invoke(main, ["export", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: record: is missing")


def test_fhir_export_is_a_document_bundle_whose_references_resolve():
    pytest.importorskip("fhir.resources")
    import json

    bundle = json.loads(render(_doc(signed=True), "fhir"))
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "document")
    composition = bundle["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition" and composition["status"] == "final"
    urls = {e["fullUrl"]: e["resource"]["resourceType"] for e in bundle["entry"]}
    assert urls[composition["subject"]["reference"]] == "Patient"
    assert urls[composition["attester"][0]["party"]["reference"]] == "Practitioner"
    titles = [s["title"] for s in composition["section"]]
    assert titles == ["Subjective", "Objective", "Assessment", "Plan", "Exercises", "Billing"]
    billing = composition["section"][-1]["text"]["div"]
    assert "<td>97140</td><td>8</td><td>0</td><td>GP</td>" in billing


def test_fhir_export_of_a_draft_is_preliminary():
    pytest.importorskip("fhir.resources")
    import json

    composition = json.loads(render(_doc(), "fhir"))["entry"][0]["resource"]
    assert composition["status"] == "preliminary" and "attester" not in composition
