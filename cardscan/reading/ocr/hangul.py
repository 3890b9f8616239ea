"""Korean lines, read again by Tesseract's Korean model where RapidOCR's model cannot.

RapidOCR's PP-OCR recogniser reads Latin, Chinese and Japanese but not Hangul: a Korean line
comes out as a few Han characters and symbols with a low score (``品(立)``, ``导是T 02)...``)
or as nothing. Tesseract's Korean model (Debian's ``tesseract-ocr-kor``, an LSTM trained on
Hangul, Hanja and Latin) reads those same line crops well. So a card is looked at again only
when RapidOCR's first reading holds CJK characters or a Korean domain or code (Latin cards
almost never do, so they lose no time); then its unsure or non-Latin lines are cut out as
RapidOCR cut them and read by one Tesseract run, and a line takes the Korean reading when
Tesseract reads Hangul there with confidence. Latin runs RapidOCR read surely (a phone number
after a Korean label) are kept from the first reading, which reads digits better.

Nothing is downloaded: the model is the Debian package; without it Korean lines stay as they
were read.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

#: Tesseract's language pack for Korean.
LANGUAGE = "kor"
#: A line RapidOCR read at or above this score, in Latin letters only, is not read again.
SURE = 0.97
#: How many of a card's least sure lines are read first, to tell a Korean card.
PROBE = 4
#: RapidOCR's Latin runs on a Korean line are kept when it scored the line this high.
SURE_LATIN = 0.9
#: Tesseract's confidence (0..100) a Hangul reading needs to replace the first reading.
MIN_CONFIDENCE = 70.0
#: Line crops are scaled to this height (Tesseract likes letters 30-50 px high).
STRIPE = 48
#: White margin around each line.
PAD = 12
#: Seconds before Tesseract is given up (the first reading then stands).
TIMEOUT = 20

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_RUN = re.compile(r"[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]")


@dataclass(frozen=True)
class Reading:
    """A line's new text and score (0..1)."""

    text: str
    score: float


#: Korean details RapidOCR reads well on a card whose Hangul it turned into Latin junk.
_KOREAN_HINT = re.compile(
    r"\.kr\b|\+\s?82\b|@(?:naver\.com|daum\.net|hanmail\.net|kakao\.com)", re.I
)


def worth_a_look(texts: Sequence[str]) -> bool:
    """Whether a card's first reading (dropped lines included) holds CJK characters, or a
    Korean domain, mail provider or country code."""
    return any(_CJK.search(text or "") or _KOREAN_HINT.search(text or "") for text in texts)


@functools.cache
def available() -> bool:
    """Whether Tesseract and its Korean model are installed."""
    try:
        import pytesseract

        return LANGUAGE in pytesseract.get_languages(config="")
    except Exception:  # noqa: BLE001 - no Tesseract, no second reading
        return False


def read_hangul(
    crops: Sequence[np.ndarray], texts: Sequence[str], scores: Sequence[float]
) -> dict[int, Reading]:
    """New readings for the lines that are Korean, by index into ``crops``.

    Args:
        crops: each line cut out upright, as RapidOCR's recogniser saw it.
        texts: RapidOCR's reading of each line ("" for lines it could not read).
        scores: its score for each line (0..1).

    Returns:
        The lines Tesseract read as Hangul with confidence, with their merged text.
    """
    if not available():
        return {}
    chosen = [
        i
        for i, crop in enumerate(crops)
        if crop is not None
        and crop.size
        and min(crop.shape[:2]) >= 4
        and (scores[i] < SURE or not texts[i].isascii())
    ]
    if _chinese_or_japanese(texts, scores):
        return {}
    # A few of the least sure lines first: a Chinese or Japanese card stops there, having
    # paid for a handful of lines; a Korean card then has the rest read too.
    probe = sorted(chosen, key=lambda i: scores[i])[:PROBE]
    out = _read(probe, crops, texts, scores)
    rest = [i for i in chosen if i not in probe]
    if out and rest:
        out.update(_read(rest, crops, texts, scores))
    return out


def _chinese_or_japanese(texts: Sequence[str], scores: Sequence[float]) -> bool:
    """Whether RapidOCR read two lines of three or more Chinese or Japanese characters surely:
    then the card is Chinese or Japanese, and Tesseract's Korean model, which reads Hangul
    into any large character, must not replace a name it read right."""
    sure = [
        t for t, s in zip(texts, scores, strict=False) if s >= SURE and len(_CJK.findall(t)) >= 3
    ]
    return len(sure) >= 2


def _read(
    chosen: list[int], crops: Sequence[np.ndarray], texts: Sequence[str], scores: Sequence[float]
) -> dict[int, Reading]:
    """Tesseract's Korean readings of lines ``chosen`` where they are confident Hangul."""
    if not chosen:
        return {}
    # Each line as it was cut, and turned half round: the direction classifier, trained on
    # Chinese and Latin, now and then turns a Korean line upside down.
    stripes = [_stripe(crops[i]) for i in chosen]
    pages = _tesseract_pages(stripes + [cv2.rotate(s, cv2.ROTATE_180) for s in stripes])
    out: dict[int, Reading] = {}
    for k, i in enumerate(chosen):
        options = [(pages.get(k, []), False), (pages.get(k + len(chosen), []), True)]
        words, turned = max(options, key=lambda o: _hangul_weight(o[0]))
        hangul = [w for w in words if _HANGUL.search(w.text)]
        if sum(len(_HANGUL.findall(w.text)) for w in hangul) < 2:
            continue
        confidence = sum(w.conf for w in hangul) / len(hangul)
        if confidence < MIN_CONFIDENCE:
            continue
        first = "" if turned else texts[i]
        text = _merge(words, first, scores[i], stripes[k].shape[1])
        if text:
            out[i] = Reading(text, round(min(0.99, confidence / 100), 4))
    return out


