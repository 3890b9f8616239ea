"""QR code payloads into contact fields: vCard 2.1/3.0/4.0, MeCard, BIZCARD and plain URLs."""

from __future__ import annotations

import quopri
import re

import phonenumbers

from cardscan.models import Contact, Phone, QrCode
from cardscan.reading.extract.emails import is_valid_email
from cardscan.reading.extract.normalize import normalize_email, normalize_url
from cardscan.reading.extract.web import social_kind

_VCARD_KINDS = {
    "cell": "mobile",
    "mobile": "mobile",
    "fax": "fax",
    "work": "office",
    "voice": "other",
}


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,:nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_unescaped(value: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped with a backslash."""
    return [_unescape(p) for p in re.split(r"(?<!\\)" + re.escape(sep), value)]


def _phone(value: str, kind: str, region: str) -> Phone:
    number = re.sub(r"^tel:", "", value.strip(), flags=re.IGNORECASE)
    try:
        parsed = phonenumbers.parse(number, region or None)
        e164 = (
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_possible_number(parsed)
            else None
        )
    except phonenumbers.NumberParseException:
        e164 = None
    return Phone(number=number, e164=e164, kind=kind)


def _add_url(contact: Contact, value: str) -> None:
    url = normalize_url(value)
    if not url:
        return
    target = contact.socials if social_kind(url) else contact.websites
    if url not in target:
        target.append(url)


def _add_email(contact: Contact, value: str) -> None:
    email = normalize_email(re.sub(r"^mailto:", "", value.strip(), flags=re.IGNORECASE))
    if is_valid_email(email) and email not in contact.emails:
        contact.emails.append(email)


def parse_vcard(text: str, region: str = "") -> Contact:
    """Contact fields from a vCard (2.1, 3.0 or 4.0) payload."""
    contact = Contact()
    unfolded = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    # Quoted-printable soft line breaks ("=" at the end of a line).
    unfolded = re.sub(r"=\n", "", unfolded)
    n_name = ""
    for raw in unfolded.split("\n"):
        if ":" not in raw:
            continue
        head, value = raw.split(":", 1)
        params = head.split(";")
        key = params[0].split(".")[-1].upper()
        lowered = [p.lower() for p in params[1:]]
        if any("quoted-printable" in p for p in lowered):
            value = quopri.decodestring(value.encode("latin-1", "replace")).decode(
                "utf-8", "replace"
            )
        types: set[str] = set()
        for p in lowered:
            p = p.removeprefix("type=")
            types.update(t.strip('"') for t in p.split(","))
        if key == "FN":
            contact.name = _unescape(value).strip() or contact.name
        elif key == "N":
            parts = _split_unescaped(value, ";") + ["", "", "", "", ""]
            n_name = " ".join(
                p.strip() for p in (parts[3], parts[1], parts[2], parts[0]) if p.strip()
            )
        elif key == "ORG":
            parts = [p.strip() for p in _split_unescaped(value, ";") if p.strip()]
            contact.company = parts[0] if parts else contact.company
        elif key in ("TITLE", "ROLE") and value.strip():
            contact.title = contact.title or _unescape(value).strip()
        elif key == "TEL" and value.strip():
            kind = next(
                (_VCARD_KINDS[t] for t in ("fax", "cell", "mobile", "work") if t in types), "other"
            )
            contact.phones.append(_phone(value, kind, region))
        elif key == "EMAIL":
            _add_email(contact, value)
        elif key in ("URL", "X-SOCIALPROFILE"):
            _add_url(contact, _unescape(value))
        elif key == "ADR":
            parts = [p.strip() for p in _split_unescaped(value, ";")]
            contact.address = ", ".join(p for p in parts if p) or contact.address
        elif key == "NOTE" and value.strip():
            contact.notes = _unescape(value).strip()
    if not contact.name and n_name:
        contact.name = n_name
    return contact


def parse_mecard(text: str, region: str = "") -> Contact:
    """Contact fields from a MeCard (``MECARD:N:Doe,Jane;TEL:...;;``) or BIZCARD payload."""
    contact = Contact()
    body = re.sub(r"^(?:MECARD|BIZCARD):", "", text.strip(), flags=re.IGNORECASE)
    first = last = ""
    for field in _split_unescaped(body, ";"):
        if ":" not in field:
            continue
        key, value = field.split(":", 1)
        key, value = key.strip().upper(), value.strip()
        if not value:
            continue
        if key == "N":
            if "," in value:
                last_name, first_name = (p.strip() for p in value.split(",", 1))
                contact.name = f"{first_name} {last_name}".strip()
            else:
                contact.name = value
        elif key == "X":
            last = value
        elif key == "TEL" or key in ("B", "M", "F"):
            kind = {"M": "mobile", "F": "fax", "B": "office"}.get(key, "other")
            contact.phones.append(_phone(value, kind, region))
        elif key in ("EMAIL", "E"):
            _add_email(contact, value)
        elif key == "URL":
            _add_url(contact, value)
        elif key in ("ADR", "A"):
            contact.address = value.replace("\n", ", ")
        elif key in ("ORG", "C"):
            contact.company = value
        elif key in ("TITLE", "T"):
            contact.title = value
        elif key == "NOTE":
            contact.notes = value
        elif key == "NICKNAME" or key == "SOUND":
            continue
    if text.strip().upper().startswith("BIZCARD:"):
        first = next(
            (f.split(":", 1)[1] for f in _split_unescaped(body, ";") if f.upper().startswith("N:")),
            "",
        )
        contact.name = f"{first} {last}".strip() or contact.name
    return contact


def parse_qr(code: QrCode, region: str = "") -> Contact:
    """Contact fields from one decoded QR code, whatever its payload kind.

    Args:
        code: the decoded QR code.
        region: the region assumed for phone numbers without a ``+`` code.

    Returns:
        A contact with the fields the payload carries (empty for plain text).
    """
    data = code.data.strip()
    upper = data[:12].upper()
    if upper.startswith("BEGIN:VCARD"):
        return parse_vcard(data, region)
    if upper.startswith(("MECARD:", "BIZCARD:")):
        return parse_mecard(data, region)
    contact = Contact()
    if re.match(r"^mailto:", data, re.IGNORECASE):
        _add_email(contact, data.split("?")[0])
    elif re.match(r"^tel:", data, re.IGNORECASE):
        contact.phones.append(_phone(data, "other", region))
    elif re.match(r"^(?:https?://|www\.)\S+$", data, re.IGNORECASE):
        _add_url(contact, data)
    return contact
