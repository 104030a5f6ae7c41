"""Through the real bundled Whisper model (tiny.en) on espeak-ng speech. Marked ``asr``.

Kept few and short: every test here costs real CPU. Bounds were measured on this speech and
set with margin (see the figures in each test).
"""

from __future__ import annotations

import re
import shutil

import jiwer
import numpy as np
import pytest
from transcribe_helpers import silence, write_wav

from sidekick import audio
from sidekick.models import Turn
from sidekick.synth import synthesize_dialogue
from sidekick.transcribe import IncrementalTranscriber, TranscribeOptions, transcribe

pytestmark = [
    pytest.mark.asr,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

DIALOGUE = [
    Turn(speaker="therapist", text="Good morning. How is the knee today?"),
    Turn(speaker="patient", text="Sore, about a four out of ten."),
    Turn(speaker="therapist", text="Let's start with quad sets. Ten reps, hold each one for "
                                   "five seconds."),
    Turn(speaker="patient", text="Okay."),
    Turn(speaker="therapist", text="Next, heel slides with the strap. Two sets of fifteen."),
    Turn(speaker="therapist", text="Now straight leg raises, three sets of ten, with a two "
                                   "pound weight."),
    Turn(speaker="patient", text="That one burns."),
    Turn(speaker="therapist", text="Last, bridges, two sets of twelve. Then we will ice the "
                                   "knee."),
]
NUMBERS = {"four": "4", "five": "5", "ten": "10", "two": "2", "three": "3", "twelve": "12",
           "fifteen": "15"}


def _norm(text: str) -> str:
    words = re.sub(r"[^a-z0-9 ]", " ", text.lower().replace("-", " ")).split()
    return " ".join(NUMBERS.get(w, w) for w in words)


REFERENCE = _norm(" ".join(t.text for t in DIALOGUE))


@pytest.fixture(scope="module")
def dialogue_wav(tmp_path_factory):
    return synthesize_dialogue(DIALOGUE, tmp_path_factory.mktemp("asr") / "dialogue.wav")


@pytest.fixture(scope="module")
def whole(dialogue_wav):
    return transcribe(dialogue_wav, TranscribeOptions())


def test_exercise_names_and_doses_come_through(whole):
    text = _norm(whole.text())
    # tiny.en on espeak-ng speech reliably gets these; "straight leg raises" and "bridges"
    # come out as "straight land raises" and "region", so they are not asserted
    for phrase in ("quad sets", "heel slides", "10 reps", "5 seconds", "2 sets of 15",
                   "3 sets of 10", "2 pound weight", "2 sets of 12"):
        assert phrase in text


def test_word_error_rate_is_under_the_measured_bound(whole):
    # measured 0.21 on tiny.en int8 beam 1 with VAD and repair (0.30 without); margin 0.09
    assert jiwer.wer(REFERENCE, _norm(whole.text())) < 0.30


def test_turns_are_timed_within_the_recording(whole, dialogue_wav):
    duration = len(audio.decode(dialogue_wav)) / 16000
    assert whole.turns and all(0 <= t.start < t.end <= duration + 0.5 for t in whole.turns)
    assert [t.start for t in whole.turns] == sorted(t.start for t in whole.turns)


def test_incremental_chunks_give_the_same_words(dialogue_wav, whole):
    samples = audio.decode(dialogue_wav)
    inc = IncrementalTranscriber(TranscribeOptions(), block_s=10)
    for start in range(0, len(samples), 5 * 16000):
        inc.add_chunk(samples[start:start + 5 * 16000])
    result = inc.finish()
    assert jiwer.wer(_norm(whole.text()), _norm(result.text())) < 0.2


def test_silence_and_room_noise_give_no_words(tmp_path):
    rng = np.random.default_rng(0)
    noise = np.concatenate([silence(5), (0.002 * rng.standard_normal(16000 * 20))])
    result = transcribe(write_wav(tmp_path / "quiet.wav", noise.astype(np.float32)),
                        TranscribeOptions(vad=False))
    assert result.turns == []


def test_two_channel_recording_labels_therapist_and_patient(dialogue_wav, tmp_path):
    therapist = [t for t in DIALOGUE[:3]]
    left = audio.decode(synthesize_dialogue(therapist[:1] + therapist[2:], tmp_path / "l.wav"))
    right = audio.decode(synthesize_dialogue(DIALOGUE[1:2], tmp_path / "r.wav"))
    gap = len(left) // 2
    n = max(len(left), gap + len(right))
    stereo = np.zeros((2, n), np.float32)
    stereo[0, : len(left)] = left
    stereo[1, gap: gap + len(right)] = 0.5 * right
    result = transcribe(write_wav(tmp_path / "call.wav", stereo), TranscribeOptions())
    speakers = {t.speaker for t in result.turns}
    assert speakers == {"therapist", "patient"}
    patient = " ".join(t.text for t in result.turns if t.speaker == "patient")
    assert "four" in _norm(patient) or "4" in _norm(patient)
