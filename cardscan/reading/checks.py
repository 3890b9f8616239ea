"""Which fields of a card read to check, and why: one rule for triage, scan --json and bench.

A field is marked when its confidence (the chance that it is right, ``reading/extract/
confidence``) is below its field's threshold in :data:`CHECK_BELOW`; an empty field is marked
when the reading doubts that the card has none (a line like a title left unread: the doubt
says so), and an empty name always. A field a person typed or corrected has confidence 1 and
is never marked.

The thresholds are chosen with the confidence models by ``scripts/fit_confidence.py`` (for
the most wrong fields caught while few right ones are marked, on cards held out of the fit);
``cardscan bench`` prints how many wrong fields the marks catch, how many right fields they
mark, and a calibration table (confidence against measured accuracy).
"""

from __future__ import annotations

from dataclasses import dataclass

from cardscan.models import CONTACT_FIELDS, Contact
from cardscan.reading.extract import confidence_model

#: Per field, a confidence below this marks the field for checking (0.85 where no model
#: was fitted).
CHECK_BELOW: dict[str, float] = {
    name: confidence_model.MARK_BELOW.get(name, 0.85)
    for name in ("name", "title", "company", "emails", "phones", "websites", "address")
}

#: Fields marked whenever nothing was found for them: a contact to follow up needs a name.
CHECK_EMPTY: tuple[str, ...] = ("name",)

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
        threshold (the reason the reading gave, else "unsure reading"), an empty field the
        reading doubts (its reason), or an empty field of :data:`CHECK_EMPTY` ("not found").
    """
    out = []
    for name in CONTACT_FIELDS:
        if not _filled(contact, name):
            if name in CHECK_EMPTY or name in contact.doubts:
                out.append(Check(name, contact.doubts.get(name) or MISSING))
            continue
        if contact.confidence.get(name, 1.0) < CHECK_BELOW[name]:
            out.append(Check(name, contact.doubts.get(name) or UNSURE))
    return out


def fields_to_check(contact: Contact) -> list[str]:
    """The names of the fields to check (see :func:`checks`): ``["company", "phones"]``."""
    return [check.field for check in checks(contact)]
