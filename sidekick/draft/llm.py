"""The LLM drafter: any OpenAI-compatible server through langchain-openai ``ChatOpenAI``.

Structured output with ``method="json_schema"`` into the bounded ``LLMNote`` schema,
temperature 0. An answer that does not parse is re-asked with the validation error, at most
``settings.draft_retries`` times; after that ``DraftFailed`` is raised and ``draft_note``
keeps the offline note (a draft is never lost). A timeout, a refused connection or an HTTP
error is not re-asked: it raises ``DraftFailed`` at once, so the same fallback applies.

The model never decides billing: the schema has no units or modifiers, and the minute totals
are computed from the billing lines in code. Its exercises and numbers are checked later by
the grounding rules (GR-UNSUPPORTED), which show the clinician what the transcript does not
support.

Nothing leaves the machine unless the user configured an LLM host (``SIDEKICK_LLM_BASE_URL``
or ``OPENAI_API_KEY``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import openai
from langchain_core.exceptions import OutputParserException
from pydantic import ValidationError

from sidekick.config import Settings
from sidekick.draft import compose
from sidekick.draft.offline import BillingLookup, compose_note
from sidekick.draft.schema import LLMNote, host_accepts_lengths, response_format, to_facts
from sidekick.errors import ConfigError, DraftError
from sidekick.models import NoteProvenance, SoapNote, Transcript, VisitRecord
from sidekick.prompts import Prompt, load_prompt, render

logger = logging.getLogger(__name__)

NO_LLM_MESSAGE = (
    "OPENAI_API_KEY is not set and SIDEKICK_LLM_BASE_URL is empty. "
    "Export one, or use --drafter offline."
)


class DraftFailed(DraftError):
    """The LLM gave no valid note; ``attempts`` says how many requests were made."""

    def __init__(self, message: str, attempts: int):
        super().__init__(message)
        self.attempts = attempts


def transcript_text(transcript: Transcript) -> str:
    return "\n".join(f"{t.speaker}: {t.text}" for t in transcript.turns)


def visit_text(record: VisitRecord) -> str:
    """The visit facts the model may use (no billing: that is the billing engine's)."""
    visit, patient = record.visit, record.patient
    lines = [
        f"discipline: {visit.discipline}",
        f"date: {visit.date.isoformat()}",
        f"diagnosis: {patient.diagnosis or 'not given'}",
    ]
    if patient.body_region:
        lines.append(f"body region: {patient.body_region}")
    if visit.number:
        lines.append(f"visit number: {visit.number}")
    return "\n".join(lines)


def build_chat_model(
    settings: Settings,
    *,
    base_url: str | None = None,
    max_tokens: int | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Any:
    """A ``ChatOpenAI`` for the configured host (ConfigError when none is configured)."""
    base_url = base_url or settings.llm_base_url
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if not base_url and not key:
        raise ConfigError(NO_LLM_MESSAGE)
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=base_url,
        model=settings.llm_model or settings.draft_model,
        api_key=SecretStr(key or "not-needed"),  # local servers take any key
        temperature=0,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # re-asking is ours, with the validation error
        max_completion_tokens=max_tokens or settings.llm_max_tokens,
        extra_body=extra_body,
    )


class LLMDrafter:
    """Drafts through an OpenAI-compatible chat model. Parallel-safe (one HTTP call each)."""

    name = "llm"
    parallel_safe = True

    def __init__(
        self,
        settings: Settings,
        *,
        chat_model: Any | None = None,
        prompt: Prompt | None = None,
        base_url: str | None = None,
        max_tokens: int | None = None,
        extra_body: dict[str, Any] | None = None,
        fallback: Any | None = None,
        schema: type[LLMNote] = LLMNote,
    ):
        self.settings = settings
        self.fallback = fallback  # the drafter whose note is kept when this one fails
        self.schema = schema  # a subclass with tighter bounds suits very small local models
        self.prompt = prompt or load_prompt(settings.draft_prompt, settings.prompts_dir)
        self.chat_model = chat_model or build_chat_model(
            settings, base_url=base_url, max_tokens=max_tokens, extra_body=extra_body
        )
        self.model_name = str(
            getattr(self.chat_model, "model_name", None) or settings.llm_model
            or settings.draft_model
        )
        base = str(getattr(self.chat_model, "openai_api_base", None) or "") or None
        self.send_lengths = host_accepts_lengths(base)  # maxLength only where it is accepted
        self._billing = BillingLookup(settings)

    def draft(self, transcript: Transcript, record: VisitRecord) -> SoapNote:
        return self.draft_with_attempts(transcript, record)[0]

    def draft_with_attempts(
        self, transcript: Transcript, record: VisitRecord
    ) -> tuple[SoapNote, int]:
        """The note and the number of requests it took.

        Raises:
            DraftFailed: no valid answer after the retries, or the host failed.
        """
        messages: list[tuple[str, str]] = render(
            self.prompt, visit=visit_text(record), transcript=transcript_text(transcript)
        )
        runnable = self.chat_model.with_structured_output(
            response_format(self.schema, lengths=self.send_lengths),
            method="json_schema", include_raw=True,
        )
        tries = max(0, self.settings.draft_retries) + 1
        problem = ""
        for attempt in range(1, tries + 1):
            parsed, raw, problem = self._ask(runnable, messages, attempt)
            if parsed is not None:
                logger.info("llm draft: model %s, prompt %s, attempt %d",
                            self.model_name, self.prompt.spec, attempt)
                return self._note(parsed, record), attempt
            logger.warning("llm draft: attempt %d invalid (%s)", attempt, problem[:80])
            messages = [*messages, ("assistant", raw), ("user", _reask(problem))]
        raise DraftFailed(
            f"the LLM's answer stayed invalid after {tries} attempt(s): {problem}", tries
        )

    def _ask(
        self, runnable: Any, messages: list[tuple[str, str]], attempt: int
    ) -> tuple[LLMNote | None, str, str]:
        """One request: (parsed, raw text, problem). Host failures raise DraftFailed."""
        try:
            result = runnable.invoke(messages)
        except openai.APITimeoutError as exc:
            raise DraftFailed(
                f"the LLM did not answer within {self.settings.llm_timeout_s:g} s "
                "(SIDEKICK_LLM_TIMEOUT_S)", attempt
            ) from exc
        except openai.APIConnectionError as exc:
            raise DraftFailed(f"cannot reach the LLM host ({exc.__class__.__name__})",
                              attempt) from exc
        except openai.APIStatusError as exc:
            raise DraftFailed(f"the LLM host answered HTTP {exc.status_code}", attempt) from exc
        except (openai.LengthFinishReasonError, ValueError) as exc:
            # ValueError covers pydantic's ValidationError and JSON decoding errors
            return None, "", _describe(exc)
        raw_msg = result.get("raw")
        raw = str(getattr(raw_msg, "content", "") or "")
        meta = getattr(raw_msg, "response_metadata", None) or {}
        if meta.get("finish_reason") == "length":
            return None, raw, "the answer was cut off at the token limit"
        if result.get("parsing_error") is not None or not isinstance(result.get("parsed"), dict):
            error = result.get("parsing_error")
            return None, raw, _describe(error) if error else "no JSON object in the answer"
        try:  # the bounds the host may not enforce (maxLength on OpenAI) are checked here
            return self.schema.model_validate(result["parsed"]), raw, ""
        except ValidationError as exc:
            return None, raw, _describe(exc)

    def _note(self, parsed: LLMNote, record: VisitRecord) -> SoapNote:
        provenance = NoteProvenance(
            drafter=self.name,
            model=self.model_name,
            prompt_id=self.prompt.file.id,
            prompt_version=self.prompt.file.version,
            prompt_hash=self.prompt.hash,
            created_at=dt.datetime.now(dt.UTC),
        )
        note = compose_note(to_facts(parsed), record, self._billing, provenance)
        totals = (note.total_timed_minutes, note.total_treatment_minutes)
        objective = parsed.objective.strip()
        if None not in totals:
            objective += f"\nTotal timed minutes {totals[0]}; total treatment minutes {totals[1]}."
        return note.model_copy(update={
            "subjective": " ".join(
                [compose.opening(record, note), parsed.subjective.strip()]).strip(),
            "objective": objective.strip(),
            "assessment": parsed.assessment.strip() or note.assessment,
            "plan": parsed.plan.strip() or note.plan,
            "diagnosis": compose.diagnosis_text(record, note) or None,
        })


def _describe(exc: BaseException | Any) -> str:
    """What was wrong with an answer, without quoting it (answers hold clinical text)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        return f"{where}: {first['msg']}"
    if isinstance(exc, openai.LengthFinishReasonError):
        return "the answer was cut off at the token limit"
    if isinstance(exc, OutputParserException | ValueError):
        return "the answer is not valid JSON"
    return exc.__class__.__name__


def _reask(problem: str) -> str:
    return (
        f"That answer was invalid: {problem}. Answer again with one complete JSON object "
        "that matches the schema, and keep every text short."
    )
