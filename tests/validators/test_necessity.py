"""MN-* rules: for each, a row that fires, one that does not, one on the boundary."""

from __future__ import annotations

import pytest
from helpers import bill, fires, make_context, make_note, make_record, run_rule

from sidekick import facts
from sidekick.models import Exercise, Measure, Pain, Patient

PATIENT = Patient(id="P-TEST-01", diagnosis="Right knee osteoarthritis", body_region="knee")

FULL = """Subjective: 70 y/o with R knee OA (M17.11). Pain 4/10 on arrival. Unable to descend stairs
reciprocally.

Objective: R knee AROM flexion 110 deg (100 last week).
Ther ex (97110, 25 min): bridges 3x10; clamshells with red band 2x15.
Cues for knee alignment during bridges.
Pain 2/10 after session.

Assessment: Tolerated progression to red band. Progressing toward goal of reciprocal stairs.

Plan: Continue 2x/week. Next visit add step-ups."""


def _check(rule_id: str, text: str) -> bool:
    note = facts.parse_note(text, PATIENT)
    return fires(rule_id, make_context(make_record(note=text), note=note))


def _without(*phrases: str) -> str:
    text = FULL
    for phrase in phrases:
        assert phrase in text, phrase
        text = text.replace(phrase, "")
    return text


@pytest.mark.parametrize(
    "rule_id",
    [
        "MN-DIAGNOSIS",
        "MN-FUNCTION",
        "MN-OBJECTIVE",
        "MN-PARAMS",
        "MN-RESPONSE",
        "MN-SKILLED",
        "MN-GOALS",
        "MN-PLAN",
    ],
)
def test_a_complete_note_raises_no_mn_finding(rule_id):
    assert _check(rule_id, FULL) is False


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(_without("with R knee OA (M17.11)"), True, id="MN-DIAGNOSIS-fires-none-named"),
        pytest.param(FULL, False, id="MN-DIAGNOSIS-silent-condition-code-and-region"),
        pytest.param(
            _without("(M17.11)"), False, id="MN-DIAGNOSIS-boundary-condition-without-code"
        ),
        pytest.param(
            FULL.replace("with R knee OA (M17.11)", "s/p R TKA"),
            False,
            id="MN-DIAGNOSIS-silent-s/p-before-a-self-locating-abbreviation",
        ),
        pytest.param(
            FULL.replace("with R knee OA (M17.11)", "s/p R RCR"),
            False,
            id="MN-DIAGNOSIS-silent-s/p-rcr",
        ),
    ],
)
def test_diagnosis_table(text, expected):
    assert _check("MN-DIAGNOSIS", text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            _without(
                " Unable to descend stairs\nreciprocally.",
                " Progressing toward goal of reciprocal stairs.",
            ),
            True,
            id="MN-FUNCTION-fires-no-limitation",
        ),
        pytest.param(FULL, False, id="MN-FUNCTION-silent-limitation-stated"),
        pytest.param(
            _without(" Unable to descend stairs\nreciprocally.").replace(
                "Assessment: ", "Assessment: Quad weakness limits stair descent. "
            ),
            False,
            id="MN-FUNCTION-boundary-limitation-only-in-assessment",
        ),
    ],
)
def test_function_table(text, expected):
    assert _check("MN-FUNCTION", text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            _without(
                "R knee AROM flexion 110 deg (100 last week).",
                " Pain 4/10 on arrival.",
                "Pain 2/10 after session.",
            ),
            True,
            id="MN-OBJECTIVE-fires-no-measure",
        ),
        pytest.param(FULL, False, id="MN-OBJECTIVE-silent-rom-and-pain"),
        pytest.param(
            _without("R knee AROM flexion 110 deg (100 last week).", " Pain 4/10 on arrival."),
            False,
            id="MN-OBJECTIVE-boundary-a-pain-score-alone-counts",
        ),
        pytest.param(
            FULL.replace("R knee AROM flexion 110 deg (100 last week).", "Berg 45.")
            .replace(" Pain 4/10 on arrival.", "").replace("Pain 2/10 after session.", ""),
            False,
            id="MN-OBJECTIVE-silent-berg-score",
        ),
        pytest.param(
            FULL.replace("R knee AROM flexion 110 deg (100 last week).", "FOTO 55.")
            .replace(" Pain 4/10 on arrival.", "").replace("Pain 2/10 after session.", ""),
            False,
            id="MN-OBJECTIVE-silent-foto-score",
        ),
        pytest.param(
            FULL.replace("R knee AROM flexion 110 deg (100 last week).", "Knee ext -5.")
            .replace(" Pain 4/10 on arrival.", "").replace("Pain 2/10 after session.", ""),
            False,
            id="MN-OBJECTIVE-silent-terse-rom",
        ),
        pytest.param(
            FULL.replace("R knee AROM flexion 110 deg (100 last week).", "TUG 12.3\".")
            .replace(" Pain 4/10 on arrival.", "").replace("Pain 2/10 after session.", ""),
            False,
            id="MN-OBJECTIVE-silent-tug-inch-mark-seconds",
        ),
    ],
)
def test_objective_table(text, expected):
    assert _check("MN-OBJECTIVE", text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            FULL.replace(
                "bridges 3x10; clamshells with red band 2x15", "bridges, clamshells, bird dogs"
            ),
            True,
            id="MN-PARAMS-fires-exercises-listed-without-dose",
        ),
        pytest.param(FULL, False, id="MN-PARAMS-silent-every-exercise-dosed"),
        pytest.param(
            FULL.replace("clamshells with red band 2x15", "clamshells with band 2x15"),
            True,
            id="MN-PARAMS-boundary-band-without-its-colour",
        ),
        pytest.param(
            FULL.replace(
                "bridges 3x10; clamshells with red band 2x15",
                "bridges 3 sets of 10, clamshells with red band",
            ),
            True,
            id="MN-PARAMS-fires-one-item-of-a-comma-list-undosed",
        ),
    ],
)
def test_params_table(text, expected):
    assert _check("MN-PARAMS", text) is expected


