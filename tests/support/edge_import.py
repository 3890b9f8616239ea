"""Run ``cardscan`` with the fake OCR engine (``tests.support.fake_engine``) registered.

Used by the crash test for the queue mechanics: the real pipeline runs, the engine takes
0.15 s a card, like real OCR, and reads a contact named after the photo, so every photo
gives a distinct, checkable contact.
"""

from __future__ import annotations

import os
import sys

from cardscan.cli import cli
from tests.support import fake_engine

if __name__ == "__main__":
    fake_engine.register(delay=0.15)
    os.environ["CARDSCAN_ENGINE"] = fake_engine.NAME
    sys.exit(cli())
