"""``sidekick prompts list | show ID``: the prompt versions on disk."""

from __future__ import annotations

import click

from sidekick.cli import get_settings, main
from sidekick.prompts import list_prompts, load_prompt


@main.group()
def prompts() -> None:
    """The drafting prompt versions on disk (prompts/<name>/vN.yaml)."""


@prompts.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """List every prompt version with its hash and what changed."""
    settings = get_settings(ctx)
    found = list_prompts(settings.prompts_dir)
    if not found:
        click.echo(f"no prompts in {settings.prompts_dir}")
        return
    for prompt in found:
        changes = " ".join(prompt.file.changes.split())
        marker = "*" if prompt.spec == settings.draft_prompt else " "
        click.echo(f"{marker} {prompt.spec:<20} {prompt.hash}  {changes}")


@prompts.command("show")
@click.argument("prompt_id")
@click.pass_context
def show_cmd(ctx: click.Context, prompt_id: str) -> None:
    """Show one prompt version (ID like draft_soap/v1; a bare name means the latest)."""
    settings = get_settings(ctx)
    prompt = load_prompt(prompt_id, settings.prompts_dir)
    click.echo(f"# {prompt.spec}  hash {prompt.hash}  ({prompt.path})")
    click.echo(prompt.path.read_text(encoding="utf-8").rstrip())
    if prompt.file.examples:
        click.echo(f"\n# examples: {prompt.file.examples}")
        click.echo(prompt.examples_text.rstrip())
