"""Run ``cardscan`` (``serve`` in the hardening tests) with the OCR engine the test asks for.

``CARDSCAN_TEST_READER=fake`` (tests about the queue, crashes and load) registers the fake
engine (``tests.support.fake_engine``) taking ``CARDSCAN_FAKE_READ_SECONDS`` a card, so
crashes and load hit cards "while OCR runs"; the real pipeline runs around it (a bad file
fails as it would with any engine). ``CARDSCAN_FAKE_READ_SECONDS=tesseract`` uses the real
Tesseract engine instead (real OCR work on the CPU). Otherwise the configured engine reads.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    if os.environ.get("CARDSCAN_TEST_READER") == "fake":
        mode = os.environ.get("CARDSCAN_FAKE_READ_SECONDS", "0.4")
        if mode == "tesseract":
            os.environ["CARDSCAN_ENGINE"] = "tesseract"
        else:
            from tests.support import fake_engine

            fake_engine.register(delay=float(mode))
            os.environ["CARDSCAN_ENGINE"] = fake_engine.NAME
    from cardscan.cli import cli

    cli(prog_name="cardscan")
