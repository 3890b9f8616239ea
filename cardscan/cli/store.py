"""The store: users, events, import, contacts, search, merge, backup and API tokens.

Imports are local to the commands, so ``cardscan scan`` does not load the store.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from cardscan.cli.common import _event_id, _store, json_option, user_option
from cardscan.cli.root import cli, get_settings


@cli.group(name="user")
def user_group() -> None:
    """Manage accounts.

    Example:

        cardscan user add ana
    """


def _password(from_stdin: bool, prompt: str) -> str:
    """A password: one line of standard input, or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))


@user_group.command(name="add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Create a user (asks for the password twice, or reads it from stdin).

    Example:

        echo 'a long password' | cardscan user add ana --password-stdin
    """
    user = _store(ctx).users.add(name, _password(password_stdin, "Password"))
    click.echo(f"Created user {user.name} (id {user.id}).")


@user_group.command(name="password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.pass_context
def user_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a user's password (asks twice, or reads it from stdin); logs the user out everywhere.

    Example:

        echo 'a new long password' | cardscan user password ana --password-stdin
    """
    store = _store(ctx)
    user = store.users.by_name(name)
    store.users.set_password(user.id, _password(password_stdin, "New password"))
    click.echo(f"Password of {user.name} changed; every session of {user.name} has ended.")


@cli.command(name="users")
@click.pass_context
def users_cmd(ctx: click.Context) -> None:
    """List the users.

    Example:

        cardscan users
    """
    for user in _store(ctx).users.all():
        click.echo(f"{user.id}\t{user.name}\t{user.created:%Y-%m-%d}")


@cli.group(name="event")
def event_group() -> None:
    """Manage events.

    Example:

        cardscan event add "Web Summit" --start 2026-11-10 --end 2026-11-13 --place Lisbon
    """


@event_group.command(name="add")
@click.argument("name")
@click.option("--start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD (default: the first day).")
@click.option("--place", help="Where it takes place.")
@user_option
@click.pass_context
def event_add(
    ctx: click.Context,
    name: str,
    start: str,
    end: str | None,
    place: str | None,
    user_name: str | None,
) -> None:
    """Create an event.

    Example:

        cardscan event add "Web Summit" --start 2026-11-10 --end 2026-11-13 --place Lisbon
    """
    store = _store(ctx)
    event = store.events.add(store.users.pick(user_name).id, name, start, end, place)
    click.echo(f"Created event {event.name} (id {event.id}, {event.start} to {event.end}).")


@cli.command(name="events")
@user_option
@click.pass_context
def events_cmd(ctx: click.Context, user_name: str | None) -> None:
    """List the events, the most recent first.

    Example:

        cardscan events
    """
    store = _store(ctx)
    for event in store.events.all(store.users.pick(user_name).id):
        place = f"\t{event.place}" if event.place else ""
        click.echo(f"{event.id}\t{event.name}\t{event.start} to {event.end}{place}")


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--event", "event_name", help="The event where the cards were collected.")
@user_option
@click.pass_context
def import_cmd(
    ctx: click.Context, paths: tuple[str, ...], event_name: str | None, user_name: str | None
) -> None:
    """Store card photos (files or folders), then read them all.

    Every photo is stored before any is read; running the same import again adds
    nothing and finishes whatever an interrupted run left.

    Example:

        cardscan import ~/Pictures/websummit --event "Web Summit"
    """
    from cardscan.jobs import import_photos

    settings = get_settings(ctx)
    store = _store(ctx)
    user = store.users.pick(user_name)
    event_id = _event_id(store, user.id, event_name)
    store.close()
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Reading cards", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        summary = import_photos(
            settings.data_dir, user.id, paths, settings, event_id=event_id, progress=progress
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    per_minute = 60 * summary.read_now / summary.seconds if summary.seconds else 0.0
    click.echo(
        f"{summary.files} photos: {summary.added} new, {summary.already} already stored."
        f" Read {summary.read}, failed {summary.failed}, waiting {summary.waiting},"
        f" likely duplicates {summary.duplicates}; {summary.seconds:.1f} s"
        f" ({summary.read_now} read in this run, {per_minute:.1f} cards/min)."
    )
    for name, error in summary.errors.items():
        click.echo(f"  failed: {name}: {error}")


@cli.command(name="contacts")
@click.option("--event", "event_name", help="Only the contacts met at this event.")
@json_option()
@user_option
@click.pass_context
def contacts_cmd(
    ctx: click.Context, event_name: str | None, as_json: bool, user_name: str | None
) -> None:
    """List contacts.

    Example:

        cardscan contacts --event "Web Summit" --json
    """
    from cardscan.store.rows import contact_dict

    store = _store(ctx)
    user = store.users.pick(user_name)
    event_id = _event_id(store, user.id, event_name)
    records = store.contacts.all(user.id, event_id=event_id)
    if as_json:
        click.echo(json.dumps([contact_dict(r) for r in records], ensure_ascii=False, indent=2))
        return
    for record in records:
        _echo_contact(record)


def _echo_contact(record: Any) -> None:
    """One line per contact: id, name, title, company, first e-mail and phone."""
    c = record.contact
    phone = (c.phones[0].e164 or c.phones[0].number) if c.phones else ""
    fields = [c.name or "?", c.title or "", c.company or "", c.emails[0] if c.emails else "", phone]
    click.echo(f"{record.id}\t" + "\t".join(fields))


@cli.command(name="search")
@click.argument("text")
@user_option
@click.pass_context
def search_cmd(ctx: click.Context, text: str, user_name: str | None) -> None:
    """Find contacts by name, company, title, e-mail, notes or reasons.

    Example:

        cardscan search "acme deck"
    """
    store = _store(ctx)
    for record in store.contacts.search(store.users.pick(user_name).id, text):
        _echo_contact(record)


@cli.command(name="merge")
@click.argument("keep_id", type=int)
@click.argument("other_id", type=int)
@user_option
@click.pass_context
def merge_cmd(ctx: click.Context, keep_id: int, other_id: int, user_name: str | None) -> None:
    """Merge contact OTHER_ID into KEEP_ID (undo with `cardscan unmerge OTHER_ID`).

    Example:

        cardscan merge 12 31
    """
    store = _store(ctx)
    record = store.duplicates.merge(store.users.pick(user_name).id, keep_id, other_id)
    click.echo(f"Merged {other_id} into {keep_id}:")
    _echo_contact(record)


@cli.command(name="unmerge")
@click.argument("merged_id", type=int)
@user_option
@click.pass_context
def unmerge_cmd(ctx: click.Context, merged_id: int, user_name: str | None) -> None:
    """Undo the merge of a contact: both are back as they were.

    Example:

        cardscan unmerge 31
    """
    store = _store(ctx)
    kept, restored = store.duplicates.unmerge(store.users.pick(user_name).id, merged_id)
    click.echo(f"Unmerged {restored.id} from {kept.id}:")
    _echo_contact(kept)
    _echo_contact(restored)


@cli.command(name="backup")
@click.argument("out", type=click.Path(file_okay=False))
@click.pass_context
def backup_cmd(ctx: click.Context, out: str) -> None:
    """Copy the database, photos, session secret and preferences into OUT, safely while the
    server runs. OUT is itself a data directory; `cardscan restore OUT` puts it back.

    Example:

        cardscan backup /mnt/usb/cardscan-2026-11-22
    """
    from pathlib import Path

    from cardscan.backup import backup_data_dir

    path = backup_data_dir(_store(ctx), get_settings(ctx).data_dir, Path(out))
    click.echo(f"Backed up to {path.parent}.")


@cli.command(name="restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--replace", is_flag=True, help="Move the current data aside (kept whole) and restore."
)
@click.pass_context
def restore_cmd(ctx: click.Context, backup: str, replace: bool) -> None:
    """Put a backup made by `cardscan backup` in place as the data directory (stop the
    server first). The backup is checked before anything is touched.

    Example:

        cardscan --data ~/.local/share/cardscan restore /mnt/usb/cardscan-2026-11-22 --replace
    """
    from pathlib import Path

    from cardscan.backup import restore_data_dir

    data_dir = get_settings(ctx).data_dir
    moved = restore_data_dir(Path(backup), data_dir, replace=replace)
    if moved is not None:
        click.echo(f"The data that was there is kept in {moved}.")
    click.echo(f"Restored {backup} into {data_dir}.")


@cli.group(name="token")
def token_group() -> None:
    """API tokens for scripts (sent as ``Authorization: Bearer TOKEN``)."""


@token_group.command(name="create")
@click.argument("name")
@click.option("--user", help="Whose token (needed when there are several users).")
@click.pass_context
def token_create(ctx: click.Context, name: str, user: str | None) -> None:
    """Create an API token called NAME and print its secret (shown only once).

    Example:

        cardscan token create scanner --user ana
    """
    store = _store(ctx)
    click.echo(store.users.create_api_token(store.users.pick(user).id, name))


@token_group.command(name="list")
@click.option("--user", help="Whose tokens (needed when there are several users).")
@click.pass_context
def token_list(ctx: click.Context, user: str | None) -> None:
    """List API tokens (never their secrets).

    Example:

        cardscan token list --user ana
    """
    store = _store(ctx)
    for row in store.users.api_tokens(store.users.pick(user).id):
        state = f"revoked {row['revoked']}" if row["revoked"] else "active"
        click.echo(f"{row['id']}\t{row['label']}\t{row['created']}\t{state}")


@token_group.command(name="revoke")
@click.argument("token_id", type=int)
@click.option("--user", help="Whose token (needed when there are several users).")
@click.pass_context
def token_revoke(ctx: click.Context, token_id: int, user: str | None) -> None:
    """Revoke the API token with this id (see `cardscan token list`).

    Example:

        cardscan token revoke 3 --user ana
    """
    store = _store(ctx)
    store.users.revoke_api_token(store.users.pick(user).id, token_id)
    click.echo(f"Token {token_id} revoked.")
