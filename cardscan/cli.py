"""The ``cardscan`` command: a thin client of the library.

Each command parses its arguments, calls one library function and prints the result.
Known errors (``CardscanError``) become one ``Error: ...`` line and the error's exit code,
here and nowhere else.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from cardscan.errors import CardscanError, ExitCode
from cardscan.settings import Settings, load_settings, setting_help


class _Group(click.Group):
    """A click group that turns a ``CardscanError`` into one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CardscanError as e:
            click.echo(f"Error: {e.message}", err=True)
            ctx.exit(int(e.exit_code))
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(int(ExitCode.interrupted))


def get_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings for this run: the group's options plus a command's own overrides."""
    base = ctx.find_root().obj or {}
    return load_settings({**base.get("overrides", {}), **overrides}, config_file=base.get("config"))


@click.group(cls=_Group)
@click.version_option(package_name="cardscan")
@click.option(
    "--data",
    type=click.Path(file_okay=False),
    envvar="CARDSCAN_DATA",
    help="Data directory (cardscan.db and photos). Default: ~/.local/share/cardscan.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    envvar="CARDSCAN_CONFIG",
    help="A TOML settings file. Default: cardscan.toml in the data directory.",
)
@click.pass_context
def cli(ctx: click.Context, data: str | None, config: str | None) -> None:
    """cardscan: snap business cards, read them, and follow up.

    Example:

        cardscan scan card.jpg --json
    """
    ctx.obj = {"overrides": {"data": data}, "config": config}


@cli.command(name="settings")
@click.pass_context
def settings_cmd(ctx: click.Context) -> None:
    """Print every setting with its current value and help.

    Example:

        CARDSCAN_ENGINE=tesseract cardscan settings
    """
    current = get_settings(ctx)
    for name, _default, help_text in setting_help():
        value = getattr(current, name)
        click.echo(f"{name} = {value!r}\n    {help_text} (env CARDSCAN_{name.upper()})")


# --- reading cards: scan, bench -----------------------------------------------------------


def _engine_option(func: Any) -> Any:
    return click.option(
        "--engine",
        default=None,
        help="OCR engine: rapidocr (default) or tesseract. Setting: engine.",
    )(func)


def _card_json(path: str, reading: Any, several: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"file": path}
    if several:
        data["card"] = reading.card_index
    data["contact"] = reading.contact.to_dict()
    data["confidence"] = {k: round(v, 3) for k, v in reading.contact.confidence.items()}
    data["qr"] = [code.data for code in reading.qr]
    data["seconds"] = round(reading.seconds, 3)
    return data


def _card_summary(path: str, reading: Any, several: bool) -> str:
    contact = reading.contact
    head = f"{path}" + (f" (card {reading.card_index + 1})" if several else "")
    lines = [f"{head}  [{reading.seconds:.2f} s]"]
    if contact.is_empty():
        lines.append("  (no contact details found)")

    def conf(field: str) -> str:
        value = contact.confidence.get(field)
        return f"  ({value:.2f})" if value is not None else ""

    for field in ("name", "title", "company"):
        if getattr(contact, field):
            lines.append(f"  {field:<9}{getattr(contact, field)}{conf(field)}")
    for email in contact.emails:
        lines.append(f"  {'email':<9}{email}{conf('emails')}")
    for phone in contact.phones:
        lines.append(f"  {phone.kind:<9}{phone.e164 or phone.number}{conf('phones')}")
    for site in contact.websites + contact.socials:
        lines.append(f"  {'web':<9}{site}{conf('websites')}")
    if contact.address:
        lines.append(f"  {'address':<9}{contact.address}{conf('address')}")
    return "\n".join(lines)


@cli.command(name="scan")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per card per line.")
@_engine_option
@click.option("--region", default=None, help="Country for numbers without +code (e.g. US).")
@click.pass_context
def scan_cmd(
    ctx: click.Context,
    images: tuple[str, ...],
    as_json: bool,
    engine: str | None,
    region: str | None,
) -> None:
    """Read business-card photos and print the contacts found.

    A file that cannot be read prints one "Error: FILE: reason" line; the other files are
    still read, and the exit code is that of the first error.

    Example:

        cardscan scan card.jpg other.heic --json
    """
    from cardscan.ocr import get_engine
    from cardscan.pipeline import scan_image

    settings = get_settings(ctx, engine=engine, default_region=region)
    reader = get_engine(settings.engine, languages=settings.tesseract_languages)
    failure: CardscanError | None = None
    for path in images:
        try:
            readings = scan_image(path, settings, engine=reader)
        except CardscanError as e:
            click.echo(f"Error: {path}: {e.message}", err=True)
            failure = failure or e
            continue
        several = len(readings) > 1
        for reading in readings:
            if as_json:
                click.echo(json.dumps(_card_json(path, reading, several), ensure_ascii=False))
            else:
                click.echo(_card_summary(path, reading, several))
    if failure is not None:
        ctx.exit(int(failure.exit_code))


@cli.command(name="bench")
@click.option("--images", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--labels", required=True, type=click.Path(file_okay=False, exists=True))
@_engine_option
@click.option(
    "--baseline/--no-baseline",
    default=True,
    help="Also score raw Tesseract on the unprocessed photos (default: on).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="List every wrong field of every card.")
@click.pass_context
def bench_cmd(
    ctx: click.Context,
    images: str,
    labels: str,
    engine: str | None,
    baseline: bool,
    as_json: bool,
    verbose: bool,
) -> None:
    """Score the pipeline on labelled photos: accuracy per field and seconds per card.

    Labels are NAME.json files next to NAME.jpg in the format of sample_cards/labels.

    Example:

        cardscan bench --images sample_cards/images --labels sample_cards/labels
    """
    from cardscan.bench import format_report, report_dict, run_bench

    settings = get_settings(ctx, engine=engine)
    runs = run_bench(
        images,
        labels,
        settings,
        baseline=baseline,
        progress=lambda name: click.echo(f"  {name}", err=True),
    )
    if as_json:
        click.echo(json.dumps(report_dict(runs), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(runs, verbose=verbose))


# --- the store: users, events, import, contacts, search, merge, backup ---------------------

# Imports are local to the commands, so `cardscan scan` does not load the store, and this
# section merges cleanly with the others.

user_option = click.option(
    "--user",
    "user_name",
    envvar="CARDSCAN_USER",
    help="Whose data (needed when there is more than one user).",
)


def _store(ctx: click.Context) -> Any:
    """The store in the data directory of this run (closed when the command ends)."""
    from cardscan.store import Store

    store = Store.open(get_settings(ctx).data_dir)
    ctx.call_on_close(store.close)
    return store


@cli.group(name="user")
def user_group() -> None:
    """Manage accounts.

    Example:

        cardscan user add ana
    """


@user_group.command(name="add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Create a user (asks for the password twice, or reads it from stdin).

    Example:

        echo 'a long password' | cardscan user add ana --password-stdin
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _store(ctx).add_user(name, password)
    click.echo(f"Created user {user.name} (id {user.id}).")


@cli.command(name="users")
@click.pass_context
def users_cmd(ctx: click.Context) -> None:
    """List the users.

    Example:

        cardscan users
    """
    for user in _store(ctx).users():
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
    event = store.add_event(store.pick_user(user_name).id, name, start, end, place)
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
    for event in store.events(store.pick_user(user_name).id):
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
    user = store.pick_user(user_name)
    event_id = store.event_by_name(user.id, event_name).id if event_name else None
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@user_option
@click.pass_context
def contacts_cmd(
    ctx: click.Context, event_name: str | None, as_json: bool, user_name: str | None
) -> None:
    """List contacts.

    Example:

        cardscan contacts --event "Web Summit" --json
    """
    from cardscan.store.contacts import contact_dict

    store = _store(ctx)
    user = store.pick_user(user_name)
    event_id = store.event_by_name(user.id, event_name).id if event_name else None
    records = store.contacts(user.id, event_id=event_id)
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
    for record in store.search(store.pick_user(user_name).id, text):
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
    record = store.merge(store.pick_user(user_name).id, keep_id, other_id)
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
    kept, restored = store.unmerge(store.pick_user(user_name).id, merged_id)
    click.echo(f"Unmerged {restored.id} from {kept.id}:")
    _echo_contact(kept)
    _echo_contact(restored)


@cli.command(name="backup")
@click.argument("out", type=click.Path(file_okay=False))
@click.pass_context
def backup_cmd(ctx: click.Context, out: str) -> None:
    """Copy the database and photos into OUT, safely while the server runs.

    OUT is itself a data directory: restore by using it as --data (see the README).

    Example:

        cardscan backup /mnt/usb/cardscan-2026-11-22
    """
    path = _store(ctx).backup(out)
    click.echo(f"Backed up to {path.parent}.")


# --- follow-ups and exports --------------------------------------------------------------

# Imports are local to the commands (like the store section's), so other commands stay light.


def _today() -> Any:
    from datetime import date

    return date.today()


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
    from cardscan.exports import export_csv, export_ics, export_vcf

    settings = get_settings(ctx)
    store = _store(ctx)
    user = store.pick_user(user_name)
    event_id = store.event_by_name(user.id, event_name).id if event_name else None
    private = private_notes or settings.feed_private_notes
    if kind == "ics":
        data = export_ics(
            store,
            user.id,
            event_id=event_id,
            contact_id=contact_id,
            base_url=settings.base_url,
            now=_utcnow(),
            include_private_notes=private,
            alarm=None if alarm == "none" else alarm,
        )
    elif kind == "vcf":
        data = export_vcf(
            store,
            user.id,
            event_id=event_id,
            contact_id=contact_id,
            photos=photos,
            include_private_notes=private_notes,
        )
    else:
        data = export_csv(
            store,
            user.id,
            fmt,
            event_id=event_id,
            contact_id=contact_id,
            include_private_notes=private_notes,
        )
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
    from cardscan.followups import plan_contacts

    store = _store(ctx)
    user = store.pick_user(user_name)
    event_id = store.event_by_name(user.id, event_name).id if event_name else None
    changed = plan_contacts(store, user.id, _today(), event_id=event_id, contact_id=contact_id)
    click.echo(f"{len(changed)} follow-ups added or changed.")


@cli.command(name="followups")
@click.option("--due-before", help="Only those showing before this day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
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
    user = store.pick_user(user_name)
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


@cli.command(name="done")
@click.argument("touch_id", type=int)
@user_option
@click.pass_context
def done_cmd(ctx: click.Context, touch_id: int, user_name: str | None) -> None:
    """Mark a follow-up done (it leaves the calendar).

    Example:

        cardscan done 12
    """
    from cardscan.followups import done_touch

    store = _store(ctx)
    click.echo(_touch_line(done_touch(store, store.pick_user(user_name).id, touch_id)))


@cli.command(name="snooze")
@click.argument("touch_id", type=int)
@click.option("--until", required=True, help="The day it comes back (YYYY-MM-DD).")
@user_option
@click.pass_context
def snooze_cmd(ctx: click.Context, touch_id: int, until: str, user_name: str | None) -> None:
    """Snooze a follow-up until a later day (it moves there in the calendar).

    Example:

        cardscan snooze 12 --until 2026-12-01
    """
    from cardscan.followups import snooze_touch

    store = _store(ctx)
    user = store.pick_user(user_name)
    touch = snooze_touch(store, user.id, touch_id, _day(until, "--until"), _today())
    click.echo(_touch_line(touch))


@cli.command(name="skip")
@click.argument("touch_id", type=int)
@user_option
@click.pass_context
def skip_cmd(ctx: click.Context, touch_id: int, user_name: str | None) -> None:
    """Skip a follow-up (it leaves the calendar).

    Example:

        cardscan skip 12
    """
    from cardscan.followups import skip_touch

    store = _store(ctx)
    click.echo(_touch_line(skip_touch(store, store.pick_user(user_name).id, touch_id)))


@cli.command(name="log-contact")
@click.argument("contact_id", type=int)
@user_option
@click.pass_context
def log_contact_cmd(ctx: click.Context, contact_id: int, user_name: str | None) -> None:
    """Log that you were in touch today: the current follow-up closes, the later ones move.

    Example:

        cardscan log-contact 7
    """
    from cardscan.followups import record_contact

    store = _store(ctx)
    changed = record_contact(store, store.pick_user(user_name).id, contact_id, _today())
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
    user = store.user_by_name(name)
    webcal, https = feed_urls(get_settings(ctx).base_url, store.feed_token(user.id))
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
    user = store.user_by_name(name)
    token = store.rotate_feed_token(user.id)
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
    from cardscan.exports.feed_bench import bench_feed

    result = bench_feed(touches, runs)
    click.echo(
        f"{result.touches} touches ({result.contacts} contacts), {result.runs} runs:"
        f" median {result.median_seconds * 1000:.1f} ms wall"
        f" (min {result.min_seconds * 1000:.1f} ms),"
        f" median {result.median_cpu_seconds * 1000:.1f} ms CPU,"
        f" {result.size_bytes / 1_000_000:.2f} MB"
    )


# --- the web app: serve, tokens ----------------------------------------------------------


def _start_ocr_workers(settings: Settings) -> Any:
    """Start the OCR worker pool (``cardscan.jobs``) on the settings' data directory."""
    from cardscan.jobs import WorkerPool

    pool = WorkerPool(settings.data_dir, settings)
    pool.start()
    return pool


