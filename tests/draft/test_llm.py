"""The LLM drafter against a scripted OpenAI-compatible stub on localhost."""

from __future__ import annotations

import json

import pytest
from draft_helpers import llm_answer

from sidekick.draft import DraftResult, draft_note, get_drafter
from sidekick.draft.llm import LLMDrafter
from sidekick.draft.offline import OfflineDrafter
from sidekick.draft.schema import LLMNote, host_accepts_lengths, response_format
from sidekick.errors import ConfigError


@pytest.fixture
def llm_settings(settings, openai_stub):
    return settings.model_copy(update={
        "drafter": "llm", "llm_base_url": openai_stub.base_url, "llm_model": "stub-model",
        "llm_timeout_s": 5.0, "draft_retries": 1,
    })


@pytest.fixture
def drafter(llm_settings, fake_extractor):
    return LLMDrafter(llm_settings,
                      fallback=OfflineDrafter(llm_settings, extractor=fake_extractor))


def test_request_carries_the_bounded_json_schema_at_temperature_0(drafter, openai_stub, record):
    openai_stub.replies = [llm_answer()]
    draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    body = openai_stub.requests[0]
    assert body["temperature"] == 0 and body["model"] == "stub-model"
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    assert list(schema["properties"])[:2] == ["exercises", "measures"]
    assert schema["properties"]["exercises"]["maxItems"] == 15
    assert schema["properties"]["subjective"]["maxLength"] == 800
    assert "units" not in json.dumps(schema) and "modifier" not in json.dumps(schema)
    assert "Lock the knee first" in body["messages"][-1]["content"]  # the transcript


def test_valid_answer_parses_into_a_structured_note(drafter, openai_stub, record):
    openai_stub.replies = [llm_answer()]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert isinstance(result, DraftResult)
    assert (result.drafter, result.attempts, result.fallback_reason) == ("llm", 1, None)
    note = result.note
    assert note.structured and note.exercises[0].sets == 3
    assert note.measures[0].value == 110.0
    prov = note.provenance
    assert (prov.drafter, prov.model, prov.prompt_id, prov.prompt_version) == (
        "llm", "stub-model", "draft_soap", "v1")
    assert len(prov.prompt_hash) == 12
    assert note.subjective == (  # the visit's own opening, then the model's text
        "60 y/o patient seen for Right knee osteoarthritis (M17.11), PT visit 2. "
        "Pt reports knee pain 4/10 and difficulty with stairs.")


def test_minute_totals_come_from_billing_not_the_model(drafter, openai_stub, record):
    openai_stub.replies = [llm_answer(objective="Total timed minutes 99.")]
    note = draft_note(record.transcript, record, drafter.settings, drafter=drafter).note
    assert (note.total_timed_minutes, note.total_treatment_minutes) == (23, 43)
    assert note.objective.endswith("Total timed minutes 23; total treatment minutes 43.")


def test_invalid_answer_is_reasked_with_the_validation_error(drafter, openai_stub, record):
    openai_stub.replies = [llm_answer(pain_before="four"), llm_answer()]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert (result.drafter, result.attempts) == ("llm", 2)
    reask = openai_stub.requests[1]["messages"][-1]["content"]
    assert reask.startswith("That answer was invalid: pain_before:")


def test_answer_with_billing_units_is_rejected(drafter, openai_stub, record):
    openai_stub.replies = [llm_answer(units={"97110": 4}), llm_answer(units={"97110": 4})]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert result.drafter == "offline"
    assert "units" in result.fallback_reason


def test_still_invalid_after_retries_keeps_the_offline_note(drafter, openai_stub, record):
    openai_stub.replies = ["not json at all", "still no JSON here"]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert (result.drafter, result.attempts) == ("offline", 2)
    assert result.fallback_reason == (  # the answer itself is never quoted (clinical text)
        "the LLM's answer stayed invalid after 2 attempt(s): the answer is not valid JSON")
    assert result.note.provenance.fallback_reason == result.fallback_reason
    assert result.note.exercises[0].name == "straight leg raise"  # the offline draft is kept
    assert len(openai_stub.requests) == 2


def test_timeout_falls_back_without_retrying(llm_settings, fake_extractor, openai_stub, record):
    settings = llm_settings.model_copy(update={"llm_timeout_s": 0.3})
    drafter = LLMDrafter(settings, fallback=OfflineDrafter(settings, extractor=fake_extractor))
    openai_stub.replies = [1.5, llm_answer()]
    result = draft_note(record.transcript, record, settings, drafter=drafter)
    assert result.drafter == "offline" and result.attempts == 1
    assert result.fallback_reason == (
        "the LLM did not answer within 0.3 s (SIDEKICK_LLM_TIMEOUT_S)")


def test_host_error_falls_back(drafter, openai_stub, record):
    openai_stub.replies = [503]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert result.fallback_reason == "the LLM host answered HTTP 503"


def test_llm_without_host_or_key_is_a_config_error_and_sends_nothing(settings):
    with pytest.raises(ConfigError) as err:
        get_drafter("llm", settings)
    assert str(err.value) == (
        "OPENAI_API_KEY is not set and SIDEKICK_LLM_BASE_URL is empty. "
        "Export one, or use --drafter offline."
    )


def test_default_drafter_is_offline(settings):
    assert get_drafter(settings.drafter, settings).name == "offline"


def test_unknown_drafter_is_a_config_error(settings):
    with pytest.raises(ConfigError) as err:
        get_drafter("gpt", settings)
    assert str(err.value) == "unknown drafter 'gpt'; use one of: offline, llm, local"


def test_local_drafter_without_gguf_is_a_config_error(settings):
    with pytest.raises(ConfigError) as err:
        get_drafter("local", settings)
    assert str(err.value) == (
        "SIDEKICK_LLM_GGUF is not set; point it to a .gguf model file, or use --drafter offline"
    )


def test_injected_drafter_is_used_and_marked_structured(settings, fake_drafter, record):
    result = draft_note(record.transcript, record, settings, drafter=fake_drafter)
    assert result.drafter == "fake" and fake_drafter.calls == [record.id]
    assert result.note.structured and result.note.provenance.drafter == "fake"


@pytest.mark.parametrize(
    ("base_url", "accepts"),
    [(None, False), ("https://api.openai.com/v1", False),
     ("https://clinic.openai.azure.com/openai/deployments/x", False),
     ("http://127.0.0.1:8080/v1", True), ("http://vllm.clinic.local:8000/v1", True)],
    ids=["openai-default", "openai", "azure", "llama.cpp", "vllm"],
)
def test_string_lengths_are_sent_only_to_hosts_that_accept_them(base_url, accepts):
    assert host_accepts_lengths(base_url) is accepts


def test_schema_without_lengths_keeps_list_bounds():
    fmt = response_format(LLMNote, lengths=False)
    text = json.dumps(fmt["schema"])
    assert fmt["strict"] is True and fmt["name"] == "LLMNote"
    assert "maxLength" not in text and '"maxItems": 15' in text


def test_overlong_text_is_reasked_even_when_the_host_ignores_lengths(
        drafter, openai_stub, record):
    openai_stub.replies = [llm_answer(plan="x" * 600), llm_answer()]
    result = draft_note(record.transcript, record, drafter.settings, drafter=drafter)
    assert (result.drafter, result.attempts) == ("llm", 2)
    assert openai_stub.requests[1]["messages"][-1]["content"].startswith(
        "That answer was invalid: plan: String should have at most 500 characters")
