"""The LLM drafter through a real OpenAI-compatible server: llama.cpp (xllamacpp) on SmolLM2-135M.

The tiny model's content is nonsense; these tests check the plumbing: the schema constrains
the answer, the answer parses into the note model, a cut-off answer is re-asked then falls
back to the offline note, what the model invented is caught against the transcript, and a
timeout falls back. Four real requests in all (about 15 s each on a busy 2-core machine).
"""

from __future__ import annotations

import pytest
from draft_helpers import short_facts, short_record, tiny_schema

from sidekick.draft import draft_note
from sidekick.draft.llm import LLMDrafter
from sidekick.draft.offline import OfflineDrafter
from sidekick.textmatch import normalise

pytestmark = [pytest.mark.llm, pytest.mark.slow]


def _drafter(settings, server, max_tokens: int, **update) -> LLMDrafter:
    settings = settings.model_copy(update={
        "llm_base_url": server.listening_address + "/v1", "llm_timeout_s": 120.0, **update})
    return LLMDrafter(
        settings,
        max_tokens=max_tokens,
        extra_body={"cache_prompt": False},  # a warm server may otherwise answer differently
        schema=tiny_schema(),
        fallback=OfflineDrafter(settings, extractor=lambda t, r: short_facts()),
    )


@pytest.fixture(scope="module")
def served(llama_server, tmp_path_factory):
    """One real structured call, shared by the tests that only read its result."""
    from sidekick.config import Settings

    settings = Settings(_env_file=None, openai_api_key=None, draft_retries=0,
                        db=str(tmp_path_factory.mktemp("db") / "s.db"))
    record = short_record()
    drafter = _drafter(settings, llama_server, max_tokens=600)
    return record, draft_note(record.transcript, record, drafter.settings, drafter=drafter)


def test_real_answer_parses_into_the_note_model(served):
    _, result = served
    assert (result.drafter, result.attempts, result.fallback_reason) == ("llm", 1, None)
    note = result.note
    assert note.structured and note.provenance.prompt_version == "v1"
    assert note.provenance.model  # the server's model name is recorded


def test_schema_bounds_reach_the_server(served):
    _, result = served
    note = result.note
    # a 135M model writes far past these bounds unless the server enforces the schema
    assert len(note.exercises) <= 2 and len(note.measures) <= 1
    assert all(len(s) <= 40 for s in [*note.functional_limitations, *note.skilled,
                                        *note.responses, note.assessment, note.plan])


def test_what_the_model_invented_is_flagged_against_the_transcript(served, settings):
    record, result = served
    heard = normalise(record.transcript.text())
    invented = [e.name for e in result.note.exercises
                if not all(word in heard for word in normalise(e.name).split())]
    assert invented, "the tiny model copies the worked example's exercise"
    from sidekick.validators import RULES

    if "GR-UNSUPPORTED" in RULES:
        from sidekick.pipeline import check_record

        found = check_record(record, settings, note=result.note).findings
        assert "GR-UNSUPPORTED" in {f.rule_id for f in found}


def test_cut_off_answer_is_reasked_then_the_offline_note_is_kept(llama_server, settings):
    record = short_record()
    drafter = _drafter(settings, llama_server, max_tokens=12, draft_retries=1)
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert (result.drafter, result.attempts) == ("offline", 2)
    assert result.fallback_reason == (
        "the LLM's answer stayed invalid after 2 attempt(s): "
        "the answer was cut off at the token limit"
    )
    assert result.note.exercises[0].name == "straight leg raise"


def test_timeout_keeps_the_offline_note(llama_server, settings):
    record = short_record()
    drafter = _drafter(settings, llama_server, max_tokens=12, llm_timeout_s=0.2)
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert result.drafter == "offline" and result.attempts == 1
    assert result.fallback_reason == "the LLM did not answer within 0.2 s (SIDEKICK_LLM_TIMEOUT_S)"


def test_local_drafter_serves_the_gguf_in_process(llama_server, settings):
    import urllib.request

    from draft_helpers import smollm2_gguf_path

    from sidekick.draft import get_drafter

    gguf = smollm2_gguf_path()
    drafter = get_drafter("local", settings.model_copy(update={"llm_gguf": gguf}))
    assert (drafter.name, drafter.parallel_safe, drafter.model_name) == ("local", False, gguf.name)
    base = str(drafter.chat_model.openai_api_base)
    assert base == llama_server.listening_address + "/v1"  # one server per GGUF per process
    with urllib.request.urlopen(base.removesuffix("/v1") + "/health", timeout=10) as reply:
        assert reply.status == 200


def test_local_drafter_with_a_missing_file_says_so(settings, tmp_path):
    from sidekick.draft import get_drafter
    from sidekick.errors import ConfigError

    missing = tmp_path / "model.gguf"
    with pytest.raises(ConfigError) as err:
        get_drafter("local", settings.model_copy(update={"llm_gguf": missing}))
    assert str(err.value) == (
        f"{missing}: SIDEKICK_LLM_GGUF: file not found; point it to a .gguf model")
