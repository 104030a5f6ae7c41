"""``sidekick check``: table and JSON output, exit codes, batch folders, one-line errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sidekick.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "visit-with-note.json"
DEV = REPO.parent / "shared" / "cases" / "dev"


def _run(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def _write(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def clean(sample: dict) -> dict:
    fixed = json.loads(json.dumps(sample))
    fixed["billing"][0]["units"] = 2
    return fixed


def test_sample_shows_its_billing_mistake_as_a_blocking_finding():
    result = _run(str(SAMPLE))
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith(f"{SAMPLE}: ")
    assert ("BLOCK (must be fixed before signing)\n"
            "  TU-UNITS  33 + 7 = 40 timed minutes = 3 units") in out
    assert "Bill 97110 x2, 97140 x1." in out
    assert "      evidence: billing[0] 97110: 97110 33 min x3 GP" in out
    assert "Units the payer's rule allows\n  Payer medicare: CMS 8-minute rule" in out


def test_json_output_has_findings_and_units(tmp_path: Path):
    result = _run(str(SAMPLE), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    [finding] = [f for f in data["findings"] if f["rule_id"] == "TU-UNITS"]
    assert set(finding) == {"rule_id", "severity", "message", "evidence", "fix"}
    assert finding["severity"] == "block"
    assert finding["evidence"][0] == {"where": "billing", "location": "billing[0] 97110",
                                      "text": "97110 33 min x3 GP"}
    assert data["units"]["units"] == {"97110": 2, "97140": 1}


def test_a_visit_with_correct_billing_has_no_billing_findings(tmp_path: Path, clean: dict):
    result = _run(str(_write(tmp_path, "clean.json", clean)), "--json")
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["rule_id"].startswith(("TU-", "CD-"))] == []
    blocking = [f for f in data["findings"] if f["severity"] == "block"]
    assert result.exit_code == (1 if blocking else 0)


def _bad(sample: dict, change) -> dict:
    change(sample)
    return sample


@pytest.mark.parametrize("change, field, problem", [
    (lambda d: d["billing"][1].update(cpt="97999"), "billing[1].cpt",
     "'97999' is not in the code table; use a code from sidekick/data/billing/codes.yaml"),
    (lambda d: d["billing"][0].update(minutes=-3), "billing[0].minutes",
     "-3 is negative; enter the minutes spent on 97110 (0 or more)"),
    (lambda d: d["visit"].update(payer="acme"), "visit.payer",
     "'acme' is not in the payer table; use one of auto, commercial, medicaid, medicare, "
     "medicare_advantage, self_pay, tricare, workers_comp, or add it to a payers file "
     "(SIDEKICK_PAYERS_FILE)"),
])
def test_bad_billing_is_one_line_naming_file_and_field(tmp_path, sample, change, field, problem):
    path = _write(tmp_path, "visit.json", _bad(sample, change))
    result = _run(str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: {field}: {problem}\n"


@pytest.mark.parametrize("change, field", [
    (lambda d: d["billing"][0].update(minutes="abc"), "billing[0].minutes"),
    (lambda d: d["visit"].update(date="14/03/2025"), "visit.date"),
    (lambda d: d["visit"].pop("payer"), "visit.payer"),
])
def test_malformed_fields_are_one_line_errors(tmp_path, sample, change, field):
    path = _write(tmp_path, "visit.json", _bad(sample, change))
    result = _run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: {field}: ")
    assert result.stderr.count("\n") == 1


def test_malformed_json_is_a_one_line_error(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",', encoding="utf-8")
    result = _run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: not valid JSON (line 1")


def test_batch_folder_reports_each_file_and_goes_on_after_a_bad_one(tmp_path, sample, clean):
    folder = tmp_path / "visits"
    folder.mkdir()
    _write(folder, "a-mistake.json", sample)
    _write(folder, "b-bad.json", _bad(json.loads(json.dumps(sample)),
                                       lambda d: d["billing"][1].update(cpt="97999")))
    _write(folder, "c-clean.json", clean | {"id": "clean"})
    result = _run(str(folder))
    assert result.exit_code == 1
    summary = result.stdout.rstrip().splitlines()[-1]
    assert re.fullmatch(r"3 files: [01] clear to sign, [12] with blocking findings, 1 failed",
                        summary)
    assert f"Error: {folder / 'b-bad.json'}: billing[1].cpt: " in result.stderr
    assert f"{folder / 'a-mistake.json'}: " in result.stdout
    assert f"{folder / 'c-clean.json'}: " in result.stdout
    assert result.stdout.count("TU-UNITS  ") == 1


def test_batch_json_is_a_list_with_file_names(tmp_path, sample):
    folder = tmp_path / "visits"
    folder.mkdir()
    _write(folder, "a.json", sample)
    _write(folder, "b.json", _bad(json.loads(json.dumps(sample)),
                                  lambda d: d["visit"].update(payer="acme")))
    data = json.loads(_run(str(folder), "--json").stdout)
    assert [item["file"] for item in data] == [str(folder / "a.json"), str(folder / "b.json")]
    assert data[1]["error"].startswith(f"{folder / 'b.json'}: visit.payer: 'acme'")


def test_empty_folder_is_an_input_error(tmp_path: Path):
    result = _run(str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}: holds no *.json files; pass a visit or case JSON\n"


def test_gold_case_uses_earlier_cases_in_its_folder(tmp_path: Path):
    if not DEV.is_dir():
        pytest.skip("shared/cases/dev is not beside the project")
    for name in ("dev-hipoa-r-v05.json", "dev-hipoa-r-v06.json"):
        shutil.copy(DEV / name, tmp_path / name)
    data = json.loads(_run(str(tmp_path / "dev-hipoa-r-v06.json"), "--json").stdout)
    assert "CL-PRIOR" in {f["rule_id"] for f in data["findings"]}
