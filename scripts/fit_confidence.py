"""Fit the confidence model (``cardscan/reading/extract/confidence.py``) on labelled photos.

Reads every labelled photo of each IMAGES/LABELS pair with the real pipeline (RapidOCR's
reading of each photo is cached in --cache, so a second run takes seconds), extracts with the
raw confidences, scores each extracted field with the bench's rules, fits one logistic model
per field and writes its weights into ``confidence.py`` between the WEIGHTS markers. Prints
a table of predicted against observed rightness per field before and after, so a fit that
does not help is seen.

Use generated cards, never the measuring photos (``../shared/cards``): the model must hold on
cards the rules were not tuned on.

Run: .venv/bin/python scripts/fit_confidence.py IMAGES LABELS [IMAGES LABELS ...]
     [--cache DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
from pathlib import Path

from cardscan.models import OcrResult, QrCode
from cardscan.reading.bench import _main_reading, labelled_images
from cardscan.reading.extract import confidence, extract_contact
from cardscan.reading.ocr import get_engine
from cardscan.reading.pipeline import scan_image
from cardscan.reading.scoring import score_contact
from cardscan.settings import Settings

CONFIDENCE = Path(confidence.__file__)


def readings(images: Path, labels: Path, cache: Path) -> list[tuple[dict, dict]]:
    """(label, cached reading) per labelled photo, reading photos not yet in the cache."""
    settings, engine = Settings(), get_engine("rapidocr")
    out = []
    for path, label in labelled_images(images, labels):
        cached = cache / f"{images.parent.name}-{path.stem}.json"
        if not cached.is_file():
            first = _main_reading(scan_image(path, settings, engine=engine), label, "")
            reading = {"ocr": first.ocr.to_dict(), "qr": [[q.data, q.kind] for q in first.qr]}
            cached.write_text(json.dumps(reading, ensure_ascii=False), encoding="utf-8")
        out.append((label, json.loads(cached.read_text(encoding="utf-8"))))
    return out


def rows_of(pairs: list[tuple[dict, dict]]) -> dict[str, list[tuple[tuple[float, ...], bool]]]:
    """Per field: (features, right) for every extracted value, with raw confidences."""
    saved = dict(confidence.WEIGHTS)
    confidence.WEIGHTS.clear()
    rows: dict[str, list[tuple[tuple[float, ...], bool]]] = {f: [] for f in confidence.FIELDS}
    try:
        for label, reading in pairs:
            ocr = OcrResult.from_dict(reading["ocr"])
            codes = [QrCode(data, kind) for data, kind in reading["qr"]]
            contact = extract_contact(ocr, codes)
            right = score_contact(contact, label)
            for name in confidence.FIELDS:
                raw = contact.confidence.get(name)
                if raw is not None and getattr(contact, name):
                    x = confidence.features(contact, name, raw)
                    rows[name].append((x, right[name]))
    finally:
        confidence.WEIGHTS.update(saved)
    return rows


def table(rows: dict[str, list[tuple[tuple[float, ...], bool]]], weights: dict) -> str:
    """Per field and band of predicted chance: mean prediction / share right (count), for the
    raw confidences and for the model."""
    out = ["field      n  wrong  raw: <0.5 | 0.5-0.8 | >=0.8    model: <0.5 | 0.5-0.8 | >=0.8"]
    for name, data in rows.items():
        if not data:
            continue
        wrong = sum(1 for _, ok in data if not ok)
        cells = [_bands([(x[1], ok) for x, ok in data])]
        if name in weights:
            cells.append(_bands([(confidence.probability(weights[name], x), ok) for x, ok in data]))
        out.append(f"{name:9} {len(data):3} {wrong:5}  " + "    ".join(cells))
    return "\n".join(out)


def _bands(pairs: list[tuple[float, bool]]) -> str:
    bands: list[list[tuple[float, bool]]] = [[], [], []]
    for p, ok in pairs:
        bands[0 if p < 0.5 else 1 if p < 0.8 else 2].append((p, ok))
    return " | ".join(
        f"{sum(p for p, _ in b) / len(b):.2f}/{sum(ok for _, ok in b) / len(b):.2f} ({len(b)})"
        if b
        else "-"
        for b in bands
    )


def write_weights(weights: dict[str, tuple[float, ...]], fitted_on: str) -> None:
    """Replace the WEIGHTS and FITTED_ON assignments in confidence.py."""
    source = CONFIDENCE.read_text(encoding="utf-8")
    body = "".join(f'    "{name}": {tuple(w)!r},\n' for name, w in weights.items())
    source = re.sub(
        r"WEIGHTS: dict\[str, tuple\[float, \.\.\.\]\] = \{.*?\n\}\n|"
        r"WEIGHTS: dict\[str, tuple\[float, \.\.\.\]\] = \{\}\n",
        lambda _: f"WEIGHTS: dict[str, tuple[float, ...]] = {{\n{body}}}\n",
        source,
        count=1,
        flags=re.S,
    )
    source = re.sub(r'FITTED_ON = ".*"', f"FITTED_ON = {fitted_on!r}".replace("'", '"'), source)
    CONFIDENCE.write_text(source, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairs", nargs="+", help="IMAGES LABELS [IMAGES LABELS ...]")
    parser.add_argument("--cache", default="/tmp/cardscan-fit-cache")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    parser.add_argument("--l2", type=float, default=1.0, help="penalty on the shared weights")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give folders in pairs: IMAGES LABELS")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    pairs = []
    for images, labels in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        pairs += readings(Path(images), Path(labels), cache)
    rows = rows_of(pairs)
    weights = confidence.fit_pooled(rows, l2=args.l2)
    print(table(rows, weights))
    if not args.dry_run:
        sets = ", ".join(Path(i).parent.name for i in args.pairs[::2])
        write_weights(weights, f"{len(pairs)} photos ({sets}), {datetime.date.today()}")


if __name__ == "__main__":
    main()
