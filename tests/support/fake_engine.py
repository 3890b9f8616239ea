"""An OCR engine at the system edge, registered like a real one (``ocr.register_engine``).

The real pipeline runs around it (decoding the photo, finding the card, mapping the lines
onto it, extracting the contact); only the reading of the text is faked, fast and exactly:

- a photo made by :func:`fake_photo` carries its text in a QR code: ``FAKE|name|company|email``
  reads as those three lines (anything after is only there to make the photo distinct);
  ``CRASH`` makes the engine fail, as an engine crashing on one photo would;
- any other photo reads as a person named after its pixels (``Person Kfab``, with the e-mail
  ``p<hash>@x.example``), so every photo gives a distinct, checkable contact.

``FakeEngine(delay=s)`` takes ``s`` seconds a photo, like real OCR, so crash and load tests
hit cards while they are being read.
"""

from __future__ import annotations

import hashlib
import io
import time

import numpy as np
import segno
from PIL import Image, ImageDraw

from cardscan.models import Box, Line, OcrResult, TextRegion, Word
from cardscan.reading.ocr import register_engine
from cardscan.reading.qr import decode_qr

NAME = "fake"


class FakeEngine:
    """Reads the text a test put on the photo; see the module's docstring."""

    name = NAME
    detect_side = 0  # nothing is read again enlarged

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def read_regions(self, image: np.ndarray) -> tuple[OcrResult, list[TextRegion]]:
        """The photo's lines, laid out down the middle of it, with their regions."""
        if self.delay:
            time.sleep(self.delay)
        height, width = image.shape[:2]
        texts = _texts(image)
        lines, regions = [], []
        for i, text in enumerate(texts):
            top = int(height * (0.25 + 0.15 * i))
            line_height = max(8, int(height * (0.08 if i == 0 else 0.05)))
            box = Box(int(width * 0.15), top, int(width * 0.55), line_height)
            words, x = [], box.x
            for word in text.split():
                w = max(4, box.w * len(word) // max(1, len(text)))
                words.append(Word(word, Box(x, box.y, w, box.h), 0.9))
                x += w + 4
            lines.append(Line(text, box, 0.9, tuple(words)))
            corners = (
                (box.x, box.y),
                (box.right, box.y),
                (box.right, box.bottom),
                (box.x, box.bottom),
            )
            regions.append(TextRegion(tuple((float(a), float(b)) for a, b in corners)))
        return OcrResult(tuple(lines), NAME, width, height), regions

    def read(self, image: np.ndarray) -> OcrResult:
        """Read ``image`` (a card already cut out)."""
        return self.read_regions(image)[0]


def _texts(image: np.ndarray) -> list[str]:
    for code in decode_qr([image]):
        if code.data.startswith("CRASH"):
            raise RuntimeError("the OCR engine crashed")
        if code.data.startswith("FAKE|"):
            name, company, email = (code.data.split("|")[1:] + ["", "", ""])[:3]
            return [t for t in (name, company, email) if t]
    digest = hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest()[:8]
    letters = "".join(chr(ord("a") + int(c, 16)) for c in digest[:4])
    return [f"Person {letters.capitalize()}", f"p{digest}@x.example"]


def fake_photo(text: str) -> bytes:
    """A JPEG photo of a white card on a grey table, with ``text`` in a QR code on it."""
    photo = Image.new("RGB", (900, 600), (110, 110, 110))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((60, 60, 840, 540), fill=(250, 250, 250))
    code = segno.make(text, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=4, border=2)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    photo.paste(qr, (840 - qr.width - 30, 540 - qr.height - 30))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=92)
    return out.getvalue()


def register(delay: float = 0.0) -> FakeEngine:
    """Register a fake engine as ``fake`` (settings ``engine = "fake"`` then read with it)."""
    engine = FakeEngine(delay)
    register_engine(NAME, engine)
    return engine
