"""The checks of this machine: the OCR engine, the data directory, its database, the disk."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import tempfile
import time
from pathlib import Path

from cardscan.doctor import Check, Problem
from cardscan.errors import CardscanError
from cardscan.reading.ocr import ENGINES, check_install, get_engine
from cardscan.settings import Settings
from cardscan.store.health import inspect_database

#: What the engine check renders and expects to read back.
TEST_TEXT = "Ana Ruiz 2468"


def check_engine(settings: Settings, *, load: bool) -> Check:
    """The configured engine is installed (and, with ``load``, loads and reads a test line).

    The other engine is only described: cardscan does not need it to serve.
    """
    name = "OCR engine"
    engine, languages = settings.engine, settings.tesseract_languages
    try:
        found = check_install(engine, languages=languages)
    except CardscanError as e:
        return Check(name, f"{engine}: not usable", (Problem(e.message, _engine_fix(engine)),))
    if not load:
        return Check(name, found)
    started = time.perf_counter()
    try:
        text = _read_test_line(engine, languages)
    except CardscanError as e:
        problem = Problem(
            f"{engine} is installed but cannot read: {e.message}", _engine_fix(engine)
        )
        return Check(name, found, (problem,))
    if "2468" not in text:
        problem = Problem(
            f"{engine} loaded but read {text!r} from a clear test line ({TEST_TEXT!r}).",
            _engine_fix(engine),
        )
        return Check(name, found, (problem,))
    found += f"; loads and reads a test line ({time.perf_counter() - started:.1f} s)"
    packs = _script_packs() if engine == "rapidocr" else None
    if engine == "rapidocr" and packs is None:
        found += "; Korean and other scripts' lines read again by Tesseract"
        found += f" ({'+'.join(SCRIPT_PACKS)})"
    for other in (e for e in ENGINES if e != engine):
        try:
            found += f"; also installed: {check_install(other, languages=languages)}"
        except CardscanError:
            found += f"; {other} not installed (optional)"
    return Check(name, found, (packs,) if packs else ())


#: Tesseract packs that read what RapidOCR's model cannot (``ocr.hangul``, ``ocr.scripts``).
SCRIPT_PACKS = {
    "kor": "Korean",
    "vie": "Vietnamese marks",
    "rus": "Cyrillic",
    "tha": "Thai",
    "hin": "Devanagari",
    "ara": "Arabic",
    "osd": "script detection",
}


def _script_packs() -> Problem | None:
    """RapidOCR cannot read Hangul, Cyrillic, Thai, Devanagari or Arabic (nor Vietnamese
    marks): such lines are read again by Tesseract's packs; a missing one is a warning."""
    from cardscan.reading.ocr.reread import installed

    missing = [pack for pack in SCRIPT_PACKS if pack not in installed()]
    if not missing:
        return None
    return Problem(
        "Tesseract's packs for "
        + ", ".join(f"{SCRIPT_PACKS[p]} ({p})" for p in missing)
        + " are not installed: cards in those scripts are read with RapidOCR alone, which"
        " cannot read them.",
        "sudo apt-get install tesseract-ocr "
        + " ".join(f"tesseract-ocr-{p}" for p in missing)
        + " (./setup.sh installs them).",
        "warning",
    )


def _engine_fix(engine: str) -> str:
    if engine == "tesseract":
        return (
            "install what the message names (./setup.sh installs the Debian packages), or use"
            ' the default engine: engine = "rapidocr".'
        )
    return "reinstall cardscan's Python packages: ./setup.sh (or .venv/bin/pip install -e .)."


