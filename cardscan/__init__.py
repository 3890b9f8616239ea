"""cardscan: self-hosted business-card capture and networking follow-up."""

from __future__ import annotations

from cardscan.errors import CardscanError, ExitCode
from cardscan.models import Box, Contact, Line, OcrResult, Phone, QrCode, Word
from cardscan.settings import Settings, load_settings

__all__ = [
    "Box",
    "CardscanError",
    "Contact",
    "ExitCode",
    "Line",
    "OcrResult",
    "Phone",
    "QrCode",
    "Settings",
    "Word",
    "load_settings",
]
