"""The store's commands, and the crash test: SIGKILL mid-import, import again, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.photometa import strip_metadata
from cardscan.store import Store
from cardscan.store._base import photo_hash
from tests.support.fake_engine import NAME as FAKE_ENGINE
from tests.support.fake_engine import fake_photo
from tests.support.fake_engine import register as register_fake_engine
from tests.support.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery\n"


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def run(data):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, ["--data", str(data), *args], input=input)

    return invoke


@pytest.fixture
def ana(run):
    result = run("user", "add", "ana", "--password-stdin", input=PASSWORD)
    assert result.exit_code == 0, result.output
    return "ana"


@pytest.fixture
def fake_photos(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "1.jpg").write_bytes(fake_photo("FAKE|Ana Ruiz|Acme|ana@acme.example"))
    (folder / "2.jpg").write_bytes(fake_photo("FAKE|Ana Ruiz|Acme|ana@acme.example|2"))
    (folder / "3.jpg").write_bytes(fake_photo("FAKE|Bo Li|Initech|bo@initech.example"))
    (folder / "bad.jpg").write_bytes(fake_photo("CRASH"))
    return folder


@pytest.fixture
def fake_engine(monkeypatch):
    """The fake OCR engine, registered and chosen, for the in-process CLI tests."""
    register_fake_engine()
    monkeypatch.setenv("CARDSCAN_ENGINE", FAKE_ENGINE)


def test_user_add_prompts_twice_when_interactive(run):
    result = run("user", "add", "ana", input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0 and "Created user ana" in result.output
    result = run("user", "add", "bo", input="correct horse battery\nsomething else\n")
    assert result.exit_code != 0


def test_user_password_sets_a_new_one_and_ends_every_session(run, ana, data):
    with Store.open(data) as store:
        epoch = store.users.by_name("ana").session_epoch
    result = run("user", "password", "ana", "--password-stdin", input="a brand new secret\n")
    assert result.exit_code == 0 and "every session of ana has ended" in result.output
    with Store.open(data) as store:
        assert store.users.check_password("ana", "a brand new secret").session_epoch == epoch + 1
    assert "Error:" in run("user", "password", "ana", "--password-stdin", input="short\n").output
    asked = run("user", "password", "ana", input="another new secret\nanother new secret\n")
    assert asked.exit_code == 0, asked.output
    nobody = run("user", "password", "nobody", "--password-stdin", input="long enough pw\n")
    assert nobody.exit_code != 0 and "nobody" in nobody.output


def test_users_events_and_clear_errors(run, ana):
    assert run("users").output.split("\t")[:2] == ["1", "ana"]
    result = run("event", "add", "Expo", "--start", "2026-05-01", "--end", "2026-05-03")
    assert result.exit_code == 0, result.output
    assert "Expo\t2026-05-01 to 2026-05-03" in run("events").output
    result = run("event", "add", "Bad", "--start", "1 May")
    assert result.exit_code == 2
    assert (
        result.output.strip() == "Error: start date '1 May' is not a date: write it as YYYY-MM-DD."
    )
    result = run("user", "add", "ana", "--password-stdin", input=PASSWORD)
    assert result.exit_code == 2 and "'ana' already exists" in result.output


def test_user_is_implied_only_when_there_is_one(run, ana):
    run("user", "add", "bo", "--password-stdin", input=PASSWORD)
    result = run("events")
    assert result.exit_code == 2
    assert "there are 2 users (ana, bo): say which with --user NAME" in result.output
    assert run("events", "--user", "bo").exit_code == 0
    result = run("events", "--user", "zed")
    assert result.exit_code == 5 and "no user 'zed'" in result.output


def test_import_contacts_search_merge_unmerge_backup(run, ana, fake_photos, fake_engine, tmp_path):
    run("event", "add", "Expo", "--start", "2026-05-01")
    result = run("import", str(fake_photos), "--event", "Expo")
    assert result.exit_code == 0, result.output
    assert "4 photos: 4 new, 0 already stored. Read 3, failed 1" in result.output
    assert "likely duplicates 1" in result.output
    assert "failed: bad.jpg: RuntimeError: the OCR engine crashed" in result.output
    again = run("import", str(fake_photos), "--event", "Expo")
    assert "4 photos: 0 new, 4 already stored." in again.output

    listed = json.loads(run("contacts", "--event", "Expo", "--json").output)
    assert [c["name"] for c in listed] == ["Ana Ruiz", "Ana Ruiz", "Bo Li"]
    assert listed[0]["company"] == "Acme" and listed[0]["emails"] == ["ana@acme.example"]
    assert 0.5 < listed[0]["confidence"]["name"] <= 1 and listed[0]["meetings"][0]["event_id"] == 1
    assert run("search", "initech").output.startswith(f"{listed[2]['id']}\tBo Li")

    keep, other = listed[0]["id"], listed[1]["id"]
    result = run("merge", str(keep), str(other))
    assert result.exit_code == 0 and f"Merged {other} into {keep}" in result.output
    assert len(json.loads(run("contacts", "--json").output)) == 2
    assert run("merge", str(keep), str(other)).exit_code == 7  # conflict: already merged
    assert run("unmerge", str(other)).exit_code == 0
    assert len(json.loads(run("contacts", "--json").output)) == 3
    assert run("unmerge", "999").exit_code == 5

    result = run("backup", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    copy = CliRunner().invoke(cli, ["--data", str(tmp_path / "bk"), "contacts", "--json"])
    assert json.loads(copy.output) == json.loads(run("contacts", "--json").output)


def test_import_of_a_missing_path_says_so(run, ana):
    result = run("import", "/no/such/folder")
    assert result.exit_code == 2 and "does not exist" in result.output


# --- crash safety -----------------------------------------------------------------------------


def _statuses(db: Path) -> list[str]:
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return [r[0] for r in conn.execute("select status from cards")]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return []


def _kill_mid_import(command: list[str], data: Path, expected: int, timeout: float) -> None:
    """Start an import, SIGKILL it once some cards are read and some are not."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            statuses = _statuses(data / "cardscan.db")
            done = statuses.count("done")
            if len(statuses) == expected and 0 < done < expected:
                break
            assert proc.poll() is None, f"import ended before it could be killed: {statuses}"
            assert time.monotonic() < deadline, f"no card was read in time: {statuses}"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def _crash_and_resume(tmp_path, command_start: list[str], images: list[Path], timeout: float):
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    for image in images:
        shutil.copy(image, folder / image.name)
    with open_store(data) as store:
        user = store.users.add("ana", "correct horse battery")
        store.events.add(user.id, "Expo", "2026-05-01")
    command = [*command_start, "--data", str(data), "import", str(folder), "--event", "Expo"]
    _kill_mid_import(command, data, len(images), timeout)
    with Store.open(data) as store:
        left = [c.status for c in store.cards.all(user.id)]
    assert "done" in left and ("queued" in left or "reading" in left), left

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout * 3
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(images)} photos: 0 new, {len(images)} already stored." in result.stdout
    with Store.open(data) as store:
        cards = store.cards.all(user.id)
        assert len(cards) == len(images) and all(c.status == "done" for c in cards), cards
        fronts = [c.front for c in cards]
        assert len(set(fronts)) == len(fronts)
        contact_cards = [r[0] for r in store.db.execute("select card_id from contacts")]
        assert sorted({*contact_cards}) == sorted(c.id for c in cards)  # every card read once
        per_card = {cid: contact_cards.count(cid) for cid in set(contact_cards)}
        return cards, per_card


