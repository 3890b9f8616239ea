"""Which fields of a card read to check, and why: one rule for triage, scan --json and bench.

A field is marked when its confidence is below its field's threshold in :data:`CHECK_BELOW`,
or when it is a field a usable contact needs and nothing was found (:data:`CHECK_EMPTY`). A
field a person typed or corrected has confidence 1 and is never marked.

The thresholds are the one place to retune when the confidences change: ``cardscan bench``
prints how many wrong fields the marks catch, how many right fields they mark, and a
calibration table (confidence against measured accuracy) to choose them by.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardscan.models import CONTACT_FIELDS, Contact

#: Per field, a confidence below this marks the field for checking. The confidences are
#: chances of being right (``reading/extract/confidence.calibrate``); 0.85 for every field
#: is the retune measured on them (generated held-out seed 6202: recall 50%, false marks 3%).
CHECK_BELOW: dict[str, float] = {
    "name": 0.85,
    "title": 0.85,
    "company": 0.85,
    "emails": 0.85,
    "phones": 0.85,
    "websites": 0.85,
    "address": 0.85,
}

#: Fields marked when nothing was found for them: the ones a contact to follow up needs (a
#: card without a company or an e-mail address exists, but not often).
CHECK_EMPTY: tuple[str, ...] = ("name", "company", "emails", "phones")

#: Why a field is marked when the reading gave no reason of its own.
UNSURE = "unsure reading"
MISSING = "not found"


@dataclass(frozen=True)
class Check:
    """One field to check, with a short reason a person understands ("read from a logo")."""

    field: str
    reason: str


def _filled(contact: Contact, name: str) -> bool:
    return bool(getattr(contact, name))


def checks(contact: Contact) -> list[Check]:
    """The fields of ``contact`` to check, in field order, each with its reason.

    Args:
        contact: a contact as read (with its confidences and the reading's doubts) or as
            stored (edited fields have confidence 1).

    Returns:
        One ``Check`` per field to look at: a filled field whose confidence is below its
        threshold (the reason the reading gave, else "unsure reading"), or an empty field of
        :data:`CHECK_EMPTY` ("not found").
    """
    out = []
    for name in CONTACT_FIELDS:
        if not _filled(contact, name):
            if name in CHECK_EMPTY:
                out.append(Check(name, MISSING))
            continue
        if contact.confidence.get(name, 1.0) < CHECK_BELOW[name]:
            out.append(Check(name, contact.doubts.get(name) or UNSURE))
    return out


def fields_to_check(contact: Contact) -> list[str]:
    """The names of the fields to check (see :func:`checks`): ``["company", "phones"]``."""
    return [check.field for check in checks(contact)]
