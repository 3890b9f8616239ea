"""Two sets of one person's fields made one: the only place contact fields are merged.

Three callers, three rules of who wins, one way to join:

- ``fill_gaps``: a card's back fills what its front lacks (the pipeline);
- ``prefer``: a QR code's fields win over the OCR's where they overlap (the extractor);
- ``merge_records``: two stored records of one person, the better value of each field
  (the store's merge, offered by ``cardscan.dedupe``).

Lists are joined without repeats: e-mails, websites and social profiles compared without
case, phones by ``phone_key`` (the same number printed two ways is one number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from cardscan.models import Contact, Phone

#: Fields holding one text value, and fields holding a list of texts.
SCALARS = ("name", "title", "company", "address")
LISTS = ("emails", "websites", "socials")


def phone_key(phone: Phone) -> str:
    """E.164 when known, else the digits (a number printed without its country code)."""
    return phone.e164 or re.sub(r"\D", "", phone.number)


def union(
    values: Sequence[str], more: Iterable[str], same: Callable[[str, str], bool] | None = None
) -> list[str]:
    """``values`` then each of ``more`` not already there (case aside, or by ``same``)."""
    out = list(values)
    seen = {v.casefold() for v in values}
    for value in more:
        if same is not None:
            if not any(same(value, v) for v in values):
                out.append(value)
        elif value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def union_phones(phones: Sequence[Phone], more: Iterable[Phone]) -> list[Phone]:
    """``phones`` then each of ``more`` whose number is not among them yet."""
    out = list(phones)
    keys = {phone_key(p) for p in phones}
    for phone in more:
        if phone_key(phone) not in keys:
            keys.add(phone_key(phone))
            out.append(phone)
    return out


def add_note(notes: str | None, note: str) -> str:
    """``note`` on a line of its own after ``notes``."""
    return f"{notes}\n{note}" if notes else note


def fill_gaps(front: Contact, back: Contact) -> Contact:
    """The front's contact with the back's fields added where the front has none."""
    merged = Contact.from_dict(front.to_dict(), dict(front.confidence), dict(front.doubts))
    for name in (*SCALARS, "notes"):
        if not getattr(merged, name) and getattr(back, name):
            setattr(merged, name, getattr(back, name))
            if name in back.confidence:
                merged.confidence[name] = back.confidence[name]
            if name in back.doubts:
                merged.doubts[name] = back.doubts[name]
    for name in LISTS:
        setattr(merged, name, union(getattr(merged, name), getattr(back, name)))
    merged.phones = union_phones(merged.phones, back.phones)
    for name in (*LISTS, "phones"):
        if name in back.confidence and name not in merged.confidence:
            merged.confidence[name] = back.confidence[name]
    return merged


def prefer(
    contact: Contact,
    code: Contact,
    conf: dict[str, float],
    *,
    same: Callable[[str, str], bool],
) -> None:
    """``code``'s fields (read from a QR code) over ``contact``'s, in place: what the card's
    owner typed wins. A list keeps the code's values first, then the contact's that are not
    ``same`` as one of them (an OCR reading one look-alike letter off is the same value)."""
    for name in SCALARS:
        value = getattr(code, name)
        if value:
            setattr(contact, name, value)
            conf[name] = 0.99
    if code.emails:
        contact.emails = union(code.emails, contact.emails, same)
        conf["emails"] = max(conf.get("emails", 0.0), 0.95)
    if code.websites:
        contact.websites = union(code.websites, contact.websites, same)
        conf["websites"] = max(conf.get("websites", 0.0), 0.95)
    if code.socials:
        contact.socials = code.socials + [s for s in contact.socials if s not in code.socials]
    if code.phones:
        contact.phones = union_phones(code.phones, contact.phones)
        conf["phones"] = max(conf.get("phones", 0.0), 0.95)
    if code.notes:
        contact.notes = add_note(contact.notes, code.notes)


def _better(
    field: str, keep: Contact, keep_fixed: set[str], other: Contact, other_fixed: set[str]
) -> str:
    """Which side's value of ``field`` to keep: "keep" or "other"."""
    if not getattr(other, field):
        return "keep"
    if not getattr(keep, field):
        return "other"
    if (field in keep_fixed) != (field in other_fixed):
        return "keep" if field in keep_fixed else "other"
    keep_conf = keep.confidence.get(field, 0.0)
    other_conf = other.confidence.get(field, 0.0)
    return "other" if other_conf > keep_conf else "keep"


def merge_records(
    keep: Contact,
    other: Contact,
    *,
    keep_fixed: Iterable[str] = (),
    other_fixed: Iterable[str] = (),
) -> tuple[Contact, set[str]]:
    """The fields of two records of one person, merged: the better value of each field.

    A user-corrected value beats an extracted one, a higher confidence beats a lower one,
    and a value beats nothing; ties keep ``keep``'s. Lists (e-mails, phones, websites) are
    united. Notes from both are kept.

    Returns:
        The merged contact and the fields that count as user-corrected afterwards.
    """
    fixed_a, fixed_b = set(keep_fixed), set(other_fixed)
    merged = replace(keep, confidence=dict(keep.confidence))
    fixed = set(fixed_a)
    for field in SCALARS:
        if _better(field, keep, fixed_a, other, fixed_b) == "other":
            setattr(merged, field, getattr(other, field))
            if field in other.confidence:
                merged.confidence[field] = other.confidence[field]
            else:
                merged.confidence.pop(field, None)
            fixed.discard(field)
            if field in fixed_b:
                fixed.add(field)
    for field in LISTS:
        setattr(merged, field, union(getattr(keep, field), getattr(other, field)))
    merged.phones = union_phones(keep.phones, other.phones)
    for field in (*LISTS, "phones"):
        confs = [c.confidence[field] for c in (keep, other) if field in c.confidence]
        if confs:
            merged.confidence[field] = max(confs)
        if field in fixed_b:
            fixed.add(field)
    notes = [n for n in (keep.notes, other.notes) if n]
    merged.notes = "\n".join(dict.fromkeys(notes)) or None
    return merged, fixed
