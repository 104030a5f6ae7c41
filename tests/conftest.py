"""Shared fixtures. Tests never reach the internet."""

from __future__ import annotations

from pathlib import Path

import pytest

from sidekick.config import Settings

REPO = Path(__file__).resolve().parent.parent
DEV_CASES = REPO.parent / "shared" / "cases" / "dev"
CATALOG = REPO.parent / "shared" / "reference" / "rule-catalog.md"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Offline settings with a private database; nothing read from the developer's env."""
    return Settings(_env_file=None, db=str(tmp_path / "sidekick.db"), openai_api_key=None,
                    llm_base_url=None)


@pytest.fixture(scope="session")
def dev_cases():
    from sidekick.cases import load_cases

    if not DEV_CASES.is_dir():
        pytest.skip("shared/cases/dev is not beside the project")
    return load_cases(DEV_CASES)


@pytest.fixture(autouse=True)
def _no_remote_llm(monkeypatch):
    """Building an LLM client for a remote host fails: tests use fakes or a local server."""
    try:
        import openai
    except ImportError:  # pragma: no cover
        return
    original = openai.OpenAI.__init__

    def guarded(self, *args, **kwargs):
        base = str(kwargs.get("base_url") or "")
        if not base.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
            raise RuntimeError("network call in a test: use the fake_drafter fixture")
        original(self, *args, **kwargs)

    monkeypatch.setattr(openai.OpenAI, "__init__", guarded)


class FakeDrafter:
    """A drafter for tests (issue 5): no extractor, no LLM; records the visits it drafted.

    Its note is deterministic and built from the record: the diagnosis, one line per turn
    count, and ``self.note_update`` applied on top (set it to shape the note a test needs).
    """

    name = "fake"
    parallel_safe = True

    def __init__(self):
        self.calls: list[str] = []
        self.note_update: dict = {}

    def draft(self, transcript, record):
        from sidekick.models import NoteProvenance, SoapNote

        self.calls.append(record.id)
        note = SoapNote(
            subjective=f"Fake draft for {record.patient.diagnosis or 'the visit'}.",
            objective=f"{len(transcript.turns)} transcript turns.",
            assessment="Fake assessment.",
            plan="Fake plan.",
            structured=True,
            provenance=NoteProvenance(drafter=self.name, model="fake-model"),
        )
        return note.model_copy(update=self.note_update)


@pytest.fixture
def fake_drafter() -> FakeDrafter:
    """A fake ``sidekick.draft.Drafter``: pass it as ``draft_note(..., drafter=fake_drafter)``."""
    return FakeDrafter()
