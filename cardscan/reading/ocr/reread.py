"""Line crops read again by Tesseract in one of its Debian language packs.

RapidOCR's recogniser reads Latin, Chinese and Japanese; lines in other scripts come out as
junk, blanks or letters without their marks. ``hangul`` (Korean) and ``scripts`` (Vietnamese,
Cyrillic, Thai, Devanagari, Arabic) pick the lines and the pack; this module does the reading:
each line cut out as RapidOCR cut it, scaled to a height Tesseract likes, all of a card's
lines read by one Tesseract process (the pack is loaded once), and each new reading merged
with the runs RapidOCR read surely (numbers, e-mails), which it reads better.

Nothing is downloaded: the packs are Debian's; a missing one leaves the first reading.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
from rapidfuzz import fuzz

#: RapidOCR's Latin runs on a re-read line are kept when it scored the line this high.
SURE_LATIN = 0.9
#: Line crops are scaled to this height (Tesseract likes letters 30-50 px high).
STRIPE = 48
#: White margin around each line.
PAD = 12
#: Seconds before Tesseract is given up (the first reading then stands).
TIMEOUT = 20
#: Tesseract's mean confidence (0..100) below which a line is never taken, even when the
#: first reading bears it out (see ``trust`` in :func:`read_lines`).
FLOOR = 30.0
#: How alike (0..100) a run of digits Tesseract read must be to one RapidOCR read.
SAME_DIGITS = 60

#: A run of digits (in any script: ``\d`` takes Devanagari's too), with the marks inside it.
_DIGIT_RUN = re.compile(r"\d+(?:[.,/-]\d+)*")

_LATIN_RUN = re.compile(r"[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]")
_NOT_LATIN = re.compile(r"[^\x20-\x7e]+")


@dataclass(frozen=True)
class Reading:
    """A line's new text and score (0..1), and whether it read the line's crop turned half
    round (then RapidOCR held the line the wrong way up)."""

    text: str
    score: float
    turned: bool = False


@dataclass(frozen=True)
class FirstLines:
    """A card's lines as RapidOCR's first reading left them, by index: each line cut out
    upright, as its recogniser saw it (``crops``), its text ("" where it read nothing) and
    its score (0..1)."""

    crops: Sequence[np.ndarray]
    texts: Sequence[str]
    scores: Sequence[float]

    def readable(self) -> list[int]:
        """Indexes of the lines big enough to read (4 px or more each way)."""
        return [
            i
            for i, c in enumerate(self.crops)
            if c is not None and c.size and min(c.shape[:2]) >= 4
        ]

    def probe_first(
        self,
        chosen: Sequence[int],
        read: Callable[[list[int]], dict[int, Reading]],
        *,
        probe: int,
        rest: Callable[[list[int]], list[int]] | None = None,
        keep: Callable[[int, Reading], bool] = lambda i, r: True,
        sure: Callable[[dict[int, Reading]], bool] = bool,
    ) -> dict[int, Reading]:
        """``read`` the ``probe`` least sure lines of ``chosen`` first: a card not in the
        script stops there, having paid for a handful of lines. When they came back in it
        (``sure`` of those readings; by default, any), the other lines (``rest(probed)``, by
        default the rest of ``chosen``) are read too, and their readings that ``keep``
        accepts are added."""
        probed = sorted(chosen, key=lambda i: self.scores[i])[:probe]
        out = read(probed)
        if not sure(out):
            return {}
        others = [i for i in (rest(probed) if rest else chosen) if i not in probed]
        if others:
            out.update({i: r for i, r in read(others).items() if keep(i, r)})
        return out


@dataclass(frozen=True)
class Word:
    """One word Tesseract read on a stripe: text, confidence (0..100), x and width."""

    text: str
    conf: float
    x: int
    w: int


@functools.cache
def installed() -> frozenset[str]:
    """The Tesseract language packs installed (empty without Tesseract)."""
    try:
        import pytesseract

        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # noqa: BLE001 - no Tesseract, no second reading
        return frozenset()


def blanked(text: str, crop: np.ndarray) -> bool:
    """Whether RapidOCR left out most of a line's letters, as it does for a script its model
    lacks: too few letters for the line's length (``()`` for ``국선솔루션(주)``), or mostly
    stray marks (``. , . 12, , 125009``)."""
    height, width = crop.shape[:2]
    letters = sum(c.isalnum() for c in text)
    if width >= 2.5 * height and letters < 0.5 * width / max(height, 1):
        return True
    tokens = text.split()
    marks = [t for t in tokens if not any(c.isalnum() for c in t)]
    return len(tokens) >= 2 and len(marks) >= 0.4 * len(tokens)


def stripe(crop: np.ndarray) -> np.ndarray:
    """A line crop in grey, scaled to :data:`STRIPE` pixels high, with a margin of the
    line's own background (its edges' median): a white margin round a grey or dark card
    reads as one dark block, and Tesseract then reads nothing on it."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    h, w = grey.shape[:2]
    width = max(1, round(w * STRIPE / h))
    interp = cv2.INTER_AREA if h > STRIPE else cv2.INTER_CUBIC
    line = cv2.resize(grey, (width, STRIPE), interpolation=interp)
    edges = np.concatenate([line[0], line[-1], line[:, 0], line[:, -1]])
    background = int(np.median(edges))
    return cv2.copyMakeBorder(line, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=background)


