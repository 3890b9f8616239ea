"""The README and docs/ stay true: generated parts current, every command, setting and API
route documented (and nothing documented that is not there), links and named files real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from cardscan.cli import cli
from cardscan.settings import setting_help

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]
#: Routes the API reference covers: everything a script or a calendar calls.
API_PREFIXES = ("/api/", "/calendar/", "/exports/", "/healthz")
#: The README is the front door: short, with small pictures.
README_MAX_LINES = 200
IMAGE_MAX_BYTES = 150_000


def _commands(group: click.Group, names: list[str]) -> list[tuple[str, click.Command]]:
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        found.append((" ".join([*names, name]), command))
        if isinstance(command, click.Group):
            found += _commands(command, [*names, name])
    return found


COMMANDS = _commands(cli, ["cardscan"])


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```")]
    assert block[0].startswith("./setup.sh && .venv/bin/cardscan serve")
    assert block[1].startswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == ".venv/bin/python -m pytest"  # exactly the README's test command


def test_readme_is_a_front_door():
    assert len((ROOT / "README.md").read_text().splitlines()) <= README_MAX_LINES


@pytest.mark.parametrize(
    "page", [p for p in PAGES if "[[[cog" in p.read_text()], ids=lambda p: p.name
)
def test_generated_sections_are_current(page):
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(page)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun: make cog"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_an_example_and_a_page(name, command):
    assert command.help, f"{name} has no help"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"{name}'s docstring has no Example: block"
    assert f"## `{name}`" in (ROOT / "docs" / "cli.md").read_text(), "run `make cog`"


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "settings.md").read_text()
    for name, _default, help_text in setting_help():
        assert f"| `{name}` |" in text and help_text, f"{name}: run `make cog`"


def _route(text: str) -> str:
    """A path with its placeholders made alike: /api/cards/<int:card_id> ~ /api/cards/{id}."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", text)


def test_api_reference_matches_the_app(tmp_path):
    from cardscan.settings import load_settings
    from web import create_app

    app = create_app(
        {"TESTING": True, "CARDSCAN_SETTINGS": load_settings({"data": str(tmp_path)}, environ={})}
    )
    served = {
        (method, _route(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIXES)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    text = (ROOT / "docs" / "api.md").read_text()
    documented = {
        (method, _route(path))
        for method, path in re.findall(r"^### `(GET|POST|PATCH|PUT|DELETE) (/\S*)`$", text, re.M)
    }
    missing = sorted(f"{m} {r}" for m, r in served - documented)
    assert not missing, f"add a section '### `METHOD /path`' to docs/api.md for each: {missing}"
    gone = sorted(f"{m} {r}" for m, r in documented - served)
    assert not gone, f"docs/api.md documents routes the app does not have: {gone}"


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors: set[str] = set()
    in_code = False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
        anchor, n = slug, 1
        while anchor in anchors:
            anchor, n = f"{slug}-{n}", n + 1
        anchors.add(anchor)
    return anchors


def _links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_lead_somewhere(page):
    broken = []
    for link in _links(page):
        if re.match(r"^[a-z]+:", link):
            continue  # an outside address: not fetched (no network in the tests)
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no file {path.relative_to(ROOT)}")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.name}")
    assert not broken, broken


#: Paths in the docs that name a file or folder of the repository.
_REPO_PATH = re.compile(
    r"`((?:cardscan|web|tests|scripts|deploy|docs|sample_cards|\.ci)/[\w./-]*)`"
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_files_the_docs_name_exist(page):
    missing = [
        path
        for path in _REPO_PATH.findall(page.read_text())
        if not (ROOT / path).exists() and not (ROOT / path.rstrip("/")).exists()
    ]
    assert not missing, missing


def test_readme_pictures_are_small():
    text = (ROOT / "README.md").read_text()
    pictures = re.findall(r"(?:src=\"|\]\()([^\")]+\.(?:png|jpg|webp))", text)
    assert len(pictures) >= 2, "the README shows the phone app (scripts/readme_screenshots.py)"
    for picture in pictures:
        path = ROOT / picture
        assert path.is_file(), picture
        assert path.stat().st_size <= IMAGE_MAX_BYTES, f"{picture}: optimise it"
