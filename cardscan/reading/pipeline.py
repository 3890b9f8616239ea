"""Photo in, contacts out: the one place that decides which stages run.

``scan_image`` loads the photo (``imaging``), finds and flattens each card (``detect``, helped
by the engine's own text regions), reads it (``ocr``), decodes QR codes (``qr``) and turns
text and codes into a contact (``extract``). Settings choose the engine, the languages, the
default phone region and whether intermediate images are kept for debugging.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from cardscan.errors import CardscanError, ImageTooLargeError, InputImageError
from cardscan.fieldmerge import fill_gaps
from cardscan.models import CardReading, OcrResult, QrCode, TextRegion
from cardscan.reading.detect import find_cards
from cardscan.reading.extract import extract_contact
from cardscan.reading.geometry import CardCrop
from cardscan.reading.imaging import WORKING_SIZE, encode_png, load_image
from cardscan.reading.ocr import OcrEngine, RegionReader, TextFinder, get_engine
from cardscan.reading.ocr.readings import merge_readings, project_ocr
from cardscan.reading.qr import decode_qr
from cardscan.settings import Settings

#: Long edge of a flattened card handed to the OCR engine: larger costs time, smaller loses
#: the small print (measured with ``cardscan bench``; see the README).
CARD_SIDE = 1600
#: A card is read again on its own, enlarged to the engine's detection size, when that makes
#: its text at least this much larger than in the whole photo (small cards, small scans).
REREAD_ZOOM = 1.6

Source = bytes | str | os.PathLike[str]


def read_source(source: Source, max_bytes: int) -> bytes:
    """The bytes of ``source`` (bytes as given, or a file path), at most ``max_bytes``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = "the upload"
    else:
        path = Path(os.fspath(source))
        name = str(path)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ImageTooLargeError(_too_big(name, size, max_bytes))
            data = path.read_bytes()
        except IsADirectoryError as e:
            raise InputImageError(f"{name!r} is a directory, not an image file.") from e
        except FileNotFoundError as e:
            raise InputImageError(f"no such file {name!r}: check the path.") from e
        except PermissionError as e:
            raise InputImageError(f"cannot read {name!r}: permission denied.") from e
    if len(data) > max_bytes:
        raise ImageTooLargeError(_too_big(name, len(data), max_bytes))
    return data


def _too_big(name: str, size: int, max_bytes: int) -> str:
    return (
        f"{name} is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.0f} MB: send a"
        " smaller photo (a long edge of 2400 px is plenty) or raise max_upload_mb."
    )


def _finder(engine: OcrEngine) -> TextFinder | None:
    """The engine's own text finder, else RapidOCR's (the best one there is), else none."""
    if isinstance(engine, TextFinder):
        return engine
    try:
        finder = get_engine("rapidocr")
    except CardscanError:
        return None
    return finder if isinstance(finder, TextFinder) else None


def read_cards(
    image: np.ndarray, engine: OcrEngine, *, finder: TextFinder | None = None
) -> tuple[list[CardCrop], list[OcrResult], list[TextRegion], dict[str, float]]:
    """Find the cards in a working-size photo and read each one.

    An engine that reads whole photos with line regions (RapidOCR) reads once; the lines
    are then sorted onto the cards found and mapped into each flat, upright card. A card
    small in a big photo is also read on its own, enlarged to the engine's detection size,
    and the two readings are merged (small print the whole photo lost). Another engine
    (Tesseract) reads each flattened card image, found with ``finder``'s text regions.

    Returns:
        The card crops, one OCR result per crop, the text regions used, and stage timings.
    """
    start = time.perf_counter()
    whole: OcrResult | None = None
    if isinstance(engine, RegionReader):
        whole, regions = engine.read_regions(image)
    else:
        regions = finder.find_text(image) if finder is not None else []
    timings = {"ocr" if whole is not None else "find_text": time.perf_counter() - start}
    start = time.perf_counter()
    crops = find_cards(image, regions, max_side=CARD_SIDE)
    if whole is None:  # no reading yet: read each card found
        timings["detect"] = time.perf_counter() - start
        start = time.perf_counter()
        results = [engine.read(crop.image) for crop in crops]
        timings["ocr"] = time.perf_counter() - start
        return crops, results, regions, timings
    timings["detect"] = time.perf_counter() - start
    start = time.perf_counter()
    side = engine.detect_side if isinstance(engine, RegionReader) else 0
    read = [_read_card(crop, image, engine, side, whole, regions) for crop in crops]
    timings["reread"] = time.perf_counter() - start
    return [c for c, _ in read], [r for _, r in read], regions, timings


