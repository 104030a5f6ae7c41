"""Helpers for the transcription tests (audio makers and a fake Whisper model)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

SR = 16_000


def sox(*args: str) -> None:
    subprocess.run(["sox", *args], check=True, capture_output=True, timeout=60)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True,
                   capture_output=True, timeout=60)


needs_tools = pytest.mark.skipif(
    not (shutil.which("sox") and shutil.which("ffmpeg")), reason="sox/ffmpeg not installed"
)


class FakeModel:
    """Stands in for WhisperModel: one segment per loud stretch of the audio it is given."""

    def __init__(self, text: str = "quad sets three sets of ten") -> None:
        self.text = text
        self.calls: list[int] = []

    def transcribe(self, audio: np.ndarray, **kwargs):
        self.calls.append(len(audio))
        frame = SR // 50
        n = len(audio) // frame
        loud = np.abs(audio[: n * frame].reshape(n, frame)).max(axis=1) > 0.05
        segments, start = [], None
        for i, flag in enumerate(list(loud) + [False]):
            if flag and start is None:
                start = i
            elif not flag and start is not None:
                segments.append(SimpleNamespace(
                    start=start * frame / SR, end=i * frame / SR, text=f" {self.text}",
                    no_speech_prob=0.01, avg_logprob=-0.2))
                start = None
        return iter(segments), SimpleNamespace(language="en")


def tone(seconds: float, freq: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = SR) -> Path:
    """Write float samples (1-D mono or (2, n) stereo) as 16-bit WAV."""
    import wave

    data = np.atleast_2d(samples)
    pcm = (np.clip(data.T, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path
