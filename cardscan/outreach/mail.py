"""Sending mail over SMTP: the standard library's ``smtplib`` is the client, with TLS as
the settings say (``none``, ``starttls`` or ``ssl``) and certificates checked by ``ssl``'s
default context (which honours ``SSL_CERT_FILE`` for a private CA).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from cardscan.errors import BadConfigError, MailError
from cardscan.settings import Settings

TLS_MODES = ("starttls", "ssl", "none")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send."""

    host: str
    port: int
    tls: str  # one of TLS_MODES
    sender: str  # the From header, e.g. "cardscan <cards@example.org>"
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    @property
    def sender_address(self) -> str:
        """The bare address of the sender."""
        return parseaddr(self.sender)[1]


def smtp_config(settings: Settings) -> SmtpConfig:
    """The SMTP server from the settings.

    Raises:
        BadConfigError: no server, an unknown TLS mode or no sender address.
    """
    if not settings.smtp_host.strip():
        raise BadConfigError(
            "no SMTP server is set, so no mail can go out: set smtp_host (CARDSCAN_SMTP_HOST),"
            " and smtp_user, smtp_password and smtp_from as your mail provider says."
        )
    tls = settings.smtp_tls.strip().lower()
    if tls not in TLS_MODES:
        raise BadConfigError(
            f"smtp_tls {settings.smtp_tls!r} is not one of {', '.join(TLS_MODES)}: use starttls"
            " for port 587, ssl for port 465."
        )
    sender = settings.smtp_from.strip() or settings.smtp_user.strip()
    if "@" not in parseaddr(sender)[1]:
        raise BadConfigError(
            f"the digest needs a sender address: set smtp_from (e.g. 'cardscan"
            f" <cards@example.org>'){'; smtp_user is not an address' if sender else ''}."
        )
    return SmtpConfig(
        host=settings.smtp_host.strip(),
        port=settings.smtp_port or _DEFAULT_PORTS[tls],
        tls=tls,
        sender=sender,
        user=settings.smtp_user.strip(),
        password=settings.smtp_password,
    )


def build_message(
    config: SmtpConfig,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    now: datetime | None = None,
) -> EmailMessage:
    """A message with a plain-text part and, when given, an HTML alternative.

    Marked ``Auto-Submitted: auto-generated`` (RFC 3834) so that out-of-office replies
    are not sent back to it.
    """
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now or datetime.now(UTC))
    domain = config.sender_address.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid("cardscan", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config.tls == "ssl":
        return smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    if config.tls == "starttls":
        try:
            smtp.starttls(context=context)
        except smtplib.SMTPNotSupportedError:
            smtp.close()
            raise MailError(
                f"{config.host}:{config.port} does not offer STARTTLS: set smtp_tls to ssl (port"
                " 465), or to none for a server on this machine."
            ) from None
    return smtp


def send(config: SmtpConfig, message: EmailMessage) -> None:
    """Send one message.

    Raises:
        MailError: the server could not be reached, TLS failed, or the server refused the
            login, the sender or the recipient (the message says which, and what to check).
    """
    _session(config, message)


def check_server(config: SmtpConfig) -> None:
    """Reach the server, start TLS and log in as :func:`send` does, sending nothing (for
    ``cardscan doctor``).

    Raises:
        MailError: as :func:`send` says it.
    """
    _session(config, None)


def _session(config: SmtpConfig, message: EmailMessage | None) -> None:
    """One SMTP session (a message sent, or only the login); failures as ``MailError``."""
    where = f"{config.host}:{config.port}"
    try:
        with _connect(config) as smtp:
            if config.user:
                smtp.login(config.user, config.password)
            if message is not None:
                smtp.send_message(message)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as e:
        raise MailError(
            f"{where} refused the login of {config.user!r} ({_reply(e)}): check smtp_user and"
            " smtp_password."
        ) from None
    except smtplib.SMTPRecipientsRefused as e:
        refused = ", ".join(e.recipients) or (message["To"] if message else "")
        raise MailError(f"{where} refused the address {refused}: check it in settings.") from None
    except smtplib.SMTPSenderRefused as e:
        raise MailError(
            f"{where} refused the sender {config.sender_address} ({_reply(e)}): set smtp_from to an"
            " address this server lets you send from."
        ) from None
    except ssl.SSLError as e:
        raise MailError(
            f"TLS with {where} failed: {e.reason or e}. Check the server's certificate (or"
            " SSL_CERT_FILE for a private CA) and smtp_tls."
        ) from None
    except smtplib.SMTPException as e:
        raise MailError(f"{where} did not take the mail: {_reply(e) or e}.") from None
    except TimeoutError:
        raise MailError(f"{where} did not answer within {config.timeout:.0f} s.") from None
    except OSError as e:
        reason = (e.strerror or str(e)).lower()
        raise MailError(f"cannot reach {where}: {reason}. Check smtp_host and smtp_port.") from None


def _reply(error: smtplib.SMTPException) -> str:
    """The server's reply in an SMTP error, as text ("535 bad credentials")."""
    code = getattr(error, "smtp_code", None)
    text = getattr(error, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(text)
