"""Errors Sidekick raises for the user to read.

The tree::

    SidekickError            message written for the user; the CLI prints "Error: <message>"
    ├── InputError           unreadable audio, bad case JSON, missing or invalid field
    ├── ConfigError          no API key, unknown prompt version, missing extra, bad setting
    ├── TranscriptionError   the Whisper stage failed on a readable file
    ├── DraftError           the LLM failed, or its output stayed invalid after retries
    └── StoreError           the history database could not be read or written

Every message says what is wrong, where, and what to do, on one line:
``cases/dev/x.json: visit.payer: 'aetna' is not in the payer table; add it to payers.yaml``.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class SidekickError(Exception):
    """Base class; ``str(err)`` is the one-line message shown to the user."""

    exit_code = 2


class InputError(SidekickError):
    """The input (file, JSON, audio, field value) cannot be used as given."""


class ConfigError(SidekickError):
    """Settings, prompts, models or extras are missing or wrong."""


class TranscriptionError(SidekickError):
    """Audio could be read but not transcribed."""


class DraftError(SidekickError):
    """Drafting failed (LLM unreachable, output invalid after retries)."""


class StoreError(SidekickError):
    """The history database failed."""


def field_error(source: str, field: str, problem: str) -> InputError:
    """Build the standard ``<file>: <field>: <what is wrong and what to do>`` error."""
    return InputError(f"{source}: {field}: {problem}")
