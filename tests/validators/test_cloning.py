"""CL-* rules: tables with a row that fires, one that does not, one on the boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from sidekick.models import (
    Clinician,
    Exercise,
    HistoricalNote,
    Patient,
    SoapNote,
    Span,
    Visit,
    VisitRecord,
)
from sidekick.textmatch import copied_passages, note_similarity
from sidekick.validators import RULES, RuleContext, RuleOptions, run_rules
from sidekick.validators.cloning import same_program

SUBJ = ("Pt reports R knee pain 4/10 on arrival, stiffness after sitting more than an hour and "
        "difficulty descending stairs at work; walking without an assistive device.")
OBJ = ("Knee flexion AROM 112 deg. Ther ex (97110, 30 min): bike 8 min level 3; quad sets 2x10 "
       "with 5 sec hold; straight leg raise 3x10; mini squats 2x15. Cues for knee alignment.")
ASSESS = ("Pt tolerated progression of closed-chain strengthening without increase in effusion. "
          "Quad activation improving, limited flexion still restricts stairs and kneeling.")
PLAN = ("Continue PT 2x/week. Next visit add lateral step-downs and progress band resistance. "
        "HEP: quad sets, straight leg raise and mini squats daily.")
OTHER = SoapNote(
    subjective="Pt reports L shoulder ache 2/10, sleeping better, still unable to reach the top "
    "shelf or fasten a bra behind the back.",
    objective="Shoulder ER 55 deg. UBE 5 min; rows with red band 2x15; wall slides 2x10.",
    assessment="ER improving by 10 deg since last week; overhead reach remains limited.",
    plan="Add prone Y raises next visit; HEP rows and wall slides daily.",
)
PROGRAM = [
    Exercise(name="straight leg raise", side="right", sets=3, reps=10),
    Exercise(name="mini squats", sets=2, reps=15),
    Exercise(name="clamshells", sets=2, reps=12, load="yellow band"),
]


def _note(**changes: object) -> SoapNote:
    base = {"subjective": SUBJ, "objective": OBJ, "assessment": ASSESS, "plan": PLAN}
    base.update(changes)
    return SoapNote(**base)  # type: ignore[arg-type]


def _record(patient: str = "P-1") -> VisitRecord:
    return VisitRecord(
        id="v-now",
        patient=Patient(id=patient),
        visit=Visit(date=dt.date(2025, 3, 20), discipline="PT", payer="medicare",
                    clinician=Clinician(name="Test Clinician", credential="PT")),
    )


def _hist(note: SoapNote, note_id: str = "v-prev", patient: str = "P-1", day: int = 18):
    return HistoricalNote(note_id=note_id, patient_id=patient, date=dt.date(2025, 3, day),
                          note=note)


def _ids(ctx: RuleContext) -> list[str]:
    return [f.rule_id for f in run_rules(ctx, ("CL",))]


EDITED = _note(subjective=SUBJ.replace("4/10", "3/10"), objective=OBJ.replace("112", "114"))


@pytest.mark.parametrize(
    ("note", "history", "threshold", "fires"),
    [
        pytest.param(EDITED, [_hist(_note())], 90.0, True, id="CL-PRIOR-copy-with-new-numbers"),
        pytest.param(OTHER, [_hist(_note())], 90.0, False, id="CL-PRIOR-different-note"),
        pytest.param(EDITED, [], 90.0, False, id="CL-PRIOR-no-history"),
        pytest.param(EDITED, [_hist(_note())], "exact", True, id="CL-PRIOR-boundary-at-score"),
        pytest.param(EDITED, [_hist(_note())], "above", False, id="CL-PRIOR-boundary-above"),
    ],
)
def test_cl_prior(note, history, threshold, fires):
    score = note_similarity(EDITED.text(), _note().text())
    if threshold == "exact":
        threshold = score
    elif threshold == "above":
        threshold = score + 0.01
    ctx = RuleContext(record=_record(), note=note, history=history,
                      options=RuleOptions(clone_threshold=threshold, section_threshold=101))
    assert ("CL-PRIOR" in _ids(ctx)) is fires


def test_cl_prior_finding_names_the_earlier_note_score_and_copied_passages():
    ctx = RuleContext(record=_record(), note=EDITED, history=[_hist(_note())])
    finding = next(f for f in run_rules(ctx, ("CL",)) if f.rule_id == "CL-PRIOR")
    assert finding.severity == "block"
    assert finding.message == (
        "note is 99.6% identical to the earlier note v-prev (2025-03-18) (threshold 90)"
    )
    assert {e.ref for e in finding.evidence} == {"v-prev"}
    assert any(e.text and "Pt tolerated progression of closed-chain" in e.text
               for e in finding.evidence)


SHORT = _note(assessment="Doing well.", plan="Continue POC.")


@pytest.mark.parametrize(
    ("note", "prior", "sections"),
    [
        pytest.param(_note(subjective="New story today.", objective="Different measures."),
                     _note(), {"Assessment", "Plan"}, id="CL-SECTION-assessment-and-plan-copied"),
        pytest.param(_note(assessment=ASSESS.replace("improving", "improving; ER now 60 deg "
                                                     "and pt reached the top shelf")),
                     _note(), {"Plan"}, id="CL-SECTION-only-plan-copied"),
        pytest.param(OTHER, _note(), set(), id="CL-SECTION-nothing-copied"),
        pytest.param(SHORT, SHORT, set(), id="CL-SECTION-boundary-short-sections-ignored"),
    ],
)
def test_cl_section(note, prior, sections):
    ctx = RuleContext(record=_record(), note=note, history=[_hist(prior)])
    found = [f for f in run_rules(ctx, ("CL",)) if f.rule_id == "CL-SECTION"]
    assert {f.message.split(" ", 1)[0] for f in found} == sections


@pytest.mark.parametrize(
    ("corpus", "fires"),
    [
        pytest.param([_hist(_note(), "other-1", "P-2")], True, id="CL-CROSS-other-patient-copy"),
        pytest.param([_hist(OTHER, "other-1", "P-2")], False, id="CL-CROSS-different-notes"),
        pytest.param([_hist(_note(), "same-1", "P-1")], False,
                     id="CL-CROSS-boundary-same-patient-is-not-cross"),
    ],
)
def test_cl_cross(corpus, fires):
    ctx = RuleContext(record=_record("P-1"), note=EDITED, corpus=corpus)
    assert ("CL-CROSS" in _ids(ctx)) is fires


def _program_note(program: list[Exercise], plan: str = PLAN) -> SoapNote:
    return _note(plan=plan, exercises=program)


PROGRESSED = [*PROGRAM[:2], Exercise(name="clamshells", sets=2, reps=12, load="red band")]
RENAMED = [Exercise(name="SLR", side="right", sets=3, reps=10), *PROGRAM[1:]]


@pytest.mark.parametrize(
    ("current", "earlier", "visits", "fires"),
    [
        pytest.param(PROGRAM, [PROGRAM, PROGRAM], 3, True, id="CL-STATIC-three-identical-visits"),
        pytest.param(RENAMED, [PROGRAM, PROGRAM], 3, True, id="CL-STATIC-synonym-names-count"),
        pytest.param(PROGRESSED, [PROGRAM, PROGRAM], 3, False, id="CL-STATIC-load-progressed"),
        pytest.param(PROGRAM, [PROGRESSED, PROGRAM], 3, False, id="CL-STATIC-progressed-earlier"),
        pytest.param(PROGRAM, [PROGRAM], 3, False, id="CL-STATIC-boundary-two-visits-of-three"),
        pytest.param(PROGRAM, [PROGRAM], 2, True, id="CL-STATIC-boundary-two-visits-of-two"),
        pytest.param([], [[], []], 3, False, id="CL-STATIC-no-exercises"),
        pytest.param([*PROGRAM, Exercise(name="step-ups", sets=2, reps=10)], [PROGRAM, PROGRAM],
                     3, False, id="CL-STATIC-new-exercise-added"),
        pytest.param([Exercise(name="hip clamshell yellow band", sets=2, reps=12,
                               load="yellow theraband"), *PROGRAM[:2]], [PROGRAM, PROGRAM], 3,
                     True, id="CL-STATIC-renamed-exercise-with-identical-dose"),
    ],
)
def test_cl_static(current, earlier, visits, fires):
    history = [_hist(_program_note(p, plan=f"Plan {i}."), f"v{i}", day=10 + i)
               for i, p in enumerate(earlier)]
    ctx = RuleContext(record=_record(), note=_program_note(current, plan="Continue PT."),
                      history=history, options=RuleOptions(static_visits=visits,
                                                           clone_threshold=101,
                                                           section_threshold=101))
    assert ("CL-STATIC" in _ids(ctx)) is fires


def test_cl_static_is_stopped_by_a_maintenance_rationale():
    history = [_hist(_program_note(PROGRAM), f"v{i}", day=10 + i) for i in range(2)]
    note = _program_note(PROGRAM, plan="Skilled maintenance program to prevent decline in "
                         "transfers (Jimmo); continue current exercises.")
    ctx = RuleContext(record=_record(), note=note, history=history,
                      options=RuleOptions(clone_threshold=101, section_threshold=101))
    assert "CL-STATIC" not in _ids(ctx)


def test_cl_static_trusts_identical_written_doses_over_a_misread_field():
    written = Span(source="note", text="prone shoulder extension to body level 2x10")
    misread = Exercise(name="prone shoulder extension", sets=1, reps=10, load="level 2",
                       span=written)
    earlier = Exercise(name="prone shoulder extension", sets=2, reps=10,
                       span=Span(source="note", text="prone extension to level 2x10"))
    changed = Exercise(name="prone shoulder extension", sets=3, reps=10,
                       span=Span(source="note", text="prone extension to level 3x10"))
    assert same_program([misread, *PROGRAM[:2]], [earlier, *PROGRAM[:2]])
    assert not same_program([misread, *PROGRAM[:2]], [changed, *PROGRAM[:2]])


def test_cl_static_is_stopped_by_progression_written_in_the_note():
    history = [_hist(_program_note(PROGRAM), f"v{i}", day=10 + i) for i in range(2)]
    note = _program_note(PROGRAM, plan="Continue PT.")
    note = note.model_copy(update={"objective": OBJ + " Clamshells (progressed from yellow)."})
    ctx = RuleContext(record=_record(), note=note, history=history,
                      options=RuleOptions(clone_threshold=101, section_threshold=101))
    assert "CL-STATIC" not in _ids(ctx)


def test_copied_passages_quote_the_note_as_written():
    a = "Plan: Continue PT 2x/week. Next visit add lateral step-downs and progress band."
    b = "plan - continue pt 2x/week; next visit add lateral step-downs, and progress BAND!"
    assert copied_passages(a, b, min_words=4) == [a]
    assert copied_passages(a, "Plan: walk daily. Next visit add lateral step-downs", 4) == [
        "Next visit add lateral step-downs"
    ]


def test_rules_have_catalog_docstrings():
    for rule_id in ("CL-PRIOR", "CL-SECTION", "CL-CROSS", "CL-STATIC"):
        assert (RULES[rule_id].__doc__ or "").startswith(f"{rule_id}: fires when")


def test_every_cl_expectation_of_the_dev_cases_holds(dev_cases, settings):
    from sidekick import pipeline
    from sidekick.cases import index_cases

    index = index_cases(dev_cases)
    wrong = {}
    for case in dev_cases:
        history, corpus = pipeline.case_history(case, index, settings)
        result = pipeline.check_record(case, settings, history=history, corpus=corpus,
                                       families=("CL",))
        raised = sorted({f.rule_id for f in result.findings})
        expected = sorted(r for r in case.gold.expected_findings if r.startswith("CL-"))
        if raised != expected:
            wrong[case.id] = (raised, expected)
    assert wrong == {}
