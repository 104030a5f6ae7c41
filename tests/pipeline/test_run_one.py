"""run_one / run_record: drafting, checking, history, and what the note document holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sidekick import facts
from sidekick.inputs import load_input
from sidekick.pipeline import run_one, run_record, save_draft, store_history
from sidekick.store import open_store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DEV = Path(__file__).resolve().parents[3] / "shared" / "cases" / "dev"


def test_offline_drafting_extracts_the_transcript_facts_once(settings, monkeypatch):
    calls = []
    real = facts.extract_from_transcript

    def counting(transcript, record=None):
        calls.append(1)
        return real(transcript, record)

    monkeypatch.setattr(facts, "extract_from_transcript", counting)
    doc = run_one(SAMPLES / "sample-session.transcript.json", settings)
    assert doc.drafter == "offline" and doc.note.structured
    assert len(calls) == 1


def test_a_record_with_a_note_is_checked_not_redrafted(settings):
    record = load_input(SAMPLES / "sample-session.transcript.json", settings)
    record = record.model_copy(update={"note": "Subjective: knee sore.\nObjective: SLR 3x10.\n"
                                               "Assessment: improving.\nPlan: continue."})
    doc = run_record(record, settings)
    assert doc.drafter == "human" and not doc.note.structured
    assert doc.note.subjective.startswith("knee sore")


def test_note_document_records_the_input_hash_and_rule_set(settings):
    from sidekick.validators import RULE_SET_VERSION

    doc = run_one(SAMPLES / "sample-session.transcript.json", settings)
    assert doc.rule_set_version == RULE_SET_VERSION
    assert doc.input_sha256 and len(doc.input_sha256) == 64
    assert doc.name == "sample-session.transcript"


@pytest.mark.parametrize(("case", "rule"), [("dev-hipoa-r-v06", "CL-PRIOR"),
                                            ("dev-men-l-v03", "CL-CROSS")])
def test_gold_cases_take_their_history_from_the_cases_beside_them(settings, case, rule):
    if not DEV.is_dir():
        pytest.skip("shared/cases/dev is not beside the project")
    doc = run_one(DEV / f"{case}.json", settings)
    assert rule in {f.rule_id for f in doc.findings}


def test_history_comes_from_the_store_for_a_recording_or_transcript(tmp_path, settings):
    """The same session drafted again for the same patient a week later is a cloned note."""
    visit = json.loads((SAMPLES / "sample-session.visit.json").read_text())
    transcript = (SAMPLES / "sample-session.transcript.json").read_text()
    for name, date in (("week1", "2026-03-03"), ("week2", "2026-03-10")):
        (tmp_path / f"{name}.json").write_text(transcript)
        (tmp_path / f"{name}.visit.json").write_text(
            json.dumps({**visit, "id": name, "visit": {**visit["visit"], "date": date}}))
    with open_store(settings) as store:
        first = run_one(tmp_path / "week1.json", settings, history_for=store_history(store))
        save_draft(store, first)
        second = run_one(tmp_path / "week2.json", settings, history_for=store_history(store))
    assert "CL-PRIOR" not in {f.rule_id for f in first.findings}
    assert "CL-PRIOR" in {f.rule_id for f in second.findings}
