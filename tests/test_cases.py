import json

import pytest

from sidekick.cases import load_case, load_cases
from sidekick.errors import InputError


def test_dev_cases_load(dev_cases):
    assert len(dev_cases) >= 30
    assert all(c.gold is not None for c in dev_cases)


def test_assistant_credentials_are_normalised(dev_cases):
    creds = {c.visit.clinician.credential for c in dev_cases}
    assert creds <= {"PT", "PTA", "OT", "OTA", "SLP"}
    assert "OTA" in creds  # COTA in the case file


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["visit"].pop("payer"), "visit.payer: is missing"),
        (lambda d: d["visit"].__setitem__("date", "2025-13-45"), "visit.date:"),
        (lambda d: d["billing"][0].__setitem__("minutes", "ten"), "billing[0].minutes:"),
        (lambda d: d.__setitem__("colour", 1), "colour: is not a known field"),
    ],
    ids=["missing-payer", "bad-date", "text-minutes", "unknown-key"],
)
def test_malformed_case_names_file_and_field(tmp_path, dev_cases, mutate, expected):
    data = json.loads(dev_cases[0].model_dump_json())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, default=str))
    with pytest.raises(InputError) as err:
        load_case(path)
    assert str(err.value).startswith(f"{path}: {expected}")


def test_broken_json_is_one_line_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(InputError, match=r"broken.json: not valid JSON \(line 1"):
        load_case(path)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputError, match="holds no"):
        load_cases(tmp_path)