@cli.command(name="serve")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Data directory.")
@click.option("--host", help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=int, help="Port to listen on.")
@click.option("--cert", type=click.Path(dir_okay=False), help="TLS certificate (PEM) for https.")
@click.option("--key", type=click.Path(dir_okay=False), help="TLS private key (PEM) for https.")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust one reverse proxy's X-Forwarded-* headers (Caddy, nginx).",
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    data_dir: str | None,
    host: str | None,
    port: int | None,
    cert: str | None,
    key: str | None,
    behind_proxy: bool,
) -> None:
    """Run the web app (and the OCR workers) until Ctrl+C.

    Plain HTTP is served by waitress; with --cert and --key, https is served by cheroot with
    Python's ssl module. Phones need https for the installable app: see the README.

    Example:

        cardscan serve --host 0.0.0.0 --port 8443 --cert cert.pem --key key.pem
    """
    from web import create_app
    from web.server import make_server

    overrides: dict[str, Any] = {"host": host, "port": port}
    if data_dir:
        overrides["data"] = data_dir
    settings = get_settings(ctx, **overrides)
    app = create_app(
        {
            "CARDSCAN_SETTINGS": settings,
            "BEHIND_PROXY": behind_proxy,
            "SESSION_COOKIE_SECURE": bool(cert),
        }
    )
    server = make_server(app, settings.host, settings.port, cert=cert, key=key)
    workers = _start_ocr_workers(settings)
    app.extensions["cardscan_workers"] = workers
    click.echo(f"cardscan serving {settings.data_dir} at {server.url} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("Stopping...", err=True)
        server.stop()
        workers.stop(timeout=30)


@cli.group(name="token")
def token_group() -> None:
    """API tokens for scripts (sent as ``Authorization: Bearer TOKEN``)."""


def _token_user(store: Any, user: str | None) -> Any:
    if user:
        return store.user_by_name(user)
    users = store.users()
    if len(users) != 1:
        raise click.UsageError("several users exist: say whose token with --user NAME.")
    return users[0]


@token_group.command(name="create")
@click.argument("name")
@click.option("--user", help="Whose token (needed when there are several users).")
@click.pass_context
def token_create(ctx: click.Context, name: str, user: str | None) -> None:
    """Create an API token called NAME and print its secret (shown only once).

    Example:

        cardscan token create scanner --user ana
    """
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        click.echo(store.create_api_token(_token_user(store, user).id, name))


@token_group.command(name="list")
@click.option("--user", help="Whose tokens (needed when there are several users).")
@click.pass_context
def token_list(ctx: click.Context, user: str | None) -> None:
    """List API tokens (never their secrets).

    Example:

        cardscan token list --user ana
    """
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        for row in store.api_tokens(_token_user(store, user).id):
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
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        store.revoke_api_token(_token_user(store, user).id, token_id)
        click.echo(f"Token {token_id} revoked.")


# --- hardening: load-test ----------------------------------------------------------------


@cli.command(name="load-test")
@click.option("--url", required=True, help="The server, on this machine: http://127.0.0.1:PORT.")
@click.option("--token", required=True, envvar="CARDSCAN_TOKEN", help="An API token.")
@click.option("--clients", type=int, default=4, show_default=True, help="Concurrent clients.")
@click.option("--uploads", type=int, default=5, show_default=True, help="Uploads per client.")
@click.option(
    "--duration",
    type=float,
    default=60.0,
    show_default=True,
    help="Stop starting uploads after this many seconds.",
)
@click.option(
    "--pause",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds each client waits between uploads (a person snapping cards).",
)
@click.option(
    "--photos",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of JPEG card photos (default: the repository's sample_cards/images).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def load_test_cmd(
    url: str,
    token: str,
    clients: int,
    uploads: int,
    duration: float,
    pause: float,
    photos: str | None,
    as_json: bool,
) -> None:
    """Upload card photos from N concurrent clients and report latency and OCR throughput.

    Loopback only; at most 32 clients x 100 uploads and 600 seconds; it stops by itself.
    Every upload is a new card, so the server's OCR queue gets busy: use a spare data dir.

    Example:

        cardscan load-test --url http://127.0.0.1:8000 --token $T --clients 8 --uploads 10
    """
    from pathlib import Path

    from cardscan.loadtest import load_photos, run_load

    folder = photos or Path(__file__).resolve().parent.parent / "sample_cards" / "images"
    report = run_load(
        url,
        token,
        load_photos(folder),
        clients=clients,
        uploads=uploads,
        duration=duration,
        pause=pause,
    )
    click.echo(json.dumps(report.to_dict()) if as_json else report.summary())


def main() -> None:  # pragma: no cover - console entry point alias
    """Run the CLI."""
    sys.exit(cli())
