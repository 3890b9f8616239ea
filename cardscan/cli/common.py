"""What several command modules share: ``--user``, the store of this run, ``--event``.

Imports are local to the functions, so a command that needs no store does not load it.
"""

from __future__ import annotations

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
