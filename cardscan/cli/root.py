"""The root ``cardscan`` group: its options, the ``settings`` command and error handling.

Known errors (``CardscanError``) become one ``Error: ...`` line and the error's exit code,
here and nowhere else. The commands live in the sibling modules, which import ``cli`` from
here and register themselves on it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from cardscan.errors import CardscanError, ExitCode
from cardscan.settings import Settings, is_secret, load_settings, setting_help

#: Characters a terminal acts on instead of showing: C0 controls but tab and newline (CR
#: rewrites the line, ESC starts colour and cursor sequences), DEL, C1 (CSI is one), the line
#: and paragraph separators, and the bidi overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    r"""Text with every control character shown as an escape (``\r``, ``\u001b``).

    The escapes are JSON's too, so ``--json`` output stays valid JSON meaning the same.
    """
    return _CONTROL.sub(lambda m: "\\r" if m[0] == "\r" else f"\\u{ord(m[0]):04x}", text)


class _EscapingStream:
    """A text stream that shows control characters escaped (bytes written to ``buffer``,
    such as an export to stdout, pass untouched)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # buffer, encoding, isatty, fileno...
        return getattr(self._stream, name)


class _Group(click.Group):
    """A click group that turns a ``CardscanError`` into one line and its exit code, and
    shows text from cards, events and files only escaped: a card could otherwise carry
    ``ESC[2J`` or a CR that hides what the line said."""

    def invoke(self, ctx: click.Context) -> Any:
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = (
            s if s is None or isinstance(s, _EscapingStream) else _EscapingStream(s)
            for s in streams
        )
        try:
            return super().invoke(ctx)
        except CardscanError as e:
            click.echo(f"Error: {e.message}", err=True)
            ctx.exit(int(e.exit_code))
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(int(ExitCode.interrupted))
        finally:
            sys.stdout, sys.stderr = streams


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
        if is_secret(name) and value:
            value = "(set, not shown)"
        click.echo(f"{name} = {value!r}\n    {help_text} (env CARDSCAN_{name.upper()})")


def main() -> None:  # pragma: no cover - console entry point alias
    """Run the CLI."""
    sys.exit(cli())
