"""Prompt files: loading, checking, rendering, hashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sidekick.errors import ConfigError
from sidekick.prompts import list_prompts, load_prompt, render

GOOD = """\
id: note
version: {version}
changes: {changes}
variables: [visit, transcript]
system: You draft notes.
user: "Visit: $visit\\nTranscript: $transcript"
"""


def _write(root: Path, version: str = "v1", text: str | None = None, **fmt) -> Path:
    folder = root / "note"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{version}.yaml"
    body = text if text is not None else GOOD.format(
        version=version, changes=fmt.get("changes", "first"))
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_prompt_loads_and_renders_every_variable():
    prompt = load_prompt("draft_soap/v1")
    system, user = render(prompt, visit="VISIT-TEXT", transcript="TRANSCRIPT-TEXT")
    assert system[0] == "system" and user[0] == "user"
    assert "VISIT-TEXT" in user[1] and "TRANSCRIPT-TEXT" in user[1]
    assert "$" not in system[1] + user[1]
    assert "band row" in system[1]  # the worked example is filled in


def test_a_bare_name_loads_the_latest_version(tmp_path):
    _write(tmp_path, "v1")
    _write(tmp_path, "v2", changes="second")
    _write(tmp_path, "v10", changes="tenth")
    assert load_prompt("note", tmp_path).file.version == "v10"
    assert load_prompt("note/v2", tmp_path).file.changes == "second"


def test_unknown_version_lists_the_available_ones(tmp_path):
    _write(tmp_path, "v1")
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v9", tmp_path)
    assert str(err.value) == "unknown prompt version 'note/v9'; available: note/v1"


def test_unknown_prompt_names_the_folder_and_what_exists(tmp_path):
    _write(tmp_path, "v1")
    with pytest.raises(ConfigError) as err:
        load_prompt("other", tmp_path)
    assert str(err.value) == f"unknown prompt 'other' in {tmp_path}; available: note/v1"


def test_missing_variable_is_named():
    prompt = load_prompt("draft_soap/v1")
    with pytest.raises(ConfigError) as err:
        render(prompt, transcript="t")
    assert str(err.value) == "Missing variables: visit"


def test_undeclared_placeholder_fails_at_load(tmp_path):
    path = _write(tmp_path, text=GOOD.format(version="v1", changes="x").replace(
        "$transcript", "$transcrpt"))
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v1", tmp_path)
    assert str(err.value) == (
        f"{path}: user: unknown variable $transcrpt; declare it under 'variables' "
        "or fix the spelling"
    )


def test_misspelt_key_fails_at_load(tmp_path):
    path = _write(tmp_path, text=GOOD.format(version="v1", changes="x") + "tempature: 0\n")
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v1", tmp_path)
    assert str(err.value) == f"{path}: tempature: is not a known field"


def test_missing_changelog_line_fails_at_load(tmp_path):
    text = GOOD.format(version="v1", changes="x").replace("changes: x\n", "")
    path = _write(tmp_path, text=text)
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v1", tmp_path)
    assert str(err.value) == f"{path}: changes: is missing"


def test_missing_examples_file_fails_at_load(tmp_path):
    path = _write(tmp_path, text=GOOD.format(version="v1", changes="x") + "examples: ex.yaml\n")
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v1", tmp_path)
    assert str(err.value) == f"{path}: examples: file ex.yaml not found beside it"


def test_version_field_must_match_the_file_name(tmp_path):
    path = _write(tmp_path, "v2", text=GOOD.format(version="v1", changes="x"))
    with pytest.raises(ConfigError) as err:
        load_prompt("note/v2", tmp_path)
    assert str(err.value) == (
        f"{path}: id/version say note/v1; they must match the file's place (note/v2)"
    )


def test_hash_changes_when_the_file_or_its_examples_change(tmp_path):
    path = _write(tmp_path, text=GOOD.format(version="v1", changes="x") + "examples: ex.yaml\n")
    examples = path.parent / "ex.yaml"
    examples.write_text("- a\n", encoding="utf-8")
    first = load_prompt("note/v1", tmp_path).hash
    assert load_prompt("note/v1", tmp_path).hash == first
    examples.write_text("- b\n", encoding="utf-8")
    second = load_prompt("note/v1", tmp_path).hash
    assert second != first and len(second) == 12
    path.write_text(path.read_text() + "# comment\n", encoding="utf-8")
    assert load_prompt("note/v1", tmp_path).hash not in (first, second)


def test_list_prompts_orders_versions_numerically(tmp_path):
    for version in ("v2", "v10", "v1"):
        _write(tmp_path, version)
    assert [p.spec for p in list_prompts(tmp_path)] == ["note/v1", "note/v2", "note/v10"]


def test_worked_examples_fit_the_llm_schema():
    """Every few-shot example beside a prompt is a valid answer in the bounded schema."""
    import yaml

    from sidekick.draft.schema import LLMNote

    for prompt in list_prompts():
        examples = yaml.safe_load(prompt.examples_text) if prompt.examples_text else []
        assert examples, f"{prompt.spec} has no worked example"
        for example in examples:
            LLMNote.model_validate(example["note"])
            assert example["transcript"].strip()