def _read_card(
    crop: CardCrop,
    image: np.ndarray,
    engine: OcrEngine,
    side: int,
    whole: OcrResult,
    regions: list[TextRegion],
) -> tuple[CardCrop, OcrResult]:
    """One card's reading: the whole photo's lines that lie on it, in the card's pixels; a
    card small in the photo (its text at least ``REREAD_ZOOM`` times larger read alone at
    ``side``) is enlarged and read again, and the two readings merged."""
    again = bool(side) and _zoom(crop, image, side) >= REREAD_ZOOM
    if again:
        crop = _enlarge(crop, side)
    projected = project_ocr(whole, crop.matrix, crop.size, crop.members, regions)
    if again:
        projected = merge_readings(engine.read(crop.image), projected)
    return crop, projected


def _enlarge(crop: CardCrop, side: int) -> CardCrop:
    """``crop`` with its image scaled up so the long edge is ``side`` px (never shrunk)."""
    height, width = crop.image.shape[:2]
    k = side / max(height, width, 1)
    if k <= 1:
        return crop
    size = (max(1, round(width * k)), max(1, round(height * k)))
    image = cv2.resize(crop.image, size, interpolation=cv2.INTER_CUBIC)
    scale = np.diag([size[0] / width, size[1] / height, 1.0])
    matrix = None if crop.matrix is None else scale @ crop.matrix
    return replace(crop, image=image, matrix=matrix)


def _zoom(crop: CardCrop, image: np.ndarray, side: int) -> float:
    """How much larger the card's text gets when the card alone is read at ``side`` px.

    The engine's text detector sees the photo shrunk to ``side`` on its long edge, so on a
    card small in a big photo the small print is only a few pixels high there. A photo that
    was not shrunk was seen at its own resolution: enlarging it adds nothing (measured: it
    lost a line on a small scan), so it gives 1.
    """
    shrink = side / max(image.shape[:2])
    if shrink >= 1:
        return 1.0
    card_long = max(
        float(np.hypot(*np.subtract(crop.quad[1], crop.quad[0]))),
        float(np.hypot(*np.subtract(crop.quad[3], crop.quad[0]))),
    )
    return side / max(card_long * shrink, 1.0)


@dataclass
class Side:
    """One side of a card (or a photo of several cards) read: the working image, the cards
    found in it, what OCR read on each and the QR codes on each, and seconds per stage."""

    image: np.ndarray
    crops: list[CardCrop]
    results: list[OcrResult]
    codes: list[tuple[QrCode, ...]]
    regions: list[TextRegion]
    timings: dict[str, float] = field(default_factory=dict)


def working_image(data: bytes, settings: Settings) -> np.ndarray:
    """The image of a photo the stages work on: upright, long edge at most ``WORKING_SIZE``,
    within ``max_megapixels``."""
    return load_image(data, max_megapixels=settings.max_megapixels, max_side=WORKING_SIZE)


def read_side(image: np.ndarray, engine: OcrEngine, finder: TextFinder | None) -> Side:
    """Find the cards in a working image, read each one and decode the QR codes on it."""
    crops, results, regions, timings = read_cards(image, engine, finder=finder)
    start = time.perf_counter()
    codes = [decode_qr([crop.image]) for crop in crops]
    timings["qr"] = time.perf_counter() - start
    return Side(image, crops, results, codes, regions, timings)


def look_beyond_the_card(side: Side) -> None:
    """One card without a QR code on it: the code may be beside the card, or the card's
    outline cut it off; look for it in the whole photo."""
    if len(side.crops) == 1 and not side.codes[0]:
        start = time.perf_counter()
        side.codes[0] = decode_qr([side.image])
        side.timings["qr"] += time.perf_counter() - start


