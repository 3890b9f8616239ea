"""``cardscan doctor`` over real sockets: the app at base_url, a proxy in front, certificates."""

from __future__ import annotations

import http.client
import json
from dataclasses import replace
from pathlib import Path

import pytest

from cardscan.doctor.network import check_reachable, check_tls
from cardscan.settings import Settings, load_settings
from tests.support import hardening as h
from tests.support.network import closed_port, make_pki, proxy, serving


def _messages(check) -> str:
    return " | ".join(f"{p.message} FIX {p.fix}" for p in check.problems)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    """A test authority, two certificates for 127.0.0.1 it signed (60 and 5 days), and a
    self-signed one."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return load_settings({"data": str(tmp_path / "data")}, environ={})


def test_reached_directly(settings):
    with serving(settings) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert check.ok, _messages(check)
    assert f"seen by the app as {url}/" in check.found


def test_nothing_listens_at_base_url(settings):
    url = f"http://127.0.0.1:{closed_port()}"
    check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert "connection was refused" in _messages(check)


def test_base_url_host_does_not_resolve(settings):
    check = check_reachable(replace(settings, base_url="https://cards.invalid"), timeout=5)
    assert "does not resolve" in _messages(check)


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404"), (502, "cannot reach cardscan")])
def test_something_else_answers(settings, status, words):
    with proxy("http://127.0.0.1:9", forwarded=False, status=status) as port:
        check = check_reachable(replace(settings, base_url=f"http://localhost:{port}"), timeout=5)
    assert words in _messages(check) and "not cardscan's health answer" in _messages(check)


def test_proxy_that_drops_the_forwarded_headers(settings):
    with serving(settings) as url, proxy(url, forwarded=False) as port:
        base = f"http://localhost:{port}"
        check = check_reachable(replace(settings, base_url=base), timeout=5)
    assert f"the app sees requests to {base} as {url}/" in _messages(check)
    assert "X-Forwarded-Proto and X-Forwarded-Host" in _messages(check)


def test_proxy_that_passes_the_headers_to_an_app_that_trusts_them(settings):
    trusting = replace(settings, behind_proxy=True)
    with serving(trusting) as url, proxy(url, forwarded=True) as port:
        base = f"http://localhost:{port}"
        check = check_reachable(replace(trusting, base_url=base), timeout=5)
    assert check.ok, _messages(check)


def test_untrusted_certificate(settings, pki):
    with serving(settings, pki["self"], pki["self.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert url.startswith("https://")
    assert "certificate this machine does not trust" in _messages(check)


def test_certificate_about_to_end(settings, pki, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(pki["ca"]))  # this machine trusts the test CA
    with serving(settings, pki["long"], pki["long.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert check.ok, _messages(check)
    assert "certificate valid 60 more days" in check.found or "valid 59 more" in check.found
    with serving(settings, pki["short"], pki["short.key"]) as url:
        check = check_reachable(replace(settings, base_url=url), timeout=5)
    assert "the certificate of" in _messages(check) and "ends in" in _messages(check)


def test_tls_files(settings, pki):
    good = replace(
        settings, host="0.0.0.0", tls_cert=str(pki["long"]), tls_key=str(pki["long.key"])
    )
    assert check_tls(good).ok
    assert "only one of tls_cert and tls_key" in _messages(check_tls(replace(good, tls_key="")))
    missing = replace(good, tls_key=str(pki["long"].parent / "nope.pem"))
    assert "does not exist" in _messages(check_tls(missing))
    mismatched = replace(good, tls_key=str(pki["short.key"]))
    assert "cannot be used with the key" in _messages(check_tls(mismatched))


def test_waitress_passes_the_proxy_headers_when_behind_aproxy(settings):
    # Waitress strips X-Forwarded-* unless told otherwise: behind_proxy must reach ProxyFix.
    for trusting, seen in ((True, "https://cards.example.org/"), (False, None)):
        with serving(replace(settings, behind_proxy=trusting)) as url:
            conn = http.client.HTTPConnection(url.split("://")[1], timeout=5)
            conn.request(
                "GET",
                "/healthz",
                headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cards.example.org"},
            )
            answer = json.loads(conn.getresponse().read())
            conn.close()
        assert answer["url"] == (seen or f"{url}/")


@pytest.mark.slow
def test_serve_prints_the_quick_checks_at_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    with h.serving(data) as server:
        log = server.log.read_text()
    assert "WARN  Data directory" in log and f"chmod -R go= {data}" in log
    assert "Run `cardscan doctor` for the full check." in log
    assert log.index("WARN  Data directory") < log.index("cardscan serving")


# --- the OCR queue ------------------------------------------------------------------------------


def test_queue_in_the_data_directory(settings):
    from cardscan.doctor.network import check_queue

    check = check_queue(settings, timeout=2)
    assert check.ok and "queue.db" in check.found


def test_redis_queue(settings, redis_url):
    from cardscan.doctor.network import check_queue

    check = check_queue(replace(settings, queue_url=redis_url), timeout=5)
    assert check.ok and check.found.endswith("answers")


def test_redis_that_is_not_there(settings):
    from cardscan.doctor.network import check_queue

    url = f"redis://127.0.0.1:{closed_port()}/0"
    check = check_queue(replace(settings, queue_url=url), timeout=5)
    assert "connection was refused" in _messages(check)
    assert "Uploads wait in the database" in _messages(check)
    assert check.problems[0].severity == "error"


def test_redis_that_wants_a_password(settings, redis_url):
    import redis

    from cardscan.doctor.network import check_queue

    admin = redis.Redis.from_url(redis_url)
    admin.config_set("requirepass", "s3cret")
    try:
        check = check_queue(replace(settings, queue_url=redis_url), timeout=5)
        with_password = redis_url.replace("redis://", "redis://:s3cret@")
        good = check_queue(replace(settings, queue_url=with_password), timeout=5)
    finally:
        admin = redis.Redis.from_url(redis_url, password="s3cret")
        admin.config_set("requirepass", "")
        admin.close()
    assert "did not accept the login (a password missing or wrong)" in _messages(check)
    assert good.ok and ":***@" in good.found and "s3cret" not in good.found


def test_queue_url_that_is_not_redis(settings):
    from cardscan.doctor.network import check_queue

    check = check_queue(replace(settings, queue_url="http://queue.lan:6379"), timeout=2)
    assert "is not a Redis URL" in _messages(check)
