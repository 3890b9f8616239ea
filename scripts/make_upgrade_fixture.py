"""Make the data directory a release leaves behind, for the upgrade test.

Takes the release's source out of git (``git archive``), runs
``scripts/upgrade_fixture_populate.py`` with that source first on the path (so the old code
makes the database and reads the photos with its own OCR pipeline), and writes:

    tests/data/upgrade/<release>/data/           the data directory (database and photos)
    tests/data/upgrade/<release>/expected.json   what that release said about the data

``tests/test_upgrade_release.py`` upgrades a copy with the current code and checks nothing
is lost. Make one for each release before its schema changes:

    .venv/bin/python scripts/make_upgrade_fixture.py --release 8cb87ca
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
#: Sample cards imported (the last one by a second user); made small so the fixture is.
PHOTOS = (
    "sample_01_classic_pt.jpg",
    "sample_03_two_column_de.jpg",
    "sample_05_logo_band_nl.jpg",
    "sample_02_centred_fr.jpg",
)
LONG_EDGE = 1000


def sql_dump(conn: sqlite3.Connection) -> str:
    """The database as SQL text that ``executescript`` rebuilds, rowids kept.

    ``iterdump`` writes a full-text table into ``sqlite_master`` by hand beside its shadow
    tables, which a fresh database cannot use; here each virtual table is created as such
    and its rows inserted with their rowids, and its shadow tables are left to it.
    """
    virtual = dict(
        conn.execute("select name, sql from sqlite_master where sql like 'CREATE VIRTUAL TABLE%'")
    )
    shadows = tuple(f"{name}_" for name in virtual)
    named = re.compile(r"""(?:CREATE TABLE|INSERT INTO) ['"]([^'"]+)['"]""")
    lines = []
    for statement in conn.iterdump():
        if statement.startswith(("PRAGMA writable_schema", "INSERT INTO sqlite_master")):
            continue
        match = named.match(statement)
        if match and (match.group(1) in virtual or match.group(1).startswith(shadows)):
            continue
        lines.append(statement)
    commit = lines.pop()  # iterdump ends with COMMIT;
    for name, sql in virtual.items():
        lines.append(sql + ";")
        columns = [row[1] for row in conn.execute(f'pragma table_info("{name}")')]
        names = ["rowid", *(f'"{c}"' for c in columns)]
        values = " || ', ' || ".join(f"quote({n})" for n in names)
        for (row,) in conn.execute(f'select {values} from "{name}"'):
            lines.append(f'INSERT INTO "{name}"({", ".join(names)}) VALUES({row});')
    lines.append(commit)
    return "\n".join(lines) + "\n"


def _release_source(release: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", release], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def _small_photos(into: Path) -> list[str]:
    into.mkdir()
    paths = []
    for name in PHOTOS:
        with Image.open(ROOT / "sample_cards" / "images" / name) as image:
            image.thumbnail((LONG_EDGE, LONG_EDGE))
            path = into / name
            image.convert("RGB").save(path, "JPEG", quality=85)
        paths.append(str(path))
    return paths


def make(release: str, out: Path) -> dict:
    """Build the fixture for ``release`` into ``out`` (replacing it) and return the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _release_source(release, work / "src")
        photos = _small_photos(work / "photos")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARDSCAN_")}
        env["PYTHONPATH"] = str(work / "src")
        check = subprocess.run(
            [sys.executable, "-c", "import cardscan; print(cardscan.__file__)"],
            env=env, cwd=work / "src", capture_output=True, text=True, check=True,
        )  # fmt: skip
        if not check.stdout.startswith(str(work / "src")):
            raise SystemExit(f"the release's code is not the one imported: {check.stdout}")
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "upgrade_fixture_populate.py"),
             str(work / "data"), *photos],
            env=env, cwd=work / "src", capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(done.stderr)
        manifest = json.loads(done.stdout)
        db = work / "data" / "cardscan.db"
        with sqlite3.connect(db) as conn:  # fold the WAL in: the fixture is one file
            conn.execute("pragma wal_checkpoint(truncate)")
        conn.close()
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        shutil.copytree(
            work / "data",
            out / "data",
            ignore=shutil.ignore_patterns("cardscan.db*", "cache"),
        )
        conn = sqlite3.connect(db)  # kept as SQL text: no database file in the repository
        try:
            (out / "data" / "cardscan.sql").write_text(sql_dump(conn), encoding="utf-8")
        finally:
            conn.close()
    manifest["release"] = release
    (out / "expected.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", required=True, help="a commit or tag, e.g. 8cb87ca")
    parser.add_argument("--out", type=Path, help="default: tests/data/upgrade/RELEASE")
    args = parser.parse_args()
    out = args.out or ROOT / "tests" / "data" / "upgrade" / args.release
    manifest = make(args.release, out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"{out}: {len(manifest['contacts'])} contacts, {len(manifest['cards'])} cards,"
        f" {len(manifest['touches'])} follow-ups, {size / 1000:.0f} KB"
    )


if __name__ == "__main__":
    main()
