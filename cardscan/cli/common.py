"""What several command modules share: ``--user``, the store of this run, ``--event``, and
the development tools in the source checkout's ``scripts/``.

Imports are local to the functions, so a command that needs no store does not load it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from cardscan.cli.root import get_settings

user_option = click.option(
    "--user",
    "user_name",
    envvar="CARDSCAN_USER",
    help="Whose data (needed when there is more than one user).",
)


def _store(ctx: click.Context) -> Any:
    """The store in the data directory of this run (closed when the command ends)."""
    from cardscan.store import Store

    store = Store.open(get_settings(ctx).data_dir)
    ctx.call_on_close(store.close)
    return store


def _event_id(store: Any, user_id: int, event_name: str | None) -> int | None:
    """The id of the user's event with this name (--event), or None when none is named."""
    return store.events.by_name(user_id, event_name).id if event_name else None


#: The source checkout's ``scripts/`` (development tools, not installed with cardscan).
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def dev_tool(name: str) -> ModuleType:
    """A development tool from the checkout's ``scripts/`` (``load-test``, ``throughput`` and
    ``bench-feed`` use them; they are not installed with cardscan).

    Raises:
        click.ClickException: cardscan runs from an installed package, not a checkout.
    """
    if not (SCRIPTS / f"{name}.py").is_file():
        raise click.ClickException(
            f"this command needs a source checkout of cardscan: {SCRIPTS / name}.py is not there."
        )
    found = importlib.util.find_spec("scripts")
    if found is None or Path(found.origin or "").parent != SCRIPTS:
        # The installed `cardscan` command run in a checkout: the tools import one another
        # as ``scripts.*``, so the checkout's root goes on the path (dev commands only).
        sys.path.insert(0, str(SCRIPTS.parent))
    return importlib.import_module(f"scripts.{name}")
