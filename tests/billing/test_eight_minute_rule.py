"""Units under the CMS and per-code 8-minute rules: every worked example, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sidekick.billing import (
    BillingFieldError,
    allocate_cms,
    allocate_per_code,
    builtin_config,
    check_cms_allocation,
    cms_total_units,
    compute_units,
    units_for_minutes,
)
from sidekick.models import BillingLine, Clinician, Visit

TIMED = ["97110", "97112", "97116", "97140", "97530", "97535", "97035", "97032"]


def _visit(payer: str = "medicare") -> Visit:
    return Visit(date=dt.date(2025, 3, 14), discipline="PT", payer=payer,
                 clinician=Clinician(name="Test", credential="PT"))


def _units(minutes: dict[str, int], payer: str = "medicare") -> dict[str, int]:
    lines = [BillingLine(cpt=code, minutes=m) for code, m in minutes.items()]
    return compute_units(lines, _visit(payer), builtin_config()).units


# --------------------------------------------------------------------------- 2a table

@pytest.mark.parametrize("minutes, units", [
    (0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (67, 4),
    (68, 5), (82, 5), (83, 6), (97, 6), (98, 7), (112, 7), (113, 8), (127, 8),
])
def test_cms_units_table_2a(minutes, units):
    assert cms_total_units(minutes) == units


# --------------------------------------------------------------------------- 2c worked examples

@pytest.mark.parametrize("minutes, expected", [
    pytest.param({"97112": 24, "97110": 23}, [{"97112": 2, "97110": 1}], id="ex1"),
    pytest.param({"97112": 20, "97110": 20}, [{"97112": 2, "97110": 1},
                                              {"97112": 1, "97110": 2}], id="ex2-either"),
    pytest.param({"97110": 33, "97140": 7}, [{"97110": 2, "97140": 1}], id="ex3"),
    pytest.param({"97110": 18, "97140": 13, "97116": 10, "97035": 8},
                 [{"97110": 1, "97140": 1, "97116": 1, "97035": 0}], id="ex4"),
    pytest.param({"97112": 7, "97110": 7, "97140": 7},
                 [{"97112": 1, "97110": 0, "97140": 0}, {"97112": 0, "97110": 1, "97140": 0},
                  {"97112": 0, "97110": 0, "97140": 1}], id="ex5-any-one"),
    pytest.param({"97140": 35, "97035": 7}, [{"97140": 2, "97035": 1}], id="ex6"),
])
def test_cms_worked_examples_2c(minutes, expected):
    assert _units(minutes) in expected
    for allocation in expected:  # every correct answer is accepted by the TU-UNITS check
        assert check_cms_allocation(minutes, allocation).ok


def test_cms_example_2_never_three_units_on_one_code():
    check = check_cms_allocation({"97112": 20, "97110": 20}, {"97112": 3, "97110": 0})
    assert not check.ok


def test_single_timed_service_under_8_minutes_with_an_evaluation_is_eval_only():
    lines = [BillingLine(cpt="97162", minutes=35, units=1), BillingLine(cpt="97110", minutes=7)]
    result = compute_units(lines, _visit(), builtin_config())
    assert result.units == {"97162": 1, "97110": 0}
    assert result.total_timed_minutes == 7


def test_tie_follows_the_code_the_clinician_billed_the_extra_unit_on():
    lines = [BillingLine(cpt="97112", minutes=20, units=1),
             BillingLine(cpt="97110", minutes=20, units=2)]
    assert compute_units(lines, _visit(), builtin_config()).units == {"97112": 1, "97110": 2}


# --------------------------------------------------------------------------- 3 per-code table

@pytest.mark.parametrize("minutes, cms, per_code", [
    ({"97110": 10, "97140": 10, "97112": 10}, 2, 3),
    ({"97112": 24, "97110": 23}, 3, 4),
    ({"97112": 20, "97110": 20}, 3, 2),
    ({"97110": 33, "97140": 7}, 3, 2),
    ({"97110": 7, "97140": 7}, 1, 0),
])
def test_cms_and_per_code_differ_as_in_section_3(minutes, cms, per_code):
    assert sum(_units(minutes, "medicare").values()) == cms
    assert sum(_units(minutes, "commercial").values()) == per_code


def test_per_code_pools_lines_of_the_same_code():
    lines = [BillingLine(cpt="97110", minutes=14), BillingLine(cpt="97112", minutes=12),
             BillingLine(cpt="97110", minutes=18)]
    result = compute_units(lines, _visit("commercial"), builtin_config())
    assert result.units == {"97110": 2, "97112": 1}
    assert result.method == "per_code"


def test_untimed_codes_are_one_unit_and_do_not_count_in_timed_minutes():
    lines = [BillingLine(cpt="97166", minutes=38, units=2), BillingLine(cpt="97110", minutes=13)]
    result = compute_units(lines, _visit(), builtin_config())
    assert result.units == {"97166": 1, "97110": 1}
    assert result.total_timed_minutes == 13
    assert result.total_units == 1


def test_explanation_shows_the_arithmetic_and_who_got_the_leftover_unit():
    lines = [BillingLine(cpt="97110", minutes=33), BillingLine(cpt="97140", minutes=7)]
    explanation = compute_units(lines, _visit(), builtin_config()).explanation
    assert explanation[1] == "Total timed minutes: 97110 33 + 97140 7 = 40"
    assert explanation[2].startswith("40 timed minutes = 3 units under the 8-minute rule")
    assert explanation[3] == ("Whole 15-minute units: 97110 2 (3 min left over), "
                              "97140 0 (7 min left over) = 2")
    assert explanation[4] == ("1 unit left to give: to the code(s) with the most minutes left "
                              "over: 97140 (7 min) over 97110 (3 min)")
    assert explanation[-1] == "Units: 97110 x2, 97140 x1 (total 3 timed)"


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("line, field, problem", [
    (BillingLine(cpt="97999", minutes=10), "billing[0].cpt",
     "'97999' is not in the code table; use a code from sidekick/data/billing/codes.yaml"),
    (BillingLine(cpt="97110", minutes=-5), "billing[0].minutes",
     "-5 is negative; enter the minutes spent on 97110 (0 or more)"),
    (BillingLine(cpt="97110", minutes=10, units=-1), "billing[0].units",
     "-1 is negative; enter the units billed for 97110 (0 or more)"),
])
def test_bad_lines_raise_field_errors(line, field, problem):
    with pytest.raises(BillingFieldError) as info:
        compute_units([line], _visit(), builtin_config())
    assert (info.value.field, info.value.problem) == (field, problem)
    assert str(info.value.at("visit.json")) == f"visit.json: {field}: {problem}"


def test_unknown_payer_is_a_field_error():
    with pytest.raises(BillingFieldError) as info:
        compute_units([BillingLine(cpt="97110", minutes=10)], _visit("acme"), builtin_config())
    assert info.value.field == "visit.payer"
    assert info.value.problem.startswith("'acme' is not in the payer table; use one of ")


# --------------------------------------------------------------------------- properties

minutes_by_code = st.dictionaries(st.sampled_from(TIMED), st.integers(0, 90), min_size=1,
                                  max_size=6)


@given(st.integers(0, 600))
def test_cms_units_formula(total):
    expected = 0 if total < 8 else (total + 7) // 15
    assert cms_total_units(total) == expected == units_for_minutes(total)


@given(minutes_by_code)
def test_allocated_units_sum_to_the_total(minutes):
    assert sum(allocate_cms(minutes).values()) == cms_total_units(sum(minutes.values()))


@given(minutes_by_code, st.dictionaries(st.sampled_from(TIMED), st.integers(0, 7)))
def test_no_code_gets_more_units_than_its_minutes_allow(minutes, prefer):
    units = allocate_cms(minutes, prefer)
    for code, m in minutes.items():
        full, rem = divmod(m, 15)
        assert full <= units[code] <= full + (1 if rem else 0)
    assert check_cms_allocation(minutes, units).ok


@settings(max_examples=50)
@given(minutes_by_code, st.randoms(use_true_random=False), st.sampled_from(["medicare",
                                                                           "commercial"]))
def test_units_never_depend_on_line_order(minutes, rnd, payer):
    lines = [BillingLine(cpt=code, minutes=m) for code, m in minutes.items()]
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    config = builtin_config()
    first = compute_units(lines, _visit(payer), config).units
    second = compute_units(shuffled, _visit(payer), config).units
    assert dict(sorted(first.items())) == dict(sorted(second.items()))


@given(minutes_by_code)
def test_per_code_units_are_each_codes_own_8_minute_rule(minutes):
    assert allocate_per_code(minutes) == {c: units_for_minutes(m) for c, m in minutes.items()}
