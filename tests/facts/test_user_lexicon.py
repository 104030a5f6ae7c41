"""SIDEKICK_LEXICON_FILE: a clinic's own exercise words reach every reader through Settings."""

from __future__ import annotations

import pytest

from sidekick.errors import ConfigError
from sidekick.facts import lexicon
from sidekick.facts.exercises import extract_exercises
from sidekick.models import Transcript, Turn

SESSION = Transcript(turns=[
    Turn(speaker="therapist", text="Now the zorblat press on the cable column, three sets of ten."),
])


@pytest.fixture(autouse=True)
def _reset_user_lexicon():
    yield
    lexicon._user_file = None


def _names() -> list[str]:
    return [e.name for e in extract_exercises(SESSION)]


def test_user_lexicon_from_settings_names_a_clinic_exercise(tmp_path, settings):
    extra = tmp_path / "clinic.yaml"
    extra.write_text(
        "exercises:\n"
        "  - {name: cable zorblat press, synonyms: [zorblat press], region: shoulder,"
        " laterality: bilateral, kind: reps}\n"
    )
    assert "cable zorblat press" not in _names()
    lexicon.use_settings(settings.model_copy(update={"lexicon_file": extra}))
    assert "cable zorblat press" in _names()


def test_missing_user_lexicon_fails_at_the_entry_point(tmp_path, settings):
    missing = settings.model_copy(update={"lexicon_file": tmp_path / "nope.yaml"})
    with pytest.raises(ConfigError, match="nope.yaml"):
        lexicon.use_settings(missing)
