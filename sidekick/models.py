"""Models that cross stage boundaries.

Models read from files (cases, visits, transcripts) forbid unknown keys, so a misspelt key
fails with a message naming it. The gold case format is ``shared/cases/README.md``:
``Case`` mirrors it one to one; ``VisitRecord`` is the same without ``gold`` (the input of
``sidekick check`` and ``sidekick run``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Discipline = Literal["PT", "OT", "SLP"]
Credential = Literal["PT", "PTA", "OT", "OTA", "SLP"]
Severity = Literal["block", "warn"]
Side = Literal["left", "right", "bilateral"]
Speaker = Literal["therapist", "patient", "other", "unknown"]

# Credentials as clinicians write them, mapped onto the five billing roles.
_CREDENTIAL_ALIASES = {
    "DPT": "PT", "MPT": "PT", "PT": "PT", "RPT": "PT",
    "PTA": "PTA", "LPTA": "PTA",
    "OT": "OT", "OTR": "OT", "OTR/L": "OT", "OTD": "OT", "OTL": "OT",
    "OTA": "OTA", "COTA": "OTA", "COTA/L": "OTA",
    "SLP": "SLP", "CCC-SLP": "SLP", "SLP-CCC": "SLP", "ST": "SLP",
}


class Model(BaseModel):
    """Base for models read from files: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- visit


class Patient(Model):
    id: str
    age: int | None = None
    diagnosis: str = ""
    icd10: list[str] = Field(default_factory=list)
    body_region: str | None = None


