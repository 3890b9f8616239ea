"""Contacts and their reasons: when (dates in words), contact delete.

Imports are local to the commands, so other commands stay light.
"""

from __future__ import annotations

from typing import Any

import click

from cardscan.cli.root import cli


def _today() -> Any:
    from datetime import date

    return date.today()


@cli.command(name="when")
@click.argument("text")
@click.option("--from", "from_day", help="Count from this day (YYYY-MM-DD; default today).")
def when_cmd(text: str, from_day: str | None) -> None:
    """Show the date a reason's words name, as the app will plan it.

    Seven languages are read (English, German, French, Spanish, Portuguese, Italian, Dutch);
    text with no date in it stays a plain reason.

    Example:

        cardscan when "coffee in March"
    """
    from datetime import date

    from cardscan.followups import day_label, find_when

    try:
        reference = date.fromisoformat(from_day) if from_day else _today()
    except ValueError as e:
        raise click.BadParameter(
            f"{from_day!r} is not a date: write it as YYYY-MM-DD.", param_hint="--from"
        ) from e
    found = find_when(text, reference)
    if found is None:
        click.echo("No date in these words: a plain reason.")
        return
    language = f", {found.language}" if found.language else ""
    click.echo(
        f"→ {day_label(found.day, _today())} ({found.day.isoformat()};"
        f" from “{found.phrase}”{language})"
    )
