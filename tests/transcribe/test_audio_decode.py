"""sidekick.audio: containers, rates, channels, and one-line errors for bad input."""

from __future__ import annotations

import io
import logging

import numpy as np
import pytest
from transcribe_helpers import ffmpeg, needs_tools, silence, sox, tone, write_wav

from sidekick import audio
from sidekick.errors import InputError

pytestmark = needs_tools


@pytest.mark.parametrize("ext", ["wav", "mp3", "m4a", "ogg", "opus", "webm", "flac"])
def test_every_clinician_and_browser_format_decodes_to_16k_mono(tone_wav, tmp_path, ext):
    target = tmp_path / f"tone.{ext}"
    opus = ext in ("opus", "webm")
    codec = ["-c:a", "libopus"] if opus else []
    ffmpeg("-i", str(tone_wav), "-ar", "48000" if opus else "44100", "-ac", "2", *codec,
           str(target))
    samples = audio.decode(target)
    assert samples.dtype == np.float32
    assert abs(len(samples) / 16000 - 3.0) < 0.1


def test_stereo_44k_is_mixed_and_resampled(tmp_path):
    path = tmp_path / "st.wav"
    sox("-n", "-r", "44100", "-c", "2", str(path), "synth", "2", "sine", "300")
    assert audio.probe(path).channels == 2
    assert len(audio.decode(path)) == 32000


def test_video_file_uses_its_audio_track(tone_wav, tmp_path):
    video = tmp_path / "visit.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-i", str(tone_wav),
           "-shortest", "-c:v", "mpeg4", "-c:a", "aac", str(video))
    assert len(audio.decode(video)) > 2 * 16000


def test_video_without_audio_names_the_file_and_the_fix(tmp_path):
    video = tmp_path / "visit.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-t", "1", "-c:v", "mpeg4",
           str(video))
    with pytest.raises(InputError) as err:
        audio.probe(video)
    assert str(err.value) == (
        "visit.mp4: no audio stream found; export the recording as wav, mp3 or m4a"
    )


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "visit.wav").write_bytes(b"")
    with pytest.raises(InputError) as err:
        audio.probe(tmp_path / "visit.wav")
    assert str(err.value) == "visit.wav: the file is empty; record again or pick another file"


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"^nope\.wav: file not found; check the path$"):
        audio.probe(tmp_path / "nope.wav")


def test_text_file_is_not_a_readable_audio_file(tmp_path):
    (tmp_path / "visit.m4a").write_text("not audio at all\n" * 50)
    with pytest.raises(InputError) as err:
        audio.probe(tmp_path / "visit.m4a")
    assert str(err.value) == (
        "visit.m4a: not a readable audio file; export the recording as wav, mp3 or m4a"
    )


def test_truncated_m4a_is_an_error(tone_wav, tmp_path):
    full = tmp_path / "full.m4a"
    ffmpeg("-i", str(tone_wav), str(full))
    cut = tmp_path / "cut.m4a"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    with pytest.raises(InputError, match=r"^cut\.m4a: "):
        list(audio.stream_blocks(cut))


def test_truncated_wav_keeps_what_was_recorded(tone_wav, tmp_path):
    cut = tmp_path / "cut.wav"
    cut.write_bytes(tone_wav.read_bytes()[: 44 + 16000 * 2])
    assert abs(len(audio.decode(cut)) - 16000) < 200


def test_header_only_wav_has_no_samples(tmp_path):
    path = write_wav(tmp_path / "zero.wav", np.zeros(0, np.float32))
    with pytest.raises(InputError) as err:
        list(audio.stream_blocks(path))
    assert str(err.value) == "zero.wav: the audio has no samples (zero length); record again"


def test_file_over_the_size_limit_is_refused(tone_wav):
    with pytest.raises(InputError) as err:
        audio.probe(tone_wav, max_mb=0.01)
    assert str(err.value) == (
        "tone.wav: the file is 0 MB, over the 0.01 MB limit; split the recording or raise "
        "SIDEKICK_MAX_AUDIO_MB"
    )


def test_bytes_and_file_objects_are_accepted(tone_wav):
    data = tone_wav.read_bytes()
    assert len(audio.decode(data)) == len(audio.decode(io.BytesIO(data))) == 48000


def test_blocks_have_the_asked_size(tone_wav):
    sizes = [len(b) for b in audio.stream_blocks(tone_wav, block_s=1.0)]
    assert sizes == [16000, 16000, 16000]


def test_stereo_blocks_keep_both_channels(tmp_path):
    path = write_wav(tmp_path / "s.wav", np.stack([tone(1.0), silence(1.0)]))
    (block,) = list(audio.stream_blocks(path, layout="stereo"))
    assert block.shape == (2, 16000)
    assert np.abs(block[1]).max() == 0


def _dialogue(per_channel: bool) -> np.ndarray:
    a = np.concatenate([tone(1.0, 300), silence(0.5), tone(0.1, 300, 0.0), silence(1.0)])
    b = np.concatenate([silence(1.5), tone(0.1, 0, 0.0), tone(1.0, 500)])
    if per_channel:
        return np.stack([a, b])
    mixed = a + b
    return np.stack([mixed, 0.9 * mixed])


@pytest.mark.parametrize("per_channel, expected", [(True, True), (False, False)],
                         ids=["one-speaker-per-channel", "same-on-both"])
def test_speakers_per_channel_needs_one_voice_per_side(per_channel, expected):
    assert audio.speakers_per_channel(_dialogue(per_channel)) is expected


def test_damaged_packets_are_skipped_with_a_warning(tone_wav, tmp_path, caplog):
    good = tmp_path / "good.mp3"
    ffmpeg("-i", str(tone_wav), str(good))
    data = bytearray(good.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 400] = bytes(400)
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        samples = audio.decode(bad)
    assert len(samples) > 16000
