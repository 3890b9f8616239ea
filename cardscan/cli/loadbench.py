"""Load and throughput benchmarks: ``load-test``, ``throughput`` and ``speed-report``.

Benchmarks are commands, not timed tests: their figures depend on the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from cardscan.cli.common import json_option
from cardscan.cli.root import cli

#: Where the load-test and throughput benchmarks take their photos from.
photos_option = click.option(
    "--photos",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of JPEG card photos (default: the repository's sample_cards/images).",
)


def _sample_photos() -> Path:
    """The photos the benchmarks upload when --photos is not given: the checkout's samples."""
    from cardscan.cli.common import checkout

    return checkout() / "sample_cards" / "images"


@cli.command(name="load-test")
@click.option("--url", help="The server, on this machine: http://127.0.0.1:PORT.")
@click.option("--token", envvar="CARDSCAN_TOKEN", help="An API token.")
@click.option(
    "--spawn",
    is_flag=True,
    help="Start a server of its own (throw-away data, its OCR workers) instead of --url;"
    " also reports its memory, idle and under the load.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="With --spawn: OCR worker processes (default: the server's, cores - 1).",
)
@click.option("--clients", type=int, default=4, show_default=True, help="Concurrent clients.")
@click.option("--uploads", type=int, default=5, show_default=True, help="Uploads per client.")
@click.option(
    "--duration",
    type=float,
    default=60.0,
    show_default=True,
    help="Stop starting uploads after this many seconds.",
)
@click.option(
    "--pause",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds each client waits between uploads (a person snapping cards).",
)
@photos_option
@json_option()
def load_test_cmd(
    url: str | None,
    token: str | None,
    spawn: bool,
    workers: int,
    clients: int,
    uploads: int,
    duration: float,
    pause: float,
    photos: str | None,
    as_json: bool,
) -> None:
    """Upload card photos from N concurrent clients and report latency and OCR throughput.

    Loopback only; at most 32 clients x 100 uploads and 600 seconds; it stops by itself.
    Every upload is a new card, so the server's OCR queue gets busy: use a spare data dir,
    or --spawn, which starts a server of its own and waits for the OCR of every card.

    Example:

        cardscan load-test --url http://127.0.0.1:8000 --token $T --clients 8 --uploads 10
        cardscan load-test --spawn --clients 20 --uploads 5 --photos ../shared/cards/images
    """
    from cardscan.cli.common import dev_tool

    loadbench, loadtest = dev_tool("loadbench"), dev_tool("loadtest")
    pictures = loadtest.load_photos(photos or _sample_photos())
    if spawn:
        served = loadbench.serve_under_load(
            pictures, clients=clients, uploads=uploads, workers=workers
        )
        click.echo(json.dumps(served.to_dict()) if as_json else served.summary())
        return
    if not url or not token:
        raise click.UsageError("give --url and --token (or --spawn).")
    report = loadtest.run_load(
        url,
        token,
        pictures,
        clients=clients,
        uploads=uploads,
        duration=duration,
        pause=pause,
    )
    click.echo(json.dumps(report.to_dict()) if as_json else report.summary())


@cli.command(name="throughput")
@click.option("--cards", type=int, default=40, show_default=True, help="Cards per run.")
@click.option(
    "--workers",
    "worker_counts",
    type=int,
    multiple=True,
    help="Worker processes for a run; repeat for several runs (default: 1 and 2).",
)
@click.option(
    "--redis",
    "use_redis",
    is_flag=True,
    help="Queue through a redis-server started for the run (as for workers on several"
    " machines), not the SQLite queue file.",
)
@click.option("--queue-url", help="Queue through this Redis instead (it is emptied).")
@photos_option
@json_option()
def throughput_cmd(
    cards: int,
    worker_counts: tuple[int, ...],
    use_redis: bool,
    queue_url: str | None,
    photos: str | None,
    as_json: bool,
) -> None:
    """Read N cards with 1, 2, ... OCR worker processes and print cards a minute for each.

    Each run starts its own `cardscan worker` processes on a throw-away data directory;
    they load their engines and read one card before the clock starts.

    Example:

        cardscan throughput --cards 40 --workers 1 --workers 2 --redis
    """
    import tempfile

    from cardscan.cli.common import dev_tool

    loadbench = dev_tool("loadbench")
    pictures = dev_tool("loadtest").load_photos(photos or _sample_photos())
    counts = worker_counts or (1, 2)
    if use_redis and not queue_url:
        with tempfile.TemporaryDirectory() as tmp, loadbench.local_redis(tmp) as url:
            runs = loadbench.worker_throughput(pictures, cards=cards, workers=counts, queue_url=url)
    else:
        runs = loadbench.worker_throughput(
            pictures, cards=cards, workers=counts, queue_url=queue_url or ""
        )
    queue = "redis" if use_redis or queue_url else "sqlite"
    if as_json:
        click.echo(json.dumps({"queue": queue, "runs": [r.to_dict() for r in runs]}))
        return
    for run in runs:
        click.echo(
            f"{run.workers} worker{'s' if run.workers != 1 else ' '} ({queue}): {run.cards} cards"
            f" in {run.seconds:.1f} s = {run.per_minute:.1f} cards/min,"
            f" {run.cpu_seconds / run.cards:.2f} CPU s a card"
            + (f", {run.failed} failed" if run.failed else "")
        )


@cli.command(name="speed-report")
@click.option(
    "--cards-dir",
    "card_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A labelled photo set: a folder with images/ and labels/ (repeatable; default: the"
    " checkout's sample_cards). Its photos are also the serve and throughput load.",
)
@click.option(
    "--generate",
    type=click.IntRange(min=0, max=200),
    default=24,
    show_default=True,
    help="Also read this many freshly generated photos (0: none).",
)
@click.option("--seed", type=int, default=1818, show_default=True, help="Their seed.")
@click.option("--clients", type=int, default=20, show_default=True, help="Upload clients.")
@click.option("--uploads", type=int, default=5, show_default=True, help="Uploads per client.")
@click.option("--cards", type=int, default=40, show_default=True, help="Cards per throughput run.")
@click.option(
    "--only",
    "parts",
    multiple=True,
    type=click.Choice(["reading", "serve", "throughput"]),
    help="Run only this part (repeatable; default: all three).",
)
@json_option()
def speed_report_cmd(
    card_dirs: tuple[str, ...],
    generate: int,
    seed: int,
    clients: int,
    uploads: int,
    cards: int,
    parts: tuple[str, ...],
    as_json: bool,
) -> None:
    """Measure every figure of the speed and footprint targets in one run, for a quiet machine.

    Per photo set: `cardscan scan --json` in one process against the raw `tesseract` CLI
    (wall, CPU, peak memory), and the pipeline's median time and accuracy as `cardscan
    bench` scores it; then `cardscan serve` idle and under CLIENTS x UPLOADS uploads (ack
    p50/p95, memory), and N cards through 1 and 2 workers on a redis-server it starts.
    About 12 minutes on an idle 2-core machine with the defaults and 58 photos.

    Example:

        cardscan speed-report --cards-dir ../shared/cards
    """
    from cardscan.cli.common import checkout, dev_tool

    speedreport = dev_tool("speedreport")
    dirs = [Path(d) for d in card_dirs] or [checkout() / "sample_cards"]
    for d in dirs:
        if not (d / "images").is_dir() or not (d / "labels").is_dir():
            raise click.UsageError(f"{d} needs images/ and labels/ folders.")
    report = speedreport.run(
        [(str(d), d / "images", d / "labels") for d in dirs],
        generate=generate,
        seed=seed,
        clients=clients,
        uploads=uploads,
        cards=cards,
        parts=parts or ("reading", "serve", "throughput"),
        progress=lambda what: click.echo(f"... {what}", err=True),
    )
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.summary())
