"""Fakes for the harness tests: synthetic cases, and a task that returns chosen results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.harness import CaseRun
from sidekick.models import (
    Case,
    CheckResult,
    Exercise,
    Finding,
    Measure,
    NoteProvenance,
    SoapNote,
    UnitsResult,
)


def case_data(case_id: str, *, note: str | None = None, findings: list[str] | None = None,
              units: dict[str, int] | None = None) -> dict[str, Any]:
    """A small synthetic gold case: two exercises, one measure."""
    return {
        "id": case_id,
        "patient": {"id": f"P-{case_id}", "diagnosis": "Right knee pain"},
        "visit": {
            "date": "2025-03-14", "discipline": "PT", "payer": "medicare",
            "clinician": {"name": "Test Therapist", "credential": "PT"},
        },
        "billing": [{"cpt": "97110", "minutes": 25, "units": 2, "modifiers": ["GP"]}],
        "transcript": [
            {"speaker": "therapist", "start": 0.0, "text": "Three sets of ten heel slides."},
            {"speaker": "patient", "start": 4.0, "text": "Okay."},
        ],
        "note": note,
        "gold": {
            "exercises": [
                {"name": "heel slide", "side": "right", "sets": 3, "reps": 10, "load": None},
                {"name": "straight leg raise", "sets": 2, "reps": 15, "load": "red band"},
            ],
            "measures": [{"name": "knee flexion AROM", "side": "right", "value": 95,
                          "unit": "deg"}],
            "pain": {"before": 4, "after": 2},
            "functional_limitations": ["stairs"],
            "expected_units": units if units is not None else {"97110": 2},
            "expected_findings": findings or [],
        },
    }


def write_cases(folder: Path, cases: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for data in cases:
        (folder / f"{data['id']}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def perfect_note(case: Case, drafter: str | None = None) -> SoapNote:
    """A note holding exactly the gold facts (what a perfect drafter or parser returns)."""
    return SoapNote(
        exercises=[Exercise(**e.model_dump()) for e in case.gold.exercises],
        measures=[Measure(**m.model_dump()) for m in case.gold.measures],
        provenance=NoteProvenance(drafter=drafter, prompt_hash="abc123") if drafter else None,
    )


def finding(rule_id: str, severity: str = "block") -> Finding:
    return Finding(rule_id=rule_id, severity=severity, message="test")


def fake_task(
    edit: Callable[[Case, SoapNote], SoapNote] | None = None,
    findings: Callable[[Case], list[Finding]] | None = None,
    units: Callable[[Case], dict[str, int]] | None = None,
) -> Callable[..., CaseRun]:
    """A task returning the gold facts, optionally edited, with chosen findings and units."""

    def task(case: Case, index, settings, drafter_name) -> CaseRun:
        drafted = case.note is None
        note = perfect_note(case, drafter_name if drafted else None)
        if edit:
            note = edit(case, note)
        found = findings(case) if findings else [finding(r) for r in case.gold.expected_findings]
        result = CheckResult(
            record_id=case.id,
            note=note,
            findings=found,
            units=UnitsResult(
                method="cms", payer="medicare", total_timed_minutes=25, total_units=2,
                units=units(case) if units else dict(case.gold.expected_units),
            ),
        )
        return CaseRun(case_id=case.id, drafted=drafted, result=result, note=note,
                       drafter=drafter_name if drafted else None,
                       provenance=note.provenance, latency_s=0.01)

    return task


def write_prompt(root: Path, version: int, system: str = "You draft SOAP notes.") -> Path:
    """A valid prompt version file ``root/draft_soap/v{version}.yaml``."""
    folder = root / "draft_soap"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"v{version}.yaml"
    path.write_text(
        f"id: draft_soap\nversion: v{version}\nchanges: test version {version}\n"
        f"system: {system}\nuser: Transcript follows.\n",
        encoding="utf-8",
    )
    return path


def perfect_task(case: Case, index, settings, drafter_name) -> CaseRun:
    """A module-level (picklable) task returning the gold facts, for process pools."""
    return fake_task()(case, index, settings, drafter_name)
