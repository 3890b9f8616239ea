"""Run ``cardscan`` with a reader at the system edge instead of the OCR pipeline.

Used by the crash test as a stand-in while (or where) the real pipeline is not wanted: it
takes a little time per card, like real OCR, and "reads" a contact named after the photo's
hash, so every photo gives a distinct, checkable contact.
"""

from __future__ import annotations

import hashlib
import sys
import time

import cardscan.jobs
from cardscan.cli import cli
from cardscan.models import CardReading, Contact, OcrResult


def slow_reader(settings):
    def read(front: bytes, back: bytes | None) -> list[CardReading]:
        time.sleep(0.15)
        digest = hashlib.sha256(front).hexdigest()[:8]
        contact = Contact(name=f"Person {digest}", emails=[f"p{digest}@x.example"])
        return [CardReading(contact=contact, ocr=OcrResult((), "edge", 1, 1), seconds=0.01)]

    return read


if __name__ == "__main__":
    cardscan.jobs.pipeline_reader = slow_reader  # type: ignore[assignment]
    sys.exit(cli())
