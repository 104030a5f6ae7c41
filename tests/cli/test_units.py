"""``sidekick units``: the arithmetic block, JSON, and one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sidekick.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, ["units", *args])


def test_units_prints_the_arithmetic_for_the_cms_example():
    result = _run("--payer", "medicare", "97110=33", "97140=7")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Payer medicare: CMS 8-minute rule on the total of timed minutes",
        "Total timed minutes: 97110 33 + 97140 7 = 40",
        "40 timed minutes = 3 units under the 8-minute rule (floor((40 + 7) / 15); "
        "8-22 min = 1, 23-37 = 2, 38-52 = 3, ...)",
        "Whole 15-minute units: 97110 2 (3 min left over), 97140 0 (7 min left over) = 2",
        "1 unit left to give: to the code(s) with the most minutes left over: "
        "97140 (7 min) over 97110 (3 min)",
        "Units: 97110 x2, 97140 x1 (total 3 timed)",
    ]


def test_units_per_code_payer_counts_each_code_alone():
    result = _run("--payer", "commercial", "97110=33", "97140=7", "97162")
    assert result.exit_code == 0
    assert "97140: 7 min = 0 units (under 8 minutes)" in result.stdout
    assert "97162: untimed (service-based) = 1 unit" in result.stdout


def test_units_json_is_the_units_result():
    result = _run("--json", "--payer", "medicare", "97112=24", "97110=23")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["units"] == {"97112": 2, "97110": 1}
    assert (data["method"], data["total_timed_minutes"], data["total_units"]) == ("cms", 47, 3)


@pytest.mark.parametrize("args, message", [
    (["97110=abc"], "Error: 97110=abc: 'abc' is not a whole number of minutes (0 or more); "
                    "write e.g. 97110=33\n"),
    (["97110="], "Error: 97110=: '' is not a whole number of minutes (0 or more); "
                 "write e.g. 97110=33\n"),
    (["97110:33"], "Error: 97110:33: not CODE=MINUTES; write e.g. 97110=33 (or a bare untimed "
                   "code such as 97162)\n"),
    (["97999=10"], "Error: 97999=10: '97999' is not in the code table; use a code from "
                   "sidekick/data/billing/codes.yaml\n"),
])
def test_bad_tokens_are_one_line_errors(args, message):
    result = _run(*args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_unknown_payer_is_a_one_line_error():
    result = _run("--payer", "acme", "97110=33")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --payer: 'acme' is not in the payer table; use one "
                                    "of ")
    assert result.stderr.count("\n") == 1
