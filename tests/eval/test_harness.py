"""The harness: scoring rules of shared/cases/README.md, failures, parallel runs, CLI, floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from eval_fakes import (
    case_data,
    fake_task,
    finding,
    perfect_task,
    write_cases,
    write_prompt,
)

from eval import harness
from eval.__main__ import run_command
from eval.facts import FallbackScorer, default_scorer
from eval.harness import evaluate
from eval.report import render_markdown
from sidekick.models import Exercise


def _run(tmp_path: Path, settings, cases: list[dict], task, **kwargs) -> dict:
    folder = write_cases(tmp_path / "cases", cases)
    report, _, _ = evaluate(folder, settings, task=task, scorer=FallbackScorer(),
                            progress=False, **kwargs)
    return report


def test_perfect_pipeline_scores_one_everywhere(tmp_path, settings):
    cases = [case_data("a-note", note="Subjective: fine", findings=["MN-PLAN"]),
             case_data("b-draft", findings=["TU-UNITS"])]
    report = _run(tmp_path, settings, cases, fake_task())
    assert report["cases"] == 2
    assert report["exercises"]["f1"] == 1.0
    assert report["dose_accuracy"] == 1.0
    assert report["measures"]["f1"] == 1.0
    assert report["units_accuracy"] == 1.0
    assert report["findings"]["micro"]["f1"] == 1.0
    assert report["findings"]["per_rule"]["TU-UNITS"]["tp"] == 1
    assert report["hallucination_rate"] == 0.0
    assert report["sign_ready_rate"] == 1.0
    assert report["per_case"][0]["errors"] == []


@pytest.mark.parametrize("scorer", [FallbackScorer(), default_scorer()],
                         ids=["fallback", "eval.scoring"])
def test_wrong_dose_and_missed_exercise_are_named_in_the_case(tmp_path, settings, scorer):
    def edit(case, note):
        slide = note.exercises[0].model_copy(update={"sets": 2})
        return note.model_copy(update={"exercises": [slide, Exercise(name="bridge")]})

    folder = write_cases(tmp_path / "cases", [case_data("c1")])
    report, _, _ = evaluate(folder, settings, task=fake_task(edit=edit), scorer=scorer,
                            progress=False)
    case = report["per_case"][0]
    assert report["exercises"]["precision"] == 0.5
    assert report["exercises"]["recall"] == 0.5
    assert report["dose_accuracy"] == 0.0
    assert "exercise: straight leg raise" in case["missed"]
    assert "exercise: bridge" in case["extra"]
    assert "heel slide: sets 2 != gold 3" in case["errors"]


def test_drafting_case_counts_only_tu_and_cd_findings(tmp_path, settings):
    def found(case):
        return [finding("TU-UNITS"), finding("MN-PLAN", "warn")]

    cases = [case_data("d1", findings=["TU-UNITS", "MN-GOALS"])]
    report = _run(tmp_path, settings, cases, fake_task(findings=found))
    assert report["per_case"][0]["findings"]["tp"] == ["TU-UNITS"]
    assert report["per_case"][0]["findings"]["fp"] == []
    assert report["per_case"][0]["findings"]["fn"] == []
    assert report["sign_ready_rate"] == 1.0


def test_note_case_counts_every_rule_id(tmp_path, settings):
    def found(case):
        return [finding("MN-PLAN", "warn")]

    cases = [case_data("n1", note="Subjective: x", findings=["MN-GOALS"])]
    report = _run(tmp_path, settings, cases, fake_task(findings=found))
    assert report["findings"]["per_rule"]["MN-PLAN"]["fp"] == 1
    assert report["findings"]["per_rule"]["MN-GOALS"]["fn"] == 1
    # a rule never expected has no recall; one never raised has no precision
    assert report["findings"]["per_rule"]["MN-PLAN"]["precision"] == 0.0
    assert report["findings"]["per_rule"]["MN-PLAN"]["recall"] is None
    assert report["findings"]["per_rule"]["MN-GOALS"]["precision"] is None
    assert report["findings"]["per_rule"]["MN-GOALS"]["recall"] == 0.0
    assert report["per_case"][0]["sign_ready"] is None


def test_unsupported_claim_in_a_drafted_note_is_a_hallucination_and_blocks_sign_off(
    tmp_path, settings
):
    def found(case):
        return [finding("GR-UNSUPPORTED")] if case.id == "h1" else []

    report = _run(tmp_path, settings, [case_data("h1"), case_data("h2")], fake_task(findings=found))
    assert report["hallucination_rate"] == 0.5
    assert report["sign_ready_rate"] == 0.5
    assert report["per_case"][0]["hallucination"] is True
    assert report["per_case"][0]["blocking"] == ["GR-UNSUPPORTED"]
    assert "not sign-ready: GR-UNSUPPORTED" in report["per_case"][0]["errors"]


def test_units_are_right_only_when_every_code_matches(tmp_path, settings):
    def units(case):
        return {"97110": 2, "97140": 1} if case.id == "u1" else {"97110": 2}

    report = _run(tmp_path, settings, [case_data("u1"), case_data("u2")], fake_task(units=units))
    assert report["units_accuracy"] == 0.5
    assert report["per_case"][0]["units"]["correct"] is False


def test_a_failing_case_is_recorded_and_the_run_goes_on(tmp_path, settings):
    good = fake_task()

    def task(case, index, settings, drafter_name):
        if case.id == "bad":
            raise RuntimeError("boom")
        return good(case, index, settings, drafter_name)

    report = _run(tmp_path, settings, [case_data("bad"), case_data("good")], task)
    assert report["failed_cases"] == 1
    assert report["per_case"][0]["failed"] == "RuntimeError: boom"
    assert report["per_case"][0]["errors"][0] == "failed: RuntimeError: boom"
    assert report["exercises"]["recall"] == 0.5
    assert report["per_case"][1]["failed"] is None


def test_threaded_run_gives_the_serial_report(tmp_path, settings):
    cases = [case_data(f"t{i}", findings=["CD-KX"] if i % 2 else []) for i in range(6)]
    folder = write_cases(tmp_path / "cases", cases)
    serial, _, _ = evaluate(folder, settings, task=fake_task(), progress=False, workers=1)
    cases_loaded = harness.load_cases(folder)
    threaded = harness.run_cases(
        cases_loaded, settings, task=fake_task(), workers=3, executor="thread", progress=False,
    )
    scored = harness.score_runs(cases_loaded, threaded, FallbackScorer())
    assert [c["id"] for c in scored["per_case"]] == [c["id"] for c in serial["per_case"]]
    assert scored["findings"] == serial["findings"]
    assert scored["exercises"] == serial["exercises"]


def test_report_records_provenance_of_prompt_rules_and_code(tmp_path, settings):
    write_prompt(tmp_path / "prompts", 7)
    settings = settings.model_copy(update={"prompts_dir": tmp_path / "prompts",
                                           "draft_prompt": "draft_soap/v7"})
    report = _run(tmp_path, settings, [case_data("p1")], fake_task())
    assert report["prompt"] == "draft_soap/v7"
    assert report["prompt_version"] == "v7"
    assert len(report["prompt_hash"]) == 12
    assert report["drafter"] == "offline"
    assert report["model"] is None
    assert report["rule_set_version"]
    assert report["code_version"]
    assert report["notes"]["prompt_hashes"] == ["abc123"]


def test_process_pool_run_gives_the_serial_report(tmp_path, settings):
    cases = [case_data(f"p{i}", findings=["CD-KX"] if i % 2 else []) for i in range(3)]
    folder = write_cases(tmp_path / "cases", cases)
    serial, _, _ = evaluate(folder, settings, task=perfect_task, progress=False, workers=1)
    pooled, _, _ = evaluate(folder, settings, task=perfect_task, progress=False, workers=2)
    assert pooled["per_case"] == serial["per_case"]


def test_offline_drafter_runs_in_processes_and_llm_drafters_in_threads():
    assert harness.executor_kind("offline") == "process"
    assert harness.executor_kind("llm") == "thread"
    assert harness.executor_kind("local") == "thread"


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def fake_pipeline(monkeypatch):
    monkeypatch.setattr(harness, "pipeline_task", fake_task())


def _invoke(*args: str):
    return CliRunner().invoke(run_command, ["--no-progress", "--workers", "1", *args])


def test_cli_writes_json_markdown_and_html_reports(tmp_path, fake_pipeline):
    folder = write_cases(tmp_path / "cases", [case_data("x1", findings=["CD-KX"])])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["findings"]["per_rule"]["CD-KX"]["tp"] == 1
    assert "| exercises.f1 | 1.000 |" in (tmp_path / "out" / "report.md").read_text()
    page = (tmp_path / "out" / "report.html").read_text()
    assert page.count("<svg") == 3
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_cli_rejects_a_path_that_is_not_a_folder(tmp_path):
    result = _invoke(str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'nope'}: not a folder of cases; pass a directory of case JSON files\n"
    )


def test_cli_names_file_and_field_of_a_malformed_case(tmp_path):
    data = case_data("m1")
    del data["visit"]["payer"]
    folder = write_cases(tmp_path / "cases", [data])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {folder / 'm1.json'}: visit.payer: is missing")


def test_broken_floor_exits_1_and_says_which(tmp_path, fake_pipeline, monkeypatch):
    monkeypatch.setattr(harness, "pipeline_task", fake_task(units=lambda c: {"97110": 9}))
    folder = write_cases(tmp_path / "cases", [case_data("f1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"),
                     "--fail-under", "units_accuracy=0.9", "--fail-under", "exercises.f1=0.9")
    assert result.exit_code == 1
    assert "floor broken: units_accuracy = 0.000 is below the floor 0.9\n" in result.stderr
    assert "exercises.f1" not in result.stderr
    assert (tmp_path / "out" / "report.json").exists()


def test_ceiling_on_a_lower_is_better_rate(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "pipeline_task",
                        fake_task(findings=lambda c: [finding("GR-UNSUPPORTED")]))
    folder = write_cases(tmp_path / "cases", [case_data("g1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"),
                     "--fail-over", "hallucination_rate=0.2")
    assert result.exit_code == 1
    assert "floor broken: hallucination_rate = 1.000 is above the ceiling 0.2\n" in result.stderr


def test_floors_that_hold_exit_0(tmp_path, fake_pipeline):
    folder = write_cases(tmp_path / "cases", [case_data("ok1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"), "--fail-under",
                     "findings.micro.f1=0.99", "--fail-over", "hallucination_rate=0")
    assert result.exit_code == 0, result.stderr


def test_malformed_floor_is_a_usage_error(tmp_path):
    result = _invoke(str(tmp_path), "-o", str(tmp_path / "out"), "--fail-under", "exercises.f1")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --fail-under exercises.f1: expected METRIC=VALUE, e.g. exercises.f1=0.85\n"
    )


def test_floor_on_an_unknown_metric_is_an_error_after_the_reports_are_written(
    tmp_path, fake_pipeline
):
    folder = write_cases(tmp_path / "cases", [case_data("k1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"), "--fail-under", "exercise.f1=0.5")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --fail-under exercise.f1=0.5: no metric 'exercise.f1' in report.json; "
        "use a dotted path such as exercises.f1 or findings.micro.f1\n"
    )
    assert (tmp_path / "out" / "report.json").exists()


def test_unknown_prompt_version_stops_before_any_case_runs(tmp_path, fake_pipeline):
    folder = write_cases(tmp_path / "cases", [case_data("q1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"), "--prompt", "draft_soap/v99")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown prompt version 'draft_soap/v99'; available: ")
    assert not (tmp_path / "out").exists()


def test_unknown_drafter_stops_before_any_case_runs(tmp_path, settings):
    folder = write_cases(tmp_path / "cases", [case_data("z1")])
    result = _invoke(str(folder), "-o", str(tmp_path / "out"), "--drafter", "magic")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown drafter 'magic'; use one of: offline, llm, local\n"
    assert not (tmp_path / "out").exists()


def test_local_drafter_runs_one_case_at_a_time(settings):
    assert harness.drafter_parallel_safe(settings, "local") is False
    assert harness.drafter_parallel_safe(settings, "offline") is True


def test_llm_fallback_is_counted_and_shown_per_case(tmp_path, settings):
    inner = fake_task()

    def task(case, index, settings, drafter_name):
        run = inner(case, index, settings, drafter_name)
        run.drafter, run.fallback_reason = "offline", "the LLM did not answer within 120 s"
        return run

    report = _run(tmp_path, settings, [case_data("fb1")], task)
    assert report["drafting"]["fallbacks"] == 1
    text = render_markdown(report)
    assert "| drafting.fallbacks | 1 |" in text
    assert "| offline fallback |" in text
    assert "drafter fell back to offline: the LLM did not answer within 120 s" in text
