"""Cards in Vietnamese, Cyrillic, Thai, Devanagari or Arabic, read again by Tesseract's packs.

RapidOCR's recogniser knows Latin, Chinese and Japanese. On a Russian, Thai, Hindi or Arabic
card it returns blanks, stray punctuation or junk of low score for the lines in that script
(``' « »'``, ``'. , . 12, , 125009'``, ``'RTURT GhHR'``), and on a Vietnamese card it drops
the letters with stacked marks (``Nguyn Văn Đc`` for Nguyễn Văn Đức). Which card is which is
decided from that first reading, so a Latin or CJK card pays nothing:

- a card is **Vietnamese** when its reading holds ơ or ư (letters only Vietnamese has), a
  ``.vn`` address, ``+84`` or ``TNHH``; its worded lines are read again with ``vie`` and a
  line takes the new reading when it holds Vietnamese letters and says the same once the
  marks are dropped (so only marks are added, never words changed);
- a card may be in **another script** when two or more lines were read poorly (low score,
  too few letters for the line's length, or mostly stray marks). The script is the one the
  card's own details point to (``.ru``/``+7``, ``.th``/``+66``, ``.in``/``+91``,
  ``.ae``/``+971``...), else the one Tesseract's script detector (``osd``) sees in those
  lines (only when three or more, and a third of the card's, were read poorly). A few of
  the poorest lines are read first; only when the pack reads its script
  there with confidence are the other poor lines read too.

On such a card a line Tesseract reads less surely is still taken when RapidOCR's first
reading bears it out: the same digits where RapidOCR left the words blank, or the line's
Cyrillic letters read as their Latin look-alikes (``CaHKT-Netep6ypr``, ``MokBa``); and
the digits stay as RapidOCR read them (``reread.own_digits``).

Each pack is a Debian package (``tesseract-ocr-vie``, ``-rus``, ``-tha``, ``-hin``, ``-ara``,
``-osd``); nothing is downloaded, and without a pack the first reading stands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
from rapidfuzz import fuzz

from cardscan.reading.ocr.reread import (
    TIMEOUT,
    FirstLines,
    Reading,
    blanked,
    installed,
    read_lines,
    stripe,
)

#: A line RapidOCR scored below this was read poorly.
POOR = 0.8
#: How many of the poorest lines are read first, to tell whether the card is in the script.
PROBE = 4
#: Tesseract's mean confidence (0..100) a line's new reading needs.
MIN_CONFIDENCE = 65.0
#: How alike (0..100) a Vietnamese reading must be to the first once the marks are dropped.
SAME_TEXT = 75


@dataclass(frozen=True)
class Script:
    """A script RapidOCR cannot read, its Tesseract pack and what points to it on a card."""

    name: str  # as Tesseract's script detector names it
    language: str
    letters: re.Pattern[str]
    hints: re.Pattern[str]
    #: Tesseract cuts its lines into clusters set close (Thai is written without spaces):
    #: two closer than this share of the line height are one word. A space between Thai
    #: words measures a fifth of it or more; a gap Tesseract leaves inside a word less.
    glue: float = 0.0
    #: Read from the right (Arabic).
    rtl: bool = False
    #: Letters of the script no Latin letter looks like: a line RapidOCR read surely takes
    #: the new reading only when it holds two of them (Tesseract's Russian model reads a
    #: Latin line into look-alike Cyrillic letters, ``Sales`` as ``Ѕаlеѕ``). None: any letter.
    distinct: re.Pattern[str] | None = None
    #: What RapidOCR reads the script's letters as, where its Latin model has a letter of
    #: the same shape (``MokBa`` for Москва): Latin (or Greek) -> the script's letter.
    lookalikes: dict[int, str] | None = None


#: Latin letters, digits and Greek letters RapidOCR reads Cyrillic letters as: ``MokBa``
#: (Москва), ``Ka3ab`` (Казань), ``CaHKT-Netep6ypr`` (Санкт-Петербург), ``TexHocφepa``.
_CYRILLIC_LOOKALIKES = {
    "A": "А", "a": "а", "B": "В", "b": "ь", "C": "С", "c": "с", "E": "Е", "e": "е",
    "H": "Н", "h": "н", "K": "К", "k": "к", "M": "М", "m": "м", "N": "П", "n": "п",
    "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т", "t": "т", "X": "Х", "x": "х",
    "Y": "У", "y": "у", "u": "и", "r": "г", "0": "О", "3": "З", "4": "ч", "6": "б",
    "Π": "П", "π": "п", "φ": "ф", "Φ": "Ф",
}  # fmt: skip

SCRIPTS = (
    Script(
        "Cyrillic",
        "rus",
        re.compile(r"[\u0400-\u04ff]"),
        re.compile(r"\.(?:ru|su|by|kz|ua|рф)\b|\+\s?(?:7|375|380)\b", re.I),
        distinct=re.compile(r"[бвгдёжзийлпфцчшщъыьэюяБГДЁЖЗИЙЛПФЦЧШЩЪЫЬЭЮЯ]"),
        lookalikes=str.maketrans(_CYRILLIC_LOOKALIKES),
    ),
    Script(
        "Thai",
        "tha",
        re.compile(r"[\u0e00-\u0e7f]"),
        re.compile(r"\.th\b|\+\s?66\b", re.I),
        glue=0.2,
    ),
    Script(
        "Devanagari",
        "hin",
        re.compile(r"[\u0900-\u097f]"),
        re.compile(r"\.in\b|\+\s?91\b|\b0091\b", re.I),
    ),
    Script(
        "Arabic",
        "ara",
        re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
        re.compile(
            r"\.(?:ae|sa|qa|kw|bh|om|eg|jo|ma|dz|tn|iq|ly|sy|lb|ye|sd)\b"
            r"|\+\s?(?:20|21[2368]|96[1-8]|97[0-4])\b",
            re.I,
        ),
        rtl=True,
    ),
)

#: ООО (the commonest Russian legal form) read as zeros or Latin O's before the name.
_RUSSIAN_FORM = re.compile(r"^[0OО]{3}(?=\s*[«\"“\u0400-\u04ff])")
#: What says a card is Vietnamese in RapidOCR's reading of it.
_VIETNAMESE_HINT = re.compile(r"[ơưƠƯ]|\.vn\b|\+\s?84\b|\bTNHH\b|vi[eệ]t\s?nam", re.I)
#: Letters only Vietnamese writes (a horn, a hook above, a dot below, a tilde on e/i/y/u).
VIETNAMESE_LETTERS = re.compile(
    r"[ơưƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũẼỸĨŨ"
    r"ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶ]"
)
VIETNAMESE = "vie"
#: Lines a Latin reader reads best as they are: e-mails, web addresses, numbers.
_CONTACT_ITEM = re.compile(r"@|www|https?:|\.(?:com|net|org|vn)\b", re.I)


def read_other_scripts(lines: FirstLines) -> dict[int, Reading]:
    """New readings, by line index, for a card in one of :data:`SCRIPTS` or Vietnamese.

    Args:
        lines: the card's lines as RapidOCR's first reading left them.

    Returns:
        The lines read again in the card's script; empty for a Latin card (then nothing was
        run), or when no pack read the script with confidence.
    """
    crops, texts, scores = lines.crops, lines.texts, lines.scores
    usable = lines.readable()
    joined = "\n".join(texts)
    if _VIETNAMESE_HINT.search(joined) and VIETNAMESE in installed():
        return _vietnamese(usable, lines)
    poor = [i for i in usable if is_poor(texts[i], scores[i], crops[i])]
    if len(poor) < 2:  # a logo or a smudge read poorly on a Latin card
        return {}
    candidates = [s for s in SCRIPTS if s.hints.search(joined)]
    if not candidates and len(poor) >= max(3, 0.3 * len(usable)):
        # Nothing on the card says which script; many lines read poorly: ask the detector.
        seen = detect_script([crops[i] for i in poor])
        candidates = [s for s in SCRIPTS if s.name == seen]
    for script in candidates:
        if script.language not in installed():
            continue
        found = _in_script(script, poor, lines)
        if found:
            return found
    return {}


def is_poor(text: str, score: float, crop: np.ndarray) -> bool:
    """Whether RapidOCR read a line poorly: a low score, too few letters for the line's
    length (it leaves blanks for letters it does not know), or mostly stray marks."""
    return score < POOR or not text.strip() or blanked(text, crop)


def _in_script(script: Script, poor: list[int], lines: FirstLines) -> dict[int, Reading]:
    """The poor lines read with ``script``'s pack, the poorest few first: the rest only when
    those held the script."""
    crops, texts = lines.crops, lines.texts

    def read(chosen: list[int]) -> dict[int, Reading]:
        return read_lines(
            chosen,
            lines,
            language=script.language,
            letters=script.letters,
            min_confidence=MIN_CONFIDENCE,
            glue=script.glue,
            rtl=script.rtl,
            latin_runs=False,
            trust=lambda i, text: borne_out(texts[i], text, script),
        )

    # The card is in the script: its other lines may be too, even those RapidOCR read as
    # sure Latin junk (``Moa, 142517`` for ``Москва, 142517``); e-mails, web addresses and
    # numbers stay as RapidOCR read them.
    def rest(probed: list[int]) -> list[int]:
        return [
            i
            for i in range(len(texts))
            if i not in probed
            and (
                i in poor
                or (
                    not _CONTACT_ITEM.search(texts[i])
                    and not _is_number(texts[i])
                    and crops[i] is not None
                    and crops[i].size
                )
            )
        ]

    def keep(i: int, reading: Reading) -> bool:
        distinct = script.distinct
        return (
            distinct is None
            or i in poor
            or len(distinct.findall(reading.text)) >= 2
            or _looks_alike(texts[i], reading.text, script)
        )

    def sure(out: dict[int, Reading]) -> bool:
        return any(r.score * 100 >= MIN_CONFIDENCE for r in out.values())

    out = lines.probe_first(poor, read, probe=PROBE, rest=rest, keep=keep, sure=sure)
    return {i: replace(r, text=_tidy(r.text, script)) for i, r in out.items()}


def borne_out(first: str, text: str, script: Script) -> bool:
    """Whether RapidOCR's first reading of a line bears out a new reading Tesseract was not
    sure of: the same runs of digits where RapidOCR left the words blank (``' ., . 3'``
    for ``Невский пр., д. 3``, ``116`` for ``116 شارع الشيخ زايد``), or the line's letters
    read as their Latin look-alikes (:func:`_looks_alike`)."""
    runs = re.findall(r"\d+", first)
    left_blank = sum(c.isalpha() for c in first) <= sum(c.isdigit() for c in first)
    if runs and left_blank and all(run in text for run in runs):
        return True
    return _looks_alike(first, text, script)


#: Signs a Latin reading is a script's letters read as look-alikes: a capital inside a
#: word (``CaHKT``, ``MokBa``) or a digit between letters (``Ka3ab``, ``Nep6ypr``).
_NOT_A_LATIN_WORD = re.compile(r"[a-z][A-Z]|[A-Za-z][0-9][A-Za-z]")
#: How alike (0..100) the look-alike reading must be to the new one.
SAME_LOOKS = 60


def _looks_alike(first: str, text: str, script: Script) -> bool:
    """Whether RapidOCR read the script's letters of ``text`` as look-alikes (``CaHKT-
    Netep6ypr`` for ``Санкт-Петербург``): its letters are nearly all look-alikes, turned
    into the script they are like ``text``, and the Latin reading is no Latin word (see
    :data:`_NOT_A_LATIN_WORD`, or a Greek letter among Latin ones) or ``text`` holds
    letters only the script has that the Latin reading has no look-alike for. A Latin word
    made of look-alikes alone (``Partner``) keeps its first reading."""
    if script.lookalikes is None or script.distinct is None:
        return False
    letters = [c for c in first if c.isalpha()]
    like = [c for c in letters if ord(c) in script.lookalikes]
    if len(letters) < 3 or len(like) < 0.8 * len(letters):
        return False
    turned = first.translate(script.lookalikes)
    if fuzz.ratio(turned.casefold(), text.casefold()) < SAME_LOOKS:
        return False
    unlatin = _NOT_A_LATIN_WORD.search(first) or any(not c.isascii() for c in like)
    return bool(unlatin) or len(script.distinct.findall(text)) > len(
        script.distinct.findall(turned)
    )


def _tidy(text: str, script: Script) -> str:
    """A new reading without the stray marks Tesseract reads at a line's edges (a border,
    a speck: ```Попов``, ``[Коммерческий``), with ООО read as zeros mended."""
    text = text.strip(" `'‘|[]{}_~")
    if text.count('"') % 2:  # a lone quote mark: a speck or a border read at an edge
        text = text.strip('" ')
    text = re.sub(r"\s+[.,]$", "", text)  # a speck after the line (``مدير المبيعات .``)
    return _RUSSIAN_FORM.sub("ООО", text) if script.name == "Cyrillic" else text


