"""OCR engines behind one interface: image in, :class:`~cardscan.models.OcrResult` out.

Only this package imports an OCR library. ``get_engine(name)`` loads an engine once per
process (thread-safe) and returns the same object afterwards; the pipeline and the job queue
share it. An engine may also offer :class:`RegionReader` (read a whole photo and say where
each line is and which way up it reads) and :class:`TextFinder` (find text lines fast without
reading them); the pipeline uses them to find, separate and orient cards.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

import numpy as np

from cardscan.errors import BadConfigError
from cardscan.models import OcrResult, TextRegion

#: Engines ``get_engine`` knows, default first.
ENGINES = ("rapidocr", "tesseract")


@runtime_checkable
class OcrEngine(Protocol):
    """Reads text from a BGR ``uint8`` image; boxes are in that image's pixels."""

    name: str

    def read(self, image: np.ndarray) -> OcrResult:
        """Read every line of text in ``image``."""
        ...


@runtime_checkable
class TextFinder(Protocol):
    """An engine that can find text lines quickly, without recognising them."""

    def find_text(self, image: np.ndarray) -> list[TextRegion]:
        """Text line regions in ``image`` (pixels of ``image``)."""
        ...


@runtime_checkable
class RegionReader(Protocol):
    """An engine that reads a whole photo and says where each line is and which way up."""

    #: Long edge its text detector shrinks an image to (0: it works at any size).
    detect_side: int

    def read_regions(self, image: np.ndarray) -> tuple[OcrResult, list[TextRegion]]:
        """The OCR result and one :class:`TextRegion` per line, in the same order."""
        ...


_engines: dict[tuple[str, str], OcrEngine] = {}
_lock = threading.Lock()


def get_engine(name: str, *, languages: str = "eng", threads: int = 0) -> OcrEngine:
    """The engine called ``name``, loaded once per process and then shared.

    Args:
        name: ``rapidocr`` (default in the settings) or ``tesseract``.
        languages: Tesseract language packs joined by ``+`` (RapidOCR's model is multilingual
            Latin and ignores this).
        threads: threads RapidOCR runs its models with, when it loads (0: every core this
            process may use; setting ``ocr_threads``).

    Returns:
        A ready engine; the same object for the same name and languages.

    Raises:
        BadConfigError: unknown engine name.
        MissingDependencyError: the engine's program, model or language pack is missing.
    """
    key = (name, languages if name == "tesseract" else "")
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _load(name, languages, threads)
            _engines[key] = engine
        return engine


def register_engine(name: str, engine: OcrEngine, *, languages: str = "") -> None:
    """Make ``engine`` the one ``get_engine(name)`` returns (another engine, or a test fake)."""
    with _lock:
        _engines[(name, languages)] = engine


def _load(name: str, languages: str, threads: int) -> OcrEngine:
    if name == "rapidocr":
        from cardscan.reading.ocr.rapidocr import RapidOcrEngine

        return RapidOcrEngine(threads=threads)
    if name == "tesseract":
        from cardscan.reading.ocr.tesseract import TesseractEngine

        return TesseractEngine(languages=languages)
    raise _unknown_engine(name)


def check_install(name: str, *, languages: str = "eng") -> str:
    """Check an engine's program, models or language packs are installed, without loading it.

    Cheap enough for every server start (``cardscan doctor`` loads the engine too).

    Returns:
        What was found, e.g. ``tesseract 5.3.0 (eng+deu)``.

    Raises:
        BadConfigError: unknown engine name.
        MissingDependencyError: the engine's program, a model or a language pack is missing.
    """
    if name == "rapidocr":
        from cardscan.reading.ocr import rapidocr_files

        return rapidocr_files.check_install()
    if name == "tesseract":
        from cardscan.reading.ocr import tesseract

        return tesseract.check_install(languages)
    raise _unknown_engine(name)


def _unknown_engine(name: str) -> BadConfigError:
    return BadConfigError(
        f"unknown OCR engine {name!r}: use one of {', '.join(ENGINES)}"
        " (setting 'engine', CARDSCAN_ENGINE or --engine)."
    )


def empty_result(engine: str, image: np.ndarray) -> OcrResult:
    """The neutral result for an image with nothing to read."""
    height, width = image.shape[:2] if image.ndim >= 2 else (0, 0)
    return OcrResult(lines=(), engine=engine, width=int(width), height=int(height))


__all__ = [
    "ENGINES",
    "OcrEngine",
    "RegionReader",
    "TextFinder",
    "TextRegion",
    "check_install",
    "empty_result",
    "get_engine",
    "register_engine",
]
