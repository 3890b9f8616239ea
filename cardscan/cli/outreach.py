"""Follow-ups that reach the user: ``draft``, ``undo``, ``digest send``, ``user email``.

Imports are local to the commands, so other commands stay light.
"""

from __future__ import annotations

import json

import click

from cardscan.cli.common import _store, json_option, user_option
from cardscan.cli.root import cli, get_settings
from cardscan.cli.store import user_group


@cli.command(name="draft")
@click.argument("touch_id", type=int)
@click.option("--mailto", is_flag=True, help="Print the mailto: link instead.")
@json_option("Print JSON (to, subject, body, mailto).")
@user_option
@click.pass_context
def draft_cmd(
    ctx: click.Context, touch_id: int, mailto: bool, as_json: bool, user_name: str | None
) -> None:
    """Print the drafted message for a follow-up (the same the Today view opens).

    Example:

        cardscan draft 12
    """
    from cardscan.followups import FollowUps
    from cardscan.outreach import as_text, local_today, touch_draft

    store = _store(ctx)
    user = store.users.pick(user_name)
    draft = touch_draft(FollowUps(store, user.id, local_today(store, user.id)), touch_id)
    if as_json:
        fields = {"kind": draft.kind, "to": draft.to, "subject": draft.subject}
        click.echo(json.dumps({**fields, "body": draft.body, "mailto": draft.mailto}))
    elif mailto:
        click.echo(draft.mailto)
    else:
        click.echo(as_text(draft), nl=False)


@cli.command(name="undo")
@click.argument("act_id", type=int)
@user_option
@click.pass_context
def undo_cmd(ctx: click.Context, act_id: int, user_name: str | None) -> None:
    """Undo a done, snooze or skip (its number is printed with it): the follow-up is back.

    Example:

        cardscan undo 31
    """
    from cardscan.outreach import undo

    store = _store(ctx)
    touch = undo(store, store.users.pick(user_name).id, act_id)
    click.echo(f"Touch {touch.id}: {touch.status}, {touch.when.isoformat()} again.")


@cli.group(name="digest")
def digest_group() -> None:
    """The daily digest e-mail (also sent by `cardscan serve` at each user's hour).

    Example:

        cardscan digest send
    """


@digest_group.command(name="send")
@user_option
@click.pass_context
def digest_send(ctx: click.Context, user_name: str | None) -> None:
    """Send the digest now to each user with an address (for cron), at most once a day.

    Before the user's hour too; a weekly digest only on its day, unless --user names the
    user. A user already sent today, or with nothing due, gets nothing.

    Example:

        CARDSCAN_SMTP_HOST=smtp.example.org cardscan digest send --user ana
    """
    from cardscan.errors import MailError
    from cardscan.outreach.digest import Digests
    from cardscan.outreach.links import DigestLinks

    settings = get_settings(ctx)
    links = DigestLinks.of(settings.data_dir, settings.base_url)
    outcomes = Digests(_store(ctx), settings, links).send_now(user_name=user_name)
    if not outcomes:
        click.echo(
            "No user has an e-mail address: set one with `cardscan user email NAME ADDRESS`."
        )
    for outcome in outcomes:
        click.echo(outcome.message)
    failed = [o.user for o in outcomes if o.status == "failed"]
    if failed:
        raise MailError(f"the digest of {', '.join(failed)} was not sent (see above).")


@digest_group.command(name="show")
@user_option
@click.pass_context
def digest_show(ctx: click.Context, user_name: str | None) -> None:
    """Print the digest a user would get now (its text part), sending nothing.

    Example:

        cardscan digest show --user ana
    """
    from cardscan.outreach.digest import preview
    from cardscan.outreach.links import DigestLinks

    settings = get_settings(ctx)
    store = _store(ctx)
    links = DigestLinks.of(settings.data_dir, settings.base_url)
    mail = preview(store, store.users.pick(user_name), links)
    if mail is None:
        click.echo("Nothing is due: no digest today.")
        return
    click.echo(f"To: {mail.to}\nSubject: {mail.subject}\n\n{mail.text}", nl=False)


@user_group.command(name="email")
@click.argument("name")
@click.argument("address")
@click.pass_context
def user_email(ctx: click.Context, name: str, address: str) -> None:
    """Set the address a user's digest goes to ("" to stop it).

    Example:

        cardscan user email ana ana@example.org
    """
    from cardscan.outreach import save_prefs

    store = _store(ctx)
    user = store.users.by_name(name)
    prefs = save_prefs(store, user.id, email=address)
    if prefs.email:
        when = f"{prefs.digest}, at {prefs.digest_hour:02d}:00"
        click.echo(f"{user.name}'s digest goes to {prefs.email} ({when}).")
    else:
        click.echo(f"{user.name} has no digest address now.")
