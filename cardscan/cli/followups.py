"""Follow-ups and exports: export, plan, followups, done, snooze, skip, log-contact.

Also the calendar feed: its URLs (``user feed-url``, ``user rotate-feed``) and
``bench-feed``. Imports are local to the commands, so other commands stay light.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from cardscan.cli.common import _event_id, _store, json_option, user_option
from cardscan.cli.root import cli, get_settings
from cardscan.cli.store import user_group


def _today(store: Any, user_id: int) -> Any:
    """The user's own day (their time zone, else the server's)."""
    from cardscan.followups.clock import local_today

    return local_today(store, user_id)


def _utcnow() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _day(value: str | None, name: str) -> Any:
    """A YYYY-MM-DD option as a date (None stays None)."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(
            f"{value!r} is not a date: write it as YYYY-MM-DD.", param_hint=name
        ) from e


@cli.command(name="export")
@click.argument("kind", type=click.Choice(["ics", "vcf", "csv"]))
@click.option("--event", "event_name", help="Only contacts met at this event.")
@click.option("--contact", "contact_id", type=int, help="Only this contact (id).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["google", "outlook", "hubspot"]),
    default="google",
    show_default=True,
    help="CSV columns for this importer.",
)
@click.option(
    "--alarm",
    type=click.Choice(["morning", "day-before", "none"]),
    default="morning",
    show_default=True,
    help="ics: alarm at 9:00 on the day, or 9:00 the day before (Outlook drops later ones).",
)
@click.option("--photos", is_flag=True, help="vcf: embed each card photo (big files).")
@click.option("--private-notes", is_flag=True, help="Include private notes.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write (- for stdout).",
)
@user_option
@click.pass_context
def export_cmd(
    ctx: click.Context,
    kind: str,
    event_name: str | None,
    contact_id: int | None,
    fmt: str,
    alarm: str,
    photos: bool,
    private_notes: bool,
    output: str,
    user_name: str | None,
) -> None:
    """Export contacts as vCard or CSV, or their open follow-ups as .ics (with alarms).

    One contact (--contact), an event's contacts (--event) or everyone.

    Example:

        cardscan export csv --event "Web Summit" --format outlook -o web-summit.csv
    """
    from cardscan.exports import Export

    settings = get_settings(ctx)
    store = _store(ctx)
    user = store.users.pick(user_name)
    chosen = Export(store, user.id, _event_id(store, user.id, event_name), contact_id)
    if kind == "ics":
        data = chosen.ics(
            base_url=settings.base_url,
            now=_utcnow(),
            include_private_notes=private_notes or settings.feed_private_notes,
            alarm=None if alarm == "none" else alarm,
        )
    elif kind == "vcf":
        data = chosen.vcf(photos=photos, include_private_notes=private_notes)
    else:
        data = chosen.csv(fmt, include_private_notes=private_notes)
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with open(output, "wb") as f:
        f.write(data)
    click.echo(f"Wrote {output} ({len(data)} bytes).", err=True)


@cli.command(name="plan")
@click.option("--event", "event_name", help="Only contacts met at this event.")
@click.option("--contact", "contact_id", type=int, help="Only this contact (id).")
@user_option
@click.pass_context
def plan_cmd(
    ctx: click.Context, event_name: str | None, contact_id: int | None, user_name: str | None
) -> None:
    """Schedule follow-ups for contacts (new ones get their plan; others are brought up to date).

    Example:

        cardscan plan --event "Web Summit"
    """
    from cardscan.followups import FollowUps

    store = _store(ctx)
    user = store.users.pick(user_name)
    event_id = _event_id(store, user.id, event_name)
    today = _today(store, user.id)
    changed = FollowUps(store, user.id, today).plan_contacts(
        event_id=event_id, contact_id=contact_id
    )
    click.echo(f"{len(changed)} follow-ups added or changed.")


@cli.command(name="followups")
@click.option("--due-before", help="Only those showing before this day (YYYY-MM-DD).")
@json_option()
@user_option
@click.pass_context
def followups_cmd(
    ctx: click.Context, due_before: str | None, as_json: bool, user_name: str | None
) -> None:
    """List open follow-ups, soonest first.

    Example:

        cardscan followups --due-before 2026-12-01
    """
    from cardscan.followups import followup_list

    store = _store(ctx)
    user = store.users.pick(user_name)
    rows = followup_list(store, user.id, due_before=_day(due_before, "--due-before"))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        snoozed = " (snoozed)" if row["status"] == "snoozed" else ""
        default = " (default plan)" if row["provisional"] else ""
        click.echo(f"{row['id']}\t{row['when']}\t{row['summary']}{snoozed}{default}")


def _touch_line(touch: Any) -> str:
    return (
        f"Touch {touch.id}: {touch.status}, {touch.when.isoformat()} (sequence {touch.sequence})."
    )


