"""The --audio path: recognised transcripts replace the written ones; WER is reported."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from eval_fakes import case_data, fake_task, write_cases

from eval import audio, harness
from eval.__main__ import run_command
from eval.audio import evaluate_audio, word_error_rate
from eval.facts import FallbackScorer
from sidekick.cases import load_cases
from sidekick.models import Transcript, Turn


def test_word_error_rate_ignores_case_and_punctuation():
    assert word_error_rate(["Three sets of ten."], ["three sets of ten"]) == 0.0
    assert word_error_rate(["three sets of ten"], ["three sets of two"]) == 0.25
    assert word_error_rate([""], ["anything"]) is None


@pytest.fixture
def heard(monkeypatch):
    """Recognition that drops the last word of every turn (and records what it was given)."""
    given = []

    def fake_recognise(case, settings, cache_dir):
        given.append(case.id)
        return Transcript(turns=[Turn(text=" ".join(t.text.split()[:-1]))
                                 for t in case.transcript.turns])

    monkeypatch.setattr(audio, "recognise", fake_recognise)
    return given


def test_audio_block_scores_notes_drafted_from_recognised_text(tmp_path, settings, heard):
    seen = []
    inner = fake_task()

    def task(case, index, settings, drafter_name):
        seen.append(case.transcript.text())
        return inner(case, index, settings, drafter_name)

    cases = load_cases(write_cases(tmp_path / "cases", [case_data("a1"), case_data("a2")]))
    block = evaluate_audio(cases, {c.id: c for c in cases}, settings, cache_dir=tmp_path / "c",
                           scorer=FallbackScorer(), task=task, progress=False)
    assert heard == ["a1", "a2"]
    assert seen == ["Three sets of ten heel\n", "Three sets of ten heel\n"]
    assert block["wer"] == 0.2857  # 2 of 7 words dropped per case
    assert block["per_case"][0]["wer"] == 0.2857
    assert block["exercises"]["f1"] == 1.0
    assert block["cases"] == 2


def test_a_case_whose_speech_fails_is_recorded_as_failed(tmp_path, settings, monkeypatch):
    def broken(case, settings, cache_dir):
        raise RuntimeError("espeak crashed")

    monkeypatch.setattr(audio, "recognise", broken)
    cases = load_cases(write_cases(tmp_path / "cases", [case_data("b1")]))
    block = evaluate_audio(cases, {c.id: c for c in cases}, settings, cache_dir=tmp_path / "c",
                           scorer=FallbackScorer(), task=fake_task(), progress=False)
    assert block["failed_cases"] == 1
    assert block["per_case"][0]["failed"] == "RuntimeError: espeak crashed"
    assert block["wer"] is None


def test_cli_reports_audio_beside_text(tmp_path, heard, monkeypatch):
    monkeypatch.setattr(harness, "pipeline_task", fake_task())
    folder = write_cases(tmp_path / "cases", [case_data("c1")])
    result = CliRunner().invoke(run_command, [str(folder), "-o", str(tmp_path / "out"),
                                              "--audio", "--no-progress", "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["exercises"]["f1"] == 1.0
    assert report["audio"]["wer"] == 0.2857
    assert "exercises.f1 | 1.000 | 1.000" in result.stdout
    assert "wer | – | 0.286" in result.stdout
    assert "Word error rate per case" in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.asr
@pytest.mark.slow
def test_real_speech_and_whisper_recognise_the_spoken_transcript(tmp_path, settings):
    data = case_data("r1")
    data["transcript"] = [
        {"speaker": "therapist", "start": 0.0,
         "text": "Good morning. How is your knee feeling today?"},
        {"speaker": "patient", "start": 3.0,
         "text": "It feels much better than last week, thank you."},
    ]
    case = load_cases(write_cases(tmp_path / "cases", [data]))[0]
    transcript = audio.recognise(case, settings, tmp_path / "cache")
    assert "knee" in transcript.text().lower()
    assert word_error_rate([case.transcript.text()], [transcript.text()]) < 0.4
    assert len(list((tmp_path / "cache").glob("r1-*.json"))) == 1  # recognition is cached
