"""Latin cards never seen: kinds of failure, each on an invented card (the cards are in
``tests/data/extract/latin_kinds.toml``)."""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from tests.support.extract_support import cards, check_fields


def _card(*rows: tuple[str, int, int, int]) -> OcrResult:
    """Lines as (text, x, y, glyph height) on a 1600 x 1000 card."""
    lines = tuple(
        Line(text, Box(x, y, max(20, len(text) * h // 2), h), 0.98) for text, x, y, h in rows
    )
    return OcrResult(lines=lines, engine="test", width=1600, height=1000)


@pytest.mark.parametrize(("card", "expected"), cards("latin_kinds"))
def test_a_kind_of_latin_card(card, expected):
    check_fields(extract_contact(_card(*card["lines"])), expected)


def test_titles_in_more_languages_and_of_academia():
    from cardscan.reading.extract.lexicon import title_hits

    for title in ("Visiting Scholar", "Research Fellow", "Genel Müdür", "Voditeljica prodaje",
                  "Dyrektor handlowy", "Kierownik projektu"):  # fmt: skip
        assert title_hits(title), title