def _act_command(
    action: str, *options: Callable[[Any], Any]
) -> Callable[[Callable[[], None]], click.Command]:
    """``cardscan ACTION TOUCH_ID``: done, snooze or skip one follow-up as the Today view does
    (kept, so it can be undone). The decorated function's docstring is the command's help;
    ``options`` are the act's own (``--until``), passed to ``outreach.act`` by name."""

    def make(helper: Callable[[], None]) -> click.Command:
        @click.pass_context
        def command(ctx: click.Context, touch_id: int, user_name: str | None, **more: Any) -> None:
            from cardscan.followups import FollowUps
            from cardscan.outreach import act

            store = _store(ctx)
            user = store.users.pick(user_name)
            theirs = FollowUps(store, user.id, _today(store, user.id))
            done = act(theirs, touch_id, action, **more, via="cli")
            click.echo(_touch_line(store.touches.get(user.id, touch_id)))
            click.echo(f"Undo with `cardscan undo {done.id}`.")

        for decorator in (user_option, *reversed(options), click.argument("touch_id", type=int)):
            command = decorator(command)
        return cli.command(name=action, help=helper.__doc__)(command)

    return make


@_act_command("done")
def done_cmd() -> None:
    """Mark a follow-up done (it leaves the calendar).

    Example:

        cardscan done 12
    """


@_act_command(
    "snooze",
    click.option(
        "--until",
        required=True,
        callback=lambda _ctx, _param, value: _day(value, "--until"),
        help="The day it comes back (YYYY-MM-DD).",
    ),
)
def snooze_cmd() -> None:
    """Snooze a follow-up until a later day (it moves there in the calendar).

    Example:

        cardscan snooze 12 --until 2026-12-01
    """


@_act_command("skip")
def skip_cmd() -> None:
    """Skip a follow-up (it leaves the calendar).

    Example:

        cardscan skip 12
    """


@cli.command(name="log-contact")
@click.argument("contact_id", type=int)
@user_option
@click.pass_context
def log_contact_cmd(ctx: click.Context, contact_id: int, user_name: str | None) -> None:
    """Log that you were in touch today: the current follow-up closes, the later ones move.

    Example:

        cardscan log-contact 7
    """
    from cardscan.followups import FollowUps

    store = _store(ctx)
    user_id = store.users.pick(user_name).id
    changed = FollowUps(store, user_id, _today(store, user_id)).record_contact(contact_id)
    if not changed:
        click.echo(f"Contact {contact_id} has no open follow-ups.")
    for touch in changed:
        click.echo(_touch_line(touch))


@user_group.command(name="feed-url")
@click.argument("name")
@click.pass_context
def user_feed_url(ctx: click.Context, name: str) -> None:
    """Print a user's calendar subscription URLs (webcal:// and https://).

    Subscribe in Google Calendar (Other calendars > From URL, the https link), Apple Calendar
    (File > New Calendar Subscription, or open the webcal link) or Outlook (Add calendar >
    Subscribe from web). Google refreshes subscriptions only every 8-24 hours and ignores
    their alarms; Apple removes alerts from subscriptions unless told to keep them.

    Example:

        CARDSCAN_BASE_URL=https://cards.example.org cardscan user feed-url ana
    """
    from cardscan.exports import feed_urls

    store = _store(ctx)
    user = store.users.by_name(name)
    webcal, https = feed_urls(get_settings(ctx).base_url, store.users.feed_token(user.id))
    click.echo(webcal)
    click.echo(https)


@user_group.command(name="rotate-feed")
@click.argument("name")
@click.pass_context
def user_rotate_feed(ctx: click.Context, name: str) -> None:
    """Give a user a new calendar feed URL; the old one stops working (404).

    Example:

        cardscan user rotate-feed ana
    """
    store = _store(ctx)
    user = store.users.by_name(name)
    token = store.users.rotate_feed_token(user.id)
    base_url = get_settings(ctx).base_url
    if base_url:
        from cardscan.exports import feed_urls

        for url in feed_urls(base_url, token):
            click.echo(url)
    else:
        click.echo(
            "New feed token set. Set base_url (CARDSCAN_BASE_URL) and run"
            f" `cardscan user feed-url {user.name}` to see the URLs."
        )


@cli.command(name="bench-feed")
@click.option("--touches", default=10_000, show_default=True, help="Touches in the feed.")
@click.option("--runs", default=7, show_default=True, help="Builds to time (median).")
def bench_feed_cmd(touches: int, runs: int) -> None:
    """Time building the calendar feed from synthetic touches (median of several runs).

    Example:

        cardscan bench-feed --touches 10000
    """
    from cardscan.cli.common import dev_tool

    result = dev_tool("feed_bench").bench_feed(touches, runs)
    click.echo(
        f"{result.touches} touches ({result.contacts} contacts), {result.runs} runs:"
        f" median {result.median_seconds * 1000:.1f} ms wall"
        f" (min {result.min_seconds * 1000:.1f} ms),"
        f" median {result.median_cpu_seconds * 1000:.1f} ms CPU,"
        f" {result.size_bytes / 1_000_000:.2f} MB"
    )
