"""The billing tables: built-in data, a clinic's payer file, CMS's PTP file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sidekick.billing import builtin_config, load_cms_ptp_file, load_config
from sidekick.config import Settings
from sidekick.errors import ConfigError

D = dt.date(2025, 6, 1)


def _settings(**kw) -> Settings:
    return Settings(_env_file=None, openai_api_key=None, llm_base_url=None, **kw)


def test_builtin_payers_follow_the_reference():
    config = builtin_config()
    assert config.payer("medicare")[1].method == "cms"
    assert config.payer("commercial")[1].method == "per_code"
    for payer in ("medicaid", "medicare_advantage", "tricare"):
        assert config.payer(payer)[1].method == "cms"


def test_payer_names_are_matched_loosely_and_through_aliases():
    config = builtin_config()
    assert config.payer_key("Medicare Advantage") == "medicare_advantage"
    assert config.payer_key("Medicare-Part-B") == "medicare"
    assert config.payer_key("acme") is None
    assert config.payer_key("Aetna") == "commercial"


@pytest.mark.parametrize("date, threshold", [
    (dt.date(2023, 5, 1), 2230), (dt.date(2024, 5, 1), 2330), (dt.date(2025, 5, 1), 2410),
    (dt.date(2026, 5, 1), 2480),
])
def test_kx_threshold_is_picked_by_the_year_of_service(date, threshold):
    assert builtin_config().kx_threshold(date) == (date.year, threshold)


def test_code_table_knows_timed_and_untimed_codes():
    config = builtin_config()
    assert config.is_timed("97110") and config.is_timed("97035")
    assert not config.is_timed("97161") and not config.is_timed("97150")


def test_builtin_ncci_pairs_carry_column_order_and_indicator():
    config = builtin_config()
    edit = config.ncci_edit("97530", "97140", D)
    assert (edit.column_1, edit.column_2, edit.modifier_indicator, edit.order_known) == (
        "97140", "97530", "1", True)
    assert config.ncci_edit("97110", "97140", D) is None


def test_a_clinics_payer_file_replaces_the_table(tmp_path: Path):
    payers = tmp_path / "payers.yaml"
    payers.write_text("payers:\n  commercial: {method: cms}\n  acme_health: {method: per_code}\n"
                      "aliases:\n  acme: acme_health\n", encoding="utf-8")
    config = load_config(_settings(payers_file=payers))
    assert config.payer("commercial")[1].method == "cms"
    assert config.payer("acme")[0] == "acme_health"
    assert config.payer_key("medicare") is None


def test_a_malformed_payer_file_is_a_config_error_naming_it(tmp_path: Path):
    payers = tmp_path / "payers.yaml"
    payers.write_text("payers:\n  commercial: {method: hourly}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(_settings(payers_file=payers))
    assert str(info.value).startswith(f"{payers}: payers.commercial.method: ")


CMS_CSV = """Column1/Column 2 Edits,,,,,,
"CPT codes, descriptions and other data only are copyright AMA",,,,,,
Column 1,Column 2,"* = In existence prior to 1996",Effective Date,Deletion Date *=no data,\
"Modifier 0=not allowed 1=allowed 9=not applicable",PTP Edit Rationale
97140,97530,,20200101,*,1,Mutually exclusive procedures
97110,97530,,20240101,20250101,1,Misuse of column two code
97112,97140,,20250401,*,0,Standards of medical practice
97110,97112,,20200101,*,9,Deleted
99213,97110,,20200101,*,1,Not a therapy pair
"""


def test_cms_ptp_csv_is_read_by_its_column_layout(tmp_path: Path):
    path = tmp_path / "ptp.csv"
    path.write_text(CMS_CSV, encoding="utf-8")
    table = load_cms_ptp_file(path, keep=set(builtin_config().codes))
    assert len(table) == 4  # 99213 is not a therapy code
    assert table.edit("97530", "97140", D).column_2 == "97530"
    assert table.edit("97110", "97530", dt.date(2024, 6, 1)) is not None
    assert table.edit("97110", "97530", D) is None  # deleted 2025-01-01
    assert table.edit("97112", "97140", D).modifier_indicator == "0"
    assert table.edit("97112", "97140", dt.date(2025, 3, 1)) is None  # not yet effective
    assert table.edit("97110", "97112", D) is None  # indicator 9


def test_cms_ptp_tab_separated_text_without_header(tmp_path: Path):
    path = tmp_path / "ptp.txt"
    path.write_text("97140\t97530\t\t20200101\t*\t1\tMutually exclusive\n", encoding="utf-8")
    assert load_cms_ptp_file(path).edit("97140", "97530", D).modifier_indicator == "1"


def test_settings_ncci_file_replaces_the_builtin_pairs(tmp_path: Path):
    path = tmp_path / "ptp.csv"
    path.write_text(CMS_CSV, encoding="utf-8")
    config = load_config(_settings(ncci_file=path))
    assert config.ncci_edit("97530", "97116", D) is None  # built-in only
    assert config.ncci_edit("97112", "97140", D) is not None


def test_a_bad_modifier_indicator_names_file_and_line(tmp_path: Path):
    path = tmp_path / "ptp.csv"
    path.write_text("97140,97530,,20200101,*,7,x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_cms_ptp_file(path)
    assert str(info.value) == f"{path}: line 1: modifier indicator '7' must be 0, 1 or 9"
