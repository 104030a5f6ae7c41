"""TU-* rules: for each, a row that fires, one that does not, one on the boundary."""

from __future__ import annotations

import pytest
from helpers import bill, fires, make_context, make_note, make_record, run_rule

from sidekick.models import SoapNote
from sidekick.validators.time_units import note_totals

TOTALS = "Total timed minutes 40; total treatment minutes 45."


def _ctx(billing, *, note=None, **visit):
    return make_context(make_record(billing=billing, **visit), note=note)


# --------------------------------------------------------------------------- TU-MISSING-TIME

@pytest.mark.parametrize("billing, expected", [
    pytest.param([bill("97110", 29, 2, "GP"), bill("97116", None, 1, "GP")], True,
                 id="TU-MISSING-TIME-fires-timed-code-without-minutes"),
    pytest.param([bill("97110", 29, 2, "GP"), bill("97116", 10, 1, "GP")], False,
                 id="TU-MISSING-TIME-silent-all-minutes-documented"),
    pytest.param([bill("97162", None, 1, "GP"), bill("97110", 0, 0, "GP")], False,
                 id="TU-MISSING-TIME-boundary-untimed-without-minutes-and-zero-minutes"),
])
def test_missing_time_table(billing, expected):
    assert fires("TU-MISSING-TIME", _ctx(billing)) is expected


def test_missing_time_names_the_line_and_the_fix():
    [finding] = run_rule("TU-MISSING-TIME", _ctx([bill("97110", 29, 2), bill("97116", None, 1)]))
    assert finding.evidence[0].location == "billing[1] 97116"
    assert finding.fix == "Enter the minutes spent on 97116 this session, or remove the line."


# --------------------------------------------------------------------------- TU-UNITS

@pytest.mark.parametrize("billing, payer, expected", [
    pytest.param([bill("97110", 33, 3), bill("97140", 7, 1)], "medicare", True,
                 id="TU-UNITS-fires-cms-overbilled"),
    pytest.param([bill("97110", 33, 3), bill("97140", 7, 0)], "medicare", True,
                 id="TU-UNITS-fires-cms-leftover-unit-on-wrong-code"),
    pytest.param([bill("97110", 20, 1), bill("97140", 10, 0)], "medicare", True,
                 id="TU-UNITS-fires-cms-underbilled"),
    pytest.param([bill("97110", 33, 2), bill("97140", 7, 1)], "medicare", False,
                 id="TU-UNITS-silent-cms-example-3"),
    pytest.param([bill("97112", 20, 1), bill("97110", 20, 2)], "medicare", False,
                 id="TU-UNITS-boundary-cms-tie-clinician-choice"),
    pytest.param([bill("97112", 20, 2), bill("97110", 20, 1)], "medicare", False,
                 id="TU-UNITS-boundary-cms-tie-other-choice"),
    pytest.param([bill("97112", 20, 3), bill("97110", 20, 0)], "medicare", True,
                 id="TU-UNITS-fires-cms-tie-all-on-one-code"),
    pytest.param([bill("97110", 7, 1)], "medicare", True,
                 id="TU-UNITS-boundary-cms-7-minutes-alone-is-0"),
    pytest.param([bill("97110", 8, 1)], "medicare", False,
                 id="TU-UNITS-boundary-cms-8-minutes-is-1"),
    pytest.param([bill("97140", 7, 1), bill("97110", 21, 1), bill("97112", 16, 1)],
                 "commercial", True, id="TU-UNITS-fires-per-code-7-minutes"),
    pytest.param([bill("97110", 22, 1), bill("97112", 22, 1)], "commercial", False,
                 id="TU-UNITS-silent-per-code-22-each"),
    pytest.param([bill("97110", 22, 2), bill("97112", 23, 2)], "commercial", True,
                 id="TU-UNITS-boundary-per-code-22-is-1-23-is-2"),
    pytest.param([bill("97110", 14, 1), bill("97110", 18, 1)], "commercial", False,
                 id="TU-UNITS-silent-duplicate-lines-pooled"),
    pytest.param([bill("97110", 29, 2), bill("97116", None, 1)], "medicare", False,
                 id="TU-UNITS-silent-when-minutes-missing"),
    pytest.param([bill("97166", 38, 2), bill("97110", 13, 1)], "medicare", False,
                 id="TU-UNITS-silent-untimed-units-are-not-its-business"),
])
def test_units_table(billing, payer, expected):
    assert fires("TU-UNITS", _ctx(billing, payer=payer)) is expected


