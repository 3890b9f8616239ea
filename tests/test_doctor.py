"""``cardscan doctor``: each problem it reports, made for real (files, modes, sockets, engines)."""

from __future__ import annotations

import os
import pwd
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.doctor import diagnose
from cardscan.doctor.local import check_data_dir, check_database, check_disk, check_engine
from cardscan.doctor.network import check_address, check_mail, check_tls
from cardscan.models import OcrResult
from cardscan.reading.ocr import register_engine
from cardscan.settings import Settings, load_settings
from cardscan.store import Store
from tests.support.mailbox import serving
from tests.support.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_cards" / "images"


def _settings(data: Path, **values) -> Settings:
    return load_settings({"data": str(data), **values}, environ={})


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _messages(check) -> str:
    return " | ".join(f"{p.message} FIX {p.fix}" for p in check.problems)


def _nobody() -> int:
    return pwd.getpwnam("nobody").pw_uid


# --- the OCR engine ---------------------------------------------------------------------------


def test_engine_installed_and_reading(tmp_path):
    check = check_engine(_settings(tmp_path), load=True)
    assert check.ok, _messages(check)
    assert "rapidocr" in check.found and "reads a test line" in check.found
    assert (
        "other scripts' lines read again by Tesseract (kor+vie+rus+tha+hin+ara+osd)" in check.found
    )


def _english_only(tmp_path: Path) -> Path:
    """A Tesseract data folder holding nothing but the English model."""
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    found = list(Path("/usr/share/tesseract-ocr").glob("*/tessdata/eng.traineddata"))
    (tessdata / "eng.traineddata").symlink_to(found[0])
    return tessdata


def test_missing_tesseract_language_pack_names_the_package(tmp_path, monkeypatch):
    # A real Tesseract install that has English only: TESSDATA_PREFIX points at a folder
    # holding nothing but eng.traineddata.
    monkeypatch.setenv("TESSDATA_PREFIX", str(_english_only(tmp_path)))
    settings = _settings(tmp_path, engine="tesseract", tesseract_languages="eng+deu")
    check = check_engine(settings, load=False)
    assert not check.ok
    assert "deu" in check.problems[0].message
    assert "apt-get install tesseract-ocr-deu" in check.problems[0].message


def test_missing_korean_model_for_rapidocr(tmp_path, monkeypatch, rapidocr_engine):
    from cardscan.reading.ocr import reread

    monkeypatch.setenv("TESSDATA_PREFIX", str(_english_only(tmp_path)))
    reread.installed.cache_clear()
    try:
        check = check_engine(_settings(tmp_path), load=True)
    finally:
        reread.installed.cache_clear()
    assert "Korean (kor)" in _messages(check) and "Cyrillic (rus)" in _messages(check)
    assert "apt-get install tesseract-ocr tesseract-ocr-kor" in check.problems[0].fix
    assert check.problems[0].severity == "warning"


def test_missing_tesseract_program(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without the tesseract program
    check = check_engine(_settings(tmp_path, engine="tesseract"), load=False)
    assert "tesseract program was not found" in _messages(check)


def test_rapidocr_without_its_models(tmp_path):
    # A broken install: a rapidocr package whose models folder is empty, first on the path.
    broken = tmp_path / "site" / "rapidocr"
    (broken / "models").mkdir(parents=True)
    (broken / "__init__.py").write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "cardscan", "--data", str(tmp_path / "data"), "doctor", "--fast"],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "RapidOCR model" in result.stdout and "is missing" in result.stdout
    assert "fix:" in result.stdout


class _BlindEngine:
    """An engine that loads but never reads anything (registered like a real one)."""

    name = "blind"

    def read(self, image: np.ndarray) -> OcrResult:
        return OcrResult(lines=(), engine=self.name, width=image.shape[1], height=image.shape[0])


class _BrokenEngine:
    """An engine whose model fails when it runs."""

    name = "broken"

    def read(self, image: np.ndarray) -> OcrResult:
        raise RuntimeError("onnxruntime: model file is truncated")


