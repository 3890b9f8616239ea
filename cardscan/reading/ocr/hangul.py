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

import re
from collections.abc import Sequence

from cardscan.reading.ocr.reread import FirstLines, Reading, blanked, installed, read_lines

#: Tesseract's language pack for Korean.
LANGUAGE = "kor"
#: A line RapidOCR read at or above this score, in Latin letters only and with no letters
#: left out (see ``reread.blanked``), is not read again.
SURE = 0.97
#: Syllables closer than this share of the line height are one word (a name set
#: letter-spaced, ``김 민 준``, is read as one).
GLUE = 0.15
#: How many of a card's least sure lines are read first, to tell a Korean card.
PROBE = 4
#: Tesseract's confidence (0..100) a Hangul reading needs to replace the first reading.
MIN_CONFIDENCE = 70.0

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


#: Korean details RapidOCR reads well on a card whose Hangul it turned into Latin junk.
_KOREAN_HINT = re.compile(
    r"\.kr\b|\+\s?82\b|@(?:naver\.com|daum\.net|hanmail\.net|kakao\.com)", re.I
)


def worth_a_look(texts: Sequence[str]) -> bool:
    """Whether a card's first reading (dropped lines included) holds CJK characters, or a
    Korean domain, mail provider or country code."""
    return any(_CJK.search(text or "") or _KOREAN_HINT.search(text or "") for text in texts)


def available() -> bool:
    """Whether Tesseract and its Korean model are installed."""
    return LANGUAGE in installed()


def read_hangul(lines: FirstLines) -> dict[int, Reading]:
    """New readings for the lines that are Korean, by index.

    Args:
        lines: the card's lines as RapidOCR's first reading left them.

    Returns:
        The lines Tesseract read as Hangul with confidence, with their merged text.
    """
    crops, texts, scores = lines.crops, lines.texts, lines.scores
    if not available() or chinese_or_japanese(texts, scores):
        return {}
    chosen = [
        i
        for i in lines.readable()
        if scores[i] < SURE or not texts[i].isascii() or blanked(texts[i], crops[i])
    ]
    # A few of the least sure lines first: a Chinese or Japanese card stops there, having
    # paid for a handful of lines; a Korean card then has the rest read too.
    return lines.probe_first(chosen, lambda some: _read(some, lines), probe=PROBE)


def _read(chosen: list[int], lines: FirstLines) -> dict[int, Reading]:
    """Tesseract's Korean readings of lines ``chosen`` where they are confident Hangul
    (syllables set close glued as words)."""
    return read_lines(
        chosen,
        lines,
        language=LANGUAGE,
        letters=_HANGUL,
        min_confidence=MIN_CONFIDENCE,
        glue=GLUE,
    )


def chinese_or_japanese(texts: Sequence[str], scores: Sequence[float]) -> bool:
    """Whether RapidOCR read two lines of three or more Chinese or Japanese characters surely:
    then the card is Chinese or Japanese, and Tesseract's Korean model, which reads Hangul
    into any large character, must not replace a name it read right."""
    sure = [
        t for t, s in zip(texts, scores, strict=False) if s >= SURE and len(_CJK.findall(t)) >= 3
    ]
    return len(sure) >= 2
