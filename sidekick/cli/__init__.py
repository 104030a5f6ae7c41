"""The ``sidekick`` command: parses arguments, calls the library, prints. The error boundary.

Each subcommand lives in its own module in this package (``check.py``, ``units.py``, ...)
and registers itself on ``main`` with ``@main.command()``.

Exit codes: 0 done and nothing blocks; 1 done, with blocking findings or failed items;
2 could not run (usage, input, configuration).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

import click

from sidekick.config import Settings
from sidekick.errors import SidekickError

COMMAND_MODULES = (
    "check", "units", "draft", "prompts", "transcribe", "run", "sign", "export",
    "audit", "history", "app",
)


class _Group(click.Group):
    """Prints ``Error: <message>`` for SidekickError instead of a traceback (unless --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SidekickError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    fmt = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=level, stream=sys.stderr, format=fmt)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="-v info, -vv debug (to stderr).")
@click.option("--debug", is_flag=True, help="Show tracebacks for every error.")
@click.version_option(package_name="sidekick")
@click.pass_context
def main(ctx: click.Context, verbose: int, debug: bool) -> None:
    """Sidekick: therapy session recording to a checked, compliant SOAP note."""
    _configure_logging(verbose)
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def get_settings(ctx: click.Context) -> Settings:
    """Settings, built once per invocation and shared by subcommands."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "settings" not in root.obj:
        try:
            root.obj["settings"] = Settings()
        except Exception as exc:  # pydantic ValidationError from a bad env var
            raise click.ClickException(f"bad setting: {exc}") from exc
    return root.obj["settings"]


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        full = f"{__name__}.{name}"
        if importlib.util.find_spec(full) is not None:
            importlib.import_module(full)


_load_commands()