@pytest.mark.parametrize(
    ("engine", "expected"),
    [(_BlindEngine(), "read '' from a clear test line"), (_BrokenEngine(), "cannot read")],
)
def test_engine_that_loads_but_does_not_read(tmp_path, rapidocr_engine, engine, expected):
    register_engine("rapidocr", engine)
    try:
        check = check_engine(_settings(tmp_path), load=True)
    finally:
        register_engine("rapidocr", rapidocr_engine)  # the session's engine, as it was
    assert expected in _messages(check)


# --- the data directory -----------------------------------------------------------------------


def test_private_writable_data_dir_is_fine(tmp_path):
    data = _private_dir(tmp_path / "data")
    with Store.open(data):
        pass
    for entry in data.iterdir():
        entry.chmod(0o700 if entry.is_dir() else 0o600)
    check = check_data_dir(data)
    assert check.ok, _messages(check)
    assert "writable and private" in check.found


def test_data_dir_readable_by_others(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    (data / "cardscan.toml").write_text('smtp_password = "secret"\n')
    (data / "cardscan.toml").chmod(0o644)
    check = check_data_dir(data)
    assert "other users on this machine can read" in _messages(check)
    assert "the directory 0755, cardscan.toml 0644" in _messages(check)
    assert check.problems[0].fix == f"chmod -R go= {data}"
    subprocess.run(["chmod", "-R", "go=", str(data)], check=True)  # the fix, as printed
    assert check_data_dir(data).ok


def test_files_readable_by_others_in_a_private_directory(tmp_path):
    data = _private_dir(tmp_path / "data")
    with Store.open(data):  # SQLite makes its files with the process's umask (0644 here)
        pass
    (data / "cardscan.db").chmod(0o644)
    check = check_data_dir(data)
    assert f"files in {data} are not private (cardscan.db 0644" in _messages(check)
    assert "only the directory's mode keeps other users out" in _messages(check)


def test_data_dir_not_writable(tmp_path):
    data = _private_dir(tmp_path / "data")
    if os.geteuid() == 0:
        os.chown(data, _nobody(), -1)  # root writes anywhere: check for the server's user
    data.chmod(0o500)
    try:
        check = check_data_dir(data)
    finally:
        data.chmod(0o700)
    assert "is not writable" in _messages(check)
    assert check.problems[0].severity == "error"


def test_data_dir_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    check = check_data_dir(blocker / "data")
    assert "does not exist and" in _messages(check)
    assert "install -d -m 700" in check.problems[0].fix


def test_data_dir_that_is_a_file(tmp_path):
    path = tmp_path / "data"
    path.write_text("oops")
    assert "is not a directory" in _messages(check_data_dir(path))


def test_missing_data_dir_is_made_at_first_start(tmp_path):
    check = check_data_dir(tmp_path / "new")
    assert check.ok and "does not exist yet" in check.found


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_files_owned_by_another_user(tmp_path):
    data = _private_dir(tmp_path / "data")
    with Store.open(data):
        pass
    os.chown(data / "cardscan.db", _nobody(), -1)  # as if a command ran as someone else
    check = check_data_dir(data)
    assert "belong to another user" in _messages(check)
    assert "cardscan.db (nobody)" in _messages(check)
    assert check.problems[0].fix.startswith("sudo chown -R root:")


# --- the database -----------------------------------------------------------------------------


def _store_with_a_card(data: Path) -> Path:
    with open_store(data) as store:
        user = store.users.add("ana", "a long password")
        card, _ = store.cards.add(user.id, (next(SAMPLE.glob("*.jpg"))).read_bytes())
        photo = store.photos.path(store.cards.get(user.id, card.id).front)
    return photo


def test_healthy_database(tmp_path):
    _store_with_a_card(tmp_path / "data")
    check = check_database(tmp_path / "data", full=True)
    assert check.ok, _messages(check)
    assert "1 cards" in check.found and "integrity_check ok, every photo present" in check.found


def test_not_a_database(tmp_path):
    data = _private_dir(tmp_path / "data")
    (data / "cardscan.db").write_bytes(b"these are not the pages you are looking for" * 200)
    check = check_database(data, full=False)
    assert "cannot be read: file is not a database" in _messages(check)
    assert "cardscan backup" in check.problems[0].fix


def test_damaged_database(tmp_path):
    data = tmp_path / "data"
    with open_store(data) as store:
        user = store.users.add("ana", "a long password")
        for i in range(400):
            store.events.add(user.id, f"Trade fair number {i} " + "x" * 80, "2026-11-10")
        store.db.execute("pragma wal_checkpoint(truncate)")
    db = data / "cardscan.db"
    pages = db.stat().st_size // 4096
    with open(db, "r+b") as f:  # scribble over the middle of a page deep in the events table
        f.seek(4096 * (pages - 3) + 100)
        f.write(b"\xff" * 300)
    for full in (False, True):
        check = check_database(data, full=full)
        name = "integrity_check" if full else "quick_check"
        assert f"{name} found damage" in _messages(check), check
        assert ".recover" in check.problems[0].fix


def test_database_from_a_newer_cardscan(tmp_path):
    _store_with_a_card(tmp_path / "data")
    with sqlite3.connect(tmp_path / "data" / "cardscan.db") as conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at)"
            " values ('cardscan', '9999_from_the_future', '2030-01-01')"
        )
    check = check_database(tmp_path / "data", full=False)
    assert "upgraded by a newer cardscan (it has 9999_from_the_future)" in _messages(check)