def _is_number(text: str) -> bool:
    """Whether a line is mostly a phone number (RapidOCR reads digits best): seven digits or
    more in one run (a postcode after a misread city, ``CaKT-Nep6ypr, 181388``, is none)."""
    runs = re.findall(r"\+?\d[\d\s().-]*\d", text)
    digits = max((sum(c.isdigit() for c in run) for run in runs), default=0)
    return digits >= 7 and digits >= 0.4 * sum(c.isalnum() for c in text)


def _vietnamese(usable: list[int], lines: FirstLines) -> dict[int, Reading]:
    """The worded lines read with ``vie``, kept where only marks were added."""
    texts = lines.texts
    worded = [
        i
        for i in usable
        if not _CONTACT_ITEM.search(texts[i])
        and sum(c.isalpha() for c in texts[i]) >= max(2, sum(c.isdigit() for c in texts[i]))
    ]
    found = read_lines(
        worded,
        lines,
        language=VIETNAMESE,
        letters=VIETNAMESE_LETTERS,
        min_confidence=MIN_CONFIDENCE,
        whole=True,
        min_letters=1,
    )
    out = {}
    for i, reading in found.items():
        if fuzz.ratio(_bare(reading.text), _bare(texts[i])) >= SAME_TEXT:
            out[i] = replace(reading, score=max(reading.score, lines.scores[i]))
    return out


