"""Confidences that mean something: each field's confidence as the chance that it is right.

The extractor's raw confidences are products of OCR scores and rule strengths; they rank
fields (a guessed title below a title with a title word) but do not say how often such a
field is right. Here each field's raw confidence, with a few facts about the value (how many
lines it joins, whether it carries a legal form, whether the card is CJK), goes through a
logistic model fitted on generated cards read by the real pipeline
(``scripts/fit_confidence.py``, which writes :data:`WEIGHTS`). So 0.9 means "right about
nine times in ten" on cards like the generated ones, and the triage marks (``check``) can use
one threshold for every field.
"""

from __future__ import annotations

import math
import re

from cardscan.models import Contact
from cardscan.reading.extract.cjk_words import CJK
from cardscan.reading.extract.lexicon import legal_suffix, org_hits

#: The fields calibrated, each with its features (see :func:`features`).
FIELDS = ("name", "title", "company", "emails", "phones", "websites", "address")
FEATURES = ("bias", "raw", "cjk", "parts", "evidence", "count")

#: Logistic weights per field, in :data:`FEATURES` order, as fitted by
#: ``scripts/fit_confidence.py`` (cards, seeds and date in :data:`FITTED_ON`). A field
#: missing here keeps its raw confidence.
WEIGHTS: dict[str, tuple[float, ...]] = {}
FITTED_ON = ""


def features(contact: Contact, name: str, raw: float) -> tuple[float, ...]:
    """The facts the model weighs for field ``name`` of ``contact``."""
    value = getattr(contact, name)
    text = value if isinstance(value, str) else " ".join(str(v) for v in value)
    cjk = 1.0 if CJK.search(text or "") or CJK.search(contact.name or "") else 0.0
    parts = float(text.count(", ") + 1) if isinstance(value, str) else 1.0
    evidence = 1.0 if isinstance(value, str) and (legal_suffix(value) or org_hits(value)) else 0.0
    if name == "name":
        evidence = 1.0 if re.search(r"[A-Za-z]\.? [A-Z]", value or "") else 0.0
    count = float(len(value)) if isinstance(value, list) else 1.0
    return (1.0, raw, cjk, parts, evidence, count)


def probability(weights: tuple[float, ...], x: tuple[float, ...]) -> float:
    """The logistic model's chance for features ``x``."""
    z = sum(w * v for w, v in zip(weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def calibrate(contact: Contact) -> Contact:
    """``contact`` with each fitted field's confidence replaced by its chance of being right."""
    for name in FIELDS:
        raw = contact.confidence.get(name)
        weights = WEIGHTS.get(name)
        if raw is None or weights is None or not getattr(contact, name):
            continue
        contact.confidence[name] = round(probability(weights, features(contact, name, raw)), 3)
    return contact


def fit(rows: list[tuple[tuple[float, ...], bool]], *, l2: float = 1.0) -> tuple[float, ...]:
    """Logistic regression by Newton's method with an L2 penalty (not on the bias).

    Args:
        rows: ``(features, right)`` per extracted field.
        l2: the penalty; keeps weights small where a set holds few wrong fields.
    """
    import numpy as np

    x = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([1.0 if r[1] else 0.0 for r in rows], dtype=np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(round(float(v), 4) for v in w)