def read_pages(stripes: Sequence[np.ndarray], language: str) -> dict[int, list[Word]]:
    """Tesseract's words on each stripe (one line each), read by one Tesseract process.

    Tesseract takes a list of image files and reads each as a page, so the language pack is
    loaded once per card; each page is one line (``--psm 7``), which is what the stripes
    are (reading them stacked as one page loses whole lines to its layout analysis).
    """
    program = shutil.which("tesseract")
    if program is None or not stripes:
        return {}
    with tempfile.TemporaryDirectory(prefix=f"cardscan-{language}-") as folder:
        names = []
        for k, image in enumerate(stripes):
            name = os.path.join(folder, f"{k}.png")
            cv2.imwrite(name, image)
            names.append(name)
        listing = os.path.join(folder, "pages.txt")
        with open(listing, "w", encoding="utf-8") as handle:
            handle.write("\n".join(names) + "\n")
        try:
            done = subprocess.run(
                [program, listing, "stdout", "-l", language, "--psm", "7", "tsv"],
                capture_output=True,
                timeout=TIMEOUT,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return {}
    pages: dict[int, list[Word]] = {}
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
            pages.setdefault(page, []).append(Word(cells[11].strip(), conf, x, w))
    for words in pages.values():
        words.sort(key=lambda w: w.x)
    return pages


def read_lines(
    chosen: Sequence[int],
    lines: FirstLines,
    *,
    language: str,
    letters: re.Pattern[str],
    min_confidence: float,
    glue: float = 0.0,
    whole: bool = False,
    rtl: bool = False,
    min_letters: int = 2,
    latin_runs: bool = True,
    trust: Callable[[int, str], bool] | None = None,
) -> dict[int, Reading]:
    """Tesseract's readings (pack ``language``) of lines ``chosen``, by index, where it reads
    two or more of the script's ``letters`` with a mean confidence of ``min_confidence``.

    ``whole``: take Tesseract's line as it reads it, every word, instead of keeping the
    first reading's sure Latin runs (for a script written in Latin letters, Vietnamese).
    ``rtl``: the script is read from the right (Arabic): words are put in that order.
    ``latin_runs``: keep the first reading's sure Latin runs (a number after a label); off
    where the first reading dropped letters it could not read and so misplaces its runs:
    then only its runs of digits are put back, each over the run Tesseract read that is most
    like it (see :func:`own_digits`).
    ``trust``: a line read with less than ``min_confidence`` (down to :data:`FLOOR`) is
    still taken when ``trust(index, text)`` says the first reading bears the new one out.

    Each line is read as it was cut and turned half round: the direction classifier, trained
    on Chinese and Latin, now and then turns a line of another script upside down.
    """
    chosen = list(chosen)
    if not chosen:
        return {}
    texts, scores = lines.texts, lines.scores
    stripes = [stripe(lines.crops[i]) for i in chosen]
    pages = read_pages(stripes + [cv2.rotate(s, cv2.ROTATE_180) for s in stripes], language)
    out: dict[int, Reading] = {}
    for k, i in enumerate(chosen):
        options = [(pages.get(k, []), False), (pages.get(k + len(chosen), []), True)]
        if not latin_runs:
            options = [(own_digits(words, texts[i]), turned) for words, turned in options]
        if trust is None:  # the turn with the more of the script, if read surely enough
            options = [max(options, key=lambda o: _weight(o[0], letters))]
        # else the turn with the more of the script of those sure or borne out
        readings = []
        for words, turned in options:
            found = [w for w in words if letters.search(w.text)]
            if sum(len(letters.findall(w.text)) for w in found) < min_letters:
                continue
            confidence = sum(w.conf for w in found) / len(found)
            if confidence < (min_confidence if trust is None else min(FLOOR, min_confidence)):
                continue
            if rtl:
                words = sorted(words, key=lambda w: -w.x)
            if whole or rtl:
                text = " ".join(w.text for w in words)
            else:
                first = "" if turned or not latin_runs else texts[i]
                width = stripes[k].shape[1]
                text = merge(
                    words,
                    first,
                    scores[i],
                    width,
                    letters,
                    min_confidence=min_confidence,
                    glue=glue,
                )
            sure = confidence >= min_confidence
            if text and (sure or (trust is not None and trust(i, text))):
                # A reading the first bears out is as sure as the first.
                score = confidence / 100 if sure else max(confidence / 100, scores[i])
                readings.append((_weight(words, letters), text, score, turned))
        if readings:
            _, text, score, turned = max(readings)
            out[i] = Reading(text, round(min(0.99, score), 4), turned)
    return out


def own_digits(words: list[Word], first: str) -> list[Word]:
    """Tesseract's words with each run of digits put back as RapidOCR read it.

    RapidOCR reads digits well even on a line whose letters it cannot read (``120`` of
    ``120, सरदार पटेल मार्ग``), where Tesseract's script pack clips or misreads them
    (``20,``, ``0دارع`` for ``180 شارع``). A run Tesseract read is replaced by the next of
    RapidOCR's runs that is like it or holds it, cut off from letters it was read glued to;
    a word that is only the run is kept as sure.
    """
    runs = list(_DIGIT_RUN.finditer(first))
    out: list[Word] = []
    found = 0
    for word in words:
        match = _DIGIT_RUN.search(word.text) if found < len(runs) else None
        alike = [
            k for k in range(found, len(runs)) if match and _alike(match.group(0), runs[k].group(0))
        ]
        if match is None or not alike:
            out.append(word)
            continue
        found = alike[0] + 1
        run = runs[alike[0]]
        before, after = word.text[: match.start()], word.text[match.end() :]
        if not any(c.isalnum() for c in before):
            before = ""  # a stray mark read at the edge of the run (``|55``, ``_152``)
        # The marks after it as RapidOCR read them too (``8॥,`` is ``81,``; ``362060.``
        # a speck after ``362060``).
        marks = re.match(r"[^\w\s]*", after)
        if marks and marks.group(0):
            theirs = re.match(r"[^\w\s]*", first[run.end() :])
            after = (theirs.group(0) if theirs else "") + after[marks.end() :]
        text = run.group(0)
        if before:
            text = before + (" " if before[-1].isalpha() else "") + text
        if after:
            text += (" " if after[0].isalpha() else "") + after
        alone = not any(c.isalpha() for c in before + after)
        out.append(replace(word, text=text, conf=100.0 if alone else word.conf))
    return out


def _alike(read: str, first: str) -> bool:
    """Whether Tesseract's run of digits ``read`` is RapidOCR's ``first``: alike, or its
    start or end cut off, and no longer (digits of any script compared as values)."""
    a, b = _ascii_digits(read), _ascii_digits(first)
    if not a or len(a) > len(b):  # Tesseract read more: RapidOCR lost some (``000`` ``00``)
        return False
    clipped = (b.endswith(a) or b.startswith(a)) and len(b) - len(a) <= 2
    return clipped or fuzz.ratio(a, b) >= SAME_DIGITS


def _ascii_digits(text: str) -> str:
    """The digits of ``text`` as ASCII digits (``१52`` -> ``152``)."""
    return "".join(str(unicodedata.decimal(c, 0)) for c in text if c.isdecimal())


def _weight(words: list[Word], letters: re.Pattern[str]) -> float:
    """How much of the script a reading holds, surely (letters times confidence)."""
    return sum(len(letters.findall(w.text)) * w.conf for w in words)


def merge(
    words: list[Word],
    first: str,
    first_score: float,
    width: int,
    letters: re.Pattern[str],
    *,
    min_confidence: float,
    glue: float = 0.0,
) -> str:
    """Tesseract's words in the script (``letters``) with RapidOCR's sure Latin runs, in
    reading order.

    When RapidOCR's first reading is mostly Latin (a number after a label in the script),
    its Latin runs stand where Tesseract's other words were (RapidOCR reads digits and
    e-mails better); otherwise Tesseract's other words are kept where it was sure of them.
    ``glue``: Tesseract returns letter-spaced syllables (Hangul, Thai) as words of their
    own; two closer than this share of the line height then belong to one word.
    """
    aligned = _align(words, first, letters, glue) if first and first_score >= SURE_LATIN else None
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
        if letters.search(word.text):
            pieces.append((start, end, word.text))
            continue
        near = [k for k, (a, b, _) in enumerate(runs) if min(b, end) - max(a, start) > 0]
        if near:
            for k in near:
                if k not in used:
                    used.add(k)
                    pieces.append(runs[k])
        elif word.conf >= min_confidence:
            pieces.append((start, end, word.text))
    pieces.sort(key=lambda p: p[0])
    return _join(pieces, letters, glue)


def _join(pieces: list[tuple[float, float, str]], letters: re.Pattern[str], glue: float) -> str:
    """Pieces ``(start x, end x, text)`` as one line (syllables closer than ``glue`` times
    the line height glued as one word)."""
    text = ""
    last_end = 0.0
    for start, end, piece in pieces:
        if text:
            joined = letters.search(text[-1]) and letters.search(piece[0])
            close = start - last_end < glue * STRIPE
            # A mark (a vowel or tone sign over or under a letter) never opens a word.
            text += "" if joined and (close or unicodedata.category(piece[0]) == "Mn") else " "
        text += piece
        last_end = max(end, last_end)
    return re.sub(r"\s+", " ", text).strip()


def _align(words: list[Word], first: str, letters: re.Pattern[str], glue: float) -> str | None:
    """RapidOCR's line with each of its non-Latin stretches replaced, in order, by a run of
    Tesseract's words in the script (``丘070.4415.6114`` + ``도수치료실`` -> ``도수치료실
    070.4415.6114``); ``None`` when the two readings do not have as many stretches."""
    stretches = list(_NOT_LATIN.finditer(first))
    groups: list[list[Word]] = []
    previous = False
    for word in words:
        in_script = bool(letters.search(word.text))
        if in_script and previous:
            groups[-1].append(word)
        elif in_script:
            groups.append([word])
        previous = in_script
    if not stretches or len(stretches) != len(groups):
        return None
    out, last = "", 0
    for stretch, group in zip(stretches, groups, strict=True):
        run = _join([(float(w.x), float(w.x + w.w), w.text) for w in group], letters, glue)
        out += first[last : stretch.start()] + f" {run} "
        last = stretch.end()
    out += first[last:]
    return re.sub(r"\s+", " ", out).strip()
