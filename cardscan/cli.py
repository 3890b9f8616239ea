"""The ``cardscan`` command: a thin client of the library.

Each command parses its arguments, calls one library function and prints the result.
Known errors (``CardscanError``) become one ``Error: ...`` line and the error's exit code,
here and nowhere else.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from cardscan.errors import CardscanError, ExitCode
from cardscan.settings import Settings, load_settings, setting_help


class _Group(click.Group):
    """A click group that turns a ``CardscanError`` into one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CardscanError as e:
            click.echo(f"Error: {e.message}", err=True)
            ctx.exit(int(e.exit_code))
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(int(ExitCode.interrupted))


def get_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings for this run: the group's options plus a command's own overrides."""
    base = ctx.find_root().obj or {}
    return load_settings({**base.get("overrides", {}), **overrides}, config_file=base.get("config"))


@click.group(cls=_Group)
@click.version_option(package_name="cardscan")
@click.option(
    "--data",
    type=click.Path(file_okay=False),
    envvar="CARDSCAN_DATA",
    help="Data directory (cardscan.db and photos). Default: ~/.local/share/cardscan.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    envvar="CARDSCAN_CONFIG",
    help="A TOML settings file. Default: cardscan.toml in the data directory.",
)
@click.pass_context
def cli(ctx: click.Context, data: str | None, config: str | None) -> None:
    """cardscan: snap business cards, read them, and follow up.

    Example:

        cardscan scan card.jpg --json
    """
    ctx.obj = {"overrides": {"data": data}, "config": config}


@cli.command(name="settings")
@click.pass_context
def settings_cmd(ctx: click.Context) -> None:
    """Print every setting with its current value and help.

    Example:

        CARDSCAN_ENGINE=tesseract cardscan settings
    """
    current = get_settings(ctx)
    for name, _default, help_text in setting_help():
        value = getattr(current, name)
        click.echo(f"{name} = {value!r}\n    {help_text} (env CARDSCAN_{name.upper()})")


# --- reading cards: scan, bench -----------------------------------------------------------


# --- the store: users, events, import, contacts, search, merge, backup ---------------------


# --- follow-ups and exports --------------------------------------------------------------


# --- the web app: serve, tokens ----------------------------------------------------------


def _start_ocr_workers(settings: Settings) -> Any:
    """Start the OCR worker pool from ``cardscan.jobs``; None when it is not installed."""
    try:
        from cardscan import jobs
    except ImportError:
        click.echo("Warning: cardscan.jobs is missing: cards will wait as 'queued'.", err=True)
        return None
    return jobs.start_workers(settings)


@cli.command(name="serve")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Data directory.")
@click.option("--host", help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=int, help="Port to listen on.")
@click.option("--cert", type=click.Path(dir_okay=False), help="TLS certificate (PEM) for https.")
@click.option("--key", type=click.Path(dir_okay=False), help="TLS private key (PEM) for https.")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust one reverse proxy's X-Forwarded-* headers (Caddy, nginx).",
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    data_dir: str | None,
    host: str | None,
    port: int | None,
    cert: str | None,
    key: str | None,
    behind_proxy: bool,
) -> None:
    """Run the web app (and the OCR workers) until Ctrl+C.

    Plain HTTP is served by waitress; with --cert and --key, https is served by cheroot with
    Python's ssl module. Phones need https for the installable app: see the README.

    Example:

        cardscan serve --host 0.0.0.0 --port 8443 --cert cert.pem --key key.pem
    """
    from web import create_app
    from web.server import make_server

    overrides: dict[str, Any] = {"host": host, "port": port}
    if data_dir:
        overrides["data"] = data_dir
    settings = get_settings(ctx, **overrides)
    app = create_app(
        {
            "CARDSCAN_SETTINGS": settings,
            "BEHIND_PROXY": behind_proxy,
            "SESSION_COOKIE_SECURE": bool(cert),
        }
    )
    server = make_server(app, settings.host, settings.port, cert=cert, key=key)
    workers = _start_ocr_workers(settings)
    click.echo(f"cardscan serving {settings.data_dir} at {server.url} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("Stopping...", err=True)
        server.stop()
        if workers is not None:
            workers.stop()


@cli.group(name="token")
def token_group() -> None:
    """API tokens for scripts (sent as ``Authorization: Bearer TOKEN``)."""


def _token_user(store: Any, user: str | None) -> Any:
    if user:
        return store.user_by_name(user)
    users = store.users()
    if len(users) != 1:
        raise click.UsageError("several users exist: say whose token with --user NAME.")
    return users[0]


@token_group.command(name="create")
@click.argument("name")
@click.option("--user", help="Whose token (needed when there are several users).")
@click.pass_context
def token_create(ctx: click.Context, name: str, user: str | None) -> None:
    """Create an API token called NAME and print its secret (shown only once).

    Example:

        cardscan token create scanner --user ana
    """
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        click.echo(store.create_api_token(_token_user(store, user).id, name))


@token_group.command(name="list")
@click.option("--user", help="Whose tokens (needed when there are several users).")
@click.pass_context
def token_list(ctx: click.Context, user: str | None) -> None:
    """List API tokens (never their secrets).

    Example:

        cardscan token list --user ana
    """
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        for row in store.api_tokens(_token_user(store, user).id):
            state = f"revoked {row['revoked']}" if row["revoked"] else "active"
            click.echo(f"{row['id']}\t{row['label']}\t{row['created']}\t{state}")


@token_group.command(name="revoke")
@click.argument("token_id", type=int)
@click.option("--user", help="Whose token (needed when there are several users).")
@click.pass_context
def token_revoke(ctx: click.Context, token_id: int, user: str | None) -> None:
    """Revoke the API token with this id (see `cardscan token list`).

    Example:

        cardscan token revoke 3 --user ana
    """
    from cardscan.store import Store

    with Store.open(get_settings(ctx).data_dir) as store:
        store.revoke_api_token(_token_user(store, user).id, token_id)
        click.echo(f"Token {token_id} revoked.")


def main() -> None:  # pragma: no cover - console entry point alias
    """Run the CLI."""
    sys.exit(cli())
