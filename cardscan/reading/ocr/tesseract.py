"""The second engine: Tesseract through pytesseract, words grouped into lines.

The ``tesseract`` program and the language packs are checked when the engine is made, so a
missing install fails before any work with advice on how to fix it. Tesseract runs with
``OMP_THREAD_LIMIT=1``: on two cores its OpenMP threads only fight each other (2.7x slower).
"""

from __future__ import annotations

import os
from collections import defaultdict

import cv2
import numpy as np
from PIL import Image

from cardscan.errors import MissingDependencyError, OcrEngineError
from cardscan.models import Box, Line, OcrResult, Word
from cardscan.reading.ocr import empty_result

try:
    import pytesseract
except ImportError as e:  # pragma: no cover - a broken install
    raise MissingDependencyError(
        f"the pytesseract package is not installed ({e}): run `.venv/bin/pip install pytesseract`."
    ) from e

#: Page segmentation mode: 11 = sparse text, which suits cards (measured against 6 in
#: ``cardscan bench --engine tesseract``; see the README).
PSM = 11
#: Seconds before one image is given up (a neutral empty result, not an error).
TIMEOUT = 60
#: Words Tesseract is less sure of than this (0..1) are dropped as noise.
MIN_WORD_CONFIDENCE = 0.3


def check_install(languages: str) -> str:
    """Fail early, with install advice, when the program or a language pack is missing.

    Returns:
        The version and the language packs in use, e.g. ``tesseract 5.3.0 (eng+deu)``.

    Raises:
        MissingDependencyError: the program or a language pack is not installed.
    """
    try:
        version = pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError) as e:
        raise MissingDependencyError(
            "the tesseract program was not found: install it with"
            " `sudo apt-get install tesseract-ocr` (or choose --engine rapidocr)."
        ) from e
    try:
        installed = set(pytesseract.get_languages(config=""))
    except Exception as e:  # noqa: BLE001 - any failure here means a broken install
        raise MissingDependencyError(f"tesseract cannot list its language packs: {e}") from e
    wanted = [lang for lang in languages.split("+") if lang]
    if not wanted:
        raise MissingDependencyError(
            f"no Tesseract language given ({languages!r}): set tesseract_languages, e.g. 'eng'."
        )
    missing = [lang for lang in wanted if lang not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise MissingDependencyError(
            f"Tesseract language pack(s) {', '.join(missing)} not installed (have:"
            f" {', '.join(sorted(installed)) or 'none'}): run `sudo apt-get install {packages}`"
            " or change the tesseract_languages setting."
        )
    return f"tesseract {version} ({'+'.join(wanted)})"


class TesseractEngine:
    """Tesseract 4/5 (LSTM) via pytesseract, one process per image."""

    name = "tesseract"

    def __init__(self, *, languages: str = "eng", psm: int = PSM) -> None:
        """Check the install, then remember the languages and page segmentation mode."""
        check_install(languages)
        # pytesseract cannot pass an environment to its subprocess; the child inherits ours.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        self.languages = languages
        self.psm = psm

    def read(self, image: np.ndarray) -> OcrResult:
        """Read ``image`` (BGR uint8): words with boxes and confidences, grouped into lines."""
        if image.size == 0 or min(image.shape[:2]) < 4:
            return empty_result(self.name, image)
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        try:
            data = pytesseract.image_to_data(
                Image.fromarray(grey),
                lang=self.languages,
                config=f"--psm {self.psm}",
                output_type=pytesseract.Output.DICT,
                timeout=TIMEOUT,
            )
        except RuntimeError as e:
            if "timeout" in str(e).lower():
                return empty_result(self.name, image)
            raise OcrEngineError(f"Tesseract failed: {e}") from e
        except (pytesseract.TesseractError, OSError) as e:
            raise OcrEngineError(f"Tesseract failed: {e}") from e
        return OcrResult(
            lines=_group_lines(data), engine=self.name, width=image.shape[1], height=image.shape[0]
        )


def _group_lines(data: dict[str, list]) -> tuple[Line, ...]:
    """Tesseract's word table (``image_to_data``) as lines, top to bottom."""
    groups: dict[tuple[int, int, int, int], list[Word]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0 or conf / 100 < MIN_WORD_CONFIDENCE:
            continue
        box = Box(
            int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i])
        )
        key = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups[key].append(Word(text, box, conf / 100))
    lines = []
    for words in groups.values():
        words.sort(key=lambda w: w.box.x)
        box = words[0].box
        for word in words[1:]:
            box = box.union(word.box)
        conf = sum(w.confidence for w in words) / len(words)
        lines.append(Line(" ".join(w.text for w in words), box, conf, tuple(words)))
    lines.sort(key=lambda ln: (ln.box.y, ln.box.x))
    return tuple(lines)
