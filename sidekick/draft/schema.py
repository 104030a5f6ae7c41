"""The bounded schema the LLM fills (structured output, ``method="json_schema"``).

Plain on purpose: no defaults and no min/max, which strict structured output refuses. Every
string has a ``maxLength`` and every list a ``maxItems`` (pydantic's ``max_length``): an
unbounded schema lets a small model loop until the token limit. Exercises and measures come
first so a cut-off answer loses prose, not facts. Units, modifiers and minutes are not in it:
billing belongs to the billing engine.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

from sidekick.models import Exercise, Measure, Pain, SoapFacts

Short = Annotated[str, Field(max_length=80)]
Sentence = Annotated[str, Field(max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMExercise(_Strict):
    name: Short
    side: Literal["left", "right", "bilateral"] | None
    sets: int | None
    reps: int | None
    hold_s: float | None
    load: Short | None
    duration_s: float | None
    cue: Sentence | None


class LLMMeasure(_Strict):
    name: Short
    side: Literal["left", "right", "bilateral"] | None
    value: Annotated[str, Field(max_length=20)]
    unit: Annotated[str, Field(max_length=10)] | None


class LLMNote(_Strict):
    """What the model returns: facts first, then the four sections."""

    exercises: list[LLMExercise] = Field(max_length=15)
    measures: list[LLMMeasure] = Field(max_length=10)
    pain_before: float | None
    pain_after: float | None
    functional_limitations: list[Sentence] = Field(max_length=6)
    skilled: list[Sentence] = Field(max_length=6)
    responses: list[Sentence] = Field(max_length=4)
    plan_items: list[Sentence] = Field(max_length=4)
    subjective: Annotated[str, Field(max_length=800)]
    objective: Annotated[str, Field(max_length=1200)]
    assessment: Annotated[str, Field(max_length=800)]
    plan: Annotated[str, Field(max_length=500)]


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text.strip()


def to_facts(out: LLMNote) -> SoapFacts:
    """The model's answer as SoapFacts (values that read as numbers become numbers)."""
    return SoapFacts(
        exercises=[Exercise(**e.model_dump()) for e in out.exercises],
        measures=[
            Measure(name=m.name, side=m.side, value=_value(m.value), unit=m.unit)
            for m in out.measures
        ],
        pain=Pain(before=out.pain_before, after=out.pain_after),
        functional_limitations=list(out.functional_limitations),
        skilled=list(out.skilled),
        responses=list(out.responses),
        plan_items=list(out.plan_items),
    )


#: Hosts whose strict structured output refuses ``maxLength`` (OpenAI, Azure OpenAI). The
#: lengths are still enforced here, when the answer is validated: a long string is re-asked.
_NO_LENGTH_HOSTS = ("api.openai.com", "openai.azure.com", "azure.com")


def host_accepts_lengths(base_url: str | None) -> bool:
    """False for OpenAI and Azure (no ``maxLength`` under strict mode); True otherwise."""
    if not base_url:
        return False  # the OpenAI default endpoint
    host = urlparse(base_url).hostname or ""
    return not any(host == h or host.endswith("." + h) for h in _NO_LENGTH_HOSTS)


def _drop_lengths(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_lengths(v) for k, v in node.items() if k != "maxLength"}
    if isinstance(node, list):
        return [_drop_lengths(v) for v in node]
    return node


def response_format(schema: type[LLMNote], *, lengths: bool) -> dict[str, Any]:
    """The strict ``json_schema`` response format for ``schema`` (maxLength when ``lengths``)."""
    body = schema.model_json_schema()
    return {
        "name": schema.__name__,
        "schema": body if lengths else _drop_lengths(body),
        "strict": True,
    }
