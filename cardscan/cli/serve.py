"""The web app, its OCR workers and the digest clock: ``serve``, ``worker`` and
``worker-token``.

Flask, the server and the OCR workers are imported inside the commands.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any

import click

from cardscan.cli.common import _store
from cardscan.cli.doctor import format_report, serving_options, serving_overrides
from cardscan.cli.root import cli, get_settings
from cardscan.settings import Settings
from cardscan.workers import exit_with_parent


def _stop_on_signals() -> None:
    """Ctrl+C and SIGTERM (systemd, docker stop) both end ``serve_forever`` with
    KeyboardInterrupt, so the server, the digest clock and the workers stop cleanly. SIGINT
    is set even when it came in ignored (a shell's ``cardscan serve &``)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def _this_program() -> list[str]:
    """How this ``cardscan`` was started (``python -m cardscan``, the console script, or a
    wrapper script), so the OCR workers start the same way."""
    orig = list(getattr(sys, "orig_argv", []))
    if len(orig) >= len(sys.argv) >= 1:
        return orig[: len(orig) - len(sys.argv) + 1]
    return [sys.executable, "-m", "cardscan"]


def _start_digest(settings: Settings, server_url: str) -> Any:
    """Start the digest clock (``cardscan.outreach.scheduler``); links use base_url, else
    the address this server listens on."""
    from cardscan.outreach.scheduler import DigestScheduler

    if settings.smtp_host and not settings.base_url:
        click.echo(
            f"Digest e-mails link to {server_url}: set base_url to the address your phone uses.",
            err=True,
        )
    return DigestScheduler(
        settings.data_dir, settings, base_url=settings.base_url or server_url
    ).start()


@cli.command(name="serve")
@serving_options
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="OCR worker processes to start (default: the ocr_workers setting).",
)
@click.option(
    "--no-workers",
    is_flag=True,
    help="Start no OCR workers (they run elsewhere: `cardscan worker`); still sweep the queue.",
)
@click.option(
    "--listen-fd",
    "listen_fds",
    type=int,
    multiple=True,
    hidden=True,
    help="Answer on this inherited listening socket: one of serve's web processes.",
)
@click.option("--exit-with", type=int, hidden=True, help="End when this process ends.")
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    workers: int | None,
    no_workers: bool,
    listen_fds: tuple[int, ...],
    exit_with: int | None,
    **serving: Any,
) -> None:
    """Run the web app, its OCR worker processes and the digest e-mails until Ctrl+C.

    Plain HTTP is served by waitress; with --cert and --key, https is served by hypercorn with
    Python's ssl module. Phones need https for the installable app: see docs/deploy.md.
    The quick checks of `cardscan doctor` run first; their problems are printed, and the
    server starts all the same.

    Example:

        cardscan serve --host 0.0.0.0 --port 8443 --cert cert.pem --key key.pem
    """
    from cardscan.doctor import diagnose
    from cardscan.ocrworkers import Supervisor, default_workers
    from web.processes import WebProcesses, web_process_count

    overrides: dict[str, Any] = {**serving_overrides(**serving), "ocr_workers": workers}
    settings = get_settings(ctx, **overrides)
    web_processes = web_process_count(settings.web_processes)
    if listen_fds:  # one of the web processes the first one started
        if exit_with:
            exit_with_parent(exit_with)
        _serve(_web_server(settings, web_processes, list(listen_fds)))
        return
    report = diagnose(settings, full=False)
    if not report.ok:
        click.echo(format_report(report, only_problems=True), err=True)
        click.echo("Run `cardscan doctor` for the full check.", err=True)
    server = _web_server(settings, web_processes)
    others = WebProcesses(
        _web_process_command(ctx, settings, server.fds), fds=server.fds, count=web_processes - 1
    )
    others.start()
    count = 0 if no_workers else settings.ocr_workers or default_workers()
    supervisor = Supervisor(
        settings,
        workers=count,
        command=_this_program(),
        config=(ctx.find_root().obj or {}).get("config"),
    )
    supervisor.start()
    digests = _start_digest(settings, server.url)
    click.echo(
        f"cardscan serving {settings.data_dir} at {server.url} with {web_processes} web"
        f" process{'es' if web_processes != 1 else ''} and {count} OCR worker"
        f"{'s' if count != 1 else ''} (Ctrl+C stops)"
    )
    try:
        # The other web processes are stopped (and no longer started again) before the
        # listening sockets they inherit are closed: a stop that signals every process at
        # once (systemd's) made the keeper start one again on a closed descriptor.
        _serve(server, quiet=False, before_close=others.stop)
    finally:
        others.stop()
        digests.stop()
        supervisor.stop(timeout=30)


