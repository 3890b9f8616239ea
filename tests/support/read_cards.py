"""Cards as OCR leaves them: a queued card finished with a given contact (seeding, not a
stand-in for OCR: the tests that use it are about what comes after the reading)."""

from __future__ import annotations

from cardscan.models import Box, CardReading, Contact, ContactRecord, Line, OcrResult, Word
from cardscan.store import Store


def finish_read(store: Store, card_id: int, contact: Contact, conf: float = 0.9) -> ContactRecord:
    """Claim the queued card ``card_id`` and finish it as if OCR had read ``contact``: its name
    one line of words on a 900×520 photo, each word read at ``conf``; the card's contact."""
    claimed = store.cards.claim_next()
    assert claimed is not None and claimed.id == card_id
    name = contact.name or ""
    words = tuple(Word(w, Box(40 + 200 * i, 40, 180, 50), conf) for i, w in enumerate(name.split()))
    ocr = OcrResult((Line(name, Box(40, 40, 380, 50), conf, words),), "test", 900, 520)
    [record] = store.cards.finish(card_id, [CardReading(contact, ocr)])
    return record
