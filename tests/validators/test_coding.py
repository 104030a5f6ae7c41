"""CD-* rules: for each, a row that fires, one that does not, one on the boundary."""

from __future__ import annotations

import pytest
from helpers import bill, fires, make_context, make_record, run_rule


def _ctx(billing, **visit):
    return make_context(make_record(billing=billing, **visit))


# --------------------------------------------------------------------------- CD-THERAPY-MODIFIER

@pytest.mark.parametrize("billing, visit, expected", [
    pytest.param([bill("97110", 26, 2, "GP"), bill("97530", 15, 1)], {}, True,
                 id="CD-THERAPY-MODIFIER-fires-line-without-GP"),
    pytest.param([bill("97110", 26, 2, "GO")], {}, True,
                 id="CD-THERAPY-MODIFIER-fires-GO-on-a-PT-plan"),
    pytest.param([bill("97110", 26, 2, "GP", "GO")], {}, True,
                 id="CD-THERAPY-MODIFIER-fires-two-therapy-modifiers"),
    pytest.param([bill("97110", 26, 2, "GP"), bill("97530", 15, 1, "GP", "59")], {}, False,
                 id="CD-THERAPY-MODIFIER-silent-all-GP"),
    pytest.param([bill("97535", 30, 2, "GO", "CO")], {"discipline": "OT", "credential": "OTA"},
                 False, id="CD-THERAPY-MODIFIER-silent-OT-with-GO"),
    pytest.param([bill("92507", 30, 1, "GN")], {"discipline": "SLP", "credential": "SLP"},
                 False, id="CD-THERAPY-MODIFIER-silent-SLP-with-GN"),
    pytest.param([bill("97110", 26, 2)], {"payer": "commercial"}, False,
                 id="CD-THERAPY-MODIFIER-boundary-commercial-not-required"),
])
def test_therapy_modifier_table(billing, visit, expected):
    assert fires("CD-THERAPY-MODIFIER", _ctx(billing, **visit)) is expected


def test_therapy_modifier_messages_say_what_to_add_or_replace():
    [missing] = run_rule("CD-THERAPY-MODIFIER", _ctx([bill("97530", 15, 1)]))
    assert missing.message == ("97530 has no therapy modifier; Medicare needs GP on every line "
                               "under a PT plan of care.")
    assert missing.fix == "Add GP to 97530."
    [wrong] = run_rule("CD-THERAPY-MODIFIER", _ctx([bill("97110", 15, 1, "GO")]))
    assert wrong.fix == "Replace GO with GP on 97110."


# --------------------------------------------------------------------------- CD-ASSISTANT

@pytest.mark.parametrize("billing, visit, expected", [
    pytest.param([bill("97110", 22, 2, "GP"), bill("97530", 16, 1, "GP")],
                 {"credential": "PTA"}, True, id="CD-ASSISTANT-fires-PTA-without-CQ"),
    pytest.param([bill("97110", 22, 2, "GP", "CQ"), bill("97530", 16, 1, "GP")],
                 {"credential": "PTA"}, True, id="CD-ASSISTANT-fires-one-line-without-CQ"),
    pytest.param([bill("97110", 20, 1, "GO", "CQ")],
                 {"credential": "COTA", "discipline": "OT"}, True,
                 id="CD-ASSISTANT-fires-OTA-with-CQ-instead-of-CO"),
    pytest.param([bill("97110", 22, 2, "GP", "CQ"), bill("97530", 16, 1, "GP", "CQ")],
                 {"credential": "PTA"}, False, id="CD-ASSISTANT-silent-PTA-with-CQ"),
    pytest.param([bill("97110", 22, 2, "GP")], {"credential": "PT"}, False,
                 id="CD-ASSISTANT-silent-PT"),
    pytest.param([bill("97110", 22, 2, "GP")], {"credential": "PTA", "payer": "commercial"},
                 False, id="CD-ASSISTANT-boundary-commercial-payer"),
])
def test_assistant_table(billing, visit, expected):
    assert fires("CD-ASSISTANT", _ctx(billing, **visit)) is expected


def test_assistant_message_lists_the_lines():
    [finding] = run_rule("CD-ASSISTANT", _ctx([bill("97110", 22, 2, "GP"),
                                               bill("97530", 16, 1, "GP")], credential="PTA"))
    assert finding.fix == "Add CQ to 97110 and 97530."
    assert len(finding.evidence) == 2


# --------------------------------------------------------------------------- CD-KX

@pytest.mark.parametrize("billing, visit, expected", [
    pytest.param([bill("97110", 32, 2, "GP"), bill("97140", 9, 1, "GP")],
                 {"ytd": 2485.0, "date": "2025-04-22"}, True, id="CD-KX-fires-over-2025-threshold"),
    pytest.param([bill("97110", 32, 2, "GP", "KX"), bill("97140", 9, 1, "GP")],
                 {"ytd": 2485.0, "date": "2025-04-22"}, True, id="CD-KX-fires-one-line-lacks-KX"),
    pytest.param([bill("97110", 32, 2, "GP", "KX"), bill("97140", 9, 1, "GP", "KX")],
                 {"ytd": 2632.75, "date": "2025-08-14"}, False, id="CD-KX-silent-KX-present"),
    pytest.param([bill("97110", 32, 2, "GP")], {"ytd": 2410.0, "date": "2025-04-22"}, False,
                 id="CD-KX-boundary-equal-to-threshold"),
    pytest.param([bill("97110", 32, 2, "GP")], {"ytd": 2410.01, "date": "2025-04-22"}, True,
                 id="CD-KX-boundary-one-cent-over"),
    pytest.param([bill("97110", 32, 2, "GP")], {"ytd": 2400.0, "date": "2024-06-01"}, True,
                 id="CD-KX-fires-2024-threshold-2330"),
    pytest.param([bill("97110", 32, 2, "GP")], {"ytd": 2450.0, "date": "2026-06-01"}, False,
                 id="CD-KX-silent-2026-threshold-2480"),
    pytest.param([bill("97110", 32, 2, "GP")], {"ytd": 5000.0, "payer": "commercial"}, False,
                 id="CD-KX-silent-commercial"),
])
def test_kx_table(billing, visit, expected):
    assert fires("CD-KX", _ctx(billing, **visit)) is expected


