"""The digest e-mail: who gets what, when, and at most once a day.

Each user with an address gets, at their hour in their time zone (daily, or weekly on
their day), the follow-ups due and overdue (a weekly digest: the coming week's too), each
with who, why, where you met, the last note, the drafted e-mail, a link to the contact and
one-click Done / Snooze links. Nothing is sent on a day with nothing to do.

Once a day, whatever restarts or second servers do: a run is claimed in the store (one row
per user and local day, in one transaction) before anything is sent. A run that fails is
tried again a few times the same day, and how it went is shown in settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from cardscan.errors import MailError, ValidationError
from cardscan.followups import FollowUps
from cardscan.followups.text import one_line
from cardscan.followups.wording import day_label
from cardscan.models import DigestRun, OutreachPrefs, User
from cardscan.outreach import prefs as user_prefs
from cardscan.outreach.links import DigestLinks
from cardscan.outreach.mail import build_message, send, smtp_config
from cardscan.outreach.today import TodayItem, today_items
from cardscan.outreach.words import number_in_words
from cardscan.settings import Settings

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

#: Minutes before a failed digest is tried again, one entry an attempt; then it stays failed.
RETRY_MINUTES = (5, 15, 45, 120)

_ENV = Environment(
    loader=PackageLoader("cardscan.outreach", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class DigestEntry:
    """One follow-up in the digest, with its links."""

    item: TodayItem
    contact_url: str
    done_url: str
    snooze_url: str

    @property
    def facts(self) -> str:
        """ "Acme · met at Web Summit, Lisbon" (what is known of them, in a line)."""
        company = one_line(self.item.record.contact.company)
        met = f"met at {self.item.where_met}" if self.item.where_met else ""
        return " · ".join(x for x in (company, met) if x)


@dataclass(frozen=True)
class DigestMail:
    """A digest ready to send: both parts and what it lists."""

    to: str
    subject: str
    text: str
    html: str
    entries: tuple[DigestEntry, ...]


@dataclass(frozen=True)
class DigestOutcome:
    """What happened to one user's digest: a status and a line to show."""

    user: str
    status: str  # sent, empty, failed, already, not_due, no_address, off
    message: str


def due_day(prefs: OutreachPrefs, now: datetime) -> date | None:
    """The user's local day when their digest is due at ``now`` (their hour has come, on
    their day for a weekly one), else None."""
    if prefs.digest == "off":
        return None
    local = user_prefs.local_now(prefs, now)
    if prefs.digest == "weekly" and local.weekday() != prefs.digest_weekday:
        return None
    return local.date() if local.hour >= prefs.digest_hour else None


def _subject(items: Sequence[TodayItem], weekly: bool) -> str:
    count = len(items)
    noun = "follow-up" if count == 1 else "follow-ups"
    when = "this week" if weekly else "today"
    late = sum(i.overdue for i in items)
    head = f"{number_in_words(count).capitalize()} {noun} {when}"
    if late:
        head += f" ({late} overdue)"
    names = list(dict.fromkeys(i.name for i in items))
    if count == 1:
        return f"{head}: {names[0]} — {items[0].why}"
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    return f"{head}: {shown}"


def compose(
    store: Store,
    user: User,
    prefs: OutreachPrefs,
    day: date,
    *,
    links: DigestLinks,
    now: datetime,
) -> DigestMail | None:
    """The user's digest for a local day, or None when there is nothing to do.

    A daily digest lists what is due that day and overdue; a weekly one the next seven
    days too. Every entry gets its own Done and Snooze links (signed, one use each).

    Raises:
        BadConfigError: base_url is not set.
    """
    links.check()  # before anything is read
    weekly = prefs.digest == "weekly"
    through = day + timedelta(days=6) if weekly else day
    items = today_items(FollowUps(store, user.id, day, now), through=through)
    if not items or not prefs.email:
        return None
    entries = tuple(
        DigestEntry(
            item=item,
            contact_url=links.page(f"/contacts/{item.record.id}"),
            done_url=links.one_click(user.id, item.touch.id, "done", now=now),
            snooze_url=links.one_click(user.id, item.touch.id, "snooze", now=now),
        )
        for item in items
    )
    hour = user_prefs.local_now(prefs, now).hour
    context = {
        "hello": "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening",
        "greeting": user_prefs.sender(store, user).name.split(" ")[0],
        "day": day_label(day, day),
        "weekly": weekly,
        "entries": entries,
        "groups": [
            (title, [e for e in entries if e.item.group == key])
            for key, title in (
                ("overdue", "Overdue"),
                ("today", "Today"),
                ("week", "This week"),
                ("later", "Later"),
            )
        ],
        "today_url": links.page("/today"),
        "settings_url": links.page("/settings/#digest"),
        "hour": f"{prefs.digest_hour:02d}:00",
    }
    return DigestMail(
        to=prefs.email,
        subject=_subject(items, weekly),
        text=_ENV.get_template("digest.txt").render(context),
        html=_ENV.get_template("digest.html").render(context),
        entries=entries,
    )


