"""Stage 2: a transcript and the visit to a ``SoapNote`` a clinician can sign after a glance.

Drafters share one interface, the ``Drafter`` protocol:

- ``offline`` (default): the fact extractor plus templates. No key, nothing leaves the machine.
- ``llm``: any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama, Azure), opt-in
  through ``SIDEKICK_LLM_BASE_URL`` / ``OPENAI_API_KEY``.
- ``local``: llama.cpp in process on ``SIDEKICK_LLM_GGUF`` (the ``local`` extra).

``draft_note`` runs one and never loses a draft: when the LLM fails (invalid output after
the retries, timeout, host error) it keeps the offline drafter's note and records why in
``DraftResult.fallback_reason`` and the note's provenance. Configuration errors (no LLM
configured, unknown prompt) are raised: they need the user, not a fallback.

``Drafter.parallel_safe`` tells callers (the eval harness, batch runs) whether ``draft`` may
run on several visits at once.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from sidekick.config import Settings
from sidekick.errors import ConfigError, DraftError
from sidekick.models import NoteProvenance, SoapNote, Transcript, VisitRecord

logger = logging.getLogger(__name__)

DRAFTERS = ("offline", "llm", "local")


@runtime_checkable
class Drafter(Protocol):
    """Anything that turns a transcript and a visit into a structured SoapNote."""

    name: str
    parallel_safe: bool

    def draft(self, transcript: Transcript, record: VisitRecord) -> SoapNote: ...


class DraftResult(BaseModel):
    """A drafted note and how it was made."""

    model_config = ConfigDict(extra="forbid")

    note: SoapNote
    drafter: str  # the drafter that produced the note (offline after a fallback)
    fallback_reason: str | None = None
    attempts: int = 1
    latency_s: float = 0.0


def get_drafter(name: str, settings: Settings) -> Drafter:
    """The drafter called ``name`` ("offline", "llm" or "local"), built from settings.

    Raises:
        ConfigError: unknown name; "llm" with no host configured; "local" with no GGUF file.
    """
    key = name.strip().lower()
    if key == "offline":
        from sidekick.draft.offline import OfflineDrafter

        return OfflineDrafter(settings)
    if key == "llm":
        from sidekick.draft.llm import LLMDrafter

        return LLMDrafter(settings)
    if key == "local":
        from sidekick.draft.local import LocalDrafter

        return LocalDrafter(settings)
    raise ConfigError(f"unknown drafter '{name}'; use one of: {', '.join(DRAFTERS)}")


def _stamp(note: SoapNote, drafter: Drafter) -> SoapNote:
    """Make sure the note is marked structured and says which drafter made it."""
    prov = note.provenance or NoteProvenance(drafter=drafter.name)
    return note.model_copy(update={"provenance": prov, "structured": True})


def _offline_fallback(
    transcript: Transcript, record: VisitRecord, settings: Settings, failed: Drafter,
    reason: str,
) -> SoapNote:
    from sidekick.draft.offline import OfflineDrafter

    fallback = getattr(failed, "fallback", None) or OfflineDrafter(settings)
    note = fallback.draft(transcript, record)
    prov = (note.provenance or NoteProvenance(drafter="offline")).model_copy(
        update={"fallback_reason": reason}
    )
    return note.model_copy(update={"provenance": prov})


def draft_note(
    transcript: Transcript,
    record: VisitRecord,
    settings: Settings,
    drafter_name: str | None = None,
    drafter: Drafter | None = None,
) -> DraftResult:
    """Draft the note for one visit.

    Args:
        transcript: the session transcript.
        record: the visit (patient, visit, billing).
        settings: built once at the entry point.
        drafter_name: "offline", "llm" or "local"; None means ``settings.drafter``.
        drafter: an already built drafter (a fake in tests); wins over ``drafter_name``.

    Returns:
        The note (structured, provenance filled), the drafter that made it, the fallback
        reason if the LLM failed, the number of LLM requests and the wall time.

    Raises:
        ConfigError: unknown drafter, no LLM configured, bad prompt.
    """
    started = time.perf_counter()
    from sidekick.facts import lexicon

    lexicon.use_settings(settings)  # the clinic's own exercise words, if configured
    chosen = drafter or get_drafter(drafter_name or settings.drafter, settings)
    attempts, fallback = 1, None
    try:
        detailed = getattr(chosen, "draft_with_attempts", None)
        if callable(detailed):
            note, attempts = detailed(transcript, record)
        else:
            note = chosen.draft(transcript, record)
        note = _stamp(note, chosen)
        used = chosen.name
    except ConfigError:
        raise
    except DraftError as exc:
        if chosen.name == "offline":
            raise
        fallback = str(exc)
        attempts = int(getattr(exc, "attempts", 1))
        logger.warning("%s drafter failed after %d attempt(s); keeping the offline note",
                       chosen.name, attempts)
        note = _offline_fallback(transcript, record, settings, chosen, fallback)
        used = note.provenance.drafter if note.provenance else "offline"
    latency = time.perf_counter() - started
    logger.info("draft: drafter %s, %.2f s", used, latency)
    return DraftResult(note=note, drafter=used, fallback_reason=fallback, attempts=attempts,
                       latency_s=latency)


__all__ = ["DRAFTERS", "DraftResult", "Drafter", "draft_note", "get_drafter"]