def test_params_names_each_undosed_exercise():
    note = make_note(
        exercises=[Exercise(name="bridge", sets=3, reps=10), Exercise(name="bird dog")]
    )
    [finding] = run_rule("MN-PARAMS", make_context(make_record(), note=note))
    assert finding.message == (
        "1 exercise(s) without a complete dose: 'bird dog' (no sets x reps, hold or duration)."
    )
    assert finding.severity == "block"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            _without("Tolerated progression to red band. ", "Pain 2/10 after session."),
            True,
            id="MN-RESPONSE-fires-no-response",
        ),
        pytest.param(FULL, False, id="MN-RESPONSE-silent-tolerated-and-pain-after"),
        pytest.param(
            _without("Tolerated progression to red band. "),
            False,
            id="MN-RESPONSE-boundary-pain-after-session-alone",
        ),
        pytest.param(
            FULL.replace("Tolerated progression to red band. ", "Pt tol tx w/o c/o. ").replace(
                "Pain 2/10 after session.", ""
            ),
            False,
            id="MN-RESPONSE-silent-tol-tx-shorthand",
        ),
    ],
)
def test_response_table(text, expected):
    assert _check("MN-RESPONSE", text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            _without(
                "Cues for knee alignment during bridges.", "Tolerated progression to red band. "
            ).replace("Ther ex (97110, 25 min):", "Pt performed HEP:"),
            True,
            id="MN-SKILLED-fires-performed-hep-only",
        ),
        pytest.param(FULL, False, id="MN-SKILLED-silent-cues"),
        pytest.param(
            _without("Cues for knee alignment during bridges."),
            False,
            id="MN-SKILLED-boundary-progression-alone",
        ),
        pytest.param(
            _without("Tolerated progression to red band. ").replace(
                "Cues for knee alignment", "VC for knee alignment"
            ),
            False,
            id="MN-SKILLED-silent-vc-abbreviation",
        ),
    ],
)
def test_skilled_table(text, expected):
    assert _check("MN-SKILLED", text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            _without(" (100 last week)", " Progressing toward goal of reciprocal stairs."),
            True,
            id="MN-GOALS-fires-no-goal-no-progress",
        ),
        pytest.param(FULL, False, id="MN-GOALS-silent-goal-stated"),
        pytest.param(
            FULL.replace(
                "Progressing toward goal of reciprocal stairs.", "Goal: reciprocal stairs."
            ),
            False,
            id="MN-GOALS-boundary-comparison-with-earlier-value-is-progress",
        ),
        pytest.param(
            _without(" (100 last week)").replace(
                "Progressing toward goal of reciprocal stairs.", "Goal: reciprocal stairs."
            ),
            True,
            id="MN-GOALS-fires-goal-without-progress",
        ),
        pytest.param(
            _without(" (100 last week)").replace(
                "Progressing toward goal of reciprocal stairs.", "Progressing toward goals."
            ),
            True,
            id="MN-GOALS-fires-progress-without-measurable-goal",
        ),
        pytest.param(
            _without(" (100 last week)").replace(
                "Progressing toward goal of reciprocal stairs.",
                "Improving flexion. Goal: reciprocal stairs.",
            ),
            False,
            id="MN-GOALS-silent-improving-is-progress",
        ),
    ],
)
def test_goals_table(text, expected):
    assert _check("MN-GOALS", text) is expected


