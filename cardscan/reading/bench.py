"""Measure the pipeline on labelled photos: per-field accuracy, OCR ceilings and seconds per card.

How a reading is scored against its label (strict; a card's field is right or wrong, and
the OCR ceilings) is ``scoring``.

The **baseline** runs Tesseract on the unprocessed photo (EXIF-rotated, full resolution, no
card detection, its default page segmentation) and scores it with the same extractor.

Seconds per card include everything: reading the file, decoding, detection, OCR, QR and
extraction.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardscan.errors import CardscanError, InputImageError
from cardscan.models import CONTACT_FIELDS, CardReading, Contact, OcrResult
from cardscan.reading.calibration import (
    MarkScore,
    field_results,
    format_marks,
    marks_dict,
    pct,
    text_table,
)
from cardscan.reading.checks import fields_to_check
from cardscan.reading.extract import extract_contact
from cardscan.reading.imaging import WORKING_SIZE, load_image
from cardscan.reading.ocr import OcrEngine, RegionReader, get_engine
from cardscan.reading.pipeline import read_source, scan_image
from cardscan.reading.scoring import (
    CEILING_THRESHOLD,
    FUZZY_THRESHOLD,
    ceiling_marks,
    label_script,
    list_values,
    score_contact,
)
from cardscan.settings import Settings

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif")


@dataclass
class CardScore:
    """One labelled photo: what was right, what was extracted, and the time taken."""

    name: str
    seconds: float
    correct: dict[str, bool]
    extracted: dict[str, Any]
    expected: dict[str, Any]
    ceiling: dict[str, bool] = field(default_factory=dict)
    whole_ceiling: dict[str, bool] = field(default_factory=dict)
    ocr_seconds: float = 0.0
    cards: int = 1
    error: str | None = None
    cpu_seconds: float = 0.0  # CPU time (all threads, and Tesseract's processes)
    detection: str = ""  # how the (first) card was found: quad, text or whole
    script: str = "latin"  # the label's script group: "cjk" or "latin" (see label_script)
    confidence: dict[str, float] = field(default_factory=dict)  # the reading's, per field
    check: list[str] = field(default_factory=list)  # the fields marked for checking


@dataclass
class RunScore:
    """All photos of one configuration (the pipeline or the baseline)."""

    label: str
    cards: list[CardScore]

    def only(self, script: str) -> RunScore:
        """The same run restricted to the photos whose label is in ``script`` (see
        :func:`label_script`)."""
        return RunScore(f"{self.label} [{script}]", [c for c in self.cards if c.script == script])

    def accuracy(self, name: str) -> float:
        """Share of photos whose field ``name`` is right."""
        return sum(c.correct.get(name, False) for c in self.cards) / max(1, len(self.cards))

    def ceiling(self, name: str, whole: bool = False) -> float | None:
        """Share of labelled values of ``name`` present in the OCR text (None if unmeasured)."""
        marks = [
            (c.whole_ceiling if whole else c.ceiling)[name]
            for c in self.cards
            if name in (c.whole_ceiling if whole else c.ceiling)
        ]
        return sum(marks) / len(marks) if marks else None

    def seconds(self, quantile: float = 0.5) -> float:
        """Seconds per card at ``quantile`` (0.5 = median)."""
        values = sorted(c.seconds for c in self.cards if c.error is None)
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(round(quantile * (len(values) - 1))))]

    def cpu_seconds(self) -> float:
        """Median CPU seconds per card (all threads; the busier the machine, the closer this
        is to what the card would take alone on one core)."""
        values = [c.cpu_seconds for c in self.cards if c.error is None]
        return statistics.median(values) if values else 0.0

    def ocr_seconds(self) -> float:
        """Median seconds per card spent inside the OCR engine alone."""
        values = [c.ocr_seconds for c in self.cards if c.error is None]
        return statistics.median(values) if values else 0.0

    def marks(self) -> MarkScore:
        """How well the check marks single out the wrong fields (photos read without error)."""
        score = MarkScore()
        for c in self.cards:
            if c.error is None:
                score.results += field_results(
                    c.name,
                    c.correct,
                    c.confidence,
                    c.check,
                    [n for n in CONTACT_FIELDS if c.extracted.get(n)],
                    [n for n in CONTACT_FIELDS if c.expected.get(n)],
                )
        return score


# --- running ------------------------------------------------------------------------------------


def _cpu_time() -> float:
    """CPU seconds used so far by this process (all threads) and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- running ------------------------------------------------------------------------------------


