"""``python -m eval``: run the evaluation on a folder of gold cases, or compare two runs.

Usage::

    python -m eval CASES_DIR [--drafter NAME] [--prompt ID] [--model NAME] [--audio]
                   [--workers N] [--limit N] [--fail-under METRIC=VALUE ...]
                   [--fail-over METRIC=VALUE ...] -o OUT
    python -m eval compare OUT_A OUT_B [-o FILE]

Exit codes: 0 done (and every floor held); 1 done, but a floor was broken or cases failed;
2 could not run (bad folder, malformed case, bad option).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from sidekick.errors import ConfigError, InputError, SidekickError


class _Command(click.Command):
    """Prints ``Error: <message>`` for SidekickError and exits 2, as the sidekick CLI does."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SidekickError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )


def _settings(drafter: str | None, prompt: str | None, model: str | None) -> Any:
    from pydantic import ValidationError

    from sidekick.config import Settings

    updates: dict[str, Any] = {}
    if drafter:
        updates["drafter"] = drafter
    if prompt:
        updates["draft_prompt"] = prompt
    if model:
        updates["draft_model"] = model
        updates["llm_model"] = model
    try:
        return Settings().model_copy(update=updates)
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
        raise ConfigError(f"bad setting: {problem}; check the SIDEKICK_* variables") from exc


def _echo_summary(report: dict[str, Any], paths: Sequence[Path]) -> None:
    from eval.report import fmt, summary_rows

    header, rows = summary_rows(report)
    click.echo(" | ".join(header))
    for row in rows:
        click.echo(" | ".join([row[0]] + [fmt(v) for v in row[1:]]))
    for path in paths:
        click.echo(f"wrote {path}")


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("cases_dir", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path),
              help="Folder for report.json, report.md and report.html.")
@click.option("--drafter", help="Drafter for drafting cases: offline, llm or local.")
@click.option("--prompt", help="Prompt id and version, e.g. draft_soap/v1.")
@click.option("--model", help="Model name for an LLM drafter.")
@click.option("--audio", is_flag=True,
              help="Also speak each transcript, transcribe it and score the result.")
@click.option("--audio-cache", type=click.Path(path_type=Path),
              help="Where synthesized speech is cached (default OUT/audio-cache).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Cases run in parallel (default: 2, or fewer CPUs).")
@click.option("--limit", type=click.IntRange(min=1), help="Run only the first N cases.")
@click.option("--fail-under", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC (dotted path in report.json) is below VALUE.")
@click.option("--fail-over", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC is above VALUE (for rates where lower is better).")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@click.option("-v", "--verbose", count=True, help="-v info, -vv debug (to stderr).")
@click.option("--debug", is_flag=True,
              help="Run cases one by one; stop at the first failing case, with traceback.")
def run_command(
    cases_dir: Path, out: Path, drafter: str | None, prompt: str | None, model: str | None,
    audio: bool, audio_cache: Path | None, workers: int | None, limit: int | None,
    fail_under: tuple[str, ...], fail_over: tuple[str, ...], no_progress: bool,
    verbose: int, debug: bool,
) -> None:
    """Run the pipeline on every case in CASES_DIR, score it, and write the reports to OUT.

    OUT gets report.json, report.md and report.html. To compare two runs:
    python -m eval compare OUT_A OUT_B (see python -m eval compare --help).
    """
    from eval.facts import default_scorer
    from eval.floors import check_floors, parse_floors
    from eval.harness import evaluate
    from eval.report import write_reports

    _configure_logging(verbose)
    floors = parse_floors(fail_under, fail_over)
    settings = _settings(drafter, prompt, model)
    workers = 1 if debug else workers or min(2, os.cpu_count() or 1)
    scorer = default_scorer()
    report, cases, index = evaluate(
        cases_dir, settings, drafter_name=settings.drafter, scorer=scorer, workers=workers,
        limit=limit, progress=not no_progress, debug=debug,
    )
    if audio:
        from eval.audio import evaluate_audio

        report["audio"] = evaluate_audio(
            cases, index, settings, cache_dir=audio_cache or out / "audio-cache", scorer=scorer,
            drafter_name=settings.drafter, workers=workers, progress=not no_progress, debug=debug,
        )
    paths = write_reports(report, out)
    _echo_summary(report, paths)
    broken = check_floors(report, floors)
    for line in broken:
        click.echo(f"floor broken: {line}", err=True)
    failed = report.get("failed_cases", 0) + report.get("audio", {}).get("failed_cases", 0)
    if failed:
        click.echo(f"{failed} case(s) failed; see per_case[].failed in {out / 'report.json'}",
                   err=True)
    if broken or failed:
        click.get_current_context().exit(1)


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out_a", type=click.Path(path_type=Path))
@click.argument("out_b", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(path_type=Path),
              help="Where to write the comparison (.md, or .json for data; default "
                   "OUT_B/compare.md).")
@click.option("--debug", is_flag=True, help="Show tracebacks for every error.")
def compare_command(out_a: Path, out_b: Path, out: Path | None, debug: bool) -> None:
    """Compare two runs side by side: every metric with its delta, and the cases that changed."""
    from eval.compare import compare_reports, render_comparison
    from eval.report import load_report

    a, b = load_report(out_a), load_report(out_b)
    cmp = compare_reports(a, b)
    text = render_comparison(cmp, str(out_a), str(out_b))
    click.echo(text, nl=False)
    target = out or (Path(out_b) / "compare.md" if Path(out_b).is_dir() else Path("compare.md"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(cmp, indent=2) + "\n" if target.suffix == ".json" else text
        target.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{target}: cannot be written ({exc.strerror}); pick another -o") from exc
    click.echo(f"wrote {target}", err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Dispatch: ``compare OUT_A OUT_B`` compares; anything else runs the evaluation."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "compare":
        compare_command.main(args[1:], prog_name="python -m eval compare")
    else:
        run_command.main(args, prog_name="python -m eval")


if __name__ == "__main__":
    main()
