"""The root ``cardscan`` group: its options, the ``settings`` command and error handling.

Known errors (``CardscanError``) become one ``Error: ...`` line and the error's exit code,
here and nowhere else. The commands live in the sibling modules, which import ``cli`` from
here and register themselves on it.
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


def main() -> None:  # pragma: no cover - console entry point alias
    """Run the CLI."""
    sys.exit(cli())
