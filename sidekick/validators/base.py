"""Rule and RuleContext: what every validator is made of.

A rule is data (id, severity, docstring) plus one pure method, ``check(ctx)``, that yields
findings. Rules do no I/O and read no environment: everything they need (the visit, the note,
the transcript facts, the patient's history, thresholds, billing tables) is in ``RuleContext``,
filled by the pipeline from Settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from sidekick.models import (
    Evidence,
    Finding,
    HistoricalNote,
    Severity,
    SoapFacts,
    SoapNote,
    Transcript,
    UnitsResult,
    VisitRecord,
)


class RuleOptions(BaseModel):
    """Thresholds the rules use, filled from Settings (defaults match Settings)."""

    model_config = ConfigDict(extra="forbid")

    clone_threshold: float = 90.0
    section_threshold: float = 95.0
    cross_threshold: float = 90.0
    static_visits: int = 3


class RuleContext(BaseModel):
    """Everything a rule may look at for one visit."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    record: VisitRecord
    note: SoapNote | None = None
    transcript: Transcript | None = None
    transcript_facts: SoapFacts | None = None  # the extractor's reading of the transcript
    history: list[HistoricalNote] = Field(default_factory=list)  # same patient, oldest first
    corpus: list[HistoricalNote] = Field(default_factory=list)  # other patients of the clinic
    units: UnitsResult | None = None  # what the payer's rule allows for the billed minutes
    billing_config: Any = None  # sidekick.billing.BillingConfig (code, payer, KX, NCCI tables)
    options: RuleOptions = Field(default_factory=RuleOptions)


class Rule:
    """One catalog rule. Subclasses set ``id`` and ``severity`` and implement ``check``."""

    id: ClassVar[str]
    severity: ClassVar[Severity]

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finding(
        self,
        message: str,
        *,
        evidence: Iterable[Evidence] | Evidence | None = None,
        fix: str | None = None,
    ) -> Finding:
        if evidence is None:
            items: list[Evidence] = []
        elif isinstance(evidence, Evidence):
            items = [evidence]
        else:
            items = list(evidence)
        return Finding(
            rule_id=self.id, severity=self.severity, message=message, evidence=items, fix=fix
        )
