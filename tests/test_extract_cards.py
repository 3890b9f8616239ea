"""Table-driven cards: invented people and companies in many countries and languages.

The cards are in ``tests/data/extract/cards.toml``: each is OCR lines (laid out by
``lines_from_text``) and the fields a careful reader would write down. Only the fields named
are checked; ``empty`` names the fields that must stay empty. Phones are given in E.164 (or
bare digits when they do not parse). A card the extractor still reads wrong carries its
``gap`` (a strict xfail: it fails the day it is fixed).
"""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from tests.support.extract_support import cards, check_card, lines_from_text


@pytest.mark.parametrize(("card", "expected"), cards("cards"))
def test_card(card, expected):
    contact = extract_contact(lines_from_text(card["text"]))
    assert check_card(contact, expected) == []
