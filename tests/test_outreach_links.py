"""One-click links: signed for one touch, one action and one user; 14 days; one use."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from cardscan.errors import ConflictError, GoneError, NotFoundError, ValidationError
from cardscan.models import Contact, Touch
from cardscan.outreach.links import (
    MAX_AGE,
    check_unused,
    make_token,
    read_token,
    secret_key,
    use_token,
)

SECRET = "test secret"
NOW = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
TODAY = date(2026, 12, 8)


@pytest.fixture
def touch(store):
    user = store.users.add("ana", "correct horse battery")
    record = store.contacts.add(user.id, Contact(name="Rui Costa"))
    [made] = store.touches.add(
        user.id, [Touch(0, user.id, record.id, "check_in", "check in", TODAY)]
    )
    return made


def test_a_token_says_whose_touch_and_what_to_do():
    token = make_token(SECRET, 3, 12, "snooze", now=NOW)
    link = read_token(SECRET, token, now=NOW + timedelta(days=13))
    assert (link.user_id, link.touch_id, link.action, link.issued) == (3, 12, "snooze", NOW)
    assert link.expires == NOW + MAX_AGE
    assert make_token(SECRET, 3, 12, "snooze", now=NOW) != token  # each link its own id
    with pytest.raises(ValidationError):
        make_token(SECRET, 3, 12, "skip")


def test_expired_forged_and_cut_tokens_are_refused():
    token = make_token(SECRET, 3, 12, "done", now=NOW)
    with pytest.raises(GoneError, match="expired on Tue 22 Dec"):
        read_token(SECRET, token, now=NOW + MAX_AGE + timedelta(seconds=1))
    with pytest.raises(NotFoundError, match="not valid"):
        read_token("another secret", token, now=NOW)
    with pytest.raises(NotFoundError, match="not valid"):
        read_token(SECRET, token[:-3], now=NOW)
    payload, rest = token.split(".", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other = base64.urlsafe_b64encode(json.dumps({**data, "t": 13}).encode()).rstrip(b"=")
    with pytest.raises(NotFoundError):  # another touch's id under the same signature
        read_token(SECRET, other.decode() + "." + rest, now=NOW)


def test_a_link_acts_once(store, touch):
    token = make_token(SECRET, touch.user_id, touch.id, "done", now=NOW)
    done = use_token(store, SECRET, token, TODAY, now=NOW + timedelta(minutes=1))
    assert (done.action, done.via) == ("done", "mail")
    assert store.touches.get(touch.user_id, touch.id).status == "done"
    with pytest.raises(GoneError, match="already used, on Tue 8 Dec at 08:01:"):
        use_token(store, SECRET, token, TODAY, now=NOW + timedelta(minutes=2))
    # said in the user's own time: 08:01 UTC is 21:01 in Auckland
    prefs = store.outreach.prefs(touch.user_id)
    store.outreach.save_prefs(replace(prefs, timezone="Pacific/Auckland"))
    with pytest.raises(GoneError, match="already used, on Tue 8 Dec at 21:01:"):
        check_unused(store, read_token(SECRET, token, now=NOW), now=NOW)


def test_a_link_to_a_touch_closed_in_the_app_changes_nothing(store, touch):
    store.touches.update(touch.user_id, touch.id, status="skipped")
    token = make_token(SECRET, touch.user_id, touch.id, "snooze", now=NOW)
    with pytest.raises(ConflictError, match="is skipped already"):
        use_token(store, SECRET, token, TODAY, now=NOW)
    assert store.links.used(read_token(SECRET, token, now=NOW).link_id) is None


def test_a_link_for_another_users_touch_finds_nothing(store, touch):
    other = store.users.add("ben", "another long secret")
    token = make_token(SECRET, other.id, touch.id, "done", now=NOW)
    with pytest.raises(NotFoundError):
        use_token(store, SECRET, token, TODAY, now=NOW)
    assert store.touches.get(touch.user_id, touch.id).status == "due"


def test_the_secret_is_made_once_and_kept_private(tmp_path):
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