@pytest.mark.slow
def test_sigkill_mid_import_then_import_again_loses_and_duplicates_nothing(tmp_path, sample_cards):
    """With a reader at the system edge (0.15 s a card), so the queue mechanics run fast."""
    images = sorted((sample_cards / "images").glob("*.jpg"))[:12]
    command = [sys.executable, "-m", "tests.support.edge_import"]
    _, per_card = _crash_and_resume(tmp_path, command, images, timeout=60)
    assert set(per_card.values()) == {1}


@pytest.mark.slow
def test_sigkill_mid_import_with_the_real_pipeline(tmp_path, sample_cards):
    """The same crash test through the real OCR pipeline, on the repository's sample cards."""
    pytest.importorskip(
        "cardscan.reading.pipeline", reason="the pipeline branch has not landed yet"
    )
    images = sorted((sample_cards / "images").glob("*.jpg"))[:4]
    command = [sys.executable, "-m", "cardscan"]
    cards, per_card = _crash_and_resume(tmp_path, command, images, timeout=180)
    labels = [json.loads((sample_cards / "labels" / f"{p.stem}.json").read_text()) for p in images]
    with Store.open(tmp_path / "data") as store:
        by_hash = {c.front: c for c in cards}
        found = 0
        for image, label in zip(images, labels, strict=True):
            card = by_hash[photo_hash(strip_metadata(image.read_bytes()))]  # as stored
            assert card.engine and card.ocr is not None and card.ocr.lines  # words with boxes
            emails = {
                e for c in store.cards.contacts(card.user_id, card.id) for e in c.contact.emails
            }
            found += bool(set(label["emails"]) & emails)
        assert found >= 2, f"the real pipeline read the e-mail of only {found} of {len(images)}"


def test_terminal_controls_from_cards_are_shown_escaped(run, ana, data):
    """A card could carry ESC[2J (clear the screen) or a CR that hides what the line said."""
    from cardscan.models import Contact

    hostile = "Ana\x1b[2J\rEvil\x9b31m \u202eoll"
    with Store.open(data) as store:
        user = store.users.by_name("ana")
        event = store.events.add(user.id, "Expo\x1b]0;title\x07", "2026-05-01", "2026-05-02")
        record = store.contacts.add(
            user.id, Contact(name=hostile, company="Acme"), event_id=event.id
        )
    stored = record.contact.name  # the store keeps CR and C1 controls (it drops ESC sequences)
    assert "\r" in stored and "\x9b" in stored
    for args in (("search", "acme"), ("events",), ("contacts",)):
        shown = run(*args).output
        assert not any(ch in shown for ch in "\x1b\r\x07\x9b\u202e"), repr(shown)
    assert "Ana\\rEvil\\u009b31m \\u202eoll" in run("search", "acme").output
    as_json = run("contacts", "--json").output
    assert "\x9b" not in as_json and json.loads(as_json)[0]["name"] == stored
