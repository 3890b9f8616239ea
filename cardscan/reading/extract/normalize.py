"""Tiny pure value fixers for e-mail addresses, web addresses and phone numbers.

Each one is idempotent: applying it to its own output changes nothing.
"""

from __future__ import annotations

import re

import phonenumbers

_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>\"'"


def normalize_email(value: str) -> str:
    """Lower-case an e-mail address and drop ``mailto:``, brackets, spaces and end punctuation.

    Example: ``" <Ana.Ruiz@Example.COM>. "`` becomes ``"ana.ruiz@example.com"``.
    """
    text = value.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = re.sub(r"\s+", "", text)
    return text.strip(_TRAILING + "<(").lower()


def normalize_url(value: str) -> str:
    """Reduce a web address to host and path: no scheme, lower-case host, no trailing slash.

    Example: ``"HTTPS://WWW.Example.com/About/"`` becomes ``"www.example.com/About"``.
    """
    text = re.sub(r"\s+", "", value.strip())
    text = _URL_SCHEME.sub("", text)
    text = text.rstrip(_TRAILING + "/")
    host, sep, path = text.partition("/")
    return host.lower().rstrip(".") + (sep + path.rstrip("/") if path.rstrip("/") else "")


def _e164(text: str) -> str | None:
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(value: str, region: str = "") -> str:
    """The E.164 form of a phone number (``+351213456789``), or its bare digits when unparseable.

    ``region`` is the two-letter country assumed for numbers printed without a ``+`` code.
    An extension (``ext. 204``) is dropped.
    """
    main = re.split(r"(?i)\s*(?:ext|extn|x|ramal|durchwahl|poste)\.?\s*\d", value.strip())[0]
    digits = re.sub(r"\D", "", main)
    canonical = ("+" + digits) if main.lstrip().startswith("+") and digits else digits
    try:
        parsed = phonenumbers.parse(canonical, region.upper() or None) if canonical else None
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        # Only a form that parses back to itself is returned, so the fixer stays idempotent
        # (national prefixes such as a leading 0 could otherwise be eaten twice).
        if _e164(e164) == e164:
            return e164
    return canonical
