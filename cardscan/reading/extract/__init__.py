"""Extraction: OCR lines and QR codes into a Contact with a confidence per field.

``contact.extract_contact`` runs the passes; one module per concern: ``details`` (the contact
details taken out of the lines), ``emails``, ``phones``, ``web`` (sites and social profiles),
``people`` (name and title), ``company``, ``address``, ``qr_payload``, ``repairs`` (OCR-slip
mends), word lists in ``lexicon`` and ``places``, and the value fixers in ``normalize``. Cards
written in Chinese, Japanese or Korean get their name, title, company and address from ``cjk``
(words in ``cjk_words``), a pass of its own (``cjk_pass``) after the Latin rules; the
confidences are made chances of being right last (``confidence``).
"""

from __future__ import annotations

from cardscan.reading.extract.contact import extract_contact
from cardscan.reading.extract.normalize import normalize_email, normalize_phone, normalize_url
from cardscan.reading.extract.qr_payload import parse_qr

__all__ = ["extract_contact", "normalize_email", "normalize_phone", "normalize_url", "parse_qr"]
