"""Sending mail to a real SMTP server on loopback (aiosmtpd): plain, STARTTLS and implicit
TLS, a login, and every way it fails saying what to fix."""

from __future__ import annotations

import pytest

from cardscan.errors import BadConfigError, MailError
from cardscan.outreach.mail import build_message, send, smtp_config
from cardscan.settings import load_settings
from tests.support.hardening import free_port
from tests.support.mailbox import PASSWORD, USER, serving


@pytest.fixture
def cert(self_signed):
    """The session's certificate for 127.0.0.1 (tests/conftest.py), for the SMTP server."""
    return self_signed


def _config(tmp_path, **values):
    return smtp_config(load_settings({"data": str(tmp_path), **values}, environ={}))


def _message(config):
    return build_message(
        config, "ana@example.org", "Two follow-ups today", "Plain words", "<p>HTML words</p>"
    )


def test_plain_smtp_delivers_both_parts(tmp_path):
    with serving("none") as box:
        config = _config(tmp_path, **box.settings())
        send(config, _message(config))
    [message] = box.messages
    assert box.recipients == [["ana@example.org"]]
    assert message["Subject"] == "Two follow-ups today"
    assert message["From"] == "cardscan <cards@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words"
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML words</p>"


def test_starttls_with_a_login(tmp_path, cert, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))  # trust the test's own certificate
    with serving("starttls", cert=cert, login=True) as box:
        config = _config(tmp_path, **box.settings(smtp_user=USER, smtp_password=PASSWORD))
        send(config, _message(config))
        assert len(box.messages) == 1
        wrong = _config(tmp_path, **box.settings(smtp_user=USER, smtp_password="nope"))
        with pytest.raises(MailError, match="refused the login of 'cards@example.org'"):
            send(wrong, _message(wrong))


def test_implicit_tls(tmp_path, cert, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    with serving("ssl", cert=cert) as box:
        config = _config(tmp_path, **box.settings())
        send(config, _message(config))
    assert len(box.messages) == 1


def test_a_certificate_nobody_vouches_for_is_refused(tmp_path, cert):
    with serving("starttls", cert=cert) as box:
        config = _config(tmp_path, **box.settings())
        with pytest.raises(MailError, match="TLS with 127.0.0.1:.* failed: CERTIFICATE_VERIFY"):
            send(config, _message(config))
    assert box.messages == []


def test_a_server_without_starttls_is_not_sent_to_in_clear(tmp_path):
    with serving("none") as box:
        config = _config(tmp_path, **box.settings(smtp_tls="starttls"))
        with pytest.raises(MailError, match="does not offer STARTTLS: set smtp_tls to ssl"):
            send(config, _message(config))
    assert box.messages == []


def test_nobody_listening(tmp_path):
    port = free_port()
    config = _config(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_tls="none",
        smtp_from="cards@example.org",
    )
    with pytest.raises(MailError, match=f"cannot reach 127.0.0.1:{port}: connection refused"):
        send(config, _message(config))


@pytest.mark.parametrize(
    "values, message",
    [
        ({}, "no SMTP server is set"),
        ({"smtp_host": "mail.example.org", "smtp_tls": "tls"}, "smtp_tls 'tls' is not one of"),
        ({"smtp_host": "mail.example.org"}, "needs a sender address: set smtp_from"),
        ({"smtp_host": "mail.example.org", "smtp_user": "ana"}, "smtp_user is not an address"),
    ],
)
def test_settings_that_cannot_send_say_what_to_set(tmp_path, values, message):
    with pytest.raises(BadConfigError, match=message):
        _config(tmp_path, **values)


def test_the_port_follows_the_tls_mode(tmp_path):
    ports = {
        tls: _config(tmp_path, smtp_host="m.example.org", smtp_tls=tls, smtp_user="a@b.org").port
        for tls in ("starttls", "ssl", "none")
    }
    assert ports == {"starttls": 587, "ssl": 465, "none": 25}
