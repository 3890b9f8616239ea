"""The ``cardscan`` command: a thin client of the library.

Each command parses its arguments, calls one library function and prints the result.
``root`` holds the ``cli`` group; each other module registers the commands of one concern
on it when imported:

- ``reading``: scan, bench
- ``store``: user, users, event, events, import, contacts, search, merge, unmerge, backup,
  token
- ``followups``: export, plan, followups, done, snooze, skip, log-contact, user feed-url,
  user rotate-feed, bench-feed
- ``outreach``: draft, undo, digest send, digest show, user email
- ``serve``: serve, worker, worker-token
- ``loadbench``: load-test, throughput, speed-report
- ``contacts``: when, contact delete
- ``doctor``: doctor (and the options it shares with serve)
"""

from __future__ import annotations

# Imported for their side effect: each registers its commands on `cli`.
from cardscan.cli import (  # noqa: F401
    contacts,
    doctor,
    followups,
    loadbench,
    outreach,
    reading,
    serve,
    store,
)
from cardscan.cli.root import cli, get_settings, main

__all__ = ["cli", "get_settings", "main"]
