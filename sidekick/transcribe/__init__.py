"""Stage 1: session audio to a timed ``Transcript`` with faster-whisper, on the CPU, offline.

``transcribe(audio, options, progress=None)`` reads any container clinicians and browsers
produce (``sidekick.audio``), transcribes it block by block with flat memory
(``engine._Engine``), reports progress as (seconds done, seconds total), and returns a finished
Transcript (segments are listed; no generator leaks out).

Speakers: every turn is ``unknown``. The one exception is a two-channel recording with one
speaker per channel (a lapel microphone per person, or a telehealth call recorded per side):
channel 1 (left) is the ``therapist``, channel 2 (right) the ``patient``. ``channels="auto"``
detects that layout (``audio.speakers_per_channel``); ``split`` forces it, ``mix`` never splits.
No diarization is guessed.

Silence: a recording with no speech gives an empty Transcript and a logged warning, never a
hallucinated one. A recording with no samples at all is an ``InputError``.

``IncrementalTranscriber`` serves a recording that is still growing (the app's live mode).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np

from sidekick import audio
from sidekick.errors import InputError
from sidekick.models import Speaker, Transcript, Turn
from sidekick.transcribe.engine import HALLUCINATIONS, ProgressFn, _Engine, run_blocks
from sidekick.transcribe.options import TranscribeOptions, load_model, model_label
from sidekick.transcribe.vocab import repair_turns

__all__ = [
    "HALLUCINATIONS", "IncrementalTranscriber", "TranscribeOptions", "load_model",
    "repair_turns", "transcribe",
]

logger = logging.getLogger(__name__)
_PROBE_S = 60.0
_DECODE_S = 30.0  # seconds decoded at a time (the engine gathers them into blocks)
# Pieces are kept in case later ones only decode joined to them (browser webm/ogg); pieces that
# decode alone past this size (WAV chunks) are not kept.
_KEEP_BYTES = 64 * 1024 * 1024  # seconds of a stereo file examined for one-speaker-per-channel


def _split_channels(source: audio.AudioSource, info: audio.AudioInfo,
                    options: TranscribeOptions) -> bool:
    if info.channels != 2 or options.channels == "mix":
        return False
    if options.channels == "split":
        return True
    first = next(audio.stream_blocks(source, block_s=_PROBE_S, layout="stereo"), None)
    return first is not None and audio.speakers_per_channel(first)


def _channel(source: audio.AudioSource, index: int, block_s: float):
    for block in audio.stream_blocks(source, block_s=block_s, layout="stereo"):
        yield block[index]


def transcribe(
    audio_in: audio.AudioSource,
    options: TranscribeOptions | None = None,
    progress: ProgressFn | None = None,
) -> Transcript:
    """Transcribe a recording.

    Args:
        audio_in: A path, bytes, or a binary file object (wav, mp3, m4a, ogg/opus, webm, flac,
            or a video's audio track; any rate; mono or stereo).
        options: How to transcribe (default: bundled tiny.en, VAD, lexicon repair).
        progress: Called with (seconds transcribed, seconds in the recording) after each block.

    Returns:
        The finished Transcript; ``turns`` is empty when no speech was found.

    Raises:
        InputError: the file is missing, empty, too large, unreadable, has no audio stream or
            no samples.
        ConfigError: the Whisper model cannot be loaded.
    """
    options = options or TranscribeOptions()
    if isinstance(audio_in, (bytes, bytearray, memoryview)):
        audio_in = io.BytesIO(bytes(audio_in))
    info = audio.probe(audio_in, options.max_audio_mb)
    if _split_channels(audio_in, info, options):
        turns, seconds, dropped = _transcribe_split(audio_in, info, options, progress)
    else:
        engine = _Engine(options)
        blocks = audio.stream_blocks(audio_in, block_s=_DECODE_S)
        turns = run_blocks(engine, blocks, info.duration_s, progress)
        seconds, dropped = engine.seconds_in, engine.dropped
    return _finish(turns, seconds, dropped, info.name, options)


def _transcribe_split(source: audio.AudioSource, info: audio.AudioInfo,
                      options: TranscribeOptions,
                      progress: ProgressFn | None) -> tuple[list[Turn], float, int]:
    """One pass per channel: left is the therapist, right the patient; turns merged by time."""
    turns: list[Turn] = []
    seconds, dropped = 0.0, 0
    speakers: tuple[Speaker, Speaker] = ("therapist", "patient")
    for index, speaker in enumerate(speakers):
        engine = _Engine(options, speaker=speaker)

        def report(sec: float, total: float, base: float = index * seconds) -> None:
            if progress:
                progress(base + sec, 2 * total)

        turns += run_blocks(engine, _channel(source, index, _DECODE_S), info.duration_s, report)
        seconds = engine.seconds_in
        dropped += engine.dropped
    turns.sort(key=lambda t: t.start)
    return turns, seconds, dropped


def _finish(turns: list[Turn], seconds: float, dropped: int, name: str | None,
            options: TranscribeOptions) -> Transcript:
    if options.repair:
        turns = repair_turns(turns)
    if not turns:
        logger.warning("no speech found in %.0f s of audio; the transcript is empty", seconds)
    logger.info("transcribed %.0f s: %d turns, %d silence phrases dropped",
                seconds, len(turns), dropped)
    return Transcript(turns=turns, source=name, duration_s=round(seconds, 2),
                      language=options.language, model=model_label(options.model))


class IncrementalTranscriber:
    """Transcribes a recording while it grows, so that stopping leaves one chunk to do.

    Call ``add_chunk`` with each piece as it arrives (bytes, a path, or 16 kHz float32 samples)
    and show the turns it returns; call ``finish`` when the clinician stops. A chunk may be a
    complete file (a WAV per chunk) or a continuation of the previous ones (browser
    MediaRecorder webm/ogg pieces, where only the first carries the header): a piece that does
    not decode alone is decoded together with the earlier pieces and only the new audio is
    used. (Such pieces are decoded again from the start each time, which costs a little more
    per chunk as the recording grows; WAV or raw-sample chunks do not.)

    Args:
        options: As for ``transcribe``; speakers are ``unknown`` (one mixed channel).
        block_s: Seconds of audio gathered before a block is transcribed (latency vs context).
    """

    def __init__(self, options: TranscribeOptions | None = None, block_s: float = 20.0) -> None:
        self.options = options or TranscribeOptions()
        self._engine = _Engine(self.options, block_s=block_s)
        self._turns: list[Turn] = []
        self._stream = bytearray()  # every piece so far (compressed audio is small)
        self._continuous = False  # True once pieces only decode together
        self._samples_seen = 0  # samples already taken from the joined stream
        self._chunks = 0

    def add_chunk(self, chunk: bytes | Path | str | np.ndarray) -> list[Turn]:
        """Add the next piece; return the turns completed by it (repaired, in order)."""
        self._chunks += 1
        samples = self._decode(chunk)
        new = self._engine.feed(samples)
        return self._keep(new)

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole Transcript."""
        self._keep(self._engine.flush())
        engine = self._engine
        if not self._turns:
            logger.warning("no speech found in %.0f s of audio; the transcript is empty",
                           engine.seconds_in)
        return Transcript(turns=list(self._turns), duration_s=round(engine.seconds_in, 2),
                          language=self.options.language, model=model_label(self.options.model))

    def _keep(self, new: list[Turn]) -> list[Turn]:
        if self.options.repair and new:
            new = repair_turns(new, previous=self._turns[-1] if self._turns else None)
        self._turns += new
        return new

    def _decode(self, chunk: bytes | Path | str | np.ndarray) -> np.ndarray:
        if isinstance(chunk, np.ndarray):
            return chunk.astype(np.float32, copy=False).reshape(-1)
        data = Path(chunk).read_bytes() if isinstance(chunk, (str, Path)) else bytes(chunk)
        if not data:
            return np.zeros(0, np.float32)
        if self._continuous or len(self._stream) < _KEEP_BYTES:
            self._stream += data
        if not self._continuous:
            try:
                samples = audio.decode(io.BytesIO(data))
                self._samples_seen += len(samples)
                return samples
            except InputError:
                if self._chunks == 1 or len(self._stream) >= _KEEP_BYTES:
                    raise
            logger.debug("chunk %d does not decode alone; decoding the stream", self._chunks)
            self._continuous = True
        try:
            whole = audio.decode(io.BytesIO(bytes(self._stream)))
        except InputError as exc:
            raise InputError(f"chunk {self._chunks}: not a readable audio piece; send complete "
                             "files, or one continuous recording from its first chunk") from exc
        new = whole[self._samples_seen:]
        self._samples_seen = len(whole)
        return new
