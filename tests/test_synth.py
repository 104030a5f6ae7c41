"""synth: espeak-ng + sox speech for tests, the benchmark and samples."""

from __future__ import annotations

import wave

import pytest

from sidekick import synth
from sidekick.errors import ConfigError, InputError
from sidekick.models import Turn

pytestmark = pytest.mark.skipif(
    synth.shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


def _duration(path) -> float:
    with wave.open(str(path), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        return w.getnframes() / w.getframerate()


def test_dialogue_is_written_as_16k_mono_wav(tmp_path):
    turns = [Turn(speaker="therapist", text="Three sets of ten heel slides."),
             Turn(speaker="patient", text="Okay.")]
    out = synth.synthesize_dialogue(turns, tmp_path / "sub" / "d.wav")
    assert out == tmp_path / "sub" / "d.wav"
    assert 1.5 < _duration(out) < 10


def test_timestamp_gaps_are_kept_up_to_the_cap(tmp_path):
    turns = [Turn(speaker="therapist", start=0, text="Hold it."),
             Turn(speaker="patient", start=60, text="Done.")]
    short = _duration(synth.synthesize_dialogue(turns, tmp_path / "a.wav", pause_s=0.5))
    capped = _duration(synth.synthesize_dialogue(turns, tmp_path / "b.wav", max_pause_s=6))
    assert capped - short == pytest.approx(5.5, abs=0.05)


def test_text_starting_with_a_dash_is_spoken_not_parsed(tmp_path):
    assert _duration(synth.synthesize_text("-v is not an option here", tmp_path / "t.wav")) > 1


def test_nothing_to_speak_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nothing to speak"):
        synth.synthesize_dialogue([Turn(text="  ")], tmp_path / "e.wav")


def test_missing_espeak_is_a_config_error_naming_the_install(tmp_path, monkeypatch):
    monkeypatch.setattr(synth.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError) as err:
        synth.synthesize_text("hello", tmp_path / "x.wav")
    assert str(err.value) == "espeak-ng is not installed: apt-get install espeak-ng sox"


def test_unknown_voice_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="voice 'xx-nonexistent'"):
        synth.synthesize_text("hello", tmp_path / "x.wav", voice="xx-nonexistent")