def _web_server(settings: Settings, processes: int, fds: list[int] | None = None) -> Any:
    """The app and its HTTP server: bound to the settings' host and port, or answering on
    the inherited listening sockets ``fds``."""
    from web import create_app
    from web.server import make_server

    app = create_app(
        {
            "CARDSCAN_SETTINGS": settings,
            "BEHIND_PROXY": settings.behind_proxy,
            "SESSION_COOKIE_SECURE": bool(settings.tls_cert),
            "WEB_PROCESSES": processes,
        }
    )
    return make_server(
        app, settings.host, settings.port, cert=settings.tls_cert, key=settings.tls_key, fds=fds
    )


def _web_process_command(ctx: click.Context, settings: Settings, fds: list[int]) -> list[str]:
    """How to start another web process with the same settings on the sockets ``fds``."""
    command = [*_this_program(), "--data", str(settings.data_dir)]
    config = (ctx.find_root().obj or {}).get("config")
    if config:
        command += ["--config", config]
    command += ["serve", "--host", settings.host, "--port", str(settings.port)]
    if settings.tls_cert:
        command += ["--cert", settings.tls_cert, "--key", settings.tls_key]
    if settings.behind_proxy:
        command.append("--behind-proxy")
    for fd in fds:
        command += ["--listen-fd", str(fd)]
    return command


def _serve(
    server: Any, *, quiet: bool = True, before_close: Callable[[], None] | None = None
) -> None:
    """Serve until Ctrl+C or SIGTERM, then (after ``before_close``) stop the server."""
    _stop_on_signals()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if not quiet:
            click.echo("Stopping...", err=True)
        if before_close is not None:
            before_close()
        server.stop()


@cli.command(name="worker")
@click.option(
    "--nice",
    type=click.IntRange(min=0, max=19),
    default=0,
    show_default=True,
    help="Lower this worker's CPU priority by this much.",
)
@click.option(
    "--server",
    help="Read cards for this server over its API (a worker on another machine; needs"
    " queue_url = redis://... shared with the server and --token).",
)
@click.option(
    "--token",
    envvar="CARDSCAN_WORKER_TOKEN",
    help="The worker token for --server (`cardscan worker-token create` on the server).",
)
@click.option("--exit-with", type=int, hidden=True, help="End when this process ends.")
@click.option("--afresh", is_flag=True, hidden=True, help="Started again by an idle worker.")
@click.pass_context
def worker_cmd(
    ctx: click.Context,
    nice: int,
    server: str | None,
    token: str | None,
    exit_with: int | None,
    afresh: bool,
) -> None:
    """Run one OCR worker: read the cards the queue names until Ctrl+C or SIGTERM.

    `cardscan serve` starts its own workers. Run more on this machine with the same data
    directory, or on other machines with --server and a worker token: they take card ids
    from the shared Redis queue, fetch the photos over the API and post what they read.

    Example:

        CARDSCAN_QUEUE_URL=redis://queue.lan:6379/0 CARDSCAN_WORKER_TOKEN=... \
            cardscan worker --server https://cards.example.org
    """
    from cardscan.ocrworkers import run_worker

    run_worker(
        get_settings(ctx),
        nice=nice,
        exit_with=exit_with,
        server=server,
        token=token,
        afresh=afresh,
    )


@cli.group(name="worker-token")
def worker_token_group() -> None:
    """Tokens of OCR workers on other machines (they reach only /api/worker/)."""


@worker_token_group.command(name="create")
@click.argument("name")
@click.pass_context
def worker_token_create(ctx: click.Context, name: str) -> None:
    """Create a worker token called NAME and print its secret (shown only once).

    Example:

        cardscan worker-token create gpu-box
    """
    click.echo(_store(ctx).worker_tokens.create(name))


@worker_token_group.command(name="list")
@click.pass_context
def worker_token_list(ctx: click.Context) -> None:
    """List worker tokens (never their secrets).

    Example:

        cardscan worker-token list
    """
    for row in _store(ctx).worker_tokens.all():
        state = f"revoked {row['revoked']}" if row["revoked"] else "active"
        used = f"last used {row['last_used']}" if row["last_used"] else "never used"
        click.echo(f"{row['id']}\t{row['label']}\t{row['created']}\t{used}\t{state}")


@worker_token_group.command(name="revoke")
@click.argument("token_id", type=int)
@click.pass_context
def worker_token_revoke(ctx: click.Context, token_id: int) -> None:
    """Revoke the worker token with this id (see `cardscan worker-token list`).

    Example:

        cardscan worker-token revoke 2
    """
    _store(ctx).worker_tokens.revoke(token_id)
    click.echo(f"worker token {token_id} revoked")