def labelled_images(images: Path, labels: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Pairs of (image, label) matched by file stem, sorted by name.

    Raises:
        InputImageError: a folder is missing, or no image has a label.
    """
    for folder in (images, labels):
        if not folder.is_dir():
            raise InputImageError(f"{str(folder)!r} is not a folder: check --images/--labels.")
    pairs = []
    for path in sorted(images.iterdir()):
        label_path = labels / f"{path.stem}.json"
        if path.suffix.lower() in IMAGE_SUFFIXES and label_path.is_file():
            pairs.append((path, json.loads(label_path.read_text(encoding="utf-8"))))
    if not pairs:
        raise InputImageError(
            f"no image in {str(images)!r} has a label NAME.json in {str(labels)!r}."
        )
    return pairs


def _main_reading(
    readings: Sequence[CardReading], label: dict[str, Any], region: str
) -> CardReading:
    """The reading scored against the label's main card.

    The order of several cards in one photo means nothing, so when the label has several
    cards too, the reading that gets most of the main card's fields right is scored. A photo
    of one card that the pipeline split is scored on its first reading, so a false split
    still counts against it.
    """
    if len(readings) == 1 or not label.get("other_cards"):
        return readings[0]
    return max(readings, key=lambda r: sum(score_contact(r.contact, label, region).values()))


def _contact_dict(contact: Contact) -> dict[str, Any]:
    data = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    data["phones"] = [p.e164 or p.number for p in contact.phones]
    data["websites"] = sorted(list_values(contact, "websites"))  # as scored: profiles too
    return data


class _TimedEngine:
    """Wraps an engine to add up the seconds spent inside it."""

    def __init__(self, engine: OcrEngine) -> None:
        self.inner = engine
        self.name = engine.name
        self.seconds = 0.0

    def read(self, image: Any) -> OcrResult:
        start = time.perf_counter()
        try:
            return self.inner.read(image)
        finally:
            self.seconds += time.perf_counter() - start


class _TimedRegionEngine(_TimedEngine):
    """The same, for an engine that also reads whole photos with line regions."""

    @property
    def detect_side(self) -> int:
        return int(self.inner.detect_side)  # type: ignore[attr-defined]

    def read_regions(self, image: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.read_regions(image)  # type: ignore[attr-defined]
        finally:
            self.seconds += time.perf_counter() - start


def _failed(name: str, label: dict[str, Any], error: CardscanError) -> CardScore:
    """The score of a photo the pipeline could not read: every field wrong."""
    return CardScore(
        name,
        0.0,
        dict.fromkeys(CONTACT_FIELDS, False),
        {},
        label,
        error=error.message,
        script=label_script(label),
    )


def _score_pipeline(
    pairs: Sequence[tuple[Path, dict[str, Any]]],
    settings: Settings,
    engine: OcrEngine,
    ceilings: bool,
    progress: Callable[[str], None] | None,
) -> RunScore:
    region = settings.default_region
    scores = []
    for path, label in pairs:
        timed = (
            _TimedRegionEngine(engine) if isinstance(engine, RegionReader) else _TimedEngine(engine)
        )
        start, cpu_start = time.perf_counter(), _cpu_time()
        try:
            readings = scan_image(path, settings, engine=timed)
        except CardscanError as e:
            scores.append(_failed(path.stem, label, e))
            continue
        seconds = time.perf_counter() - start
        cpu = _cpu_time() - cpu_start
        first = _main_reading(readings, label, region)
        card = CardScore(
            name=path.stem,
            seconds=seconds / len(readings),
            correct=score_contact(first.contact, label, region),
            extracted=_contact_dict(first.contact),
            expected=label,
            ocr_seconds=timed.seconds / len(readings),
            cards=len(readings),
            cpu_seconds=cpu / len(readings),
            detection=first.detection,
            script=label_script(label),
            confidence=dict(first.contact.confidence),
            check=fields_to_check(first.contact),
        )
        if ceilings:
            card.ceiling = ceiling_marks(first.ocr.text, label, region)
            image = load_image(
                read_source(path, settings.max_upload_mb * 1_000_000),
                max_megapixels=settings.max_megapixels,
                max_side=WORKING_SIZE,
            )
            card.whole_ceiling = ceiling_marks(engine.read(image).text, label, region)
        scores.append(card)
        if progress:
            progress(path.stem)
    return RunScore(f"pipeline ({engine.name})", scores)


def _score_baseline(
    pairs: Sequence[tuple[Path, dict[str, Any]]],
    settings: Settings,
    progress: Callable[[str], None] | None,
) -> RunScore:
    from cardscan.reading.ocr.tesseract import TesseractEngine

    engine = TesseractEngine(languages=settings.tesseract_languages, psm=3)
    region = settings.default_region
    scores = []
    for path, label in pairs:
        start, cpu_start = time.perf_counter(), _cpu_time()
        try:
            data = read_source(path, settings.max_upload_mb * 1_000_000)
            image = load_image(data, max_megapixels=settings.max_megapixels)
            ocr_start = time.perf_counter()
            result = engine.read(image)
            ocr_seconds = time.perf_counter() - ocr_start
            contact = extract_contact(result, (), default_region=region)
        except CardscanError as e:
            scores.append(_failed(path.stem, label, e))
            continue
        scores.append(
            CardScore(
                name=path.stem,
                seconds=time.perf_counter() - start,
                correct=score_contact(contact, label, region),
                extracted=_contact_dict(contact),
                expected=label,
                ceiling=ceiling_marks(result.text, label, region),
                ocr_seconds=ocr_seconds,
                cpu_seconds=_cpu_time() - cpu_start,
                script=label_script(label),
                confidence=dict(contact.confidence),
                check=fields_to_check(contact),
            )
        )
        if progress:
            progress(path.stem)
    return RunScore("baseline (raw tesseract, whole photo)", scores)


def run_bench(
    images: str | Path,
    labels: str | Path,
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    baseline: bool = True,
    ceilings: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[RunScore]:
    """Score the pipeline (and the raw-Tesseract baseline) on labelled photos.

    Args:
        images: folder of photos.
        labels: folder of ``NAME.json`` labels, one per photo of the same stem.
        settings: the settings the pipeline runs with (engine, languages, region).
        engine: an engine to use instead of the one the settings name.
        baseline: also run raw Tesseract on the unprocessed photos.
        ceilings: also measure how often labelled values appear in the raw OCR text.
        progress: called with each photo's name when it is done.

    Returns:
        The pipeline's scores, then the baseline's when asked for.

    Raises:
        InputImageError: a folder is missing or holds no labelled image.
    """
    pairs = labelled_images(Path(images), Path(labels))
    if engine is None:
        engine = get_engine(settings.engine, languages=settings.tesseract_languages)
    runs = [_score_pipeline(pairs, settings, engine, ceilings, progress)]
    if baseline:
        runs.append(_score_baseline(pairs, settings, progress))
    return runs


# --- reporting ----------------------------------------------------------------------------------


def format_report(runs: Sequence[RunScore], *, verbose: bool = False) -> str:
    """A plain-text table per field and run, the timings, and (verbose) each failure."""
    out = []
    header = ["field"]
    for run in runs:
        header.append(run.label)
    header.append("ceiling: pipeline text")
    header.append("ceiling: whole photo")
    rows = [header]
    first = runs[0]
    for name in CONTACT_FIELDS:
        row = [name] + [pct(run.accuracy(name)) for run in runs]
        row += [pct(first.ceiling(name)), pct(first.ceiling(name, whole=True))]
        rows.append(row)
    rows.append(["median s/card"] + [f"{run.seconds(0.5):.2f}" for run in runs] + ["", ""])
    rows.append(["p90 s/card"] + [f"{run.seconds(0.9):.2f}" for run in runs] + ["", ""])
    rows.append(["median CPU s/card"] + [f"{run.cpu_seconds():.2f}" for run in runs] + ["", ""])
    rows.append(["median OCR s/card"] + [f"{run.ocr_seconds():.2f}" for run in runs] + ["", ""])
    out.extend(text_table(rows))
    out.append("")
    out.extend(_script_table(runs))
    n = len(first.cards)
    split = sum(1 for c in first.cards if c.cards > 1)
    out.append(
        f"\n{n} labelled photos; fuzzy fields right at rapidfuzz ratio >= {FUZZY_THRESHOLD},"
        f" ceilings at partial_ratio >= {CEILING_THRESHOLD}; emails/phones/websites must"
        f" match exactly as sets. {split} photo(s) read as several cards."
    )
    methods = Counter(c.detection for c in first.cards if c.detection)
    if methods:
        out.append(
            "Cards found by: "
            + ", ".join(f"{name} {count}" for name, count in sorted(methods.items()))
            + " (quad = card outline found and flattened; text = the text-bearing region)."
        )
    errors = [(run.label, c) for run in runs for c in run.cards if c.error]
    for label, card in errors:
        out.append(f"Error: {card.name} ({label}): {card.error}")
    out.append("\n" + format_marks(first.marks(), verbose=verbose))
    if verbose:
        for run in runs:
            out.append(f"\nFailures, {run.label}:")
            for card in run.cards:
                for name, ok in card.correct.items():
                    if not ok and not card.error:
                        out.append(
                            f"  {card.name} {name}: got {card.extracted.get(name)!r},"
                            f" want {card.expected.get(name)!r}"
                        )
    return "\n".join(out)


SCRIPTS = ("cjk", "latin")


def _script_table(runs: Sequence[RunScore]) -> list[str]:
    """Each run's fields over all photos, the CJK ones and the Latin ones, side by side."""
    groups: list[tuple[str, RunScore]] = []
    for run in runs:
        engine = run.label.split(" ")[0]
        groups.append((f"{engine} all ({len(run.cards)})", run))
        for script in SCRIPTS:
            part = run.only(script)
            name = "CJK" if script == "cjk" else "Latin"
            groups.append((f"{engine} {name} ({len(part.cards)})", part))
    header = ["field"] + [title for title, _ in groups]
    rows = [header]
    for name in CONTACT_FIELDS:
        rows.append([name] + [pct(g.accuracy(name)) if g.cards else "-" for _, g in groups])
    rows.append(["median CPU s/card"] + [f"{g.cpu_seconds():.2f}" for _, g in groups])
    return text_table(rows)


def report_dict(runs: Sequence[RunScore]) -> dict[str, Any]:
    """The results as a JSON-ready dict."""
    return {
        "fuzzy_threshold": FUZZY_THRESHOLD,
        "ceiling_threshold": CEILING_THRESHOLD,
        "runs": [
            {
                "label": run.label,
                "accuracy": {name: run.accuracy(name) for name in CONTACT_FIELDS},
                "ceiling": {name: run.ceiling(name) for name in CONTACT_FIELDS},
                "whole_photo_ceiling": {
                    name: run.ceiling(name, whole=True) for name in CONTACT_FIELDS
                },
                "median_seconds": run.seconds(0.5),
                "p90_seconds": run.seconds(0.9),
                "median_ocr_seconds": run.ocr_seconds(),
                "median_cpu_seconds": run.cpu_seconds(),
                "by_script": {
                    script: {
                        "photos": len(part.cards),
                        "accuracy": {name: part.accuracy(name) for name in CONTACT_FIELDS},
                        "median_cpu_seconds": part.cpu_seconds(),
                    }
                    for script in SCRIPTS
                    for part in (run.only(script),)
                },
                "marks": marks_dict(run.marks()),
                "cards": [
                    {
                        "name": c.name,
                        "seconds": round(c.seconds, 3),
                        "correct": c.correct,
                        "extracted": c.extracted,
                        "cards": c.cards,
                        "detection": c.detection,
                        "script": c.script,
                        "confidence": c.confidence,
                        "check": c.check,
                        "error": c.error,
                    }
                    for c in run.cards
                ],
            }
            for run in runs
        ],
    }
