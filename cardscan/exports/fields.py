"""Small value helpers the exports share: names, dates, web addresses, E.164 phones, notes.

Addresses are split in :mod:`cardscan.exports.address` (re-exported here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
from nameparser import HumanName

from cardscan.exports.address import AddressParts, split_address
from cardscan.followups import clean_text, one_line
from cardscan.models import ContactRecord, Event, ImportantDate, Phone

__all__ = ["AddressParts", "clean_text", "one_line", "split_address"]  # for the exports

#: Social networks by host, with the type name address books use (Apple's X-SOCIALPROFILE).
SOCIAL_HOSTS = {
    "linkedin.com": "linkedin",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "github.com": "github",
    "xing.com": "xing",
    "youtube.com": "youtube",
    "tiktok.com": "tiktok",
    "bsky.app": "bluesky",
}

_E164 = re.compile(r"\+[1-9]\d{6,14}")


@dataclass(frozen=True)
class NameParts:
    """A full name split into vCard N parts."""

    given: str = ""
    additional: str = ""
    family: str = ""
    prefix: str = ""
    suffix: str = ""


def fold(line: str, first: int = 75) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.

    ``first`` is the room on the first physical line (74 when it is itself a continuation).
    """
    if line.isascii():
        if len(line) <= first:
            return line
        # Continuation lines start with a space, which counts: 74 characters after it.
        rest = range(first, len(line), 74)
        return "\r\n ".join([line[:first], *(line[i : i + 74] for i in rest)])
    raw = line.encode("utf-8")
    if len(raw) <= first:
        return line
    chunks: list[str] = []
    start, limit = 0, first
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:
            end -= 1
        chunks.append(raw[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(chunks)


def fold_more(folded: str, extra: str) -> str:
    """``fold(line + extra)`` for an already folded ``line``: only its last piece is redone.

    Content lines hold no CR or LF (text is escaped first), so every CRLF-space in
    ``folded`` is a fold.
    """
    cut = folded.rfind("\r\n ")
    if cut < 0:
        return fold(folded + extra)
    return folded[: cut + 3] + fold(folded[cut + 3 :] + extra, 74)


def split_name(name: str | None) -> NameParts:
    """Split a full name with nameparser ("Dr. Ana M. Ruiz" -> given Ana, family Ruiz...)."""
    text = one_line(name)
    if not text:
        return NameParts()
    parsed = HumanName(text)
    parts = NameParts(parsed.first, parsed.middle, parsed.last, parsed.title, parsed.suffix)
    if not any((parts.given, parts.family)):
        return NameParts(given=text)
    return parts


def e164(phone: Phone) -> str:
    """The phone in E.164 (+351912345678) where known or parseable, else as printed."""
    if phone.e164 and one_line(phone.e164):
        return one_line(phone.e164)
    number = one_line(phone.number)
    if number.startswith("+"):
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            return number
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return number


def is_e164(value: str) -> bool:
    """True for a value that is exactly an E.164 number (+ and 7 to 15 digits)."""
    return bool(_E164.fullmatch(value))


def event_text(event: Event) -> str:
    """An event as "Web Summit (Lisbon), 2026-11-04 to 2026-11-07"."""
    where = one_line(event.name)
    if one_line(event.place):
        where += f" ({one_line(event.place)})"
    when = event.start.isoformat()
    if event.end != event.start:
        when += f" to {event.end.isoformat()}"
    return f"{where}, {when}"


def met_at(
    record: ContactRecord,
    events_by_id: Mapping[int, Event],
    *,
    cache: dict[int, str] | None = None,
) -> list[str]:
    """Where you met, one entry per meeting (``cache`` keeps each event's text by id)."""
    lines: list[str] = []
    for meeting in record.meetings:
        entry = cache.get(meeting.event_id) if cache is not None else None
        if entry is None:
            event = events_by_id.get(meeting.event_id)
            if event is None:
                continue
            entry = event_text(event)
            if cache is not None:
                cache[meeting.event_id] = entry
        if entry not in lines:
            lines.append(entry)
    return lines


def reasons_text(record: ContactRecord) -> str:
    """The contact's reasons joined with "; ", each with its due date when it has one
    ("send deck (by 2026-12-01); intro to Bob")."""
    seen: list[str] = []
    for reason in record.reasons:
        text = one_line(reason.text)
        if text and reason.due is not None:
            text = f"{text} (by {reason.due.isoformat()})"
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


def contact_note(
    record: ContactRecord, events_by_id: Mapping[int, Event], *, include_private_notes: bool
) -> str:
    """A NOTE / Notes text: where you met and why (and notes when asked), one item a line."""
    lines = [f"Met at: {entry}" for entry in met_at(record, events_by_id)]
    if why := reasons_text(record):
        lines.append(f"Why: {why}")
    if include_private_notes:
        for text in (record.contact.notes, record.private_notes):
            if clean_text(text).strip():
                lines.append(f"Notes: {clean_text(text).strip()}")
    return "\n".join(lines)


def web_uri(site: str | None) -> str:
    """A website as a URI with a scheme ("acme.example/x" -> "https://acme.example/x")."""
    text = one_line(site)
    if not text:
        return ""
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return text
    return "https://" + text.lstrip("/")


def social_type(url: str) -> str:
    """The network of a profile URL ("linkedin", "twitter"...), or "" when unknown."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.lower()).split("/")[0].split(":")[0]
    for known, kind in SOCIAL_HOSTS.items():
        if host == known or host.endswith("." + known):
            return kind
    return ""


def important_date(record: ContactRecord, kind: str) -> ImportantDate | None:
    """The contact's first date of this kind ("birthday", "anniversary"), if any."""
    return next((d for d in record.dates if d.kind == kind), None)


def iso_date(value: ImportantDate) -> str:
    """``YYYY-MM-DD``, or ``--MM-DD`` when the year is not known (RFC 6350's form)."""
    if value.year:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return f"--{value.month:02d}-{value.day:02d}"
