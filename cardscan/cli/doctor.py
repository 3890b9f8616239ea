"""``cardscan doctor``, and the options it shares with ``serve`` (how the app is reached)."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import click

from cardscan.cli.common import json_option
from cardscan.cli.root import cli, get_settings
from cardscan.errors import CardscanError, ExitCode

_LABEL = {"error": "ERROR", "warning": "WARN"}


def serving_options(func: Any) -> Any:
    """``--data --host --port --cert --key --behind-proxy``: the settings of how it is served."""
    options = [
        click.option(
            "--data", "data_dir", type=click.Path(file_okay=False), help="Data directory."
        ),
        click.option("--host", help="Address to listen on (0.0.0.0 for every interface)."),
        click.option("--port", type=int, help="Port to listen on."),
        click.option(
            "--cert",
            type=click.Path(dir_okay=False),
            help="TLS certificate (PEM) for https (tls_cert).",
        ),
        click.option(
            "--key",
            type=click.Path(dir_okay=False),
            help="TLS private key (PEM) for https (tls_key).",
        ),
        click.option(
            "--behind-proxy",
            is_flag=True,
            help="Trust one reverse proxy's X-Forwarded-* headers (Caddy, nginx) (behind_proxy).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def serving_overrides(
    data_dir: str | None,
    host: str | None,
    port: int | None,
    cert: str | None,
    key: str | None,
    behind_proxy: bool,
) -> dict[str, Any]:
    """The settings the serving options override (an option not given changes nothing)."""
    values = {
        "data": data_dir or None,
        "host": host,
        "port": port,
        "tls_cert": cert,
        "tls_key": key,
        "behind_proxy": True if behind_proxy else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def format_report(report: Any, *, only_problems: bool = False) -> str:
    """The report for a terminal: one line per check, each problem with its fix below it."""
    width = max(60, min(100, shutil.get_terminal_size((100, 24)).columns))
    lines = []
    for check in report.checks:
        if check.ok and only_problems:
            continue
        label = "ok" if check.ok else _LABEL[max(check.problems, key=_rank).severity]
        lines += textwrap.wrap(
            f"{check.name}: {check.found}",
            width,
            initial_indent=f"{label:<6}",
            subsequent_indent=" " * 6,
        )
        for problem in check.problems:
            for head, text in (("problem: ", problem.message), ("fix:     ", problem.fix)):
                lines += textwrap.wrap(
                    text, width, initial_indent=" " * 6 + head, subsequent_indent=" " * 15
                )
    problems = report.problems
    errors = sum(p.severity == "error" for p in problems)
    if not problems:
        lines.append("No problems found.")
    else:
        lines.append(
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            f" ({errors} error{'s' if errors != 1 else ''},"
            f" {len(problems) - errors} warning{'s' if len(problems) - errors != 1 else ''})."
        )
    return "\n".join(lines)


def _rank(problem: Any) -> int:
    return 1 if problem.severity == "error" else 0


@cli.command(name="doctor")
@serving_options
@click.option(
    "--fast",
    is_flag=True,
    help="Only the quick checks `serve` runs at start (no model load, no network).",
)
@json_option("Print the report as JSON.")
@click.pass_context
def doctor_cmd(ctx: click.Context, fast: bool, as_json: bool, **serving: Any) -> None:
    """Check the install and the data directory; print each problem with its fix.

    Checks the OCR engine (installed, loads, reads), the data directory (writable, private),
    the database (integrity, version, photos), base_url and https (as the server would be
    reached), the SMTP server for digests, and free disk. Exits 1 when anything is wrong.
    Run it as the user the server runs as, with the same settings.

    Example:

        sudo -u cardscan cardscan --data /var/lib/cardscan doctor
    """
    from cardscan.doctor import diagnose, settings_report

    try:
        settings = get_settings(ctx, **serving_overrides(**serving))
    except CardscanError as e:
        report = settings_report(e)
    else:
        if not as_json:
            click.echo(f"cardscan doctor: {settings.data_dir}")
        report = diagnose(settings, full=not fast)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report))
    if not report.ok:
        ctx.exit(int(ExitCode.other_error))
