"""``sidekick draft`` and ``sidekick prompts``: files written, what is printed, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sidekick.cli import main
from sidekick.models import SoapNote
from sidekick.prompts import load_prompt

REPO = Path(__file__).resolve().parents[2]
CASE = REPO.parent / "shared" / "cases" / "dev" / "dev-tka-l-v03.json"
NOTE_CASE = REPO.parent / "shared" / "cases" / "dev" / "dev-hipoa-r-v05.json"
CLEAN_ENV = {"OPENAI_API_KEY": None, "SIDEKICK_LLM_BASE_URL": None, "SIDEKICK_DRAFTER": None,
             "SIDEKICK_LLM_GGUF": None, "SIDEKICK_DRAFT_PROMPT": None}


def _run(*args: str):
    return CliRunner().invoke(main, list(args), env=CLEAN_ENV)


@pytest.fixture
def case_file(tmp_path) -> Path:
    if not CASE.is_file():
        pytest.skip("shared/cases/dev is not beside the project")
    return Path(shutil.copy(CASE, tmp_path / CASE.name))


def _visit_and_transcript(case_file: Path, tmp_path: Path) -> tuple[Path, Path]:
    data = json.loads(case_file.read_text())
    visit = {k: data[k] for k in ("patient", "visit", "billing")}
    visit_path = tmp_path / "visit.json"
    visit_path.write_text(json.dumps(visit))
    lines = [f"{t['speaker'].capitalize()}: {t['text']}" for t in data["transcript"]]
    text_path = tmp_path / "session.txt"
    text_path.write_text("\n".join(lines) + "\n")
    return visit_path, text_path


def test_draft_of_a_case_writes_json_and_text_and_says_how(case_file, tmp_path):
    out = tmp_path / "out"
    result = _run("draft", str(case_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert re.fullmatch(
        r"dev-tka-l-v03\.json: drafter offline, model none, prompt none, \d+\.\d s -> "
        + re.escape(f"{out}/dev-tka-l-v03.note.json, {out}/dev-tka-l-v03.note.txt"), first)
    note = SoapNote.model_validate_json((out / "dev-tka-l-v03.note.json").read_text())
    assert note.structured and note.provenance.drafter == "offline" and note.exercises
    text = (out / "dev-tka-l-v03.note.txt").read_text()
    assert text.startswith("Subjective: ") and "\n\nPlan: " in text


def test_plain_text_transcript_with_visit_file(case_file, tmp_path):
    visit, transcript = _visit_and_transcript(case_file, tmp_path)
    result = _run("draft", str(transcript), "--visit", str(visit), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    note = SoapNote.model_validate_json((tmp_path / "session.note.json").read_text())
    assert note.exercises


def test_bare_transcript_without_visit_is_an_input_error(case_file, tmp_path):
    _, transcript = _visit_and_transcript(case_file, tmp_path)
    result = _run("draft", str(transcript), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {transcript}: visit: no visit details (patient, payer, discipline, "
        "clinician); put them in session.visit.json beside it, or pass --visit VISIT.json "
        "or the visit flags\n"
    )


def test_case_without_transcript_is_an_input_error(tmp_path):
    if not NOTE_CASE.is_file():
        pytest.skip("shared/cases/dev is not beside the project")
    data = json.loads(NOTE_CASE.read_text())
    data["transcript"] = []
    path = tmp_path / "note-only.json"
    path.write_text(json.dumps(data))
    result = _run("draft", str(path), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}: transcript: is empty; there is nothing to draft from\n")
    assert not list(tmp_path.glob("*.note.*"))


def test_llm_drafter_without_host_or_key_is_refused(case_file, tmp_path):
    result = _run("draft", str(case_file), "--drafter", "llm", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == (
        "Error: OPENAI_API_KEY is not set and SIDEKICK_LLM_BASE_URL is empty. "
        "Export one, or use --drafter offline.\n"
    )


def test_unknown_prompt_version_is_refused_before_drafting(case_file, tmp_path):
    result = CliRunner().invoke(
        main, ["draft", str(case_file), "--drafter", "llm", "--prompt", "draft_soap/v99"],
        env={**CLEAN_ENV, "SIDEKICK_LLM_BASE_URL": "http://127.0.0.1:9/v1"})
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: unknown prompt version 'draft_soap/v99'; available: draft_soap/v1")


def test_one_bad_input_among_several_fails_only_that_one(case_file, tmp_path):
    missing = tmp_path / "missing.json"
    result = _run("draft", str(case_file), str(missing), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"Error: {missing}: file not found; check the path" in result.output
    assert "1 of 2 input(s) failed" in result.output
    assert (tmp_path / "out" / "dev-tka-l-v03.note.json").is_file()


def test_prompts_list_shows_versions_with_hash():
    prompt = load_prompt("draft_soap/v1")
    result = _run("prompts", "list")
    assert result.exit_code == 0
    line = next(ln for ln in result.output.splitlines() if "draft_soap/v1" in ln)
    assert line.startswith(f"* {'draft_soap/v1':<20} {prompt.hash}  First version:")


def test_prompts_show_prints_the_file_and_examples():
    result = _run("prompts", "show", "draft_soap")
    assert result.exit_code == 0
    prompt = load_prompt("draft_soap/v1")
    assert result.output.startswith(f"# draft_soap/v1  hash {prompt.hash}  ({prompt.path})\n")
    assert "# examples: examples.yaml" in result.output


def test_prompts_show_unknown_version():
    result = _run("prompts", "show", "draft_soap/v7")
    assert result.exit_code == 2
    assert result.output == (
        "Error: unknown prompt version 'draft_soap/v7'; available: draft_soap/v1\n")


@pytest.mark.parametrize("shape", ["object", "list"])
def test_json_transcript_with_visit_file(case_file, tmp_path, shape):
    visit, _ = _visit_and_transcript(case_file, tmp_path)
    turns = json.loads(case_file.read_text())["transcript"]
    path = tmp_path / "turns.json"
    path.write_text(json.dumps({"turns": turns} if shape == "object" else turns))
    result = _run("draft", str(path), "--visit", str(visit), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    note = SoapNote.model_validate_json((tmp_path / "turns.note.json").read_text())
    assert note.exercises and note.total_timed_minutes == 43