def test_an_evaluation_needs_goals_but_no_progress():
    text = _without(" (100 last week)").replace(
        "Progressing toward goal of reciprocal stairs.", "Goal: reciprocal stairs in 6 weeks."
    )
    note = facts.parse_note(text, PATIENT)
    evaluation = make_record(note=text, billing=[bill("97162", None, 1, "GP")])
    assert fires("MN-GOALS", make_context(make_record(note=text), note=note))
    assert not fires("MN-GOALS", make_context(evaluation, note=note))


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            FULL.replace(
                "Continue 2x/week. Next visit add step-ups.",
                "Pt verbalized understanding. Questions answered.",
            ),
            True,
            id="MN-PLAN-fires-no-plan",
        ),
        pytest.param(FULL, False, id="MN-PLAN-silent-frequency-and-next-visit"),
        pytest.param(
            FULL.replace("Continue 2x/week. Next visit add step-ups.", "2x/week."),
            False,
            id="MN-PLAN-boundary-frequency-alone",
        ),
        pytest.param(
            FULL.replace(
                "\n\nPlan: Continue 2x/week. Next visit add step-ups.",
                " Stiffness continues to limit stairs.",
            ),
            True,
            id="MN-PLAN-fires-no-plan-section-continues-is-not-a-plan",
        ),
    ],
)
def test_plan_table(text, expected):
    assert _check("MN-PLAN", text) is expected


def test_structured_note_is_judged_by_its_facts_and_text():
    note = make_note(
        subjective="R knee OA. Unable to climb stairs.",
        objective="Bridges 3x10.",
        assessment="Tolerated well. Progressing toward goal of stairs without rail.",
        plan="Continue 2x/week.",
        exercises=[Exercise(name="bridge", sets=3, reps=10, cue="knees hip width")],
        measures=[Measure(name="knee flexion AROM", value=100, unit="deg")],
        pain=Pain(before=3, after=2),
    )
    ctx = make_context(make_record(), note=note)
    found = {
        r
        for r in (
            "MN-DIAGNOSIS",
            "MN-FUNCTION",
            "MN-OBJECTIVE",
            "MN-PARAMS",
            "MN-RESPONSE",
            "MN-SKILLED",
            "MN-GOALS",
            "MN-PLAN",
        )
        if fires(r, ctx)
    }
    assert found == set()


def test_no_note_no_mn_finding():
    ctx = make_context(make_record())
    assert not any(fires(r, ctx) for r in ("MN-DIAGNOSIS", "MN-PLAN", "MN-OBJECTIVE"))


@pytest.mark.parametrize(
    "text",
    ["", "Paciente con dolor de rodilla. Ejercicios hechos.", "bridges and clamshells today"],
    ids=["empty", "non-english", "no-headings"],
)
def test_bad_notes_give_findings_not_errors(text):
    note = facts.parse_note(text, PATIENT)
    ctx = make_context(make_record(note=text or None), note=note)
    assert fires("MN-OBJECTIVE", ctx) and fires("MN-PLAN", ctx)