def test_units_message_shows_the_arithmetic_and_what_to_bill():
    [finding] = run_rule("TU-UNITS", _ctx([bill("97110", 33, 3, "GP"), bill("97140", 7, 1, "GP")]))
    assert finding.message == ("33 + 7 = 40 timed minutes = 3 units under the 8-minute rule; "
                               "you billed 4. Bill 97110 x2, 97140 x1.")
    assert finding.fix == "Change the units to 97110 x2, 97140 x1."
    assert [e.location for e in finding.evidence] == ["billing[0] 97110", "billing[1] 97140"]


def test_units_message_explains_a_wrongly_shared_leftover_unit():
    [finding] = run_rule("TU-UNITS", _ctx([bill("97110", 33, 3), bill("97140", 7, 0)]))
    assert finding.message == (
        "33 + 7 = 40 timed minutes = 3 units under the 8-minute rule and you billed 3, but the "
        "leftover unit went to 97110 (3 min left over) instead of 97140 (7 min left over). "
        "Bill 97110 x2, 97140 x1.")


def test_units_per_code_message_names_each_wrong_code():
    ctx = _ctx([bill("97140", 7, 1), bill("97110", 21, 1), bill("97112", 16, 1)],
               payer="commercial")
    [finding] = run_rule("TU-UNITS", ctx)
    assert finding.message == (
        "Under the per-code 8-minute rule (commercial) each code counts only its own minutes: "
        "97140 7 min = 0 units, you billed 1. Bill 97140 x0, 97110 x1, 97112 x1.")


# --------------------------------------------------------------------------- TU-TOTALS

@pytest.mark.parametrize("note, payer, expected", [
    pytest.param(SoapNote(objective="Ther ex (97110, 33 min): bridges 3x10."), "medicare", True,
                 id="TU-TOTALS-fires-free-text-without-totals"),
    pytest.param(SoapNote(objective="Ther ex 33 min. Total timed minutes 40."), "medicare", True,
                 id="TU-TOTALS-fires-only-timed-total"),
    pytest.param(SoapNote(objective=f"Ther ex (97110, 33 min). {TOTALS}"), "medicare", False,
                 id="TU-TOTALS-silent-free-text-with-both"),
    pytest.param(SoapNote(plan="timed 38 min / total 45 min"), "commercial", False,
                 id="TU-TOTALS-boundary-short-form"),
    pytest.param(make_note(total_timed_minutes=40, total_treatment_minutes=45), "medicare", False,
                 id="TU-TOTALS-silent-structured-fields"),
    pytest.param(make_note(total_timed_minutes=40), "medicare", True,
                 id="TU-TOTALS-fires-structured-missing-treatment-total"),
    pytest.param(None, "medicare", False, id="TU-TOTALS-silent-without-a-note"),
])
def test_totals_table(note, payer, expected):
    ctx = _ctx([bill("97110", 33, 2), bill("97140", 7, 1)], note=note, payer=payer)
    assert fires("TU-TOTALS", ctx) is expected


def test_totals_leaves_a_drafted_note_to_missing_time_while_minutes_are_missing():
    billing = [bill("97110", 29, 2), bill("97116", None, 1)]
    assert not fires("TU-TOTALS", _ctx(billing, note=make_note(objective="bridges 3x10")))
    assert fires("TU-TOTALS", _ctx(billing, note=SoapNote(objective="bridges 3x10")))
    assert fires("TU-TOTALS", _ctx([bill("97110", 29, 2), bill("97162", None, 1)],
                                   note=make_note(objective="bridges 3x10")))


def test_totals_reads_the_records_own_note_text():
    record = make_record(billing=[bill("97110", 40, 3)], note=f"Objective: bridges. {TOTALS}")
    assert not fires("TU-TOTALS", make_context(record, note=SoapNote(subjective="x")))


def test_totals_fix_suggests_the_billed_totals():
    [finding] = run_rule("TU-TOTALS", _ctx([bill("97110", 33, 2), bill("97162", 20, 1)],
                                           note=SoapNote(objective="bridges")))
    assert finding.message.startswith("The note does not state the total timed-code minutes or "
                                      "the total treatment minutes")
    assert finding.fix == ("Add a line such as 'Total timed minutes 33; total treatment minutes "
                           "53.' (use the real times from the session).")


