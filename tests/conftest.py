"""Shared fixtures: paths to the committed sample cards, and fresh settings per test.

What tests share beyond fixtures (fakes, renderers, test data, servers) is the package
``tests.support``; the repository root is on the import path (``pythonpath`` in
pyproject.toml), so ``from tests.support.fake_reader import FakeReader`` works from anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cardscan.settings import Settings, load_settings

# The checks in tests/support (check_fields, finish_read, ...) assert for the tests that call
# them: let pytest show what differed there too, as it does in the test files.
pytest.register_assert_rewrite("tests.support")

ROOT = Path(__file__).resolve().parent.parent


#: A test that reads with a real OCR engine (through one of these fixtures) is slow: it is left
#: out of ``make test-fast`` (the whole suite, ``make test``, runs it).
SLOW_FIXTURES = {"rapidocr_engine", "tesseract_engine"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use a real OCR engine as slow (see ``SLOW_FIXTURES``)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sample_cards() -> Path:
    """The committed, labelled sample card images (``sample_cards/``)."""
    return ROOT / "sample_cards"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data directory under ``tmp_path`` and no environment."""
    return load_settings({"data": str(tmp_path / "data")}, environ={})


# --- the store ---------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory."""
    return tmp_path / "data"


@pytest.fixture
def store(tmp_path: Path):
    """A fresh store in a real SQLite file under ``tmp_path`` (cheap password hashing)."""
    from tests.support.stores import open_store

    with open_store(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def ana(store):
    """A user of the ``store`` (files and folders that test the web app have their own)."""
    return store.users.add("ana", "correct horse battery")


@pytest.fixture
def bob(store):
    """Another user of the ``store``."""
    return store.users.add("bob", "another long secret")


@pytest.fixture(scope="session")
def rapidocr_engine():
    """The RapidOCR engine, loaded once for the whole test session."""
    from cardscan.reading.ocr import get_engine

    return get_engine("rapidocr")


@pytest.fixture(scope="session")
def tesseract_engine():
    """The Tesseract engine (English only, for speed), made once for the session."""
    from cardscan.reading.ocr import get_engine

    return get_engine("tesseract", languages="eng")


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate and its key for 127.0.0.1, made once (openssl; skips without)."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session")
def _redis_session(tmp_path_factory):
    from scripts.loadbench import local_redis

    with local_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis_url(_redis_session):
    """The URL of a redis-server of the tests' own (``scripts.loadbench.local_redis``, on a
    free loopback port), emptied for each test."""
    import redis

    client = redis.Redis.from_url(_redis_session)
    client.flushdb()
    client.close()
    return _redis_session
