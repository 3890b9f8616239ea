"""A user's choices for drafts and the digest: checked here, stored by the store.

The e-mail address is checked with ``email-validator`` (already used by extract) and the
time zone against the IANA database ``zoneinfo`` knows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

from cardscan.errors import ValidationError
from cardscan.followups.clock import local_now as local_now
from cardscan.followups.clock import local_today as local_today
from cardscan.followups.clock import zone
from cardscan.followups.text import clean_text, one_line
from cardscan.models import DIGEST_FREQUENCIES, OutreachPrefs, User
from cardscan.outreach.drafts import DEFAULT_TEMPLATES, TEMPLATE_KINDS, Sender, Template
from cardscan.outreach.drafts import check_template as _check_template

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

MAX_SIGNATURE = 500
MAX_TEMPLATE = 5000


def check_email(address: str) -> str:
    """The address normalised ("Ana@Example.ORG" -> "Ana@example.org").

    Raises:
        ValidationError: not an e-mail address.
    """
    try:
        return validate_email(one_line(address), check_deliverability=False).normalized
    except EmailNotValidError as e:
        raise ValidationError(
            f"{one_line(address)[:80]!r} is not an e-mail address ({e}): give one like"
            " ana@example.org."
        ) from None


def time_zones() -> list[str]:
    """Every IANA time zone name, sorted (for a picker)."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def check_prefs(prefs: OutreachPrefs) -> OutreachPrefs:
    """The preferences checked and tidied.

    Raises:
        ValidationError: a bad address, frequency, hour, weekday or time zone.
    """
    if prefs.digest not in DIGEST_FREQUENCIES:
        raise ValidationError(
            f"digest {prefs.digest!r}: choose one of {', '.join(DIGEST_FREQUENCIES)}."
        )
    if not isinstance(prefs.digest_hour, int) or not 0 <= prefs.digest_hour <= 23:
        raise ValidationError(f"digest hour {prefs.digest_hour!r}: give a whole hour, 0 to 23.")
    if not isinstance(prefs.digest_weekday, int) or not 0 <= prefs.digest_weekday <= 6:
        raise ValidationError(
            f"digest weekday {prefs.digest_weekday!r}: give 0 (Monday) to 6 (Sunday)."
        )
    timezone = one_line(prefs.timezone)
    zone(timezone)
    signature = clean_text(prefs.signature).strip()
    if len(signature) > MAX_SIGNATURE:
        raise ValidationError(f"the signature is longer than {MAX_SIGNATURE} characters.")
    return replace(
        prefs,
        email=check_email(prefs.email) if prefs.email and one_line(prefs.email) else None,
        my_name=one_line(prefs.my_name)[:100] or None,
        signature=signature or None,
        timezone=timezone,
    )


def save_prefs(store: Store, user_id: int, **changes: Any) -> OutreachPrefs:
    """Change some of a user's preferences (the others stay).

    Args:
        store: the open store.
        user_id: the user.
        **changes: any of email, my_name, signature, digest, digest_hour, digest_weekday,
            timezone.

    Returns:
        The saved preferences.

    Raises:
        ValidationError: a bad value (the message names it).
        NotFoundError: no such user.
    """
    if "user_id" in changes:
        raise ValidationError("the user of a preference cannot change.")
    try:
        wanted = replace(store.outreach.prefs(user_id), **changes)
    except TypeError as e:
        raise ValidationError(f"unknown preference: {e}.") from None
    return store.outreach.save_prefs(check_prefs(wanted))


def adopt_timezone(store: Store, user_id: int, name: str | None) -> bool:
    """Take the time zone a user's browser reports (at sign-in) as theirs, when they have not
    chosen one: "today" is then their day from the first follow-up on, not the server's. A
    zone already chosen stays; an empty or unknown name changes nothing (it is not typed by
    the user, so there is nothing to tell them).

    Returns:
        Whether the user's time zone was set.
    """
    name = one_line(name or "")[:64]
    if not name or store.outreach.prefs(user_id).timezone:
        return False
    try:
        zone(name)
    except ValidationError:
        return False
    save_prefs(store, user_id, timezone=name)
    return True


def sender(store: Store, user: User) -> Sender:
    """Who writes the user's drafts: the name chosen in settings (else the account's name,
    capitalised) and the signature lines."""
    prefs = store.outreach.prefs(user.id)
    name = prefs.my_name or user.name[:1].upper() + user.name[1:]
    return Sender(name=name, signature=prefs.signature or "")


def templates(store: Store, user_id: int) -> dict[str, Template]:
    """The user's own templates by kind (kinds left out use the defaults)."""
    return {
        kind: Template(subject, body)
        for kind, (subject, body) in store.outreach.templates(user_id).items()
        if kind in TEMPLATE_KINDS
    }


def _kind(kind: str) -> str:
    if kind not in TEMPLATE_KINDS:
        raise ValidationError(f"no template {kind!r}: the kinds are {', '.join(TEMPLATE_KINDS)}.")
    return kind


def save_template(
    store: Store,
    user_id: int,
    kind: str,
    subject: str,
    body: str,
    *,
    now: datetime | None = None,
) -> Template:
    """Keep the user's own template for a kind; the default text itself resets it.

    Raises:
        ValidationError: an unknown kind, a template that does not parse or uses an unknown
            placeholder, or one longer than :data:`MAX_TEMPLATE` characters.
    """
    _kind(kind)
    body = clean_text(body).strip() + "\n"
    if len(body) > MAX_TEMPLATE or len(subject) > 300:
        raise ValidationError(f"the template is too long: keep it under {MAX_TEMPLATE} characters.")
    template = _check_template(Template(one_line(subject), body))
    default = DEFAULT_TEMPLATES[kind]
    if template.subject == default.subject and template.body.strip() == default.body.strip():
        store.outreach.reset_template(user_id, kind)
        return default
    store.outreach.save_template(
        user_id, kind, template.subject, template.body, now=now or datetime.now(UTC)
    )
    return template


def reset_template(store: Store, user_id: int, kind: str) -> Template:
    """Go back to the default template for a kind.

    Raises:
        ValidationError: an unknown kind.
    """
    store.outreach.reset_template(user_id, _kind(kind))
    return DEFAULT_TEMPLATES[kind]
