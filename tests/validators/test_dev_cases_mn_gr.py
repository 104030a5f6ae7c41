"""On every dev case with a note, the MN and GR ids raised equal the gold ones."""

from __future__ import annotations

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
