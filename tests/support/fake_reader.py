"""A reader at the system edge for fault injection: it "reads" photos whose bytes are text.

A photo ``b"FAKE|Ana Ruiz|Acme|ana@acme.example"`` reads as that contact; ``FAKE2|...||...``
as two cards; ``CRASH`` always raises; ``FLAKY:n`` fails its first n reads. It is handed to
the queue through its ``reader`` parameter (``WorkerPool(reader=...)``, ``read_one``) by the
tests about the queue itself; where the queue is built for them (the CLI, a server), the
fake OCR engine is registered instead (``tests.support.fake_engine``) and the real pipeline
runs around it.
"""

from __future__ import annotations

import threading

from cardscan.models import Box, CardReading, Contact, Line, OcrResult, Word


def _reading(fields: list[str], index: int) -> CardReading:
    name, company, email = (fields + ["", "", ""])[:3]
    text = " ".join(f for f in (name, company, email) if f)
    words = tuple(Word(w, Box(10 * i, 5, 9, 8), 0.9) for i, w in enumerate(text.split()))
    ocr = OcrResult((Line(text, Box(0, 5, 100, 8), 0.9, words),) if text else (), "fake", 100, 60)
    contact = Contact(
        name=name or None,
        company=company or None,
        emails=[email] if email else [],
        confidence={"name": 0.8, "company": 0.6, "emails": 0.95},
    )
    return CardReading(contact=contact, ocr=ocr, seconds=0.01, card_index=index)


class FakeReader:
    """Callable like the pipeline reader; counts its calls per photo."""

    def __init__(self) -> None:
        self.calls: dict[bytes, int] = {}
        self.lock = threading.Lock()

    def __call__(self, front: bytes, back: bytes | None) -> list[CardReading]:
        with self.lock:
            self.calls[front] = self.calls.get(front, 0) + 1
            count = self.calls[front]
        text = front.decode("utf-8", "replace")
        if text.startswith("CRASH"):
            raise RuntimeError("the OCR engine crashed")
        if text.startswith("FLAKY:"):
            if count <= int(text.split(":")[1].split("|")[0]):
                raise RuntimeError("transient failure")
            text = "FAKE|" + text.split("|", 1)[1]
        cards = text.split("||")
        return [
            _reading(card.removeprefix("FAKE").strip("|").split("|"), i)
            for i, card in enumerate(cards)
        ]