def test_missing_photo(tmp_path):
    photo = _store_with_a_card(tmp_path / "data")
    photo.unlink()
    check = check_database(tmp_path / "data", full=True)
    assert "1 card photo(s) are missing" in _messages(check)
    assert check_database(tmp_path / "data", full=False).ok  # the fast check does not look


def test_pending_migrations_are_announced(tmp_path):
    import sqlite_utils

    from cardscan.store._base import connect
    from cardscan.store.migrations import migrations
    from cardscan.store.upgrade import known_migrations

    data = _private_dir(tmp_path / "data")
    old = sqlite_utils.Database(connect(data / "cardscan.db"))
    migrations.apply(old, stop_before=known_migrations()[-1])
    old.close()
    check = check_database(data, full=False)
    assert check.ok and "1 migration(s) run at the next start, after a backup" in check.found


# --- address and https ------------------------------------------------------------------------


def test_local_server_needs_nothing(tmp_path):
    settings = _settings(tmp_path)
    assert check_address(settings).ok and check_tls(settings).ok


def test_network_server_without_base_url(tmp_path):
    check = check_address(_settings(tmp_path, host="0.0.0.0"))
    assert "base_url is not set" in _messages(check)
    assert "allowed_hosts =" in check.problems[0].fix
    check = check_address(_settings(tmp_path, host="0.0.0.0", allowed_hosts="cards.lan"))
    assert "pages make links for cards.lan" in check.found
    assert "the digest e-mail" in _messages(check) and "allowed_hosts =" not in _messages(check)


@pytest.mark.parametrize("url", ["cards.example.org", "ftp://cards.example.org", "https://"])
def test_base_url_that_is_not_an_address(tmp_path, url):
    check = check_address(_settings(tmp_path, base_url=url))
    assert "is not an http(s) address" in _messages(check)
    assert check.problems[0].severity == "error"


def test_base_url_with_a_path(tmp_path):
    check = check_address(
        _settings(tmp_path, base_url="https://example.org/cards", behind_proxy=True)
    )
    assert "has a path" in _messages(check)


def test_plain_http_base_url_for_phones(tmp_path):
    check = check_address(_settings(tmp_path, base_url="http://cards.example.org"))
    assert "is plain http" in _messages(check)


def test_https_base_url_without_tls_or_proxy(tmp_path):
    check = check_address(_settings(tmp_path, base_url="https://cards.example.org"))
    assert "serves neither https itself (tls_cert) nor trusts a proxy" in _messages(check)
    fixed = _settings(tmp_path, base_url="https://cards.example.org", behind_proxy=True)
    assert check_address(fixed).ok


