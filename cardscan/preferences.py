"""Small per-user preferences kept beside the database: the reason chips offered at capture.

These are presentation choices, not records, so they live in ``DATA/prefs/<user_id>.json``
(written atomically) rather than in the store's schema.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from cardscan.errors import ValidationError

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


def _path(data_dir: Path, user_id: int) -> Path:
    return Path(data_dir) / "prefs" / f"{int(user_id)}.json"


def _load(data_dir: Path, user_id: int) -> dict:
    try:
        return json.loads(_path(data_dir, user_id).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def reason_chips(data_dir: Path, user_id: int) -> list[str]:
    """The user's reason chips (the defaults until edited)."""
    chips = _load(data_dir, user_id).get("chips")
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


def save_reason_chips(data_dir: Path, user_id: int, chips: list[str]) -> list[str]:
    """Store the user's chips (an empty list restores the defaults)."""
    prefs = _load(data_dir, user_id)
    prefs["chips"] = list(chips)
    path = _path(data_dir, user_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(prefs, f)
    os.replace(tmp, path)
    return reason_chips(data_dir, user_id)


def chip_kind(text: str) -> str:
    """The reason kind a chip stands for ("other" for the user's own words)."""
    return CHIP_KINDS.get(text.strip().lower(), "other")
