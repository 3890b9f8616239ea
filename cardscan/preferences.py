"""The reason chips offered at capture: each user's own list, kept as a preference in the
store (``store.preferences``), the defaults until edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cardscan.errors import ValidationError

if TYPE_CHECKING:
    from cardscan.store import Store

#: The chips offered until the user edits them.
DEFAULT_CHIPS = ("send deck", "intro", "meeting", "hiring", "partnership")

#: Chip text maps to a reason kind when it names one.
CHIP_KINDS = {
    "send deck": "deck",
    "deck": "deck",
    "intro": "intro",
    "meeting": "meeting",
    "hiring": "hiring",
    "partnership": "partnership",
}

MAX_CHIPS = 12
MAX_CHIP_CHARS = 40


def reason_chips(store: Store, user_id: int) -> list[str]:
    """The user's reason chips (the defaults until edited)."""
    chips = store.preferences.get(user_id, "chips")
    return list(chips) if isinstance(chips, list) and chips else list(DEFAULT_CHIPS)


def parse_chips(text: str) -> list[str]:
    """Chips from text, one per line or comma-separated; blanks and repeats dropped.

    Raises:
        ValidationError: too many chips, or one is too long.
    """
    chips: list[str] = []
    for part in text.replace(",", "\n").splitlines():
        chip = " ".join(part.split())
        if not chip or chip.lower() in (c.lower() for c in chips):
            continue
        if len(chip) > MAX_CHIP_CHARS:
            raise ValidationError(
                f"the chip {chip[:50]!r} is longer than {MAX_CHIP_CHARS} characters: shorten it."
            )
        chips.append(chip)
    if len(chips) > MAX_CHIPS:
        raise ValidationError(f"{len(chips)} chips given; keep at most {MAX_CHIPS}.")
    return chips


def save_reason_chips(store: Store, user_id: int, chips: list[str]) -> list[str]:
    """Store the user's chips (an empty list restores the defaults)."""
    store.preferences.set(user_id, "chips", list(chips))
    return reason_chips(store, user_id)


def chip_kind(text: str) -> str:
    """The reason kind a chip stands for ("other" for the user's own words)."""
    return CHIP_KINDS.get(text.strip().lower(), "other")
