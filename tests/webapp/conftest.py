"""Web fixtures: the Flask app on a temp data dir, a test client, and logged-in helpers."""

from __future__ import annotations

import contextlib
import io
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image, ImageDraw

from cardscan.settings import load_settings
from cardscan.store import Store
from cardscan.store.users import Users
from scripts.screenshots import CHROMIUM, CHROMIUM_ARGS
from tests.support.stores import open_store
from web import create_app

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch):
    # scrypt at full cost takes ~0.1 s a hash: fine for people, too slow for a test suite.
    monkeypatch.setattr(Users, "password_cost", 2**10)


@pytest.fixture
def app(data_dir: Path):
    """The app on a fresh data dir (CSRF on, as in production)."""
    settings = load_settings({"data": str(data_dir)}, environ={})
    return create_app({"TESTING": True, "CARDSCAN_SETTINGS": settings})


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def users(app, data_dir):
    """Two accounts, ana and ben, with ids."""
    with Store.open(data_dir) as store:
        ana = store.users.add("ana", PASSWORD)
        ben = store.users.add("ben", PASSWORD)
    return {"ana": ana.id, "ben": ben.id}


def csrf_of(client) -> str:
    """The CSRF token of the client's session (from a page's meta tag)."""
    html = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def login(client, name: str = "ana", password: str = PASSWORD):
    """Log in through the form; returns the response."""
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf_of(client)}
    )


def log_in_as(client, name: str = "ana"):
    """Log the client in and keep its CSRF token in ``client.csrf``."""
    response = login(client, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.csrf = csrf_of(client)
    return client


@pytest.fixture
def log_in():
    """``log_in(client, "ana")`` logs a client in (CSRF token in ``client.csrf``)."""
    return log_in_as


@pytest.fixture
def ana(client, users):
    """A client logged in as ana, with its CSRF token in ``client.csrf``."""
    return log_in_as(client, "ana")


@pytest.fixture
def make_card():
    """Render a card photo: ``make_card("Ana Ruiz")`` (different text, different bytes)."""
    return card_jpeg


@pytest.fixture
def post_card():
    """``post_card(client, photo, uuid=..., event=..., reasons=...)`` uploads a card."""
    return upload


def card_jpeg(text: str = "Ana Ruiz", size: tuple[int, int] = (900, 520)) -> bytes:
    """A small rendered card photo (different text gives different bytes)."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    d.text((40, 40), text, fill="black")
    d.text((40, 90), "ana@example.org  +1 555 0100", fill="black")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(client, photo: bytes, *, raw: bool = False, **fields):
    """POST /api/cards with the session's CSRF header: a multipart form, or with ``raw``
    the photo as the body and the fields in the query string and the reasons header, as
    the app's uploader sends it."""
    headers = {"X-CSRFToken": client.csrf, "Accept": "application/json"}
    if raw:
        if fields.get("reasons") is not None:
            headers["X-Reasons"] = quote(fields.pop("reasons"))
        query = {k: v for k, v in fields.items() if v is not None}
        return client.post(
            "/api/cards", data=photo, query_string=query, headers=headers, content_type="image/jpeg"
        )
    data = {"photo": (io.BytesIO(photo), "card.jpg", "image/jpeg")}
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post("/api/cards", data=data, headers=headers, content_type="multipart/form-data")


# --- a real server and a real browser (Playwright + Debian's chromium) ------------------------

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def _serving(data: Path, *, ocr: bool):
    from cardscan.jobs import WorkerPool
    from web.server import make_server

    settings = load_settings({"data": str(data)}, environ={})
    with open_store(data) as store:
        store.users.add("ana", PASSWORD)
    app = create_app({"CARDSCAN_SETTINGS": settings})
    server = make_server(app, "127.0.0.1", 0).start_in_thread()
    workers = None
    if ocr:
        workers = WorkerPool(data, settings)
        workers.start()
    try:
        yield server.url, data
    finally:
        if workers is not None:
            workers.stop(timeout=30)
        server.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The real app over HTTP (waitress in a thread, free port) with the OCR worker pool
    running; yields (url, data_dir)."""
    with _serving(tmp_path_factory.mktemp("live") / "data", ocr=True) as served:
        yield served


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory):
    """The same without OCR workers: for tests that seed read cards themselves."""
    with _serving(tmp_path_factory.mktemp("quiet") / "data", ocr=False) as served:
        yield served


def _page(browser, server):
    url, _ = server
    context = browser.new_context(viewport=PHONE, base_url=url)
    tab = context.new_page()
    tab.errors = []
    tab.on(
        "console",
        lambda m: (
            tab.errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None
        ),
    )
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto("/login")
    sign_in(tab)
    return context, tab


def wait_for(predicate, timeout: float = 30.0, step: float = 0.2):
    """``predicate()``'s first true value, asked every ``step`` seconds (what the server does
    after the page answered: an upload, a reason, a merge)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def sign_in(page, name: str = "ana", password: str = PASSWORD) -> None:
    """Fill in the login form the page shows and wait for the start page (capture, or
    Today once there are follow-ups and no event is on)."""
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(capture|today)$"))


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized browser context (own storage, service worker) logged in as ana;
    ``page.errors`` collects console errors and uncaught exceptions."""
    context, tab = _page(browser, live_server)
    yield tab
    context.close()


@pytest.fixture
def quiet_page(browser, quiet_server):
    """Like ``page``, on the server without OCR workers."""
    context, tab = _page(browser, quiet_server)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def card_png(tmp_path_factory):
    """``card_png("Ana Ruiz", "CTO", ...)`` renders a readable card photo file and returns its
    path (large type, so real OCR can read it)."""
    from PIL import ImageFont

    folder = tmp_path_factory.mktemp("cards")

    def render(*lines: str) -> Path:
        img = Image.new("RGB", (1400, 800), (245, 245, 240))
        d = ImageDraw.Draw(img)
        font = ImageFont.load_default(size=64)
        for i, line in enumerate(lines):
            d.text((90, 90 + i * 120), line, fill=(20, 20, 20), font=font)
        path = folder / f"card-{abs(hash(lines))}.png"
        img.save(path)
        return path

    return render
