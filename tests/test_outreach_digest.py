"""The digest e-mail: when it is due, what it says, once a day, retries; and the whole way
through: `cardscan digest send` to a real SMTP server, its Done link opened in the real app
over HTTP (a question, then the act), refused when used or expired."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.errors import BadConfigError
from cardscan.followups import FollowUps
from cardscan.models import Contact, OutreachPrefs
from cardscan.outreach import save_prefs
from cardscan.outreach.digest import Digests, compose, due_day, status_line
from cardscan.outreach.links import MAX_AGE, DigestLinks, make_token, read_token, secret_key
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.support.hardening import free_port
from tests.support.mailbox import serving
from tests.support.stores import open_store

BASE = "https://cards.example.org"
SECRET = "test secret"
LINKS = DigestLinks(BASE, SECRET)


@pytest.fixture
def ana(store):
    """Ana (in Lisbon, digest at 08:00) met Rui and Kim at Web Summit, which ended the day
    before yesterday: their thank-yous are a day late today."""
    user = store.users.add("ana", "correct horse battery")
    save_prefs(store, user.id, email="ana@example.org", timezone="Europe/Lisbon")
    today = date.today()
    event = store.events.add(
        user.id, "Web Summit", today - timedelta(days=4), today - timedelta(days=2), "Lisbon"
    )
    for name, company in (("Rui Costa", "Acme"), ("Kim Lee", "Globex")):
        record = store.contacts.add(
            user.id,
            Contact(name=name, company=company, emails=[f"{name.split()[0].lower()}@x.example"]),
            event_id=event.id,
        )
        store.reasons.add(user.id, record.id, "send deck", "deck")
        store.contacts.update(user.id, record.id, {"private_notes": f"{name} likes <b>bold</b>"})
        FollowUps(store, user.id, today - timedelta(days=1)).plan_contact(record.id)
    return user


def test_due_at_the_users_hour_in_their_time_zone():
    lisbon = OutreachPrefs(1, email="a@x.org", digest_hour=8, timezone="Europe/Lisbon")
    auckland = OutreachPrefs(1, email="a@x.org", digest_hour=8, timezone="Pacific/Auckland")
    at = datetime(2026, 12, 8, 7, 59, tzinfo=UTC)  # 07:59 in Lisbon, 20:59 in Auckland
    assert due_day(lisbon, at) is None
    assert due_day(lisbon, at + timedelta(minutes=1)) == date(2026, 12, 8)
    assert due_day(auckland, at) == date(2026, 12, 8)
    assert due_day(auckland, datetime(2026, 12, 8, 18, 59, tzinfo=UTC)) is None  # 07:59 there
    assert due_day(auckland, datetime(2026, 12, 8, 19, 0, tzinfo=UTC)) == date(2026, 12, 9)
    weekly = OutreachPrefs(1, email="a@x.org", digest="weekly", digest_weekday=0, timezone="UTC")
    assert due_day(weekly, datetime(2026, 12, 7, 9, tzinfo=UTC)) == date(2026, 12, 7)  # Monday
    assert due_day(weekly, datetime(2026, 12, 8, 9, tzinfo=UTC)) is None
    assert due_day(OutreachPrefs(1, digest="off"), at + timedelta(hours=5)) is None


def test_the_digest_lists_who_why_where_and_the_links(store, ana):
    now = datetime.now(UTC)
    mail = compose(
        store,
        ana,
        store.outreach.prefs(ana.id),
        date.today(),
        links=LINKS,
        now=now,
    )
    assert mail.to == "ana@example.org"
    assert mail.subject == "Two follow-ups today (2 overdue): Rui Costa, Kim Lee"
    for part in (mail.text, mail.html):
        assert "Rui Costa" in part and "send deck" in part and "1 day late" in part
        assert "met at Web Summit, Lisbon" in part
        assert "likes" in part  # the last note
        assert f"{BASE}/contacts/" in part and f"{BASE}/settings/#digest" in part
    assert "<b>bold</b>" not in mail.html and "&lt;b&gt;bold&lt;/b&gt;" in mail.html
    assert "mailto:rui@x.example?subject=" in mail.html
    # Inline styles only, nothing fetched from elsewhere.
    assert "<style" not in mail.html and "<link" not in mail.html and "<img" not in mail.html
    assert not re.search(r"url\(|src=", mail.html)
    [first, second] = mail.entries
    link = read_token(SECRET, first.done_url.rsplit("/r/", 1)[1])
    assert (link.user_id, link.touch_id, link.action) == (ana.id, first.item.touch.id, "done")
    assert first.done_url != second.done_url and first.snooze_url.startswith(f"{BASE}/r/")


def test_nothing_due_sends_nothing_and_says_so(store, tmp_path):
    user = store.users.add("ben", "another long secret")
    save_prefs(store, user.id, email="ben@example.org")
    with serving() as box:
        settings = load_settings({"data": str(tmp_path), **box.settings()}, environ={})
        outcome = Digests(store, settings, LINKS).deliver(user, any_hour=True)
    assert outcome.status == "empty" and box.messages == []
    assert status_line(store.digests.last(user.id), UTC).startswith("nothing to send today")


def test_once_a_day_even_when_two_servers_send_at_once(store, ana, tmp_path):
    now = datetime.now(UTC).replace(hour=12)
    with serving() as box:
        settings = load_settings({"data": str(tmp_path), **box.settings()}, environ={})
        results: list = []

        def server() -> None:
            with Store.open(store.data_dir) as own:
                results.extend(Digests(own, settings, LINKS).send_due(now=now))

        threads = [threading.Thread(target=server) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        again = Digests(store, settings, LINKS).send_due(now=now)
    assert len(box.messages) == 1 and [r.status for r in results] == ["sent"]
    assert again == []  # already sent today: the clock's next pass does nothing
    assert status_line(store.digests.last(ana.id), UTC).startswith("sent today at 12:")


def test_a_failed_digest_is_retried_and_the_failure_shown(store, ana, tmp_path):
    port = free_port()
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_tls": "none",
        "smtp_from": "cards@example.org",
    }
    settings = load_settings({"data": str(tmp_path), **values}, environ={})
    # Lisbon is UTC+0 in winter, +1 in summer: 10:00 UTC is mid-morning there either way.
    now = datetime.combine(date.today(), datetime.min.time(), UTC).replace(hour=10)
    failed = Digests(store, settings, LINKS).deliver(ana, now=now)
    assert failed.status == "failed" and "connection refused" in failed.message
    line = status_line(store.digests.last(ana.id), UTC)
    assert (
        "failed today at 10:00: cannot reach 127.0.0.1" in line and "Trying again at 10:05" in line
    )
    # Too early to retry; then the server is back and the retry goes out.
    early = Digests(store, settings, LINKS).deliver(ana, now=now + timedelta(minutes=2))
    assert early.status == "already"
    box_settings = load_settings({"data": str(tmp_path), **values}, environ={})
    with serving() as box:
        box_settings = load_settings({"data": str(tmp_path), **box.settings()}, environ={})
        retried = Digests(store, box_settings, LINKS).deliver(ana, now=now + timedelta(minutes=5))
    assert retried.status == "sent" and len(box.messages) == 1
    assert store.digests.last(ana.id).attempts == 2


def test_no_mail_server_or_address_claims_nothing(store, ana, tmp_path):
    settings = load_settings({"data": str(tmp_path)}, environ={})
    with pytest.raises(BadConfigError, match="no SMTP server"):
        Digests(store, settings, LINKS).deliver(ana, any_hour=True)
    assert store.digests.last(ana.id) is None
    with serving() as box:
        ok = load_settings({"data": str(tmp_path), **box.settings()}, environ={})
        with pytest.raises(BadConfigError, match="set base_url"):
            Digests(store, ok, DigestLinks("", SECRET)).deliver(ana, any_hour=True)
    assert store.digests.last(ana.id) is None


# --- the whole way: CLI, SMTP, the app over HTTP --------------------------------------------


class _Form(HTMLParser):
    """The confirmation page's form: its method and button."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _post(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_digest_to_smtp_then_its_done_link_in_the_app(tmp_path):
    from web import create_app
    from web.server import make_server

    data = tmp_path / "data"
    with open_store(data) as store:
        user = store.users.add("ana", "correct horse battery")
        today = date.today()
        event = store.events.add(user.id, "Expo", today - timedelta(days=3), today - timedelta(1))
        record = store.contacts.add(
            user.id, Contact(name="Rui Costa", emails=["rui@x.example"]), event_id=event.id
        )
        store.reasons.add(user.id, record.id, "send deck", "deck")
        FollowUps(store, user.id, today).plan_contact(record.id)
        touch = store.touches.all(user.id)[0]
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["--data", str(data), "user", "email", "ana", "ana@example.org"], env={}
        ).exit_code
        == 0
    )
    settings = load_settings({"data": str(data)}, environ={})
    server = make_server(create_app({"CARDSCAN_SETTINGS": settings}), "127.0.0.1", 0)
    server.start_in_thread()
    try:
        with serving() as box:
            env = {f"CARDSCAN_{k.upper()}": str(v) for k, v in box.settings().items()}
            env["CARDSCAN_BASE_URL"] = server.url
            sent = runner.invoke(cli, ["--data", str(data), "digest", "send"], env=env)
            assert sent.exit_code == 0, sent.output
            assert "ana: sent 1 follow-up to ana@example.org." in sent.output
            second = runner.invoke(cli, ["--data", str(data), "digest", "send"], env=env)
            assert second.exit_code == 0 and "nothing sent" in second.output
        [message] = box.messages  # the second send sent nothing
        text = message.get_body(("plain",)).get_content()
        done_url = re.search(r"Done: (\S+)", text)[1]
        assert done_url.startswith(server.url + "/r/")
        # A mail scanner's GET changes nothing: it gets the question.
        status, page = _get(done_url)
        assert status == 200 and "Mark done?" in page and "Rui Costa" in page
        assert _get(done_url)[0] == 200
        with Store.open(data) as store:
            assert store.touches.get(user.id, touch.id).status == "due"
        parser = _Form()
        parser.feed(page)
        assert [f.get("method") for f in parser.forms if "logout" not in f.get("class", "")] == [
            "post"
        ]
        status, page = _post(done_url)  # no session, no CSRF token: the signature decides
        assert status == 200 and "Marked done: send deck" in page
        with Store.open(data) as store:
            assert store.touches.get(user.id, touch.id).status == "done"
            [act] = store.acts.all(user.id)
            assert act.via == "mail"
        # The same link again is refused, on GET and POST.
        for answer in (_get(done_url), _post(done_url)):
            assert answer[0] == 410 and "already used" in answer[1]
            assert (
                "This link no longer works</h1>" in answer[1]
                and "Mark done</button>" not in answer[1]
            )
        # An expired link, and a forged one.
        secret = secret_key(data)
        old = make_token(
            secret,
            user.id,
            touch.id,
            "snooze",
            now=datetime.now(UTC) - MAX_AGE - timedelta(minutes=1),
        )
        status, page = _get(f"{server.url}/r/{old}")
        assert status == 410 and "expired" in page
        assert _post(f"{server.url}/r/{old}")[0] == 410
        forged = make_token("another secret", user.id, touch.id, "done")
        assert _post(f"{server.url}/r/{forged}")[0] == 404
    finally:
        server.stop()