class Clinician(Model):
    name: str
    credential: Credential

    @field_validator("credential", mode="before")
    @classmethod
    def _normalise_credential(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = value.strip().upper().replace(" ", "")
            return _CREDENTIAL_ALIASES.get(key, value)
        return value

    @property
    def is_assistant(self) -> bool:
        return self.credential in ("PTA", "OTA")


class Visit(Model):
    """One visit (date of service) as the clinician entered it."""

    date: dt.date
    number: int | None = None
    discipline: Discipline
    payer: str
    clinician: Clinician
    session_minutes: int | None = Field(None, ge=0)
    ytd_therapy_amount_usd: float | None = Field(None, ge=0)


class BillingLine(Model):
    """One billed line: a CPT/HCPCS code, the minutes documented for it, units, modifiers."""

    cpt: str
    minutes: int | None = None
    units: int | None = None
    modifiers: list[str] = Field(default_factory=list)

    @field_validator("cpt", mode="before")
    @classmethod
    def _strip_code(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("modifiers", mode="before")
    @classmethod
    def _upper_modifiers(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [m.strip().upper() if isinstance(m, str) else m for m in value]
        return value


# --------------------------------------------------------------------------- transcript


class Turn(Model):
    speaker: Speaker = "unknown"
    start: float = Field(0.0, ge=0)
    end: float | None = None
    text: str


class Transcript(Model):
    """A session transcript: speaker turns with times in seconds from the recording start."""

    turns: list[Turn] = Field(default_factory=list)
    source: str | None = None  # file name or "case:<id>"; never logged
    duration_s: float | None = None
    language: str | None = None
    model: str | None = None  # the Whisper model that produced it, if any

    def text(self) -> str:
        return "\n".join(t.text for t in self.turns)


# --------------------------------------------------------------------------- facts


class Span(Model):
    """Where a fact came from: the text, and its location in the source."""

    source: Literal["transcript", "note", "billing", "visit", "history"]
    text: str
    turn: int | None = None  # index into Transcript.turns
    section: str | None = None  # S/O/A/P section name for a note
    start: int | None = None  # character offsets within the turn or section text
    end: int | None = None
    time_s: float | None = None  # seconds into the recording


class Exercise(Model):
    name: str
    side: Side | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    load: str | None = None  # "red band", "2 lb ankle weight", "level 3", "no weight"
    duration_s: float | None = None  # a timed bout ("bike 8 minutes")
    cue: str | None = None  # cue, progression or regression given
    span: Span | None = None


class Measure(Model):
    name: str
    side: Side | None = None
    value: float | str  # 95, -6, "4-", "positive"
    unit: str | None = None  # "deg", "/5", "s", "reps", "cm", "/100", "%"
    span: Span | None = None


class Pain(Model):
    before: float | None = None
    after: float | None = None


class SoapFacts(Model):
    """The structured facts of a session (from a transcript or a note)."""

    exercises: list[Exercise] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    pain: Pain = Field(default_factory=Pain)
    diagnosis: str | None = None
    functional_limitations: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    skilled: list[str] = Field(default_factory=list)  # cues, progressions, reasoning
    responses: list[str] = Field(default_factory=list)  # the patient's response to treatment
    plan_items: list[str] = Field(default_factory=list)  # plan statements found
    home_program: list[str] = Field(default_factory=list)
    total_timed_minutes: int | None = None
    total_treatment_minutes: int | None = None


class NoteProvenance(Model):
    drafter: str  # offline | llm | local | human
    model: str | None = None
    prompt_id: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    created_at: dt.datetime | None = None
    fallback_reason: str | None = None  # why the LLM draft was replaced by the offline one


class SoapNote(SoapFacts):
    """A SOAP note: the four sections as text plus the structured facts.

    ``structured`` is True when the facts were filled by a Sidekick drafter, False when they
    were extracted from free text (a note written elsewhere).
    """

    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""
    structured: bool = False
    provenance: NoteProvenance | None = None
    to_add: list[str] = Field(default_factory=list)  # what the clinician must still add

    def sections(self) -> dict[str, str]:
        return {
            "Subjective": self.subjective,
            "Objective": self.objective,
            "Assessment": self.assessment,
            "Plan": self.plan,
        }

    def text(self) -> str:
        """The note as plain text with SOAP headings."""
        return "\n\n".join(f"{name}: {body}".rstrip() for name, body in self.sections().items())


# --------------------------------------------------------------------------- findings


class Evidence(Model):
    where: Literal["billing", "note", "transcript", "visit", "history"]
    text: str | None = None
    location: str | None = None  # "billing[1] 97110", "note:Objective", "transcript@12:30"
    ref: str | None = None  # the earlier note's id, for CL-* findings


class Finding(Model):
    rule_id: str
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "block"


class UnitsResult(Model):
    """What the billing engine allows for the billed minutes, and why."""

    method: Literal["cms", "per_code"]
    payer: str
    total_timed_minutes: int
    total_units: int  # timed units allowed in total
    units: dict[str, int]  # allowed units per code (timed and untimed)
    explanation: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- cases


class GoldExercise(Model):
    name: str
    side: Side | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    load: str | None = None


class GoldMeasure(Model):
    name: str
    side: Side | None = None
    value: float | str
    unit: str | None = None


class Gold(Model):
    exercises: list[GoldExercise]
    measures: list[GoldMeasure]
    pain: Pain
    functional_limitations: list[str]
    expected_units: dict[str, int]
    expected_findings: list[str]


class VisitRecord(Model):
    """A visit as input: patient, visit, billing, and a transcript and/or a finished note."""

    id: str
    title: str | None = None
    patient: Patient
    visit: Visit
    billing: list[BillingLine] = Field(default_factory=list)
    transcript: Transcript | None = None
    prior_note_ids: list[str] = Field(default_factory=list)
    corpus_note_ids: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("transcript", mode="before")
    @classmethod
    def _wrap_turns(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"turns": value}
        return value

    @field_validator("prior_note_ids", "corpus_note_ids", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class Case(VisitRecord):
    """A gold case (``shared/cases/README.md``)."""

    gold: Gold


class HistoricalNote(Model):
    """An earlier note, of the same patient (history) or another one (corpus)."""

    note_id: str
    patient_id: str
    date: dt.date | None = None
    clinician: str | None = None
    note: SoapNote


class CheckResult(Model):
    """The checked state of one visit: its note, the findings, the units the rules allow."""

    record_id: str
    note: SoapNote | None = None
    findings: list[Finding] = Field(default_factory=list)
    units: UnitsResult | None = None
    rule_set_version: str = ""

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]


# --------------------------------------------------------------------------- sign-off


class Override(Model):
    """A blocking finding the signing clinician overrode, with the written reason."""

    rule_id: str
    reason: str


class SignedLine(Model):
    """A billed line as signed: units and modifiers recomputed at sign-off."""

    cpt: str
    minutes: int | None = None
    units: int | None = None
    modifiers: list[str] = Field(default_factory=list)


class Signature(Model):
    """Who signed, when, against which rule set and prompt, and what they overrode."""

    clinician: str
    credential: Credential
    signed_at: dt.datetime
    rule_set_version: str
    prompt_id: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    note_sha256: str  # hash of the signed note's JSON: the signed content never changes
    overrides: list[Override] = Field(default_factory=list)
    billing: list[SignedLine] = Field(default_factory=list)
    explanation: list[str] = Field(default_factory=list)  # the units arithmetic at sign-off


class Addendum(Model):
    """A later change to a signed note: its own author and timestamp; the note is untouched."""

    text: str
    author: str
    credential: Credential | None = None
    created_at: dt.datetime


class NoteDocument(Model):
    """What ``sidekick run`` writes as ``<name>.note.json``; ``sign`` and ``export`` read it."""

    name: str
    record: VisitRecord  # patient, visit, billing and the transcript the note was drafted from
    note: SoapNote
    findings: list[Finding] = Field(default_factory=list)
    units: UnitsResult | None = None
    rule_set_version: str = ""
    drafter: str = "offline"
    fallback_reason: str | None = None
    input_sha256: str | None = None
    visit_key: str | None = None  # the visit's id in the history database
    created_at: dt.datetime | None = None
    signature: Signature | None = None
    addenda: list[Addendum] = Field(default_factory=list)
