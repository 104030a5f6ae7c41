"""MN-* rules on phrasing beyond the physical-therapy dev notes: SLP, OT, jaw, incomplete doses."""

from __future__ import annotations

import pytest
from helpers import fires, make_context, make_note, make_record

from sidekick import facts
from sidekick.models import Exercise, Patient

PATIENT = Patient(id="P-TEST-02", diagnosis="Dysphagia after stroke", body_region="throat")

SLP = """Subjective: Oropharyngeal dysphagia after L MCA stroke (R13.12). {limit}

Objective: {measures}
Swallowing treatment (92526, 30 min): effortful swallow 2x10; tongue hold swallow x8.
Verbal cues for a hard squeeze.

Assessment: Tolerated session. Progressing toward goal of thin liquids in 4 weeks.

Plan: Continue 2x/week."""


def _check(rule_id: str, text: str) -> bool:
    note = facts.parse_note(text, PATIENT)
    return fires(rule_id, make_context(make_record(note=text), note=note))


@pytest.mark.parametrize(
    "measures, expected",
    [
        ("EAT-10 15/40 (21/40 at evaluation).", False),
        ("FOIS level 4/7.", False),
        ("Anterior tongue pressure (IOPI) 41 kPa.", False),
        ("Patient alert and cooperative.", True),
    ],
    ids=["eat10-out-of-40", "fois-out-of-7", "iopi-kpa", "no-measure"],
)
def test_objective_recognises_swallowing_measures(measures, expected):
    text = SLP.format(limit="Coughs on thin liquids at dinner.", measures=measures)
    assert _check("MN-OBJECTIVE", text) is expected


@pytest.mark.parametrize(
    "limit, expected",
    [
        ("Coughs on thin liquids at dinner.", False),
        ("Meals take more than an hour.", False),
        ("Unable to chew steak.", False),
        ("Wife attends sessions.", True),
    ],
    ids=["coughing-on-liquids", "long-meals", "chewing", "no-limitation"],
)
def test_function_recognises_eating_and_swallowing(limit, expected):
    text = SLP.format(limit=limit, measures="EAT-10 15/40.")
    assert _check("MN-FUNCTION", text) is expected


@pytest.mark.parametrize(
    "exercises, expected",
    [
        ([Exercise(name="clamshell", sets=2, load="blue band")], True),
        ([Exercise(name="clamshell", sets=2, reps=12, load="blue band")], False),
        ([Exercise(name="side plank", sets=3, hold_s=20)], False),
        ([Exercise(name="bridge", reps=10)], False),
    ],
    ids=["sets-without-reps", "sets-and-reps", "sets-and-hold", "reps-alone"],
)
def test_params_fires_when_reps_are_missing(exercises, expected):
    note = make_note(exercises=exercises)
    assert fires("MN-PARAMS", make_context(make_record(), note=note)) is expected


def test_params_excuses_a_short_name_listed_elsewhere_with_its_dose():
    note = make_note(
        exercises=[
            Exercise(name="chin tuck against resistance", sets=2, reps=10),
            Exercise(name="chin tuck"),
        ]
    )
    assert fires("MN-PARAMS", make_context(make_record(), note=note)) is False


PT = """Subjective: R knee OA (M17.11). Unable to climb stairs reciprocally.
Objective: R knee flexion AROM 112 deg{then}.
Ther ex (97110, 20 min): bridges 3x10. Cues for knee alignment.
Assessment: Tolerated well. Goal: reciprocal stairs and flexion 120 deg in 4 weeks.
Plan: {plan}"""


@pytest.mark.parametrize(
    "plan, expected",
    [
        ("Three more sessions in the pool, then we return to the gym.", False),
        ("We'll retest flexion next visit.", False),
        ("Pt was pleased.", True),
    ],
    ids=["more-sessions-then", "retest-next-visit", "no-plan"],
)
def test_plan_recognises_sessions_left_and_retests(plan, expected):
    assert _check("MN-PLAN", PT.format(then="", plan=plan)) is expected


@pytest.mark.parametrize(
    "then, expected",
    [(", 104 deg last week", False), (", up from 104", False), ("", True)],
    ids=["last-week-value", "up-from", "no-comparison"],
)
def test_goals_progress_from_an_earlier_value(then, expected):
    assert _check("MN-GOALS", PT.format(then=then, plan="Continue 2x/week.")) is expected
