"""The store's part in reaching the user: preferences, templates, digest claims, used links
and one-tap acts, in a real SQLite file (and several connections to it at once)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from cardscan.errors import NotFoundError, ValidationError
from cardscan.models import Contact, OutreachPrefs, Touch
from cardscan.store import Store

NOW = datetime(2026, 11, 8, 8, 0, tzinfo=UTC)
DAY = date(2026, 11, 8)


@pytest.fixture
def ana(store):
    return store.users.add("ana", "correct horse battery")


def test_preferences_have_defaults_and_round_trip(store, ana):
    assert store.outreach.prefs(ana.id) == OutreachPrefs(user_id=ana.id)
    saved = store.outreach.save_prefs(
        OutreachPrefs(
            ana.id,
            email="ana@example.org",
            my_name="Ana Ruiz",
            signature="CTO, Acme",
            digest="weekly",
            digest_hour=7,
            digest_weekday=4,
            timezone="Europe/Lisbon",
        )
    )
    assert store.outreach.prefs(ana.id) == saved
    assert saved.timezone == "Europe/Lisbon" and saved.digest_weekday == 4
    assert [p.user_id for p in store.outreach.recipients()] == [ana.id]
    store.outreach.save_prefs(OutreachPrefs(ana.id, email="ana@example.org", digest="off"))
    assert store.outreach.recipients() == []
    with pytest.raises(NotFoundError):
        store.outreach.save_prefs(OutreachPrefs(999))


def test_own_templates_replace_and_reset(store, ana):
    assert store.outreach.templates(ana.id) == {}
    store.outreach.save_template(ana.id, "thank_you", "Hi", "Body one", now=NOW)
    store.outreach.save_template(ana.id, "thank_you", "Hello", "Body two", now=NOW)
    assert store.outreach.templates(ana.id) == {"thank_you": ("Hello", "Body two")}
    store.outreach.reset_template(ana.id, "thank_you")
    assert store.outreach.templates(ana.id) == {}


def test_a_days_digest_is_claimed_once(store, ana):
    run = store.digests.claim(ana.id, DAY, NOW)
    assert run is not None and run.status == "sending" and run.attempts == 1
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(minutes=1)) is None
    store.digests.finish(run.id, "sent", NOW, touches=3)
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(hours=5)) is None
    assert store.digests.last(ana.id).status == "sent"
    assert store.digests.claim(ana.id, DAY + timedelta(days=1), NOW + timedelta(days=1))


def test_a_failed_digest_is_claimed_again_only_when_its_retry_time_comes(store, ana):
    run = store.digests.claim(ana.id, DAY, NOW)
    retry = NOW + timedelta(minutes=5)
    failed = store.digests.finish(
        run.id, "failed", NOW, error="connection refused", retry_after=retry
    )
    assert (failed.status, failed.error) == ("failed", "connection refused")
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(minutes=4)) is None
    again = store.digests.claim(ana.id, DAY, retry)
    assert again is not None and again.attempts == 2 and again.id == run.id
    store.digests.finish(run.id, "failed", retry, error="still refused")  # no retry_after: final
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(hours=3)) is None
    with pytest.raises(ValidationError):
        store.digests.finish(run.id, "sending", NOW)


def test_a_digest_cut_off_while_sending_is_never_sent_again(store, ana):
    assert store.digests.claim(ana.id, DAY, NOW) is not None  # ...and the server stops
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(minutes=10)) is None
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(hours=1)) is None
    last = store.digests.last(ana.id)
    assert last.status == "failed" and "in case it went out" in last.error
    assert store.digests.claim(ana.id, DAY, NOW + timedelta(hours=2)) is None


def test_many_connections_claiming_at_once_get_one_digest(store, ana):
    data_dir = store.data_dir
    wins: list[int] = []
    start = threading.Barrier(6)

    def claim() -> None:
        with Store.open(data_dir) as own:
            start.wait()
            if own.digests.claim(ana.id, DAY, NOW) is not None:
                wins.append(1)

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins == [1]


def test_a_link_is_used_once(store, ana):
    assert store.links.used("abc") is None
    assert store.links.use("abc", ana.id, 5, "done", NOW) is None
    assert store.links.use("abc", ana.id, 5, "done", NOW + timedelta(hours=1)) == NOW
    assert store.links.used("abc") == NOW


def test_acts_are_kept_newest_first_and_marked_undone(store, ana):
    record = store.contacts.add(ana.id, Contact(name="Rui Costa"))
    touch, made = store.touches.add(
        ana.id,
        [
            Touch(0, ana.id, record.id, "birthday", "birthday", DAY),
            Touch(0, ana.id, record.id, "birthday", "birthday", date(2027, 11, 8)),
        ],
    )
    first = store.acts.add(
        ana.id,
        touch.id,
        record.id,
        "done",
        via="web",
        before={"status": "due", "due": DAY.isoformat(), "snoozed_until": None},
        sequence=1,
        made=[made.id],
        now=NOW,
    )
    second = store.acts.add(
        ana.id, touch.id, record.id, "skip", via="mail", before={}, sequence=2, made=[], now=NOW
    )
    assert [a.id for a in store.acts.all(ana.id, contact_id=record.id)] == [second.id, first.id]
    assert first.made == (made.id,) and first.before["status"] == "due"
    assert store.acts.mark_undone(ana.id, first.id, NOW).undone == NOW
    other = store.users.add("ben", "another long secret")
    with pytest.raises(NotFoundError):
        store.acts.get(other.id, first.id)
    # The touch the act made goes when it is undone, unless it was changed since.
    assert store.acts.delete_made(ana.id, [made.id, 999]) == 1
    with pytest.raises(NotFoundError):
        store.touches.get(ana.id, made.id)