def _read_test_line(engine: str, languages: str) -> str:
    """Load the engine (as the server would) and read a line rendered here."""
    import cv2
    import numpy as np

    image = np.full((120, 700, 3), 255, dtype=np.uint8)
    cv2.putText(image, TEST_TEXT, (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.8, (0, 0, 0), 3)
    try:
        result = get_engine(engine, languages=languages).read(image)
    except CardscanError:
        raise
    except Exception as e:  # noqa: BLE001 - any failure of a third-party engine is the finding
        raise CardscanError(f"{type(e).__name__}: {e}") from e
    return " ".join(line.text for line in result.lines)


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_data_dir(data_dir: Path) -> Check:
    """The data directory can be written, and only its owner can read it."""
    name = "Data directory"
    me = _user(os.geteuid())
    if not data_dir.exists():
        parent = _existing_parent(data_dir)
        if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
            return Check(name, f"{data_dir} does not exist yet; cardscan makes it at first start")
        problem = Problem(
            f"{data_dir} does not exist and {me} cannot create it ({parent} is not writable).",
            f"sudo install -d -m 700 -o {me} {data_dir}",
        )
        return Check(name, f"{data_dir} missing", (problem,))
    if not data_dir.is_dir():
        problem = Problem(
            f"{data_dir} is not a directory.",
            "point the data setting (--data, CARDSCAN_DATA) at a directory.",
        )
        return Check(name, f"{data_dir} is a file", (problem,))

    info = data_dir.stat()
    owner = _user(info.st_uid)
    found = f"{data_dir} (owner {owner}, mode {stat.S_IMODE(info.st_mode):04o})"
    problems = []
    if os.geteuid() == 0 and info.st_uid != 0:
        found += f"; checked as root, the server runs as {owner}"
        writable = bool(info.st_mode & stat.S_IWUSR)
    else:
        writable = _can_write(data_dir)
    if not writable:
        problems.append(
            Problem(
                f"{data_dir} is not writable by {me if info.st_uid != 0 else owner}: new cards"
                " and logins cannot be saved.",
                f"sudo chown -R {me}: {data_dir} && chmod 700 {data_dir}"
                if info.st_uid != os.geteuid()
                else f"chmod u+rwx {data_dir}",
            )
        )
    entries = [data_dir, *sorted(data_dir.iterdir())]
    strangers = [p for p in entries[1:] if p.lstat().st_uid != info.st_uid]
    if strangers:
        listed = ", ".join(f"{p.name} ({_user(p.lstat().st_uid)})" for p in strangers[:5])
        problems.append(
            Problem(
                f"files in {data_dir} belong to another user than the directory ({owner}):"
                f" {listed}. The server, running as {owner}, cannot write them (a command run"
                " as root made them?).",
                f"sudo chown -R {owner}: {data_dir}",
            )
        )
    shared = [p for p in entries if not p.is_symlink() and p.lstat().st_mode & 0o077]
    if shared:
        listed = ", ".join(
            f"{'the directory' if p == data_dir else p.name + ('/' if p.is_dir() else '')}"
            f" {stat.S_IMODE(p.lstat().st_mode):04o}"
            for p in shared[:5]
        )
        if data_dir in shared:
            message = (
                f"other users on this machine can read cardscan's data ({listed}): contacts,"
                " photos and the session secret should be private to the server's user."
            )
        else:
            message = (
                f"files in {data_dir} are not private ({listed}): only the directory's mode"
                " keeps other users out."
            )
        problems.append(Problem(message, f"chmod -R go= {data_dir}", "warning"))
    if not problems:
        found += ", writable and private"
    return Check(name, found, tuple(problems))


def _can_write(directory: Path) -> bool:
    """Really make (and remove) a file there: access() is wrong on some mounts."""
    try:
        fd, path = tempfile.mkstemp(dir=directory, prefix=".doctor-")
    except OSError:
        return False
    os.close(fd)
    os.unlink(path)
    return True


def check_database(data_dir: Path, *, full: bool) -> Check:
    """The database reads, is undamaged, is not from a newer cardscan, and has its photos."""
    name = "Database"
    health = inspect_database(data_dir, full=full)
    kept = f"; {len(health.backups)} pre-upgrade copies in backups/" if health.backups else ""
    if not health.exists:
        return Check(name, f"no database yet: {health.path} is made at first start{kept}")
    restore = (
        "stop cardscan, keep the damaged file aside, and restore your latest `cardscan backup`"
        " (docs/upgrading.md#restoring-a-backup)"
    )
    if health.error:
        problem = Problem(f"{health.path} cannot be read: {health.error}.", restore + ".")
        return Check(name, str(health.path), (problem,))
    check = "integrity_check" if full else "quick_check"
    schema = health.applied[-1] if health.applied else "empty"
    found = f"{health.path}: {health.cards} cards, schema {schema}"
    problems = []
    if health.damage:
        problems.append(
            Problem(
                f"{check} found damage in {health.path}: {'; '.join(health.damage[:2])}"
                + (" (and more)." if len(health.damage) > 2 else "."),
                restore + "; or rescue what is readable with `sqlite3"
                f" {health.path} .recover | sqlite3 recovered.db` (Debian package sqlite3).",
            )
        )
    if health.unknown:
        problems.append(
            Problem(
                f"the database was upgraded by a newer cardscan (it has {health.unknown[-1]});"
                " this version cannot open it.",
                "install that newer cardscan again, or restore the copy in"
                f" {data_dir / 'backups'} taken before that upgrade (docs/upgrading.md).",
            )
        )
    if health.missing_photos:
        problems.append(
            Problem(
                f"{len(health.missing_photos)} card photo(s) are missing from"
                f" {data_dir / 'photos'} (e.g. {health.missing_photos[0]}.jpg).",
                "copy photos/ back from your latest `cardscan backup`; the cards' text and"
                " contacts are kept either way.",
                "warning",
            )
        )
    if health.pending and not problems:
        found += f"; {len(health.pending)} migration(s) run at the next start, after a backup"
    if not problems:
        found += f"; {check} ok" + ("" if not full else ", every photo present")
    return Check(name, found + kept, tuple(problems))


def check_disk(data_dir: Path, *, min_free_bytes: int) -> Check:
    """Enough free space where the data directory lives."""
    where = _existing_parent(data_dir)
    usage = shutil.disk_usage(where)
    found = f"{_size(usage.free)} free of {_size(usage.total)} on the disk holding {data_dir}"
    if usage.free >= min_free_bytes:
        return Check("Disk", found)
    problem = Problem(
        f"only {_size(usage.free)} free on the disk holding {data_dir} (less than"
        f" {_size(min_free_bytes)}): each card's photo takes about 1 MB, and an upgrade copies"
        " the database first.",
        "free some space (old copies in backups/ and cache/ in the data directory can go), or"
        " move the data directory to a bigger disk (docs/deploy.md#moving-the-data).",
        "warning",
    )
    return Check("Disk", found, (problem,))


def _size(n: float) -> str:
    if n < 1000:
        return f"{n:.0f} bytes"
    for unit in ("KB", "MB"):
        n /= 1000
        if n < 1000:
            return f"{n:.1f} {unit}"
    return f"{n / 1000:.1f} GB"
