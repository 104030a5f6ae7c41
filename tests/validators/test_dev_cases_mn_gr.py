"""On every dev case with a note, the MN and GR ids raised equal the gold ones."""

from __future__ import annotations

import pytest

from sidekick import pipeline


def test_mn_and_gr_ids_match_gold_on_every_note_case(dev_cases, settings):
    wrong, unexplained = {}, []
    note_cases = [c for c in dev_cases if c.note]
    assert note_cases, "no dev case with a note"
    for case in note_cases:
        result = pipeline.check_record(case, settings, families=("MN", "GR"))
        got = sorted({f.rule_id for f in result.findings})
        want = sorted({r for r in case.gold.expected_findings if r.startswith(("MN-", "GR-"))})
        if got != want:
            wrong[case.id] = {"got": got, "want": want}
        unexplained += [
            f"{case.id} {f.rule_id}"
            for f in result.findings
            if not (f.message and f.fix and f.evidence)
        ]
    assert wrong == {}
    assert unexplained == []


@pytest.mark.parametrize(
    "case_id, old, new, rule_id",
    [
        ("dev-men-r-v03", "SLR 3x10", "SLR 3x12", "GR-UNSUPPORTED"),
        ("dev-men-r-v03", "flexion 118 deg", "flexion 125 deg", "GR-UNSUPPORTED"),
        ("dev-men-r-v03", "TKE with green band", "TKE with blue band", "GR-UNSUPPORTED"),
        (
            "dev-men-r-v03",
            "mini squats 2x15;",
            "mini squats 2x15; lateral step-downs 2x10;",
            "GR-UNSUPPORTED",
        ),
        ("dev-men-r-v03", "standing heel raises 2x15.", "", "GR-OMITTED"),
        ("dev-hipoa-r-v05", "clamshells with yellow band 2x12 each side; ", "", "GR-OMITTED"),
        ("dev-neck-office-v03", "Deep neck flexor endurance 18 sec.", "", "GR-OMITTED"),
    ],
    ids=[
        "dose-reps",
        "measure-value",
        "band-colour",
        "planned-only-exercise",
        "exercise-left-out",
        "exercise-left-out-but-in-hep",
        "measure-left-out",
    ],
)
def test_one_changed_fact_in_a_grounded_note_is_the_one_gr_finding(
    dev_cases, settings, case_id, old, new, rule_id
):
    case = next(c for c in dev_cases if c.id == case_id)
    assert case.note and old in case.note
    changed = case.model_copy(update={"note": case.note.replace(old, new)})
    found = pipeline.check_record(changed, settings, families=("GR",)).findings
    assert {f.rule_id for f in found} == {rule_id}
