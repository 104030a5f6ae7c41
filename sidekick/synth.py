"""Synthetic session speech: espeak-ng speaks text, sox resamples, turns are joined with pauses.

Used by the ASR tests, the benchmark, the eval harness (``--audio``), the pipeline's sample
recording and the app's browser test. Everything is synthetic: no real voice is ever needed.

Choices:

* espeak-ng writes each turn to a WAV (22.05 kHz); sox converts it to 16 kHz mono 16-bit, the
  rate Whisper works at, so the joined file needs no further resampling.
* Turns are joined in Python with the ``wave`` module, one turn at a time, so a 60-minute session
  is written with flat memory. Silence between turns is ``pause_s``; when turns carry start
  times and ``max_pause_s`` is given, the gap in the timestamps is kept (capped at
  ``max_pause_s``), which gives the long silences of exercise sets.
* The therapist speaks with the first voice, the patient (and anyone else) with the second. A
  turn whose speaker is ``unknown`` takes the voice of the other party of the previous turn, so
  an unlabelled transcript still alternates.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

from sidekick.errors import ConfigError, InputError
from sidekick.models import Turn

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
DEFAULT_VOICES = ("en-us+m3", "en-us+f3")
DEFAULT_RATE = 165  # words per minute; espeak-ng's default is 175
_MISSING = "espeak-ng is not installed: apt-get install espeak-ng sox"


def _require_tools() -> tuple[str, str]:
    espeak = shutil.which("espeak-ng")
    sox = shutil.which("sox")
    if not espeak or not sox:
        raise ConfigError(_MISSING)
    return espeak, sox


def _speak(text: str, voice: str, rate: int, out_path: Path, tools: tuple[str, str]) -> None:
    """One utterance to a 16 kHz mono 16-bit WAV at ``out_path``."""
    espeak, sox = tools
    raw = out_path.with_suffix(".raw.wav")
    try:
        # Text goes through stdin so a turn starting with "-" is never read as an option.
        subprocess.run(
            [espeak, "-v", voice, "-s", str(rate), "-w", str(raw)],
            input=text.encode("utf-8"), check=True, capture_output=True, timeout=120,
        )
        subprocess.run(
            [sox, str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out_path)],
            check=True, capture_output=True, timeout=120,
        )
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(
            f"espeak-ng/sox failed for voice {voice!r}: {detail[-1] if detail else exc}; "
            "check the voice name with `espeak-ng --voices=en`"
        ) from exc
    finally:
        raw.unlink(missing_ok=True)


def _copy_frames(src: Path, out: wave.Wave_write) -> float:
    """Append a 16 kHz mono WAV to ``out``; return its duration in seconds."""
    with wave.open(str(src), "rb") as w:
        frames = w.readframes(w.getnframes())
    out.writeframes(frames)
    return len(frames) / 2 / SAMPLE_RATE


def _write_silence(out: wave.Wave_write, seconds: float) -> None:
    block = b"\x00\x00" * SAMPLE_RATE  # one second
    whole, part = divmod(max(seconds, 0.0), 1.0)
    for _ in range(int(whole)):
        out.writeframes(block)
    out.writeframes(b"\x00\x00" * int(part * SAMPLE_RATE))


def _voice_for(turn: Turn, previous: str | None, voices: Sequence[str]) -> str:
    if turn.speaker == "therapist":
        return voices[0]
    if turn.speaker in ("patient", "other"):
        return voices[1]
    if previous is None:
        return voices[0]
    return voices[1] if previous == voices[0] else voices[0]


def _gap(turn: Turn, nxt: Turn | None, spoken_end: float, pause_s: float,
         max_pause_s: float | None) -> float:
    """Silence after ``turn``: the timestamp gap (capped) when asked for, else ``pause_s``."""
    if nxt is None or max_pause_s is None:
        return pause_s
    wanted = nxt.start - (turn.end if turn.end is not None else turn.start + spoken_end)
    return min(max(wanted, pause_s), max(max_pause_s, pause_s))


def synthesize_dialogue(
    turns: Sequence[Turn],
    out_path: Path | str,
    *,
    voices: Sequence[str] = DEFAULT_VOICES,
    pause_s: float = 0.6,
    max_pause_s: float | None = None,
    rate: int = DEFAULT_RATE,
    lead_s: float = 0.3,
) -> Path:
    """Speak a dialogue to a 16 kHz mono WAV file.

    Args:
        turns: The turns to speak, in order. Empty-text turns are skipped.
        out_path: Where to write the WAV (parent folders are created).
        voices: espeak-ng voices: the therapist's, then the patient's/other's.
        pause_s: Silence between turns, in seconds (the minimum gap when times are kept).
        max_pause_s: When set, keep the gaps implied by the turns' start times, capped at this
            many seconds (realistic silences during exercise sets). None: always ``pause_s``.
        rate: Speaking rate in words per minute.
        lead_s: Silence before the first and after the last turn.

    Returns:
        ``out_path`` as a Path.

    Raises:
        ConfigError: espeak-ng or sox is missing, or a voice is unknown.
        InputError: there is nothing to speak.
    """
    out_path = Path(out_path)
    spoken = [t for t in turns if t.text.strip()]
    if not spoken:
        raise InputError(f"{out_path.name}: turns: nothing to speak; give at least one turn")
    tools = _require_tools()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sidekick-synth-") as tmp, \
            wave.open(str(out_path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        _write_silence(out, lead_s)
        previous: str | None = None
        for i, turn in enumerate(spoken):
            voice = _voice_for(turn, previous, voices)
            piece = Path(tmp) / f"turn{i}.wav"
            _speak(turn.text, voice, rate, piece, tools)
            seconds = _copy_frames(piece, out)
            piece.unlink()
            nxt = spoken[i + 1] if i + 1 < len(spoken) else None
            _write_silence(out, _gap(turn, nxt, seconds, pause_s, max_pause_s) if nxt else lead_s)
            previous = voice
    logger.info("synthesized %d turns", len(spoken))
    return out_path


def synthesize_text(
    text: str, out_path: Path | str, *, voice: str = DEFAULT_VOICES[0], rate: int = DEFAULT_RATE
) -> Path:
    """Speak one text with one voice to a 16 kHz mono WAV file (see ``synthesize_dialogue``)."""
    turn = Turn(speaker="therapist", start=0.0, text=text)
    return synthesize_dialogue([turn], out_path, voices=(voice, voice), rate=rate)
