"""Follow-ups that reach the user: ``draft``, ``digest send``, ``user email``.

Imports are local to the commands, so other commands stay light.
"""

from __future__ import annotations

import json

import click

from cardscan.cli.common import _store, user_option
from cardscan.cli.root import cli


@cli.command(name="draft")
@click.argument("touch_id", type=int)
@click.option("--mailto", is_flag=True, help="Print the mailto: link instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (to, subject, body, mailto).")
@user_option
@click.pass_context
def draft_cmd(
    ctx: click.Context, touch_id: int, mailto: bool, as_json: bool, user_name: str | None
) -> None:
    """Print the drafted message for a follow-up (the same the Today view opens).

    Example:

        cardscan draft 12
    """
    from cardscan.outreach import as_text, local_today, touch_draft

    store = _store(ctx)
    user = store.users.pick(user_name)
    draft = touch_draft(store, user, touch_id, local_today(store, user.id))
    if as_json:
        fields = {"kind": draft.kind, "to": draft.to, "subject": draft.subject}
        click.echo(json.dumps({**fields, "body": draft.body, "mailto": draft.mailto}))
    elif mailto:
        click.echo(draft.mailto)
    else:
        click.echo(as_text(draft), nl=False)
