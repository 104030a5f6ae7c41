"""Reading session audio: validation, streaming decode to 16 kHz float32, channel handling.

Decoding uses PyAV (FFmpeg), which faster-whisper already depends on, so every container a
clinician's phone or a browser produces works (wav, mp3, m4a/aac, ogg/opus, webm, flac, and the
audio track of a video), at any sample rate, mono or stereo.

Choices:

* Audio is decoded as a stream of blocks (``stream_blocks``), never as one array, so a 60-minute
  session is read with flat memory; faster-whisper's ``decode_audio`` holds the whole recording.
* Errors are ``InputError`` with one line naming the file: empty file, over the size limit,
  unreadable or unsupported container, no audio stream, no decodable samples.
* A recording that breaks part-way (truncated upload, damaged frames) keeps what decoded before
  the damage: the damaged frames are skipped and a warning is logged, so no work is lost. A
  recording with nothing decodable is an error.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import av
import numpy as np

from sidekick.errors import InputError

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
AudioSource = Path | str | bytes | BinaryIO
_FORMATS_HINT = "export the recording as wav, mp3 or m4a"


@dataclass(frozen=True)
class AudioInfo:
    """What the container says about the audio track (duration may be unknown for webm)."""

    name: str
    channels: int
    sample_rate: int
    duration_s: float | None
    codec: str


def source_name(source: AudioSource) -> str:
    """A short name for messages: the file name, or ``<audio bytes>``."""
    if isinstance(source, (str, Path)):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) else "<audio bytes>"


def _size_bytes(source: AudioSource) -> int:
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    pos = source.tell()
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(pos)
    return size


def check_source(source: AudioSource, max_mb: float) -> str:
    """Validate existence, emptiness and size; return the name used in messages.

    Raises:
        InputError: the file is missing, empty, or over ``max_mb``.
    """
    name = source_name(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{name}: file not found; check the path")
    size = _size_bytes(source)
    if size == 0:
        raise InputError(f"{name}: the file is empty; record again or pick another file")
    if max_mb and size > max_mb * 1024 * 1024:
        raise InputError(
            f"{name}: the file is {size / 1024 / 1024:.0f} MB, over the {max_mb:g} MB limit; "
            "split the recording or raise SIDEKICK_MAX_AUDIO_MB"
        )
    return name


def _open(source: AudioSource, name: str) -> av.container.InputContainer:
    target: str | BinaryIO
    if isinstance(source, (bytes, bytearray, memoryview)):
        target = io.BytesIO(bytes(source))
    elif isinstance(source, Path):
        target = str(source)
    else:
        target = source
        if not isinstance(source, str):
            source.seek(0)
    try:
        return av.open(target, mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{name}: not a readable audio file; {_FORMATS_HINT}") from exc


def _audio_stream(container: av.container.InputContainer, name: str) -> av.audio.AudioStream:
    if not container.streams.audio:
        container.close()
        raise InputError(f"{name}: no audio stream found; {_FORMATS_HINT}")
    return container.streams.audio[0]


def probe(source: AudioSource, max_mb: float = 0) -> AudioInfo:
    """Check the source and read its audio track's description (no decoding).

    Raises:
        InputError: see ``check_source``, plus unreadable container or no audio stream.
    """
    name = check_source(source, max_mb)
    container = _open(source, name)
    with container:
        stream = _audio_stream(container, name)
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / av.time_base
        return AudioInfo(
            name=name,
            channels=stream.codec_context.channels or 1,
            sample_rate=stream.codec_context.sample_rate or 0,
            duration_s=duration,
            codec=stream.codec_context.name,
        )


def _frames(container: av.container.InputContainer, name: str) -> Iterator[av.AudioFrame]:
    """Decoded frames; damaged packets are skipped, a broken tail ends the stream."""
    skipped = 0
    stream = container.streams.audio[0]
    try:
        for packet in container.demux(stream):
            try:
                yield from packet.decode()
            except av.error.InvalidDataError:
                skipped += 1
    except av.error.FFmpegError as exc:
        logger.warning("audio stream ended early (%s); keeping what decoded", type(exc).__name__)
    if skipped:
        logger.warning("skipped %d damaged audio packets", skipped)


def stream_blocks(
    source: AudioSource,
    *,
    block_s: float = 30.0,
    layout: Literal["mono", "stereo"] = "mono",
    max_mb: float = 0,
) -> Iterator[np.ndarray]:
    """Decode ``source`` to 16 kHz float32 in blocks of about ``block_s`` seconds.

    Args:
        source: A path, bytes, or a binary file object.
        block_s: Seconds per yielded block (the last one may be shorter).
        layout: ``mono`` yields 1-D arrays (channels mixed); ``stereo`` yields arrays of shape
            (2, n) (a mono file is duplicated onto both channels).
        max_mb: Size limit in MB (0: none).

    Yields:
        float32 arrays in [-1, 1].

    Raises:
        InputError: the source cannot be used (see ``probe``) or nothing decodes.
    """
    name = check_source(source, max_mb)
    container = _open(source, name)
    width = 2 if layout == "stereo" else 1
    block_len = int(block_s * SAMPLE_RATE)
    resampler = av.AudioResampler(format="s16", layout=layout, rate=SAMPLE_RATE)
    parts: list[np.ndarray] = []
    have = 0
    total = 0
    with container:
        _audio_stream(container, name)
        for frame in _frames(container, name):
            for out in resampler.resample(frame):
                part = out.to_ndarray().reshape(-1, width)
                parts.append(part)
                have += len(part)
                if have >= block_len:
                    for block in _emit(parts, block_len, width):
                        total += block.shape[-1]
                        yield block
                    have = sum(len(p) for p in parts)
        for out in resampler.resample(None):
            parts.append(out.to_ndarray().reshape(-1, width))
        if parts and sum(len(p) for p in parts):
            rest = _to_float(np.concatenate(parts), width)
            total += rest.shape[-1]
            yield rest
    if total == 0:
        raise InputError(f"{name}: the audio has no samples (zero length); record again")


def _emit(parts: list[np.ndarray], block_len: int, width: int) -> Iterator[np.ndarray]:
    joined = np.concatenate(parts)
    parts.clear()
    while len(joined) >= block_len:
        yield _to_float(joined[:block_len], width)
        joined = joined[block_len:]
    if len(joined):
        parts.append(joined)


def _to_float(block: np.ndarray, width: int) -> np.ndarray:
    data = block.astype(np.float32) / 32768.0
    return data[:, 0] if width == 1 else data.T.copy()


def decode(source: AudioSource, *, max_mb: float = 0) -> np.ndarray:
    """The whole source as one 16 kHz mono float32 array (for short audio: chunks, tests)."""
    blocks = list(stream_blocks(source, block_s=600.0, max_mb=max_mb))
    return np.concatenate(blocks) if blocks else np.zeros(0, np.float32)


def speakers_per_channel(stereo: np.ndarray, *, skew_db: float = 10.0, share: float = 0.7) -> bool:
    """True when a two-channel block holds one speaker per channel.

    In 50 ms frames where someone speaks, one channel must be ``skew_db`` louder than the other
    in at least ``share`` of the frames. A room recording with two microphones hears both
    speakers on both channels and fails this test; a duplicated mono track fails it too.
    """
    if stereo.ndim != 2 or stereo.shape[0] != 2 or stereo.shape[1] < SAMPLE_RATE:
        return False
    hop = SAMPLE_RATE // 20
    n = stereo.shape[1] // hop
    frames = stereo[:, : n * hop].reshape(2, n, hop)
    rms = np.sqrt(np.mean(frames**2, axis=2)) + 1e-9
    loud = rms.max(axis=0)
    speech = loud > max(0.01, 0.1 * float(np.percentile(loud, 95)))
    if speech.sum() < 10:
        return False
    ratio_db = 20 * np.abs(np.log10(rms[0, speech] / rms[1, speech]))
    return bool(np.mean(ratio_db >= skew_db) >= share)
