"""Harder cards (``generate.py --hard``): photos that err the way real ones do.

Cards made by default are read almost perfectly, and what little goes wrong on them is a
letter slip at full confidence; real photos go wrong in other ways: a logo or wordmark for
the company, a tagline under it, a title over two lines, numbers that are not phones, glare,
shadow, blur, dim light and a card small in the frame. A hard case takes the card the seed
would make and turns these up, drawing from a generator of its own so that the same seed
without ``--hard`` still makes exactly the cards it always made.
"""

from __future__ import annotations

import random
from typing import Any


def harden(case: dict[str, Any], seed: int, index: int) -> dict[str, Any]:
    """``case`` (a Latin card's, from ``cases``) made harder to read, deterministically."""
    rng = random.Random(f"cardscan-hard-{seed}-{index}")
    c = dict(case)
    photo = c.get("mode", "photo") == "photo" and not c.get("two_cards")
    legible = c.get("layout") != "tiny" and c.get("palette") != "dark"
    c["company"] = rng.choice(["printed", "logo_and_printed", "logo_and_printed", "logo_only"])
    c["tagline"] = rng.random() < 0.5
    c["two_line_title"] = c.get("two_line_title") or rng.random() < 0.3
    c["tax"] = c.get("tax") or rng.random() < 0.25
    c["fax"] = c.get("fax") or rng.random() < 0.3
    c["icons"] = c.get("icons") or rng.random() < 0.4
    c["shadow"] = c.get("shadow") or rng.random() < 0.5
    c["glare"] = c.get("glare") or rng.random() < 0.35
    c["bend"] = c.get("bend") or rng.choice([0.0, rng.uniform(0.015, 0.035)])
    c["hard"] = photo and legible and rng.random() < 0.6
    if photo and not c["hard"] and rng.random() < 0.4:
        c["blur"] = round(rng.uniform(1.3, 1.9), 2)
    c["case"] = f"{c['case']}_hard"
    return c


def harden_script_card(case: dict[str, Any], seed: int, index: int) -> dict[str, Any]:
    """A Japanese, Chinese or Korean card's case (``cjk_cards``) photographed worse: glare,
    shadow, a bow, a small and dim shot."""
    rng = random.Random(f"cardscan-hard-cjk-{seed}-{index}")
    c = dict(case)
    c["shadow"] = c["shadow"] or rng.random() < 0.5
    c["glare"] = c["glare"] or rng.random() < 0.35
    c["bend"] = c["bend"] or rng.choice([0.0, rng.uniform(0.015, 0.035)])
    c["hard"] = c["mode"] == "photo" and rng.random() < 0.5
    c["case"] = f"{c['case']}_hard"
    return c
