"""Find and decode QR codes (vCard, MeCard, URL or plain text) with OpenCV.

Parsing a vCard or MeCard payload into contact fields is the extractor's job
(``cardscan/extract``); this stage only finds the codes and says what kind each one is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import cv2
import numpy as np

from cardscan.models import QrCode

_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
#: Images are scaled so the long edge is at most this before decoding (speed; QR modules on a
#: card stay several pixels wide at this size).
DECODE_SIDE = 1600


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


def _decode(detector: cv2.QRCodeDetector | cv2.QRCodeDetectorAruco, image: np.ndarray) -> list[str]:
    try:
        ok, texts, _points, _straight = detector.detectAndDecodeMulti(image)
    except cv2.error:
        return []
    if not ok or texts is None:
        return []
    return [t for t in texts if t]


def decode_qr(images: Iterable[np.ndarray]) -> tuple[QrCode, ...]:
    """Every distinct QR code found in any of ``images`` (e.g. the photo and its card crops).

    Args:
        images: BGR or grey ``uint8`` arrays; each is tried with OpenCV's classic detector and,
            when that finds nothing, with the ArUco-based one (better on small or tilted codes).

    Returns:
        The decoded codes in the order first found, without duplicates.
    """
    found: dict[str, QrCode] = {}
    classic = cv2.QRCodeDetector()
    aruco = cv2.QRCodeDetectorAruco()
    for image in images:
        if image is None or image.size == 0 or min(image.shape[:2]) < 21:
            continue
        scale = DECODE_SIDE / max(image.shape[:2])
        if scale < 1:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        # The two detectors find different codes (classic: clean, large; ArUco: small,
        # tilted), and each takes a few tens of milliseconds, so both always run.
        texts = _decode(classic, grey) + _decode(aruco, grey)
        for text in texts:
            if text not in found:
                found[text] = QrCode(data=text, kind=classify_payload(text))
    return tuple(found.values())
