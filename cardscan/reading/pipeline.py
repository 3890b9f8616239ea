"""Photo in, contacts out: the one place that decides which stages run.

``scan_image`` reads the front and, when given, the back with ``read_side``, which runs the
stages in order: the photo loaded (``imaging``), its text found (``ocr``), its cards found and
flattened (``detect``, helped by those text regions), each card read (``ocr.readings``) and
its QR codes decoded (``qr``). ``combine`` then turns each card's text and codes into a
contact (``extract``), the back filling what the front lacks. Settings choose the engine, the
languages, the default phone region and whether intermediate images are kept for debugging.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
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
from cardscan.reading.ocr.readings import read_cards
from cardscan.reading.qr import decode_qr
from cardscan.settings import Settings

#: Long edge of a flattened card handed to the OCR engine: larger costs time, smaller loses
#: the small print (measured with ``cardscan bench``; see the README).
CARD_SIDE = 1600

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


@dataclass
class Side:
    """One side of a card (or a photo of several cards) read: the photo as sent, its working
    image, the cards found in it, what OCR read on each and the QR codes on each, the text
    regions, and seconds per stage."""

    data: bytes
    image: np.ndarray
    crops: list[CardCrop]
    results: list[OcrResult]
    codes: list[tuple[QrCode, ...]]
    regions: list[TextRegion]
    timings: dict[str, float] = field(default_factory=dict)


def read_side(
    source: Source,
    settings: Settings,
    engine: OcrEngine | None = None,
    *,
    qr_beyond: bool = False,
) -> Side:
    """One side read, stage by stage: the photo loaded (upright, long edge at most
    ``WORKING_SIZE``, within ``max_megapixels``), its text found, its cards found and
    flattened, each card read and its QR codes decoded.

    An engine that reads whole photos with line regions (RapidOCR) reads the photo once, and
    ``read_cards`` sorts the lines onto the cards; another (Tesseract) reads each card found
    with the text regions of the engine's own finder, else RapidOCR's. With ``qr_beyond``, one
    card without a QR code on it has the code looked for in the whole photo (it may lie
    beside the card, or the card's outline cut it off).

    ``engine`` is the one the settings name when not given: loaded only once the photo is
    known to be good.
    """
    start = time.perf_counter()
    data = read_source(source, settings.max_upload_mb * 1_000_000)
    image = load_image(data, max_megapixels=settings.max_megapixels, max_side=WORKING_SIZE)
    loaded = time.perf_counter() - start
    if engine is None:
        engine = get_engine(settings.engine, languages=settings.tesseract_languages)

    start = time.perf_counter()
    whole: OcrResult | None = None
    if isinstance(engine, RegionReader):
        whole, regions = engine.read_regions(image)
    else:
        finder = _finder(engine)
        regions = finder.find_text(image) if finder is not None else []
    timings = {"ocr" if whole is not None else "find_text": time.perf_counter() - start}

    start = time.perf_counter()
    crops = find_cards(image, regions, max_side=CARD_SIDE)
    timings["detect"] = time.perf_counter() - start

    start = time.perf_counter()
    crops, results = read_cards(crops, image, engine, whole, regions)
    timings["ocr" if whole is None else "reread"] = time.perf_counter() - start

    start = time.perf_counter()
    codes = [decode_qr([crop.image]) for crop in crops]
    if qr_beyond and len(crops) == 1 and not codes[0]:
        codes[0] = decode_qr([image])
    timings["qr"] = time.perf_counter() - start
    timings["load"] = loaded
    return Side(data, image, crops, results, codes, regions, timings)


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
    front = read_side(source, settings, engine, qr_beyond=True)
    back_side = None if back is None else read_side(back, settings, engine)
    readings = combine(front, back_side, default_region=settings.default_region)
    total = time.perf_counter() - start
    for reading in readings:
        reading.seconds = total / len(readings)
    if settings.keep_intermediates:
        _keep(settings, front, readings)
    return readings


def _largest(results: list[OcrResult]) -> OcrResult | None:
    """The result with the most text (the back of a card is one card)."""
    return max(results, key=lambda r: len(r.text), default=None)


def _keep(settings: Settings, side: Side, readings: list[CardReading]) -> None:
    """Save the working image (with text regions and card outlines), crops and OCR text."""
    folder = settings.data_dir / "intermediates" / hashlib.sha256(side.data).hexdigest()[:16]
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