def test_the_servers_clock_sends_when_due_and_logs_a_missing_setting_once(
    store, ana, tmp_path, caplog
):
    from cardscan.outreach.scheduler import DigestScheduler

    now = datetime.combine(date.today(), datetime.min.time(), UTC).replace(hour=10)
    no_sender = load_settings({"data": str(tmp_path), "smtp_host": "127.0.0.1"}, environ={})
    clock = DigestScheduler(store.data_dir, no_sender, base_url=BASE, interval=0.05)
    assert clock.tick(now) == [] and clock.tick(now) == []
    assert [r.message for r in caplog.records].count(
        "digest: the digest needs a sender address: set smtp_from (e.g. 'cardscan"
        " <cards@example.org>')."
    ) == 1
    with serving() as box:
        settings = load_settings({"data": str(tmp_path), **box.settings()}, environ={})
        clock = DigestScheduler(store.data_dir, settings, base_url=BASE, interval=0.05)
        early = now.replace(hour=6)  # before Ana's 08:00 in Lisbon, summer time or not
        assert clock.tick(early) == []
        [sent] = clock.tick(now)
        assert sent.status == "sent" and clock.tick(now) == []
        clock.start()  # the thread: later passes send nothing more today
        threading.Event().wait(0.3)
        clock.stop()
    assert len(box.messages) == 1
