"""``sidekick units``: units per code under the payer's 8-minute rule, with the arithmetic."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from sidekick.billing import BillingFieldError, compute_units, load_config
from sidekick.cli import get_settings, main
from sidekick.errors import InputError
from sidekick.models import BillingLine, Clinician, Visit

_TOKEN = re.compile(r"^(?P<code>[A-Za-z0-9]{5})(?:=(?P<minutes>.*))?$")
_CREDENTIAL = {"PT": "PT", "OT": "OT", "SLP": "SLP"}


def parse_token(token: str) -> BillingLine:
    """``97110=33`` -> a billing line; a bare code (``97162``) is an untimed line."""
    match = _TOKEN.match(token.strip())
    if match is None:
        raise InputError(f"{token}: not CODE=MINUTES; write e.g. 97110=33 (or a bare untimed "
                         "code such as 97162)")
    minutes = match["minutes"]
    if minutes is None:
        return BillingLine(cpt=match["code"], units=1)
    if not re.fullmatch(r"\d{1,4}", minutes.strip()):
        raise InputError(f"{token}: '{minutes}' is not a whole number of minutes (0 or more); "
                         f"write e.g. {match['code'].upper()}=33")
    return BillingLine(cpt=match["code"], minutes=int(minutes))


@main.command()
@click.argument("tokens", nargs=-1, required=True, metavar="CODE=MINUTES...")
@click.option("--payer", default="medicare", show_default=True,
              help="Payer from the payer table (its 8-minute rule: CMS or per code).")
@click.option("--discipline", type=click.Choice(["PT", "OT", "SLP"], case_sensitive=False),
              default="PT", show_default=True, help="The plan of care's discipline.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date of service (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def units(ctx: click.Context, tokens: tuple[str, ...], payer: str, discipline: str,
          date: dt.datetime | None, as_json: bool) -> None:
    """Units per code for the minutes of each code, under the payer's 8-minute rule.

    Example: sidekick units --payer medicare 97110=33 97140=7

    Prints the units per code and the arithmetic behind them: the total timed minutes, the
    units they allow, the whole 15-minute blocks per code, and which code got the leftover
    unit and why. A bare code (97162) is an untimed code billed once.
    """
    lines = [parse_token(t) for t in tokens]
    discipline = discipline.upper()
    visit = Visit(
        date=(date.date() if date else dt.date.today()),
        discipline=discipline,  # type: ignore[arg-type]
        payer=payer,
        clinician=Clinician(name="(units)", credential=_CREDENTIAL[discipline]),  # type: ignore[arg-type]
        session_minutes=None,
        ytd_therapy_amount_usd=None,
    )
    config = load_config(get_settings(ctx))
    try:
        result = compute_units(lines, visit, config)
    except BillingFieldError as exc:
        raise InputError(_token_message(exc, tokens)) from exc
    if as_json:
        click.echo(json.dumps(result.model_dump(), indent=2))
        return
    for line in result.explanation:
        click.echo(line)


def _token_message(exc: BillingFieldError, tokens: tuple[str, ...]) -> str:
    """Name the command-line token (or --payer) instead of the JSON field."""
    if exc.field == "visit.payer":
        return f"--payer: {exc.problem}"
    found = re.match(r"billing\[(\d+)\]", exc.field)
    where = tokens[int(found.group(1))] if found else exc.field
    return f"{where}: {exc.problem}"
