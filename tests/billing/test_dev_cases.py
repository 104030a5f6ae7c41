"""Every TU/CD expectation and every expected unit count in shared/cases/dev holds.

A case with a note is judged on that note (TU-TOTALS reads it); a drafting case is judged
without a note, so TU-TOTALS cannot fire on it (the drafted note is judged elsewhere).
"""

from __future__ import annotations

import pytest

from sidekick.billing import builtin_config, compute_units
from sidekick.models import Case, SoapNote
from sidekick.validators import RuleContext, run_rules

FAMILIES = ("TU", "CD")


def _expected(case: Case) -> set[str]:
    return {rid for rid in case.gold.expected_findings if rid.split("-")[0] in FAMILIES}


def test_engine_units_equal_gold_for_every_dev_case(dev_cases):
    config = builtin_config()
    wrong = {
        case.id: (units, case.gold.expected_units)
        for case in dev_cases
        if (units := compute_units(case.billing, case.visit, config).units)
        != case.gold.expected_units
    }
    assert wrong == {}


def test_tu_and_cd_findings_equal_gold_for_every_dev_case(dev_cases):
    config = builtin_config()
    wrong = {}
    for case in dev_cases:
        note = SoapNote(structured=False) if case.note else None  # the text is record.note
        ctx = RuleContext(record=case, note=note, billing_config=config,
                          units=compute_units(case.billing, case.visit, config))
        got = {f.rule_id for f in run_rules(ctx, FAMILIES)}
        if got != _expected(case):
            wrong[case.id] = (sorted(got), sorted(_expected(case)))
    assert wrong == {}


def test_dev_cases_through_the_pipeline(dev_cases, settings):
    facts = pytest.importorskip("sidekick.facts")
    if not hasattr(facts, "parse_note"):
        pytest.skip("sidekick.facts is not complete yet")
    from sidekick.pipeline import check_record

    wrong = {}
    for case in dev_cases:
        result = check_record(case, settings, families=FAMILIES)
        got = {f.rule_id for f in result.findings}
        if got != _expected(case) or result.units.units != case.gold.expected_units:
            wrong[case.id] = sorted(got)
    assert wrong == {}


@pytest.mark.slow
def test_offline_drafted_notes_earn_only_the_gold_tu_and_cd_ids(dev_cases, settings):
    """The eval judges a drafting case's drafted note: it must not add TU/CD findings."""
    draft = pytest.importorskip("sidekick.draft")
    from sidekick.pipeline import check_record

    wrong = {}
    for case in dev_cases:
        if case.note or case.transcript is None:
            continue
        note = draft.draft_note(case.transcript, case, settings, drafter_name="offline").note
        got = {f.rule_id for f in check_record(case, settings, note=note,
                                               families=FAMILIES).findings}
        if got != _expected(case):
            wrong[case.id] = (sorted(got), sorted(_expected(case)))
    assert wrong == {}
