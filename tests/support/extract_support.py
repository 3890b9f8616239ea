"""Build OcrResults from plain text for the extraction tests (no OCR engine involved).

``lines_from_text`` lays lines out top to bottom like a card: each text line is one OCR line
with a plausible box. Markers at the start of a line:

- ``# `` large text (a name or a logo), twice the normal height;
- ``## `` very large text (a logo wordmark), three times the normal height;
- a blank line leaves a gap the height of one line.

A line holding ``" || "`` is two columns: the left part at x=60, the right part at x=620,
on the same row.

``check_card`` and ``check_fields`` check what a card reads as; ``cards`` reads a table of
cards in ``tests/data/extract/`` (the format: its README.md).
"""

from __future__ import annotations

import re

import pytest

from cardscan.models import Box, Line, OcrResult
from tests.support.tables import table

LINE_HEIGHT = 40
CHAR_WIDTH = 20


def lines_from_text(text: str, *, confidence: float = 0.97, engine: str = "test") -> OcrResult:
    """An OcrResult whose lines are the given text lines, stacked as on a printed card."""
    lines: list[Line] = []
    y = 80
    for raw in text.strip("\n").splitlines():
        raw = raw.strip()
        if not raw:
            y += LINE_HEIGHT
            continue
        columns = raw.split("||") if "||" in raw else [raw]
        row_height = LINE_HEIGHT
        for col, part in enumerate(columns):
            part = part.strip()
            if not part:
                continue
            height = LINE_HEIGHT
            if part.startswith("## "):
                part, height = part[3:], LINE_HEIGHT * 3
            elif part.startswith("# "):
                part, height = part[2:], LINE_HEIGHT * 2
            row_height = max(row_height, height)
            x = 60 if col == 0 else 620
            width = int(len(part) * CHAR_WIDTH * height / LINE_HEIGHT * 0.6)
            lines.append(Line(part, Box(x, y, width, height), confidence))
        y += int(row_height * 1.35)
    return OcrResult(lines=tuple(lines), engine=engine, width=1200, height=max(y + 60, 700))


_LIST_FIELDS = ("emails", "websites", "socials")


def _phone_keys(contact) -> set[str]:
    keys = set()
    for phone in contact.phones:
        keys.add(re.sub(r"\D", "", phone.number))
        if phone.e164:
            keys.add(phone.e164.lstrip("+"))
    return keys


def check_card(contact, expected: dict) -> list[str]:
    """The fields of ``contact`` that differ from ``expected`` (empty list: all agree)."""
    wrong = []
    for field, want in expected.items():
        if field == "phones":
            keys = _phone_keys(contact)
            ok = len(contact.phones) == len(want) and all(w.lstrip("+") in keys for w in want)
        elif field in _LIST_FIELDS:
            ok = getattr(contact, field) == want
        else:
            ok = getattr(contact, field) == want
        if not ok:
            got = getattr(contact, field)
            if field == "phones":
                got = [(p.number, p.e164) for p in got]
            wrong.append(f"{field}: got {got!r}, want {want!r}")
    return wrong


#: The keys a ``[[card]]`` may hold (any other is a typo that would check nothing).
_CARD_KEYS = {"id", "gap", "text", "lines", "engine", "size", "expect", "empty"}


def cards(name: str) -> list:
    """One pytest param ``(card, expected)`` per ``[[card]]`` of tests/data/extract/<name>.toml,
    with the card's id; ``expected`` is its ``expect`` table plus ``None`` for each field named
    in ``empty``. A card with a ``gap`` (why it is still read wrong) is a strict xfail."""
    params, ids = [], set()
    for card in table(f"extract/{name}")["card"]:
        if card["id"] in ids:
            raise ValueError(f"{name}.toml: two cards are called {card['id']!r}")
        ids.add(card["id"])
        if unknown := set(card) - _CARD_KEYS:
            raise ValueError(f"{name}.toml, card {card.get('id')!r}: unknown keys {unknown}")
        expect, empty = card.get("expect", {}), card.get("empty", [])
        if both := set(expect) & set(empty):
            raise ValueError(f"{name}.toml, card {card['id']!r}: {both} both expected and empty")
        expected = {**expect, **dict.fromkeys(empty)}
        if not expected:
            raise ValueError(f"{name}.toml, card {card['id']!r} checks nothing")
        gap = [pytest.mark.xfail(strict=True, reason=card["gap"])] if "gap" in card else []
        params.append(pytest.param(card, expected, id=card["id"], marks=gap))
    return params


def check_fields(contact, expected: dict) -> None:
    """Assert the contact reads as ``expected``: its fields, and "e164" (the phones' numbers
    in order), "kinds" (the phones' kinds), "notes_has" (a text the notes hold),
    "address_starts" / "address_ends" (how the address starts or ends), "address_lacks"
    (a text the address must not hold)."""
    expected = dict(expected)
    address = contact.address or ""
    if "notes_has" in expected:
        assert expected.pop("notes_has") in (contact.notes or "")
    if "address_starts" in expected:
        assert address.startswith(expected.pop("address_starts"))
    if "address_ends" in expected:
        assert address.endswith(expected.pop("address_ends"))
    if "address_lacks" in expected:
        assert expected.pop("address_lacks") not in address
    derived = {
        "e164": [p.e164 for p in contact.phones],
        "kinds": [p.kind for p in contact.phones],
    }
    got = {key: derived[key] if key in derived else getattr(contact, key) for key in expected}
    assert got == expected
