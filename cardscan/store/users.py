"""Accounts: hashed passwords, the calendar feed token, API tokens.

Passwords are hashed with ``hashlib.scrypt`` (standard library, memory-hard; the cost
parameters are stored in each hash so they can be raised later without breaking old
accounts). The store stays free of the web framework that way. Secrets are compared with
``hmac.compare_digest``; tokens are looked up by their sha256, so a lookup never compares
the secret itself.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from typing import Any

from cardscan.errors import AuthError, NotFoundError, ValidationError
from cardscan.models import User
from cardscan.store._base import Part, new_token, now, token_sha256, writes
from cardscan.store.rows import user_from_row

MIN_PASSWORD = 8
#: scrypt cost: n=2**15, r=8, p=1 takes about 0.1 s and 32 MB (OWASP's recommended minimum).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    """A salted scrypt hash as ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches a hash made by :func:`hash_password` (constant time)."""
    try:
        method, n, r, p, salt, digest = stored.split("$")
        if method != "scrypt":
            return False
        got = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=32
    )


class Users(Part):
    """Accounts and their secrets."""

    #: scrypt cost for new hashes (tests lower it to keep the suite fast).
    password_cost: int = SCRYPT_N

    def add(self, name: str, password: str) -> User:
        """Create an account.

        Args:
            name: the login name, unique.
            password: at least 8 characters.

        Returns:
            The new user.

        Raises:
            ValidationError: the name is empty or taken, or the password is too short.
        """
        name = (name or "").strip()
        if not name:
            raise ValidationError("a user needs a name: give one, e.g. `cardscan user add ana`.")
        if len(password or "") < MIN_PASSWORD:
            raise ValidationError(
                f"the password for {name!r} is too short: use at least {MIN_PASSWORD} characters."
            )
        token = new_token()
        password_hash = hash_password(password, n=self.password_cost)
        with self.atomic():
            if self.db.execute("select 1 from users where name = ?", [name]).fetchone():
                raise ValidationError(f"user {name!r} already exists: choose another name.")
            row_id = self._insert(
                "users",
                {
                    "name": name,
                    "password_hash": password_hash,
                    "feed_token": token,
                    "feed_token_sha256": token_sha256(token),
                    "created": now().isoformat(),
                },
            )
        return self.get(row_id)

    def check_password(self, name: str, password: str) -> User:
        """The user with this name and password.

        Raises:
            AuthError: unknown name or wrong password (the message does not say which).
        """
        rows = list(self.db.query("select * from users where name = ?", [(name or "").strip()]))
        # Hash even for an unknown name, so timing does not reveal which names exist.
        stored = rows[0]["password_hash"] if rows else _dummy_hash()
        if not verify_password(password or "", stored) or not rows:
            raise AuthError("wrong user name or password.")
        return user_from_row(rows[0])

    @writes
    def set_password(self, user_id: int, password: str) -> None:
        """Replace a user's password (and end the user's sessions everywhere).

        Raises:
            ValidationError: the password is too short.
            NotFoundError: no such user.
        """
        if len(password or "") < MIN_PASSWORD:
            raise ValidationError(f"password too short: use at least {MIN_PASSWORD} characters.")
        self.get(user_id)
        self.db.table("users").update(
            user_id, {"password_hash": hash_password(password, n=self.password_cost)}
        )
        self.end_sessions(user_id)  # a new password logs out every browser that had the old

    def change_password(self, user_id: int, current: str, new: str) -> User:
        """Replace a user's password after checking the current one; ends every session.

        Returns:
            The user, with the new session epoch (to keep the caller's own session).

        Raises:
            AuthError: the current password is wrong.
            ValidationError: the new password is too short, or the two are the same.
            NotFoundError: no such user.
        """
        user = self.get(user_id)
        self.check_password(user.name, current)
        if new == current:
            raise ValidationError("the new password is the same as the current one.")
        self.set_password(user_id, new)
        return self.get(user_id)

    @writes
    def end_sessions(self, user_id: int) -> int:
        """Log the user out everywhere: every session cookie issued so far stops working.

        The web app keeps ``User.session_epoch`` in the session at login and compares it on
        each request; raising it here makes older cookies (copied ones included) invalid.

        Returns:
            The new epoch.

        Raises:
            NotFoundError: no such user.
        """
        self.get(user_id)
        self.db.execute(
            "update users set session_epoch = session_epoch + 1 where id = ?", [user_id]
        )
        return self.get(user_id).session_epoch

    def get(self, user_id: int) -> User:
        """The user with this id.

        Raises:
            NotFoundError: no such user.
        """
        return user_from_row(self._row("users", user_id, None, "user"))

    def by_name(self, name: str) -> User:
        """The user with this name.

        Raises:
            NotFoundError: no such user.
        """
        rows = list(self.db.query("select * from users where name = ?", [name]))
        if not rows:
            raise NotFoundError(f"no user {name!r}: create it with `cardscan user add {name}`.")
        return user_from_row(rows[0])

    def all(self) -> list[User]:
        """Every account, by name."""
        return [user_from_row(r) for r in self.db.query("select * from users order by name")]

    def pick(self, name: str | None = None) -> User:
        """The user named, or the only user when no name is given (for the CLI's --user).

        Raises:
            NotFoundError: no such user, or no users at all.
            ValidationError: no name given and there are several users.
        """
        if name:
            return self.by_name(name)
        users = self.all()
        if len(users) == 1:
            return users[0]
        if not users:
            raise NotFoundError("there are no users yet: create one with `cardscan user add NAME`.")
        names = ", ".join(u.name for u in users)
        raise ValidationError(
            f"there are {len(users)} users ({names}): say which with --user NAME."
        )

    def feed_token(self, user_id: int) -> str:
        """The secret in this user's calendar feed URL."""
        return str(self._row("users", user_id, None, "user")["feed_token"])

    @writes
    def rotate_feed_token(self, user_id: int) -> str:
        """Replace the feed token (the old URL stops working) and return the new one."""
        self.get(user_id)
        token = new_token()
        self.db.table("users").update(
            user_id, {"feed_token": token, "feed_token_sha256": token_sha256(token)}
        )
        return token

    def by_feed_token(self, token: str) -> User:
        """The user whose feed this token opens.

        Raises:
            NotFoundError: no user has this token (a rotated one included).
        """
        rows = list(
            self.db.query(
                "select * from users where feed_token_sha256 = ?", [token_sha256(token or "")]
            )
        )
        if not rows or not hmac.compare_digest(rows[0]["feed_token"], token or ""):
            raise NotFoundError("no calendar feed at this address: copy the current link again.")
        return user_from_row(rows[0])

    @writes
    def create_api_token(self, user_id: int, label: str) -> str:
        """A new API token for scripts; returned once, only its sha256 is kept."""
        self.get(user_id)
        return self.add_token(
            "api_tokens", {"user_id": user_id, "label": (label or "").strip() or "token"}
        )

    def by_api_token(self, token: str) -> User:
        """The user an API token belongs to.

        Raises:
            AuthError: unknown or revoked token.
        """
        unknown = "unknown or revoked API token: create one with `cardscan token create`."
        return self.get(self.used_token("api_tokens", token, unknown)["user_id"])

    def api_tokens(self, user_id: int) -> list[dict[str, Any]]:
        """This user's API tokens (id, label, created, last_used, revoked), never the secrets."""
        return self.tokens("api_tokens", user_id)

    @writes
    def revoke_api_token(self, user_id: int, token_id: int) -> None:
        """Revoke one of this user's API tokens.

        Raises:
            NotFoundError: the user has no token with this id.
        """
        self.revoke_token("api_tokens", token_id, user_id, "API token")


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not a real password")
