"""Fixtures for the transcription tests: audio made with sox/ffmpeg/espeak-ng, a fake model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from transcribe_helpers import FakeModel, silence, tone, write_wav


@pytest.fixture(scope="session")
def tone_wav(tmp_path_factory) -> Path:
    """3 s: 1 s tone, 1 s silence, 1 s tone (16 kHz mono)."""
    out = tmp_path_factory.mktemp("audio") / "tone.wav"
    return write_wav(out, np.concatenate([tone(1.0), silence(1.0), tone(1.0)]))


@pytest.fixture
def fake_model(monkeypatch) -> FakeModel:
    model = FakeModel()
    monkeypatch.setattr("sidekick.transcribe.engine.load_model", lambda options: model)
    return model