def _retry_after(run: DigestRun, now: datetime, zone: tzinfo) -> datetime | None:
    """When to try a failed run again: soon, a few times, and only the same local day."""
    if run.attempts > len(RETRY_MINUTES):
        return None
    retry = now + timedelta(minutes=RETRY_MINUTES[run.attempts - 1])
    same_day = retry.astimezone(zone).date() == now.astimezone(zone).date()
    return retry if same_day else None


def preview(
    store: Store, user: User, links: DigestLinks, *, now: datetime | None = None
) -> DigestMail | None:
    """The digest the user would get now (for ``cardscan digest show`` and settings), with
    working links; nothing is claimed or sent.

    Raises:
        BadConfigError: base_url is not set.
    """
    now = now or datetime.now(UTC)
    prefs = store.outreach.prefs(user.id)
    if not prefs.email:
        prefs = replace(prefs, email="(no address yet)")
    day = user_prefs.local_now(prefs, now).date()
    return compose(store, user, prefs, day, links=links, now=now)


@dataclass(frozen=True)
class Digests:
    """Sending digests from one store: its users' prefs and runs, the SMTP server in
    ``settings``, and the ``links`` each mail carries."""

    store: Store
    settings: Settings
    links: DigestLinks

    def deliver(
        self,
        user: User,
        *,
        now: datetime | None = None,
        any_hour: bool = False,
        any_weekday: bool = False,
    ) -> DigestOutcome:
        """Send one user's digest if it is due and not sent today (by anyone).

        Args:
            user: whose digest.
            now: the time (default: now, UTC).
            any_hour: send before the user's hour too (``cardscan digest send``).
            any_weekday: send a weekly digest on another day too.

        Returns:
            What happened.

        Raises:
            BadConfigError: no SMTP server or sender, or no base_url (nothing is claimed then).
        """
        now = now or datetime.now(UTC)
        prefs = self.store.outreach.prefs(user.id)
        if not prefs.email:
            return DigestOutcome(
                user.name,
                "no_address",
                f"{user.name}: no e-mail address (set one with `cardscan user email {user.name}"
                " ADDRESS` or in settings).",
            )
        if prefs.digest == "off":
            return DigestOutcome(user.name, "off", f"{user.name}: the digest is turned off.")
        local = user_prefs.local_now(prefs, now)
        check = replace(
            prefs,
            digest_hour=0 if any_hour else prefs.digest_hour,
            digest="daily" if any_weekday else prefs.digest,
        )
        day = due_day(check, now)
        if day is None:
            return DigestOutcome(user.name, "not_due", f"{user.name}: not due yet.")
        config = smtp_config(self.settings)
        self.links.check()  # before the day is claimed
        run = self.store.digests.claim(user.id, day, now)
        if run is None:
            last = self.store.digests.last(user.id)
            said = status_line(last, local.tzinfo or UTC) if last else "claimed elsewhere"
            return DigestOutcome(user.name, "already", f"{user.name}: {said}; nothing sent.")
        try:
            mail = compose(self.store, user, prefs, day, links=self.links, now=now)
            if mail is None:
                self.store.digests.finish(run.id, "empty", now)
                return DigestOutcome(user.name, "empty", f"{user.name}: nothing due; nothing sent.")
            send(
                config, build_message(config, mail.to, mail.subject, mail.text, mail.html, now=now)
            )
        except MailError as e:
            retry = _retry_after(run, now, local.tzinfo or UTC)
            self.store.digests.finish(run.id, "failed", now, error=e.message, retry_after=retry)
            later = f" Trying again at {retry.astimezone(local.tzinfo):%H:%M}." if retry else ""
            return DigestOutcome(user.name, "failed", f"{user.name}: not sent: {e.message}{later}")
        except BaseException as e:
            self.store.digests.finish(run.id, "failed", now, error=f"{type(e).__name__}: {e}")
            raise
        self.store.digests.finish(run.id, "sent", now, touches=len(mail.entries))
        count = len(mail.entries)
        noun = "follow-up" if count == 1 else "follow-ups"
        return DigestOutcome(user.name, "sent", f"{user.name}: sent {count} {noun} to {mail.to}.")

    def send_due(self, *, now: datetime | None = None) -> list[DigestOutcome]:
        """Send every digest whose hour has come and that no one sent today (the server's
        scheduler calls this every minute). Users with nothing due are left out of the result.
        """
        outcomes = []
        for prefs in self.store.outreach.recipients():
            user = self.store.users.get(prefs.user_id)
            outcome = self.deliver(user, now=now)
            if outcome.status not in ("not_due", "already"):
                outcomes.append(outcome)
        return outcomes

    def send_now(
        self, *, user_name: str | None = None, now: datetime | None = None
    ) -> list[DigestOutcome]:
        """``cardscan digest send``: each user's digest now, before their hour too, still once a
        day; a weekly digest only on its day unless the user is named.

        Raises:
            NotFoundError: no user with that name.
            BadConfigError: no SMTP server, sender or base_url.
        """
        if user_name:
            user = self.store.users.by_name(user_name)
            return [self.deliver(user, now=now, any_hour=True, any_weekday=True)]
        return [
            self.deliver(self.store.users.get(p.user_id), now=now, any_hour=True)
            for p in self.store.outreach.recipients()
        ]

    def send_test(self, user: User, *, now: datetime | None = None) -> str:
        """Send the user their digest as it is now, marked as a test, to check the settings.

        It is not the day's digest: nothing is claimed, and the real one still comes at the
        user's hour. With nothing due, a short note says the digest is set up.

        Returns:
            What was sent, in a line.

        Raises:
            ValidationError: the user has no address.
            BadConfigError: no SMTP server, sender or base_url.
            MailError: the server could not be reached or refused the mail.
        """
        now = now or datetime.now(UTC)
        prefs = self.store.outreach.prefs(user.id)
        if not prefs.email:
            raise ValidationError("give the address the digest goes to first.")
        config = smtp_config(self.settings)
        mail = preview(self.store, user, self.links, now=now)
        if mail is None:
            text = (
                "Your cardscan digest is set up. Nothing is due today, so today's digest will not"
                f" come.\n\nChange it in settings: {self.links.page('/settings/#digest')}\n"
            )
            subject, html = "Test: your cardscan digest is set up", None
        else:
            subject, text, html = f"Test: {mail.subject}", mail.text, mail.html
        send(config, build_message(config, prefs.email, subject, text, html, now=now))
        return f"A test digest went to {prefs.email}."


def status_line(run: DigestRun, zone: tzinfo) -> str:
    """How the last digest went, as settings shows it: "sent today at 08:00 (3
    follow-ups)", "failed at 08:00: … Trying again at 08:05"."""
    at = (run.finished or run.claimed or datetime.now(UTC)).astimezone(zone)
    today = datetime.now(UTC).astimezone(zone).date()
    when = "today" if run.day == today else f"on {day_label(run.day, today)}"
    if run.status == "sent":
        noun = "follow-up" if run.touches == 1 else "follow-ups"
        return f"sent {when} at {at:%H:%M} ({run.touches} {noun})"
    if run.status == "empty":
        return f"nothing to send {when} (checked at {at:%H:%M})"
    if run.status == "sending":
        return f"sending since {at:%H:%M}"
    line = f"failed {when} at {at:%H:%M}: {run.error or 'unknown error'}"
    if run.retry_after:
        line += f" Trying again at {run.retry_after.astimezone(zone):%H:%M}."
    return line