@dataclass(frozen=True)
class _Word:
    text: str
    conf: float
    x: int
    w: int


def _hangul_weight(words: list[_Word]) -> float:
    """How much confident Hangul a reading holds (syllables times confidence)."""
    return sum(len(_HANGUL.findall(w.text)) * w.conf for w in words)


def _stripe(crop: np.ndarray) -> np.ndarray:
    """A line crop in grey, scaled to :data:`STRIPE` pixels high, with a white margin."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    h, w = grey.shape[:2]
    width = max(1, round(w * STRIPE / h))
    interp = cv2.INTER_AREA if h > STRIPE else cv2.INTER_CUBIC
    line = cv2.resize(grey, (width, STRIPE), interpolation=interp)
    return cv2.copyMakeBorder(line, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)


def _tesseract_pages(stripes: Sequence[np.ndarray]) -> dict[int, list[_Word]]:
    """Tesseract's words on each stripe (one line each), read by one Tesseract process.

    Tesseract takes a list of image files and reads each as a page, so the Korean model is
    loaded once per card; each page is one line (``--psm 7``), which is what the stripes
    are (reading them stacked as one page loses whole lines to its layout analysis).
    """
    program = shutil.which("tesseract")
    if program is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="cardscan-kor-") as folder:
        names = []
        for k, stripe in enumerate(stripes):
            name = os.path.join(folder, f"{k}.png")
            cv2.imwrite(name, stripe)
            names.append(name)
        listing = os.path.join(folder, "pages.txt")
        with open(listing, "w", encoding="utf-8") as handle:
            handle.write("\n".join(names) + "\n")
        try:
            done = subprocess.run(
                [program, listing, "stdout", "-l", LANGUAGE, "--psm", "7", "tsv"],
                capture_output=True,
                timeout=TIMEOUT,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return {}
    pages: dict[int, list[_Word]] = {}
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        try:
            page, x, w, conf = (
                int(cells[1]) - 1,
                int(cells[6]) - PAD,
                int(cells[8]),
                float(cells[10]),
            )
        except ValueError:
            continue
        if conf >= 0:
            pages.setdefault(page, []).append(_Word(cells[11].strip(), conf, x, w))
    for words in pages.values():
        words.sort(key=lambda w: w.x)
    return pages


def _merge(words: list[_Word], first: str, first_score: float, width: int) -> str:
    """Tesseract's Hangul words with RapidOCR's sure Latin runs, in reading order.

    Tesseract returns letter-spaced syllables as words of their own; two closer than a
    seventh of the line height belong to one word. When RapidOCR's first reading is mostly
    Latin (a number after a Korean label), its Latin runs stand where Tesseract's non-Hangul
    words were (RapidOCR reads digits and e-mails better); otherwise Tesseract's non-Hangul
    words are kept where it was sure of them.
    """
    aligned = _align(words, first) if first and first_score >= SURE_LATIN else None
    if aligned:
        return aligned
    runs: list[tuple[float, float, str]] = []
    if first and first_score >= SURE_LATIN:
        n = len(first)
        found = [m for m in _LATIN_RUN.finditer(first) if sum(c.isalnum() for c in m.group(0)) >= 3]
        if sum(m.end() - m.start() for m in found) >= 0.5 * n:
            runs = [(m.start() / n * width, m.end() / n * width, m.group(0).strip()) for m in found]
    pieces: list[tuple[float, float, str]] = []
    used: set[int] = set()
    for word in words:
        start, end = float(word.x), float(word.x + word.w)
        if _HANGUL.search(word.text):
            pieces.append((start, end, word.text))
            continue
        near = [k for k, (a, b, _) in enumerate(runs) if min(b, end) - max(a, start) > 0]
        if near:
            for k in near:
                if k not in used:
                    used.add(k)
                    pieces.append(runs[k])
        elif word.conf >= MIN_CONFIDENCE:
            pieces.append((start, end, word.text))
    pieces.sort(key=lambda p: p[0])
    return _join(pieces)


def _join(pieces: list[tuple[float, float, str]]) -> str:
    """Pieces ``(start x, end x, text)`` as one line: syllables set close are one word."""
    text = ""
    last_end = 0.0
    for start, end, piece in pieces:
        if text:
            joined = _HANGUL.search(text[-1]) and _HANGUL.search(piece[0])
            text += "" if joined and start - last_end < 0.15 * STRIPE else " "
        text += piece
        last_end = max(end, last_end)
    return re.sub(r"\s+", " ", text).strip()


_NOT_LATIN = re.compile(r"[^\x20-\x7e]+")


def _align(words: list[_Word], first: str) -> str | None:
    """RapidOCR's line with each of its non-Latin stretches replaced, in order, by a run of
    Tesseract's Hangul words (``丘070.4415.6114`` + ``도수치료실`` -> ``도수치료실 070.4415.6114``);
    ``None`` when the two readings do not have as many stretches."""
    stretches = list(_NOT_LATIN.finditer(first))
    groups: list[list[_Word]] = []
    previous_hangul = False
    for word in words:
        is_hangul = bool(_HANGUL.search(word.text))
        if is_hangul and previous_hangul:
            groups[-1].append(word)
        elif is_hangul:
            groups.append([word])
        previous_hangul = is_hangul
    if not stretches or len(stretches) != len(groups):
        return None
    out, last = "", 0
    for stretch, group in zip(stretches, groups, strict=True):
        korean = _join([(float(w.x), float(w.x + w.w), w.text) for w in group])
        out += first[last : stretch.start()] + f" {korean} "
        last = stretch.end()
    out += first[last:]
    return re.sub(r"\s+", " ", out).strip()