def _bare(text: str) -> str:
    """A text without marks, case or spaces, to compare two readings of one line."""
    plain = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c))


#: Height of each line in the image the script detector sees.
_OSD_LINE = 40


def detect_script(crops: Sequence[np.ndarray]) -> str | None:
    """The script Tesseract's detector (``osd``) sees in these line crops, stacked as one
    page; None when it is not installed or cannot tell."""
    program = shutil.which("tesseract")
    if program is None or "osd" not in installed() or not crops:
        return None
    stripes = [stripe(c) for c in crops[:8]]
    # The detector wants many letters on a page (``Too few characters``): a few lines of a
    # joined script such as Arabic are given to it three times over.
    stripes = stripes * max(1, -(-12 // len(stripes)))
    width = max(s.shape[1] for s in stripes)
    page = np.full((sum(s.shape[0] for s in stripes), width), 255, np.uint8)
    y = 0
    for s in stripes:
        page[y : y + s.shape[0], : s.shape[1]] = s
        y += s.shape[0]
    ok, png = cv2.imencode(".png", page)
    if not ok:
        return None
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "--psm", "0", "--dpi", "300"],
            input=png.tobytes(),
            capture_output=True,
            timeout=TIMEOUT,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"Script:\s*(\w+)", done.stdout.decode("utf-8", "replace"))
    return match.group(1) if match else None
