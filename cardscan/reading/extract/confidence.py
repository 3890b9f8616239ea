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
from collections.abc import Collection

import phonenumbers
from rapidfuzz.distance import Levenshtein

from cardscan.models import Contact
from cardscan.reading.extract.cjk_words import CJK
from cardscan.reading.extract.lexicon import legal_suffix, org_hits
from cardscan.reading.extract.repairs import name_forms

#: The fields calibrated, each with its features (see :func:`features`).
FIELDS = ("name", "title", "company", "emails", "phones", "websites", "address")
FEATURES = ("bias", "raw", "cjk", "parts", "evidence", "count", "near_miss")

#: Logistic weights per field, in :data:`FEATURES` order, as fitted by
#: ``scripts/fit_confidence.py`` (cards, seeds and date in :data:`FITTED_ON`). A field
#: missing here keeps its raw confidence.
WEIGHTS: dict[str, tuple[float, ...]] = {
    "name": (-2.334, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "title": (0.1592, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "company": (0.3639, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "emails": (-1.6572, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "phones": (2.033, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "websites": (-2.5542, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
    "address": (-3.404, 5.7505, 0.2996, 0.9238, 1.2576, -1.4291, -3.5815),
}
FITTED_ON = "139 photos (t6101, t52031), 2026-12-07"


def features(contact: Contact, name: str, raw: float) -> tuple[float, ...]:
    """The facts the model weighs for field ``name`` of ``contact``."""
    value = getattr(contact, name)
    text = value if isinstance(value, str) else " ".join(str(v) for v in value)
    cjk = 1.0 if CJK.search(text or "") or CJK.search(contact.name or "") else 0.0
    parts = float(text.count(", ") + 1) if isinstance(value, str) else 1.0
    count = float(len(value)) if isinstance(value, list) else 1.0
    return (1.0, raw, cjk, parts, _evidence(contact, name), count, _near_miss(contact, name))


def _evidence(contact: Contact, name: str) -> float:
    """1 when the value carries what a right one usually does: a legal form or organisation
    word (company, title), initials or two words (name), a number (address), numbers valid
    where they are from (phones), one domain for e-mails and website."""
    value = getattr(contact, name)
    if name == "name":
        return 1.0 if re.search(r"[A-Za-z]\.? [A-Z]", value or "") else 0.0
    if name == "address":
        return 1.0 if re.search(r"\d{3}", value or "") else 0.0
    if name == "phones":
        return 1.0 if all(_valid_number(p.e164) for p in contact.phones) else 0.0
    if name in ("emails", "websites"):
        return 1.0 if _email_domains(contact) & _site_domains(contact) else 0.0
    return 1.0 if isinstance(value, str) and (legal_suffix(value) or org_hits(value)) else 0.0


def _valid_number(e164: str | None) -> bool:
    if not e164:
        return False
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(e164, None)))
    except phonenumbers.NumberParseException:
        return False


def _email_domains(contact: Contact) -> set[str]:
    return {e.rpartition("@")[2].lower() for e in contact.emails}


def _site_domains(contact: Contact) -> set[str]:
    return {
        re.sub(r"^(?:https?://)?(?:www\.)?", "", w.lower()).split("/")[0] for w in contact.websites
    }


def _close(a: str, b: str) -> bool:
    """One or two letters apart, and not the same: the shape of an OCR slip."""
    return len(a) >= 4 and len(b) >= 4 and 0 < Levenshtein.distance(a, b) <= 2


def _near_miss(contact: Contact, name: str) -> float:
    """1 when the value is a letter or two off what another field says it should be: an
    e-mail's local part against the name, a domain against the other domains on the card."""
    forms = []
    if contact.name:  # "Marloes de Vries" also as "Marloes deVries" (m.devries@)
        first, _, rest = contact.name.partition(" ")
        forms = [*name_forms(contact.name), *name_forms(f"{first} {rest.replace(' ', '')}")]
    locals_ = [re.sub(r"[^a-z.]", "", e.partition("@")[0].lower()) for e in contact.emails]
    emails, sites = _email_domains(contact), _site_domains(contact)
    if name in ("emails", "name"):
        for local in locals_:
            if local not in forms and any(_close(local, form) for form in forms):
                return 1.0
    if name == "emails" and any(d not in sites and _close(d, s) for d in emails for s in sites):
        return 1.0
    if name == "websites" and any(s not in emails and _close(s, d) for s in sites for d in emails):
        return 1.0
    return 0.0


def probability(weights: tuple[float, ...], x: tuple[float, ...]) -> float:
    """The logistic model's chance for features ``x``."""
    z = sum(w * v for w, v in zip(weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def calibrate(contact: Contact, *, typed: Collection[str] = ()) -> Contact:
    """``contact`` with each fitted field's confidence replaced by its chance of being right;
    the ``typed`` fields (a QR code's, what the card's owner typed) keep theirs."""
    for name in FIELDS:
        raw = contact.confidence.get(name)
        weights = WEIGHTS.get(name)
        if raw is None or weights is None or not getattr(contact, name) or name in typed:
            continue
        contact.confidence[name] = round(probability(weights, features(contact, name, raw)), 3)
    return contact


def fit(
    rows: list[tuple[tuple[float, ...], bool]], *, l2: float = 1.0, free: int = 1
) -> tuple[float, ...]:
    """Logistic regression by Newton's method with an L2 penalty (not on the first ``free``
    weights, the biases).

    Args:
        rows: ``(features, right)`` per extracted field.
        l2: the penalty; keeps weights small where a set holds few wrong fields.
        free: how many leading weights go unpenalised.
    """
    import numpy as np

    x = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([1.0 if r[1] else 0.0 for r in rows], dtype=np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[:free] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(round(float(v), 4) for v in w)


def fit_pooled(
    rows: dict[str, list[tuple[tuple[float, ...], bool]]], *, l2: float = 1.0
) -> dict[str, tuple[float, ...]]:
    """One model for all fields: a bias of each field's own, the other weights shared.

    A set of generated cards holds a handful of wrong values per field, too few to fit each
    field alone; what makes a value doubtful (an unsure reading, a near miss of the name)
    is much the same for every field.
    """
    names = [name for name, data in rows.items() if data]
    pooled = []
    for k, name in enumerate(names):
        for x, right in rows[name]:
            onehot = tuple(1.0 if j == k else 0.0 for j in range(len(names)))
            pooled.append(((*onehot, *x[1:]), right))
    w = fit(pooled, l2=l2, free=len(names))
    shared = w[len(names) :]
    return {name: (w[k], *shared) for k, name in enumerate(names)}
