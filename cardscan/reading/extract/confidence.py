"""Confidences that mean something: each field's confidence as the chance that it is right.

The extractor's raw confidences are products of OCR scores and rule strengths; they rank
fields (a guessed title below a title with a title word) but do not say how often such a
field is right. Here every field goes through a small logistic model over what the reading
knows about it: the raw confidence, whether extraction doubted it (``Contact.doubts``: "two
candidates", "read from a logo"...), the card's script, evidence a right value usually
carries, a near miss of another field, and what the reading left unused on the card
(``leftovers``: a title-like line under the title, digits no phone holds...).

A field left empty gets a model of its own: the chance that the card has none. Where that
chance is low, the field gets a doubt ("a line like a title was left unread") and the check
list marks it. The models' weights and the threshold below which a field is marked are in
``confidence_model.py``, written by ``scripts/fit_confidence.py`` from labelled cards.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Collection, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from rapidfuzz.distance import Levenshtein

from cardscan.models import Contact
from cardscan.reading.extract import confidence_model
from cardscan.reading.extract.company import domain_labels
from cardscan.reading.extract.details import CardDetails
from cardscan.reading.extract.emails import is_generic_mailbox
from cardscan.reading.extract.leftovers import find_leftovers
from cardscan.reading.extract.lexicon import legal_suffix, org_hits
from cardscan.reading.extract.people import domain_agreement, email_agreement
from cardscan.reading.extract.repairs import name_forms

if TYPE_CHECKING:
    import numpy as np

#: The fields modelled.
FIELDS = ("name", "title", "company", "emails", "phones", "websites", "address")
#: What the model of a filled field weighs, and of an empty one (see :func:`features`).
FILLED = (
    "bias", "raw", "doubt", "cjk", "hangul", "evidence", "near_miss", "left", "unused", "parts",
    "big", "ocr", "agrees",
)  # fmt: skip
EMPTY = ("bias", "cjk", "hangul", "left", "unused", "big", "ocr")

#: Why an empty field is marked: something of its kind was left unread on the card.
EMPTY_DOUBTS = {
    "name": "no name found",
    "title": "a line like a title left unread",
    "company": "a line like a company left unread",
    "emails": "an e-mail address left unread",
    "phones": "a number left unread",
    "websites": "a web address left unread",
    "address": "a line like an address left unread",
}
#: Why a filled field the model doubts is marked, when extraction gave no reason.
LEFT_DOUBTS = {
    "title": "a line under it left out",
    "company": "another company-like line",
    "phones": "more numbers on the card",
    "emails": "text glued to the address",
    "address": "another address-like line",
}


@dataclass(frozen=True)
class Row:
    """One field of one reading as the model sees it: filled or not, and its features."""

    field: str
    filled: bool
    x: tuple[float, ...]


_recording: ContextVar[list[list[Row]] | None] = ContextVar("confidence_recording", default=None)


@contextlib.contextmanager
def recorded() -> Iterator[list[list[Row]]]:
    """Within the block, each calibrated reading's rows are appended to the list yielded (in
    reading order): what ``scripts/fit_confidence.py`` fits the models on."""
    rows: list[list[Row]] = []
    token = _recording.set(rows)
    try:
        yield rows
    finally:
        _recording.reset(token)


def features(contact: Contact, card: CardDetails, typed: Collection[str] = ()) -> list[Row]:
    """The facts the models weigh, per field of ``contact`` read from ``card`` (fields a QR
    code gave are left out: what the card's owner typed is not in doubt)."""
    left = find_leftovers(contact, card)
    unused = min(len(left.unused), 6) / 6
    cjk, hangul, big, ocr = float(left.cjk), float(left.hangul), float(left.big), left.ocr
    rows = []
    for name in FIELDS:
        if name in typed:
            continue
        value = getattr(contact, name)
        flag = float(left.left.get(name, False))
        if not value:
            rows.append(Row(name, False, (1.0, cjk, hangul, flag, unused, big, ocr)))
            continue
        raw = float(contact.confidence.get(name, 0.5))
        x = (
            1.0,
            raw,
            float(name in contact.doubts),
            cjk,
            hangul,
            _evidence(contact, name),
            _near_miss(contact, name),
            flag,
            unused,
            _parts(value),
            big,
            ocr,
            _agrees(contact, name),
        )
        rows.append(Row(name, True, x))
    return rows


def _parts(value: object) -> float:
    """How many values (a list) or lines (a text joined with ", ") a field holds, up to 4."""
    count = len(value) if isinstance(value, list) else str(value).count(", ") + 1
    return float(min(count, 4))


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


def _agrees(contact: Contact, name: str) -> float:
    """How well a name or company agrees with what the card's e-mail and web addresses say
    (``jdoe@`` for Jane Doe, ``acmetools.com`` for ACME Tools), 0..1; 0 for other fields."""
    if name == "name" and contact.name:
        locals_ = [e.partition("@")[0] for e in contact.emails if not is_generic_mailbox(e)]
        return round(email_agreement(contact.name, locals_), 3) if locals_ else 0.0
    if name == "company" and contact.company:
        domains = domain_labels(contact.emails, contact.websites)
        return round(domain_agreement(contact.company, domains), 3)
    return 0.0


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


def chance(row: Row, weights: dict[str, dict[str, tuple[float, ...]]]) -> float | None:
    """The chance that ``row``'s field is right as read (filled) or right to be empty (None
    where no model was fitted for it)."""
    model = weights.get(row.field, {}).get("filled" if row.filled else "empty")
    if not model or len(model) != len(row.x):  # none, or fitted on other features: stale
        return None
    return probability(model, row.x)


def calibrate(contact: Contact, card: CardDetails, *, typed: Collection[str] = ()) -> Contact:
    """``contact`` with each modelled field's confidence replaced by its chance of being
    right, and a doubt on each empty field the card likely has; the ``typed`` fields (a QR
    code's) keep theirs."""
    rows = features(contact, card, typed)
    recording = _recording.get()
    if recording is not None:
        recording.append(rows)
    below, empty_below = confidence_model.MARK_BELOW, confidence_model.EMPTY_BELOW
    for row in rows:
        p = chance(row, confidence_model.WEIGHTS)
        if p is None:
            continue
        if row.filled:
            contact.confidence[row.field] = round(p, 3)
            flag = row.x[FILLED.index("left")]
            if p < below.get(row.field, 0.0) and flag and row.field not in contact.doubts:
                if row.field in LEFT_DOUBTS:
                    contact.doubts[row.field] = LEFT_DOUBTS[row.field]
        elif p < empty_below.get(row.field, 0.0):
            contact.doubts[row.field] = EMPTY_DOUBTS[row.field]
    return contact


def fit(
    rows: list[tuple[tuple[float, ...], bool]],
    *,
    l2: float = 1.0,
    free: int = 1,
    weights: list[float] | None = None,
) -> tuple[float, ...]:
    """Logistic regression by Newton's method with an L2 penalty (not on the first ``free``
    weights, the biases).

    Args:
        rows: ``(features, right)`` per field read.
        l2: the penalty; keeps weights small where a set holds few wrong fields.
        free: how many leading weights go unpenalised.
        weights: how much each row counts (1 each when not given).
    """
    import numpy as np

    x = np.array([r[0] for r in rows], dtype=np.float64)
    y = np.array([1.0 if r[1] else 0.0 for r in rows], dtype=np.float64)
    return fit_arrays(x, y, l2=l2, free=free, weights=weights)


def fit_arrays(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    free: int = 1,
    weights: Sequence[float] | np.ndarray | None = None,
) -> tuple[float, ...]:
    """:func:`fit` on arrays: ``x`` the features (a row per field read), ``y`` 1 where the
    field is right and 0 where not, ``weights`` what each row counts."""
    import numpy as np

    s = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[:free] = 1e-3  # the bias: a whisper of a penalty keeps an all-right field finite
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (s * (p - y)) + penalty * w
        hessian = (x * (s * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(round(float(v), 4) for v in w)