def test_plain_http_to_the_network(tmp_path):
    check = check_tls(_settings(tmp_path, host="0.0.0.0"), in_container=False)
    assert "serves plain http to the network on 0.0.0.0:8000" in _messages(check)
    assert 'host = "127.0.0.1"' in check.problems[0].fix
    in_container = check_tls(_settings(tmp_path, host="0.0.0.0"), in_container=True)
    assert "as deploy/compose.yaml does" in in_container.problems[0].fix


def test_proxy_headers_trusted_from_the_whole_network(tmp_path):
    settings = _settings(tmp_path, host="0.0.0.0", behind_proxy=True)
    check = check_tls(settings, in_container=False)
    assert "anyone who reaches the port directly" in _messages(check)
    assert check_tls(settings, in_container=True).ok  # the published port decides there
    assert check_tls(replace(settings, host="127.0.0.1"), in_container=False).ok


# --- e-mail and disk --------------------------------------------------------------------------


def test_no_mail_settings_no_mail_problem(tmp_path):
    check = check_mail(_settings(tmp_path), timeout=1)
    assert check.ok and "no digest e-mails" in check.found


def test_the_mail_server_is_tried_as_the_digest_sends(tmp_path):
    with serving() as box:  # a real SMTP server on loopback (aiosmtpd)
        check = check_mail(_settings(tmp_path, **box.settings()), timeout=5)
        assert check.ok and check.found == f"127.0.0.1:{box.port} accepts a connection"
        assert box.messages == []  # nothing sent
    nobody = check_mail(_settings(tmp_path, **box.settings()), timeout=5)
    assert f"cannot reach 127.0.0.1:{box.port}" in _messages(nobody)
    assert "docs/deploy.md" in nobody.problems[0].fix
    no_sender = check_mail(_settings(tmp_path, smtp_host="127.0.0.1"), timeout=5)
    assert "needs a sender address: set smtp_from" in _messages(no_sender)


def test_low_disk(tmp_path):
    check = check_disk(tmp_path, min_free_bytes=1 << 30)
    assert check.ok
    check = check_disk(tmp_path, min_free_bytes=1 << 60)  # more than any disk here holds
    assert "free on the disk holding" in _messages(check)
    assert check.problems[0].severity == "warning"


# --- the command ------------------------------------------------------------------------------


def test_doctor_command_exit_codes(tmp_path):
    data = _private_dir(tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(cli, ["--data", str(data), "doctor", "--fast"])
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output

    data.chmod(0o755)
    result = runner.invoke(cli, ["--data", str(data), "doctor", "--fast", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "WARN  Data directory" in result.output and f"chmod -R go= {data}" in result.output
    assert "base_url is not set" in result.output
    assert result.output.strip().endswith("warnings).")


def test_doctor_json(tmp_path):
    import json

    data = _private_dir(tmp_path / "data")
    result = CliRunner().invoke(cli, ["--data", str(data), "doctor", "--fast", "--json"])
    report = json.loads(result.output)
    assert report["ok"] is True
    assert [c["name"] for c in report["checks"]][:3] == ["OCR engine", "Data directory", "Database"]


def test_doctor_reports_settings_it_cannot_load(tmp_path):
    data = _private_dir(tmp_path / "data")
    (data / "cardscan.toml").write_text("port = 'eighty'\n")
    result = CliRunner().invoke(cli, ["--data", str(data), "doctor"])
    assert result.exit_code == 1
    assert "ERROR Settings" in result.output and "must be a int" in result.output


def test_full_diagnosis_of_a_fresh_install(tmp_path):
    report = diagnose(_settings(_private_dir(tmp_path / "data")), timeout=2)
    assert report.ok, [p.message for p in report.problems]
    assert [c.name for c in report.checks] == [
        "OCR engine",
        "Data directory",
        "Database",
        "Address",
        "HTTPS",
        "OCR workers",
        "OCR queue",
        "E-mail (digest)",
        "Disk",
    ]