@pytest.mark.parametrize("text, expected", [
    ("Total timed minutes 33; total treatment minutes 33.", (True, True)),
    ("Total treatment time: 45 min", (False, True)),
    ("timed 38 min / total 45 min", (True, True)),
    ("40 minutes of timed treatment, 45 minutes total", (True, True)),
    ("38 timed minutes, 45 total minutes", (True, True)),
    ("Total Timed Code Minutes: 38. Treatment time: 45 minutes", (True, True)),
    ("Ther ex 33 min. Total timed minutes 40.", (True, False)),
    ("s/p total knee arthroplasty, ther ex 3 sets", (False, False)),
    ("TTM 33 / TTT 45", (True, True)),
    ("Total time 45 min (33 timed).", (True, True)),
    ("Pt did 3 timed trials.", (False, False)),
])
def test_note_totals_recognises_common_phrasings(text, expected):
    assert note_totals(text) == expected


# --------------------------------------------------------------------------- TU-EXCEEDS-SESSION

@pytest.mark.parametrize("billing, session, expected", [
    pytest.param([bill("97112", 30, 2), bill("97110", 18, 1)], 45, True,
                 id="TU-EXCEEDS-SESSION-fires-48-of-45"),
    pytest.param([bill("97112", 30, 2), bill("97110", 10, 1)], 45, False,
                 id="TU-EXCEEDS-SESSION-silent-40-of-45"),
    pytest.param([bill("97162", 30, 1), bill("97110", 15, 1)], 45, False,
                 id="TU-EXCEEDS-SESSION-boundary-equal-with-untimed"),
    pytest.param([bill("97162", 31, 1), bill("97110", 15, 1)], 45, True,
                 id="TU-EXCEEDS-SESSION-boundary-one-over-with-untimed"),
    pytest.param([bill("97110", 90, 6)], None, False,
                 id="TU-EXCEEDS-SESSION-silent-without-session-length"),
])
def test_exceeds_session_table(billing, session, expected):
    assert fires("TU-EXCEEDS-SESSION", _ctx(billing, session_minutes=session)) is expected


def test_exceeds_session_counts_the_notes_stated_total():
    ctx = _ctx([bill("97110", 30, 2)], session_minutes=40,
               note=make_note(total_treatment_minutes=50))
    [finding] = run_rule("TU-EXCEEDS-SESSION", ctx)
    assert finding.message == ("The note states 50 treatment minutes, more than the 40-minute "
                               "session (visit.session_minutes).")


def test_exceeds_session_message_adds_the_minutes():
    [finding] = run_rule("TU-EXCEEDS-SESSION",
                         _ctx([bill("97112", 30, 2), bill("97110", 18, 1)], session_minutes=45))
    assert finding.message == ("The billed minutes add up to 30 + 18 = 48 min, more than the "
                               "45-minute session (visit.session_minutes).")


# --------------------------------------------------------------------------- TU-UNTIMED-UNITS

@pytest.mark.parametrize("billing, expected", [
    pytest.param([bill("97166", 38, 2, "GO")], True, id="TU-UNTIMED-UNITS-fires-eval-x2"),
    pytest.param([bill("97150", 45, 3, "GP")], True, id="TU-UNTIMED-UNITS-fires-group-x3"),
    pytest.param([bill("97162", 35, 1, "GP")], False, id="TU-UNTIMED-UNITS-silent-eval-x1"),
    pytest.param([bill("97110", 45, 3, "GP")], False,
                 id="TU-UNTIMED-UNITS-boundary-timed-code-many-units"),
])
def test_untimed_units_table(billing, expected):
    assert fires("TU-UNTIMED-UNITS", _ctx(billing)) is expected


def test_untimed_units_message():
    [finding] = run_rule("TU-UNTIMED-UNITS", _ctx([bill("97166", 38, 2, "GO")], discipline="OT"))
    assert finding.message == (
        "97166 (OT evaluation, moderate complexity) is untimed: it is billed once per session "
        "(1 unit) whatever its minutes; you billed 2.")
    assert finding.fix == "Bill 97166 x1."
