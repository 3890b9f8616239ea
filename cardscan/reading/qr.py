"""Find and decode QR codes (vCard, MeCard, URL or plain text) with zxing-cpp.

zxing-cpp decodes codes that are small, tilted, blurred, printed light on dark or partly
glared far more often than OpenCV's two QR detectors, and in a tenth of the time: on the 8
real photos with a QR code in ``../shared/cards`` it read 6 (OpenCV 3) in about 10 ms a photo.

Parsing a vCard or MeCard payload into contact fields is the extractor's job
(``cardscan/extract``); this stage only finds the codes and says what kind each one is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import cv2
import numpy as np
import zxingcpp

from cardscan.models import QrCode

_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
#: Images are scaled so the long edge is at most this before decoding (speed; QR modules on a
#: card stay several pixels wide at this size).
DECODE_SIDE = 2000
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def classify_payload(data: str) -> str:
    """The kind of a QR payload: ``vcard``, ``mecard``, ``url`` or ``text``."""
    text = data.strip()
    upper = text.upper()
    if upper.startswith("BEGIN:VCARD"):
        return "vcard"
    if upper.startswith("MECARD:"):
        return "mecard"
    if _URL.match(text):
        return "url"
    return "text"


def _decode(grey: np.ndarray) -> list[str]:
    """The texts of the valid QR codes in a grey image (none when zxing-cpp fails)."""
    try:
        found = zxingcpp.read_barcodes(grey, formats=_QR_ONLY, text_mode=zxingcpp.TextMode.Plain)
    except (RuntimeError, ValueError):  # an image zxing-cpp cannot take: no code, not a crash
        return []
    return [code.text for code in found if code.valid and code.text]


def decode_qr(images: Iterable[np.ndarray]) -> tuple[QrCode, ...]:
    """Every distinct QR code found in any of ``images`` (e.g. the photo and its card crops).

    Args:
        images: BGR or grey ``uint8`` arrays; codes may be rotated, tilted, small or inverted.

    Returns:
        The decoded codes in the order first found, without duplicates.
    """
    found: dict[str, QrCode] = {}
    for image in images:
        if image is None or image.size == 0 or min(image.shape[:2]) < 21:
            continue
        scale = DECODE_SIDE / max(image.shape[:2])
        if scale < 1:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        for text in _decode(np.ascontiguousarray(grey)):
            if text not in found:
                found[text] = QrCode(data=text, kind=classify_payload(text))
    return tuple(found.values())
