"""One-click links in the digest e-mail: Done or Snooze a week for one touch, no login.

A link's token is signed with the app's secret (itsdangerous, made for this and already a
Flask dependency) and carries the user, the touch, the action and a random link id. It is
good for :data:`MAX_AGE` and for one use: the store records each link id used, in the same
transaction as the act, so a second click (or a second server) is refused.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from cardscan.errors import (
    BadConfigError,
    ConflictError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from cardscan.followups import FollowUps
from cardscan.followups.wording import day_label
from cardscan.models import TouchAct
from cardscan.outreach.acts import act
from cardscan.outreach.prefs import local_now
from cardscan.store import private_dir

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

#: How long a link in a digest works.
MAX_AGE = timedelta(days=14)
#: What a link can do.
LINK_ACTIONS = ("done", "snooze")
#: Where a link lands in the web app (``web/links.py`` serves it): LINK_PATH + token.
LINK_PATH = "/r/"
_SALT = "cardscan.digest-link.v1"
SECRET_FILE = "secret_key"


def secret_key(data_dir: Path) -> str:
    """The app's secret (session cookies, one-click links): made once, kept (mode 0600) in
    the data directory, so the web app and ``cardscan digest send`` sign alike."""
    path = Path(data_dir) / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    private_dir(path.parent)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return key


class _Signer(TimestampSigner):
    """A timestamp signer whose clock can be set (links made or read "now" in tests)."""

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._now = now

    def get_timestamp(self) -> int:
        """Seconds since the epoch, by the given clock."""
        return int((self._now or datetime.now(UTC)).timestamp())


def _serializer(secret: str, now: datetime | None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT, signer=_Signer, signer_kwargs={"now": now})


@dataclass(frozen=True)
class Link:
    """What a valid link says: whose touch, what to do, and its own id."""

    user_id: int
    touch_id: int
    action: str  # one of LINK_ACTIONS
    link_id: str
    issued: datetime

    @property
    def expires(self) -> datetime:
        """When it stops working."""
        return self.issued + MAX_AGE


def make_token(
    secret: str, user_id: int, touch_id: int, action: str, *, now: datetime | None = None
) -> str:
    """A signed token for one action on one touch (put it in a URL).

    Raises:
        ValidationError: an action a link cannot do.
    """
    if action not in LINK_ACTIONS:
        raise ValidationError(f"a link can do {' or '.join(LINK_ACTIONS)}, not {action!r}.")
    payload = {"u": user_id, "t": touch_id, "a": action, "n": secrets.token_urlsafe(12)}
    return str(_serializer(secret, now).dumps(payload))


def base_address(base_url: str) -> str:
    """The app's public address, checked (links in a mail must be absolute).

    Raises:
        BadConfigError: base_url is not set or not http(s).
    """
    base = (base_url or "").strip().rstrip("/")
    scheme, _, rest = base.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        raise BadConfigError(
            "the digest's links need the app's public address: set base_url"
            " (CARDSCAN_BASE_URL=https://cards.example.org)."
        )
    return base


@dataclass(frozen=True)
class DigestLinks:
    """How the digest makes its links: the app's public address, and the secret that signs
    the one-click ones (the web app's SECRET_KEY, the data directory's :func:`secret_key`)."""

    base_url: str
    secret: str

    @classmethod
    def of(cls, data_dir: Path, base_url: str) -> DigestLinks:
        """The links as ``cardscan digest`` and the server's digest clock sign them."""
        return cls(base_url, secret_key(data_dir))

    def check(self) -> None:
        """Raises BadConfigError when base_url is not set or not http(s)
        (see :func:`base_address`)."""
        base_address(self.base_url)

    def page(self, path: str) -> str:
        """An absolute link to a page of the app ("/today").

        Raises:
            BadConfigError: base_url is not set or not http(s).
        """
        return base_address(self.base_url) + path

    def one_click(
        self, user_id: int, touch_id: int, action: str, *, now: datetime | None = None
    ) -> str:
        """A one-click link doing ``action`` on one touch (signed, one use)."""
        return self.page(LINK_PATH + make_token(self.secret, user_id, touch_id, action, now=now))


def read_token(secret: str, token: str, *, now: datetime | None = None) -> Link:
    """What a token says, once its signature and age are checked (it is not used up).

    Raises:
        NotFoundError: not a token this app signed (changed, cut short, another secret).
        GoneError: older than :data:`MAX_AGE`.
    """
    serializer = _serializer(secret, now)
    try:
        payload, issued = serializer.loads(
            token, max_age=int(MAX_AGE.total_seconds()), return_timestamp=True
        )
    except SignatureExpired as e:
        made = e.date_signed or datetime.now(UTC)
        ended = day_label(made.date() + MAX_AGE, (now or datetime.now(UTC)).date())
        raise GoneError(
            f"this link expired on {ended}: links in the digest work"
            f" for {MAX_AGE.days} days. Open Today in cardscan instead."
        ) from None
    except BadSignature:
        raise NotFoundError(
            "this link is not valid: it may have been cut short. Open Today in cardscan."
        ) from None
    try:
        return Link(
            user_id=int(payload["u"]),
            touch_id=int(payload["t"]),
            action=str(payload["a"]),
            link_id=str(payload["n"]),
            issued=issued,
        )
    except (KeyError, TypeError, ValueError):
        raise NotFoundError("this link is not valid. Open Today in cardscan.") from None


def check_unused(store: Store, link: Link, *, now: datetime | None = None) -> Link:
    """The link, if it was not used yet.

    Raises:
        GoneError: used before (saying when, in the user's time zone).
    """
    used = store.links.used(link.link_id)
    if used is not None:
        raise GoneError(_used_message(store, link, used, now))
    return link


def _used_message(store: Store, link: Link, used: datetime, now: datetime | None = None) -> str:
    prefs = store.outreach.prefs(link.user_id)
    at = local_now(prefs, used)
    day = day_label(at.date(), local_now(prefs, now).date())
    return (
        f"this link was already used, on {day} at {at:%H:%M}: each link in the digest works once."
    )


def use_token(
    store: Store, secret: str, token: str, today: date, *, now: datetime | None = None
) -> TouchAct:
    """Do what a link says (done, or snooze a week), once.

    The link is recorded as used in the same transaction as the act: either both happen
    or neither does, and a second use, here or on another server, is refused.

    Returns:
        The act (which the app can undo like any other).

    Raises:
        NotFoundError: a bad link, or its touch is gone.
        GoneError: expired, or used before.
        ConflictError: the touch was closed already (done or skipped in the app).
    """
    now = now or datetime.now(UTC)
    link = read_token(secret, token, now=now)
    with store.atomic():
        used = store.links.use(link.link_id, link.user_id, link.touch_id, link.action, now)
        if used is not None:
            raise GoneError(_used_message(store, link, used, now))
        touch = store.touches.get(link.user_id, link.touch_id)
        if not touch.is_open:
            raise ConflictError(f"this follow-up ({touch.title}) is {touch.status} already.")
        theirs = FollowUps(store, link.user_id, today, now)
        return act(theirs, link.touch_id, link.action, via="mail")
