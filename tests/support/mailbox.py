"""A real SMTP server on loopback for the tests (aiosmtpd): plain, STARTTLS or implicit TLS,
with or without a login; it keeps every message it accepts."""

from __future__ import annotations

import contextlib
import email
import email.policy
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.hardening import free_port

USER, PASSWORD = "cards@example.org", "smtp secret"


@dataclass
class Mailbox:
    """What the server received, and where it listens."""

    host: str
    port: int
    tls: str
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    def settings(self, **more: object) -> dict[str, object]:
        """Settings overrides that send to this server."""
        values: dict[str, object] = {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_tls": self.tls,
            "smtp_from": "cardscan <cards@example.org>",
        }
        values.update(more)
        return values

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@contextlib.contextmanager
def serving(
    tls: str = "none", *, cert: tuple[Path, Path] | None = None, login: bool = False
) -> Iterator[Mailbox]:
    """Run the server until the block ends. ``tls``: none, starttls or ssl (needs ``cert``);
    ``login``: require USER/PASSWORD."""
    box = Mailbox("127.0.0.1", free_port(), tls)
    kwargs: dict[str, object] = {}
    if tls in ("starttls", "ssl"):
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs["ssl_context" if tls == "ssl" else "tls_context"] = context
        if tls == "starttls":
            kwargs["require_starttls"] = True
    if login:
        kwargs.update(authenticator=_authenticate, auth_required=True)
    controller = Controller(box, hostname=box.host, port=box.port, **kwargs)
    if tls == "ssl":
        # The controller's own readiness check speaks plain SMTP; skip it for implicit TLS.
        controller.ready_timeout = 5
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