def combine(front: Side, back: Side | None, *, default_region: str = "") -> list[CardReading]:
    """A reading per card of the front, with what the back says filling what it lacks.

    The back is one card: its reading with the most text is the one used.
    """
    back_result = _largest(back.results) if back is not None else None
    back_codes: tuple[QrCode, ...] = ()
    timings = dict(front.timings)
    if back is not None:
        back_codes = tuple(dict.fromkeys(code for codes in back.codes for code in codes))
        timings["back"] = sum(back.timings.values())
    back_contact = None
    if back_result is not None:
        start = time.perf_counter()
        back_contact = extract_contact(back_result, back_codes, default_region=default_region)
        timings["back"] += time.perf_counter() - start
    height, width = front.image.shape[:2]
    readings: list[CardReading] = []
    for index, (crop, result, codes) in enumerate(
        zip(front.crops, front.results, front.codes, strict=True)
    ):
        start = time.perf_counter()
        contact = extract_contact(result, codes, default_region=default_region)
        if back_contact is not None:
            contact = fill_gaps(contact, back_contact)
        own = time.perf_counter() - start
        readings.append(
            CardReading(
                contact=contact,
                ocr=result,
                qr=tuple(codes) + tuple(c for c in back_codes if c not in codes),
                card_index=index,
                box=crop.box,
                detection=crop.method,
                detect_confidence=crop.confidence,
                back_ocr=back_result,
                stages={**timings, "extract": own},
                quad=crop.quad,
                photo_size=(width, height),
                rotation=crop.rotation,
            )
        )
    return readings


def scan_image(
    source: Source,
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    back: Source | None = None,
) -> list[CardReading]:
    """Read every card in a photo into a contact.

    Args:
        source: the photo, as bytes or a file path.
        settings: engine, languages, default phone region, size limits, keep_intermediates.
        engine: an OCR engine to use instead of the one the settings name (tests, workers).
        back: the back of the same card; its fields are merged into the front's contact.

    Returns:
        One :class:`CardReading` per card found, left to right; a photo without a card gives
        one reading with an empty contact.

    Raises:
        InputImageError: the file is missing, not an image, empty, truncated or damaged.
        ImageTooLargeError: over ``max_upload_mb`` or ``max_megapixels``, or a bomb.
        MissingDependencyError: the OCR engine or a language pack is not installed.
        OcrEngineError: the OCR engine failed.
    """
    start = time.perf_counter()
    max_bytes = settings.max_upload_mb * 1_000_000
    data = read_source(source, max_bytes)
    image = working_image(data, settings)
    loaded = time.perf_counter() - start
    if engine is None:
        engine = get_engine(settings.engine, languages=settings.tesseract_languages)
    finder = None if isinstance(engine, RegionReader) else _finder(engine)
    front = read_side(image, engine, finder)
    front.timings["load"] = loaded
    look_beyond_the_card(front)
    back_side = None
    if back is not None:
        back_start = time.perf_counter()
        back_image = working_image(read_source(back, max_bytes), settings)
        back_loaded = time.perf_counter() - back_start
        back_side = read_side(back_image, engine, finder)
        back_side.timings["load"] = back_loaded
    readings = combine(front, back_side, default_region=settings.default_region)
    total = time.perf_counter() - start
    for reading in readings:
        reading.seconds = total / len(readings)
    if settings.keep_intermediates:
        _keep(settings, data, front, readings)
    return readings


def _largest(results: list[OcrResult]) -> OcrResult | None:
    """The result with the most text (the back of a card is one card)."""
    return max(results, key=lambda r: len(r.text), default=None)


def _keep(settings: Settings, data: bytes, side: Side, readings: list[CardReading]) -> None:
    """Save the working image (with text regions and card outlines), crops and OCR text."""
    folder = settings.data_dir / "intermediates" / hashlib.sha256(data).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    overlay = side.image.copy()
    crops = side.crops
    for region in side.regions:
        pts = np.asarray(region.corners, dtype=np.int32).reshape(-1, 1, 2)
        cv2.polylines(overlay, [pts], True, (0, 160, 255), 2)
    for crop in crops:
        pts = np.asarray(crop.quad, dtype=np.int32).reshape(-1, 1, 2)
        cv2.polylines(overlay, [pts], True, (0, 200, 0), 4)
    (folder / "1-working.png").write_bytes(encode_png(overlay))
    for crop, reading in zip(crops, readings, strict=True):
        i = reading.card_index
        (folder / f"2-card-{i}.png").write_bytes(encode_png(crop.image))
        (folder / f"3-card-{i}-ocr.json").write_text(
            json.dumps(
                {
                    "detection": crop.method,
                    "rotation": crop.rotation,
                    "confidence": crop.confidence,
                    "ocr": reading.ocr.to_dict(),
                    "qr": [code.data for code in reading.qr],
                    "contact": reading.contact.to_dict(),
                    "stages": reading.stages,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
