"""What several command modules share: ``--user``, ``--json``, the store of this run,
``--event``, and the development tools in the source checkout's ``scripts/``.

Imports are local to the functions, so a command that needs no store does not load it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
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


def json_option(help: str = "Print JSON.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--json`` flag (``as_json``); ``help`` says what the JSON holds."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def _store(ctx: click.Context) -> Any:
    """The store in the data directory of this run (closed when the command ends)."""
    from cardscan.store import Store

    store = Store.open(get_settings(ctx).data_dir)
    ctx.call_on_close(store.close)
    return store


def _event_id(store: Any, user_id: int, event_name: str | None) -> int | None:
    """The id of the user's event with this name (--event), or None when none is named."""
    return store.events.by_name(user_id, event_name).id if event_name else None


#: Where this package's source checkout is, when it runs from one (an editable install).
PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]


def checkout() -> Path:
    """The source checkout the development commands (``load-test``, ``throughput``,
    ``speed-report``, ``bench-feed``) take their tools (``scripts/``) and sample photos
    from: the one cardscan runs from, else the current directory when it is one.

    Raises:
        click.ClickException: neither is a source checkout (cardscan was installed as a
            package and runs elsewhere).
    """
    for root in (PACKAGE_CHECKOUT, Path.cwd()):
        if (root / "scripts" / "loadtest.py").is_file() and (root / "cardscan").is_dir():
            return root
    raise click.ClickException(
        "this is a development command: its tools are in a source checkout of cardscan"
        " (scripts/, sample_cards/), which cardscan was not installed from. Run it inside a"
        " checkout (`cd cardscan && cardscan ...`), or install cardscan from one with"
        " `pip install -e .`."
    )


def dev_tool(name: str) -> ModuleType:
    """A development tool from the checkout's ``scripts/`` (see :func:`checkout`).

    Raises:
        click.ClickException: no source checkout, or it has no such tool.
    """
    root = checkout()
    if not (root / "scripts" / f"{name}.py").is_file():
        raise click.ClickException(
            f"{root / 'scripts' / name}.py is not there: update the checkout."
        )
    found = importlib.util.find_spec("scripts")
    if found is None or Path(found.origin or "").parent != root / "scripts":
        # The tools import one another as ``scripts.*``: the checkout goes on the path.
        sys.path.insert(0, str(root))
    return importlib.import_module(f"scripts.{name}")
