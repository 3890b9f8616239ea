"""Reading cards: ``scan`` and ``bench``.

The OCR engine and the pipeline are imported inside the commands, so ``cardscan --help``
stays light.
"""

from __future__ import annotations

import json
from typing import Any

import click

from cardscan.cli.common import json_option
from cardscan.cli.root import cli, get_settings
from cardscan.errors import CardscanError
from cardscan.reading.checks import checks


def _engine_option(func: Any) -> Any:
    return click.option(
        "--engine",
        default=None,
        help="OCR engine: rapidocr (default) or tesseract. Setting: engine.",
    )(func)


def _card_json(path: str, reading: Any, several: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"file": path}
    if several:
        data["card"] = reading.card_index
    data["contact"] = reading.contact.to_dict()
    data["confidence"] = {k: round(v, 3) for k, v in reading.contact.confidence.items()}
    marks = checks(reading.contact)  # the fields to check, as triage marks them
    data["check"] = [c.field for c in marks]
    data["check_reasons"] = {c.field: c.reason for c in marks}
    data["qr"] = [code.data for code in reading.qr]
    data["seconds"] = round(reading.seconds, 3)
    return data


def _card_summary(path: str, reading: Any, several: bool) -> str:
    contact = reading.contact
    head = f"{path}" + (f" (card {reading.card_index + 1})" if several else "")
    lines = [f"{head}  [{reading.seconds:.2f} s]"]
    if contact.is_empty():
        lines.append("  (no contact details found)")

    def conf(field: str) -> str:
        value = contact.confidence.get(field)
        return f"  ({value:.2f})" if value is not None else ""

    for field in ("name", "title", "company"):
        if getattr(contact, field):
            lines.append(f"  {field:<9}{getattr(contact, field)}{conf(field)}")
    for email in contact.emails:
        lines.append(f"  {'email':<9}{email}{conf('emails')}")
    for phone in contact.phones:
        lines.append(f"  {phone.kind:<9}{phone.e164 or phone.number}{conf('phones')}")
    for site in contact.websites + contact.socials:
        lines.append(f"  {'web':<9}{site}{conf('websites')}")
    if contact.address:
        lines.append(f"  {'address':<9}{contact.address}{conf('address')}")
    return "\n".join(lines)


@cli.command(name="scan")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option("One JSON object per card per line.")
@_engine_option
@click.option("--region", default=None, help="Country for numbers without +code (e.g. US).")
@click.pass_context
def scan_cmd(
    ctx: click.Context,
    images: tuple[str, ...],
    as_json: bool,
    engine: str | None,
    region: str | None,
) -> None:
    """Read business-card photos and print the contacts found.

    A file that cannot be read prints one "Error: FILE: reason" line; the other files are
    still read, and the exit code is that of the first error.

    Example:

        cardscan scan card.jpg other.heic --json
    """
    from cardscan.reading.ocr import get_engine
    from cardscan.reading.pipeline import scan_image
    from cardscan.workers import restart_with_reading_malloc

    restart_with_reading_malloc()
    settings = get_settings(ctx, engine=engine, default_region=region)
    reader = get_engine(
        settings.engine, languages=settings.tesseract_languages, threads=settings.ocr_threads
    )
    failure: CardscanError | None = None
    for path in images:
        try:
            readings = scan_image(path, settings, engine=reader)
        except CardscanError as e:
            click.echo(f"Error: {path}: {e.message}", err=True)
            failure = failure or e
            continue
        several = len(readings) > 1
        for reading in readings:
            if as_json:
                click.echo(json.dumps(_card_json(path, reading, several), ensure_ascii=False))
            else:
                click.echo(_card_summary(path, reading, several))
    if failure is not None:
        ctx.exit(int(failure.exit_code))


@cli.command(name="bench")
@click.option("--images", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--labels", required=True, type=click.Path(file_okay=False, exists=True))
@_engine_option
@click.option(
    "--baseline/--no-baseline",
    default=True,
    help="Also score raw Tesseract on the unprocessed photos (default: on).",
)
@json_option("Print the results as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="List every wrong field of every card.")
@click.pass_context
def bench_cmd(
    ctx: click.Context,
    images: str,
    labels: str,
    engine: str | None,
    baseline: bool,
    as_json: bool,
    verbose: bool,
) -> None:
    """Score the pipeline on labelled photos: accuracy per field and seconds per card.

    Labels are NAME.json files next to NAME.jpg in the format of sample_cards/labels.

    Example:

        cardscan bench --images sample_cards/images --labels sample_cards/labels
    """
    from cardscan.reading.bench import format_report, report_dict, run_bench
    from cardscan.workers import restart_with_reading_malloc

    restart_with_reading_malloc()  # measured as scan and the workers read
    settings = get_settings(ctx, engine=engine)
    runs = run_bench(
        images,
        labels,
        settings,
        baseline=baseline,
        progress=lambda name: click.echo(f"  {name}", err=True),
    )
    if as_json:
        click.echo(json.dumps(report_dict(runs), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(runs, verbose=verbose))
