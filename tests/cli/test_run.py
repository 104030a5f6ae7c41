"""``sidekick run``: one input prints the note and findings; folders run as batches; exit codes;
and the end-to-end path from a synthesized recording to a signed note and a PDF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sidekick.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
DEV = REPO.parent / "shared" / "cases" / "dev"
FLAGS = ["--patient-id", "P-CLI-1", "--payer", "medicare", "--discipline", "PT",
         "--clinician", "Ana Cruz", "--credential", "PT", "--date", "2026-02-02",
         "--bill", "97110=24", "--bill", "97112=10"]


def invoke(args: list[str]):
    return CliRunner().invoke(main, ["run", *args])


def test_one_transcript_with_visit_flags_prints_note_and_findings(tmp_path):
    src = tmp_path / "visit1.txt"
    src.write_text("Therapist: Straight leg raises, three sets of ten with a two pound weight.\n"
                   "Patient: Pain is four out of ten.\n")
    out = tmp_path / "out"
    result = invoke([str(src), "-o", str(out), "--db", str(tmp_path / "h.db"), *FLAGS])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.startswith("Patient: P-CLI-1\n")
    assert "\nFindings\n" in result.stdout
    doc = json.loads((out / "visit1.note.json").read_text())
    # units the clinician did not enter are the payer's allowed units: 34 minutes, 2 units
    billed = {b["cpt"]: b["units"] for b in doc["record"]["billing"]}
    assert billed == doc["units"]["units"] and sum(billed.values()) == 2
    blocking = json.loads((out / "visit1.findings.json").read_text())["blocking"]
    assert result.exit_code == (1 if blocking else 0)
    run = json.loads((out / "run.json").read_text())
    assert run["items"][0]["status"] == ("blocked" if blocking else "ok")


def test_a_gold_case_runs_with_its_own_visit_and_history(tmp_path):
    if not DEV.is_dir():
        pytest.skip("shared/cases/dev is not beside the project")
    case = sorted(DEV.glob("*.json"))[0]
    result = invoke([str(case), "-o", str(tmp_path), "--db", str(tmp_path / "h.db")])
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / f"{case.stem}.note.md").read_text().startswith("# SOAP note: ")


def test_missing_input_is_a_one_line_error_with_exit_2(tmp_path):
    result = invoke([str(tmp_path / "nope.wav"), "-o", str(tmp_path)])
    assert result.exit_code == 2
    missing = tmp_path / "nope.wav"
    assert result.stderr == f"Error: {missing}: no such file or folder; check the path\n"


def test_a_single_bad_input_is_exit_2_and_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    result = invoke([str(bad), "-o", str(tmp_path / "out"), "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {bad}: not valid JSON (line 1, column 2: Expecting property name enclosed in "
        "double quotes); fix the syntax\n"
    )


def test_a_folder_runs_as_a_batch_and_a_failed_item_means_exit_1(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "sample-session.transcript.json", folder / "a.json")
    shutil.copy(SAMPLES / "sample-session.visit.json", folder / "a.visit.json")
    (folder / "b.json").write_text("[not json")
    out = tmp_path / "out"
    result = invoke([str(folder), "-o", str(out), "--db", str(tmp_path / "h.db"), "-j", "1"])
    assert result.exit_code == 1
    assert result.stdout.startswith("2 item(s): ")
    assert f"FAILED b: {folder / 'b.json'}: not valid JSON" in result.stdout
    again = invoke([str(folder), "-o", str(out), "--db", str(tmp_path / "h.db"), "-j", "1"])
    assert "1 run now, 1 already done" in again.stdout


def test_the_readme_sample_transcript_runs_with_its_sidecar_visit(tmp_path):
    result = invoke([str(SAMPLES / "sample-session.transcript.json"), "-o", str(tmp_path),
                     "--db", str(tmp_path / "h.db")])
    assert result.exit_code in (0, 1), result.output
    assert "Patient: P-SAMPLE-01, age 67" in result.stdout


@pytest.mark.asr
@pytest.mark.slow
def test_readme_first_command_runs_on_the_sample_recording(tmp_path):
    result = invoke([str(SAMPLES / "sample-session.ogg"), "-o", str(tmp_path),
                     "--db", str(tmp_path / "h.db")])
    assert result.exit_code in (0, 1), result.output
    doc = json.loads((tmp_path / "sample-session.note.json").read_text())
    assert doc["record"]["transcript"]["model"].startswith("embedded")
    assert "straight leg" in json.dumps(doc["record"]["transcript"]).lower()


@pytest.mark.asr
@pytest.mark.slow
def test_synthesized_recording_to_signed_note_and_pdf_through_whisper(tmp_path):
    from sidekick.models import Turn
    from sidekick.synth import synthesize_dialogue

    audio = synthesize_dialogue([
        Turn(speaker="therapist", text="How is the left shoulder today?"),
        Turn(speaker="patient", text="About a four out of ten. Reaching overhead still hurts."),
        Turn(speaker="therapist", text="Shoulder flexion is one hundred forty degrees today."),
        Turn(speaker="therapist", text="Now rows with the red band, three sets of fifteen. "
                                       "Squeeze the shoulder blades and keep the elbows in."),
        Turn(speaker="therapist", text="Next visit we add the green band."),
    ], tmp_path / "shoulder.wav", rate=140)
    out, db = tmp_path / "out", str(tmp_path / "h.db")
    flags = ["--patient-id", "P-E2E-1", "--payer", "medicare", "--discipline", "PT",
             "--clinician", "Ana Cruz", "--credential", "PT", "--bill", "97110=20"]
    ran = invoke([str(audio), "-o", str(out), "--db", db, *flags])
    assert ran.exit_code in (0, 1), ran.output
    note_json = out / "shoulder.note.json"
    transcript = json.loads(note_json.read_text())["record"]["transcript"]
    assert "band" in json.dumps(transcript).lower()
    blocking = json.loads((out / "shoulder.findings.json").read_text())["blocking"]
    overrides = [a for rule in blocking for a in ("--override", f"{rule}=reviewed in e2e test")]
    signed = CliRunner().invoke(main, ["sign", str(note_json), "--clinician", "Ana Cruz",
                                       "--credential", "PT", "--db", db, *overrides])
    assert signed.exit_code == 0, signed.output
    pdf = out / "shoulder.pdf"
    exported = CliRunner().invoke(main, ["export", str(out / "shoulder.signed.json"),
                                         "--format", "pdf", "-o", str(pdf)])
    assert exported.exit_code == 0, exported.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    verified = CliRunner().invoke(main, ["verify", "--db", db])
    assert verified.exit_code == 0 and verified.stdout.startswith("Event log intact")


def test_an_unknown_drafter_stops_before_any_item(tmp_path):
    src = SAMPLES / "sample-session.transcript.json"
    result = invoke([str(src), "-o", str(tmp_path / "out"), "--drafter", "nope"])
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown drafter 'nope'; use one of: offline, llm, local\n"
    assert not (tmp_path / "out").exists()


def test_running_the_same_input_again_skips_the_work_and_prints_the_same_note(tmp_path):
    args = [str(SAMPLES / "sample-session.transcript.json"), "-o", str(tmp_path),
            "--db", str(tmp_path / "h.db")]
    first, second = invoke(args), invoke(args)
    assert second.exit_code == first.exit_code
    assert second.stdout == first.stdout
    run = json.loads((tmp_path / "run.json").read_text())
    assert (run["processed"], run["skipped"]) == (0, 1)


def test_an_output_folder_that_cannot_be_written_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker / "out"
    result = invoke([str(SAMPLES / "sample-session.transcript.json"), "-o", str(out),
                     "--db", str(tmp_path / "h.db")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {out}: cannot write the outputs there (Not a directory); "
        "pass -o with a writable folder\n"
    )