def test_kx_message_gives_amount_threshold_and_year():
    [finding] = run_rule("CD-KX", _ctx([bill("97110", 32, 2, "GP"), bill("97140", 9, 1, "GP")],
                                       ytd=2485.0, date="2025-04-22"))
    assert finding.message == ("Year-to-date therapy is $2,485.00, above the $2,410 KX threshold "
                               "for 2025, but 97110 and 97140 have no KX; without it Medicare "
                               "denies the line.")


def test_kx_year_after_the_table_uses_the_last_threshold():
    [finding] = run_rule("CD-KX", _ctx([bill("97110", 32, 2, "GP")], ytd=2500.0,
                                       date="2031-01-15"))
    assert "(the 2026 figure, the latest known)" in finding.message


# --------------------------------------------------------------------------- CD-NCCI

@pytest.mark.parametrize("billing, expected", [
    pytest.param([bill("97140", 10, 1, "GP"), bill("97530", 16, 1, "GP")], True,
                 id="CD-NCCI-fires-97140-97530-without-modifier"),
    pytest.param([bill("97140", 10, 1, "GP", "59"), bill("97530", 16, 1, "GP")], True,
                 id="CD-NCCI-fires-modifier-on-column-1-only"),
    pytest.param([bill("97140", 10, 1, "GP"), bill("97530", 16, 1, "GP", "XU")], False,
                 id="CD-NCCI-silent-XU-on-column-2"),
    pytest.param([bill("97140", 10, 1, "GP", "59"), bill("97530", 12, 1, "GP", "59")], False,
                 id="CD-NCCI-silent-59-on-both"),
    pytest.param([bill("97116", 10, 1, "GP", "XU"), bill("97530", 16, 1, "GP")], False,
                 id="CD-NCCI-boundary-order-unknown-modifier-on-either-line"),
    pytest.param([bill("97116", 10, 1, "GP"), bill("97530", 16, 1, "GP")], True,
                 id="CD-NCCI-fires-order-unknown-no-modifier"),
    pytest.param([bill("97110", 20, 1, "GP"), bill("97140", 10, 1, "GP")], False,
                 id="CD-NCCI-silent-unconfirmed-pair-97110-97140"),
    pytest.param([bill("97530", 10, 1, "GP"), bill("97535", 16, 1, "GP")], False,
                 id="CD-NCCI-silent-weak-source-pair-left-out"),
])
def test_ncci_table(billing, expected):
    assert fires("CD-NCCI", _ctx(billing, date="2025-07-09")) is expected


def test_ncci_edit_before_its_effective_date_does_not_fire():
    billing = [bill("97116", 10, 1, "GP"), bill("97530", 16, 1, "GP")]  # reinstated 2020-10-01
    assert not fires("CD-NCCI", _ctx(billing, date="2020-09-30"))
    assert fires("CD-NCCI", _ctx(billing, date="2020-10-01"))


def test_ncci_fix_names_the_column_2_code():
    [finding] = run_rule("CD-NCCI", _ctx([bill("97140", 10, 1, "GP"), bill("97530", 16, 1, "GP")]))
    assert finding.message == ("97140 and 97530 are an NCCI pair: billed the same day without a "
                               "distinct-service modifier, 97530 is denied.")
    assert "on 97530 (the column-2 code)" in finding.fix


# --------------------------------------------------------------------------- CD-DUPLICATE

@pytest.mark.parametrize("billing, expected", [
    pytest.param([bill("97110", 14, 1), bill("97112", 12, 1), bill("97110", 18, 1)], True,
                 id="CD-DUPLICATE-fires-97110-twice"),
    pytest.param([bill("97110", 32, 2), bill("97112", 12, 1)], False,
                 id="CD-DUPLICATE-silent-one-line-per-code"),
    pytest.param([bill("97110", 14, 1, "GP"), bill("97110", 18, 1, "GP", "59")], True,
                 id="CD-DUPLICATE-boundary-same-code-different-modifiers"),
])
def test_duplicate_table(billing, expected):
    assert fires("CD-DUPLICATE", _ctx(billing, payer="commercial")) is expected


def test_duplicate_fix_merges_minutes_and_units():
    [finding] = run_rule("CD-DUPLICATE", _ctx([bill("97110", 14, 1), bill("97112", 12, 1),
                                               bill("97110", 18, 1)], payer="commercial"))
    assert finding.fix == "Merge them into one line: 97110, 32 min, x2."
    assert [e.location for e in finding.evidence] == ["billing[0] 97110", "billing[2] 97110"]
