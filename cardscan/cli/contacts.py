"""Contacts and their reasons: when (dates in words), contact delete.

Imports are local to the commands, so other commands stay light.
"""

from __future__ import annotations

from typing import Any

import click

from cardscan.cli.common import _store, user_option
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


@cli.group(name="contact")
def contact_group() -> None:
    """Manage one contact."""


def _deletion_lines(gone: Any) -> list[str]:
    """What a deletion removes, one item a line."""
    merged = len(gone.contact_ids) - 1
    lines = [
        f"{len(gone.cards)} card(s), {gone.photos} photo file(s) no other card uses",
        f"{gone.touches} follow-up(s) ({gone.open_touches} open: they leave the calendar)",
        f"{gone.reasons} reason(s), {gone.important_dates} important date(s),"
        f" {gone.corrections} correction(s), {gone.meetings} meeting(s)",
    ]
    if gone.notes:
        lines.append("its notes")
    if merged:
        lines.append(f"{merged} contact(s) merged into it")
    return lines


@contact_group.command(name="delete")
@click.argument("contact_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@user_option
@click.pass_context
def contact_delete_cmd(
    ctx: click.Context, contact_id: int, yes: bool, user_name: str | None
) -> None:
    """Delete a contact for good: its cards' photos, follow-ups, reasons, notes, search entries.

    Nothing of it stays readable in the database file. Events stay.

    Example:

        cardscan contact delete 12 --yes
    """
    store = _store(ctx)
    user = store.users.pick(user_name)
    record = store.contacts.get(user.id, contact_id)
    name = record.contact.name or record.contact.company or f"contact {contact_id}"
    if not yes:
        plan = store.deletions.contact_deletion(user.id, contact_id)
        click.echo(f"Deleting {name} removes:")
        for line in _deletion_lines(plan):
            click.echo(f"  {line}")
        click.confirm("Delete for good?", abort=True)
    gone = store.deletions.delete_contact(user.id, contact_id)
    click.echo(f"Deleted {name}: " + "; ".join(_deletion_lines(gone)) + ".")
