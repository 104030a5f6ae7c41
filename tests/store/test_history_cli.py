"""``sidekick history``: import, list, export, verify."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sidekick.cli import main
from tests.conftest import DEV_CASES


def test_import_list_export_and_verify(tmp_path, dev_cases):
    db = str(tmp_path / "h.db")
    runner = CliRunner()
    first = runner.invoke(main, ["history", "import", str(DEV_CASES), "--db", db,
                                 "--no-draft-missing"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"imported {len(dev_cases)} visit(s), skipped 0 already stored")
    again = runner.invoke(main, ["history", "import", str(DEV_CASES), "--db", db])
    assert again.output.startswith(f"imported 0 visit(s), skipped {len(dev_cases)}")

    listed = runner.invoke(main, ["history", "list", "P-DEV-SHD-01", "--db", db, "--json"])
    assert [v["visit_id"] for v in json.loads(listed.output)] == [
        "dev-shdisl-r-v05", "dev-shdisl-r-v06", "dev-shdisl-r-v07"]

    out = tmp_path / "shd.json"
    exported = runner.invoke(main, ["history", "export", "P-DEV-SHD-01", "--db", db, "-o",
                                    str(out)])
    assert exported.exit_code == 0
    data = json.loads(out.read_text())
    assert data["patient"]["id"] == "P-DEV-SHD-01" and len(data["visits"]) == 3
    assert "gold" not in data["visits"][0]["record"]

    verified = runner.invoke(main, ["history", "verify", "--db", db])
    assert verified.output == f"event log intact: {len(dev_cases)} entries verify\n"


def test_export_of_an_unknown_patient_is_a_one_line_error(tmp_path):
    db = tmp_path / "h.db"
    result = CliRunner().invoke(main, ["history", "export", "P-NOPE", "--db", str(db)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {db}: patient P-NOPE is not in the history; see `sidekick history list`\n"
    )


def test_verify_reports_a_broken_chain_with_exit_1(tmp_path):
    from sidekick.store import open_store

    db = tmp_path / "h.db"
    with open_store(str(db)) as store:
        store.append_event("test", {"n": 1}, "tester")
        store.append_event("test", {"n": 2}, "tester")
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER events_no_update")
            conn.exec_driver_sql("UPDATE events SET actor = 'mallory' WHERE idx = 1")
    result = CliRunner().invoke(main, ["history", "verify", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output == (
        "event log BROKEN at entry 1: entry 1 was changed after it was written\n"
    )
