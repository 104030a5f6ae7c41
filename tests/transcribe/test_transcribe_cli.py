"""``sidekick transcribe``: outputs, batch failures, exit codes, exact messages."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner
from transcribe_helpers import needs_tools, silence, tone, write_wav

from sidekick.cli import main
from sidekick.models import Transcript

pytestmark = needs_tools


def _run(*args: str):
    return CliRunner().invoke(main, ["transcribe", *args])


def test_writes_json_and_readable_text(fake_model, tone_wav, tmp_path):
    result = _run(str(tone_wav), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "tone.transcript.json"
    assert result.stdout == f"{out}\n"
    transcript = Transcript.model_validate_json(out.read_text())
    assert [t.start for t in transcript.turns] == [0.0, 2.0]
    text = (tmp_path / "out" / "tone.transcript.txt").read_text()
    assert text.splitlines()[1] == "[00:02.0-00:03.0] quad sets three sets of ten"


def test_one_bad_file_fails_with_a_one_line_error_and_exit_2(fake_model, tmp_path):
    (tmp_path / "visit.m4a").write_text("not audio\n" * 20)
    result = _run(str(tmp_path / "visit.m4a"), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: visit.m4a: not a readable audio file; export the recording as wav, mp3 or m4a\n"
    )


def test_batch_goes_on_after_a_bad_file_and_exits_1(fake_model, tone_wav, tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    result = _run(str(tmp_path / "empty.wav"), str(tone_wav), "-o", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert (tmp_path / "o" / "tone.transcript.json").is_file()
    assert result.stderr == (
        "Error: empty.wav: the file is empty; record again or pick another file\n"
        "1 of 2 files transcribed, 1 failed\n"
    )


def test_silent_recording_writes_an_empty_transcript_with_a_warning(fake_model, tmp_path):
    path = write_wav(tmp_path / "quiet.wav", silence(3))
    result = _run(str(path), "-o", str(tmp_path))
    assert result.exit_code == 0
    assert "Warning: quiet.wav: no speech found; the transcript is empty\n" in result.stderr
    assert json.loads((tmp_path / "quiet.transcript.json").read_text())["turns"] == []


def test_same_stem_inputs_do_not_overwrite_each_other(fake_model, tmp_path):
    wav = write_wav(tmp_path / "a.wav", np.concatenate([tone(1), silence(1)]))
    flac = tmp_path / "a.flac"
    flac.write_bytes(wav.read_bytes())  # PyAV reads by content
    result = _run(str(wav), str(flac), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "o").glob("*.json")) == [
        "a.flac.transcript.json", "a.wav.transcript.json"]


def test_over_the_size_limit_is_refused(fake_model, tone_wav, tmp_path, monkeypatch):
    monkeypatch.setenv("SIDEKICK_MAX_AUDIO_MB", "0.01")
    result = _run(str(tone_wav), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == ("Error: tone.wav: the file is 0 MB, over the 0.01 MB limit; split "
                             "the recording or raise SIDEKICK_MAX_AUDIO_MB\n")
