"""A reading scored against its label: per field right or wrong, and the OCR ceilings.

Rules (strict; a card's field is either right or wrong):

- **emails**, **websites**, **phones**: the set of extracted values must equal the set of
  labelled values after normalising. Emails: lowercase, spaces removed. Websites: lowercase,
  without scheme, ``www.`` and trailing slash, the contact's social profile addresses
  (``linkedin.com/in/...``, not handles such as ``skype:name``) counted among its websites
  (labels list them there). Phones: in E.164 when the label carries its
  country (``+``/``00``, or a default region is set); a label printed without a country
  (``(650) 555-0143``) cannot tell which country is right, so then only the national digits
  must agree. A missing value and an extra value (a VAT number read as a phone) are both
  errors.
- **name**, **title**, **company**, **address**: fuzzy. Both sides are casefolded, commas and
  line breaks become spaces, runs of spaces one; the field is right when
  ``rapidfuzz.fuzz.ratio`` is at least :data:`FUZZY_THRESHOLD`.
- A null or empty label is right only when nothing was extracted for that field.
- A photo the pipeline splits into several cards is scored on the reading that matches the
  label's main card best when the label has several cards too (their order in a photo means
  nothing), else on its first reading (a false split counts against the pipeline).

**Ceilings** say how often each labelled value appears at all in the raw OCR text, i.e. the
best an extractor could do: emails and websites as normalised substrings of the text with
spaces removed, phones by their national digits inside one line's digits, the other fields
with ``rapidfuzz.fuzz.partial_ratio`` >= :data:`CEILING_THRESHOLD` (each comma-separated part
of a multi-line value on its own, in any order). They are measured for the
pipeline's text and for the engine reading the whole (working-size) photo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import phonenumbers
from rapidfuzz import fuzz

from cardscan.models import Contact, Phone

#: Fuzzy fields are right at or above this ``fuzz.ratio`` (0..100).
FUZZY_THRESHOLD = 85


#: A labelled text counts as present in the OCR text at or above this ``partial_ratio``.
CEILING_THRESHOLD = 90


LIST_FIELDS = ("emails", "phones", "websites")


_PROFILE_URL = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/\S+$")


FUZZY_FIELDS = ("name", "title", "company", "address")


def norm_email(value: str) -> str:
    """``Ana@Example.org `` -> ``ana@example.org``."""
    return re.sub(r"\s+", "", value).lower()


def norm_website(value: str) -> str:
    """``https://www.Example.org/`` -> ``example.org``."""
    text = re.sub(r"\s+", "", value).lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def norm_phone(value: str, region: str = "") -> str:
    """E.164 when the number parses (with ``region`` for national forms), else its digits."""
    try:
        number = phonenumbers.parse(value, region.upper() or None)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return re.sub(r"\D", "", value)


def norm_text(value: str | None) -> str:
    """Casefolded, commas and line breaks as spaces, single spaces."""
    text = re.sub(r"[,;\n\r\t]+", " ", value or "").casefold()
    return re.sub(r"\s+", " ", text).strip()


def list_values(contact: Contact, name: str) -> set[str]:
    if name == "emails":
        return {norm_email(v) for v in contact.emails if v.strip()}
    # Labels list social profile addresses (linkedin.com/in/...) among the websites; bare
    # handles (skype:name, @name) are not web addresses.
    profiles = [v for v in contact.socials if _PROFILE_URL.match(norm_website(v))]
    return {norm_website(v) for v in contact.websites + profiles if v.strip()}


def _label_values(label: dict[str, Any], name: str) -> set[str]:
    values = [str(v) for v in label.get(name) or [] if str(v).strip()]
    if name == "emails":
        return {norm_email(v) for v in values}
    return {norm_website(v) for v in values}


def phone_key(value: str, region: str = "") -> tuple[str, str]:
    """How a labelled phone is compared: ``("e164", "+...")`` or ``("national", digits)``.

    A label with a country code (``+`` or ``00``), or any label when a default region is
    set, is compared in E.164. A label printed without a country (``(650) 555-0143``) cannot
    say which country is right, so only its national digits are compared (trunk ``0``
    dropped).
    """
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("00") and not text.startswith("000"):
        text = "+" + digits[2:]
    if text.startswith("+") or region:
        try:
            number = phonenumbers.parse(text, region.upper() or None)
            return ("e164", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            pass
    return ("national", digits.lstrip("0"))


def _phone_matches(key: tuple[str, str], phone: Phone, region: str) -> bool:
    e164 = phone.e164 or norm_phone(phone.number, region)
    if key[0] == "e164":
        return e164 == key[1]
    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        national = re.sub(r"\D", "", phone.number).lstrip("0")
    return national == key[1] or re.sub(r"\D", "", e164) == key[1]


def phones_right(phones: Sequence[Phone], labelled: Sequence[str], region: str = "") -> bool:
    """Whether the extracted phones are exactly the labelled ones (none missing, none extra)."""
    keys = [phone_key(str(v), region) for v in labelled if str(v).strip()]
    found: list[Phone] = []
    for phone in phones:
        if phone.number.strip() and all(
            (phone.e164 or phone.number) != (q.e164 or q.number) for q in found
        ):
            found.append(phone)
    if len(found) != len(keys):
        return False
    unused = list(found)
    for key in keys:
        match = next((p for p in unused if _phone_matches(key, p, region)), None)
        if match is None:
            return False
        unused.remove(match)
    return True


def score_contact(contact: Contact, label: dict[str, Any], region: str = "") -> dict[str, bool]:
    """Field -> right or wrong for one extracted contact against its label."""
    result: dict[str, bool] = {}
    for name in ("emails", "websites"):
        result[name] = list_values(contact, name) == _label_values(label, name)
    result["phones"] = phones_right(contact.phones, label.get("phones") or [], region)
    for name in FUZZY_FIELDS:
        want, got = norm_text(label.get(name)), norm_text(getattr(contact, name))
        if not want:
            result[name] = not got
        else:
            result[name] = bool(got) and fuzz.ratio(want, got) >= FUZZY_THRESHOLD
    return result


def ceiling_marks(text: str, label: dict[str, Any], region: str = "") -> dict[str, bool]:
    """Field -> whether every labelled value of it appears in the raw OCR ``text``."""
    squashed = re.sub(r"\s+", "", text).lower()
    line_digits = [re.sub(r"\D", "", line) for line in text.splitlines()]
    flat = norm_text(text)
    marks: dict[str, bool] = {}
    for name in LIST_FIELDS:
        values = [str(v) for v in label.get(name) or [] if str(v).strip()]
        if not values:
            continue
        if name == "emails":
            marks[name] = all(norm_email(v) in squashed for v in values)
        elif name == "websites":
            marks[name] = all(norm_website(v) in squashed for v in values)
        else:
            marks[name] = all(
                any(_national_digits(v, region) in d for d in line_digits) for v in values
            )
    for name in FUZZY_FIELDS:
        # A multi-line value (labelled joined with ", ") counts when each of its parts is
        # there, in any order: the extractor, not the ceiling, decides the order.
        parts = [norm_text(p) for p in str(label.get(name) or "").split(",")]
        parts = [p for p in parts if p]
        if parts:
            marks[name] = all(fuzz.partial_ratio(p, flat) >= CEILING_THRESHOLD for p in parts)
    return marks


def _national_digits(value: str, region: str) -> str:
    try:
        number = phonenumbers.parse(value, region.upper() or None)
        return str(number.national_number)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", value)[-8:]


#: Han ideographs (with compatibility forms), kana, Hangul syllables and jamo, and the
#: enclosed forms cards print in company names (㈱, ㈜).
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff]"
)


def label_script(label: dict[str, Any]) -> str:
    """``"cjk"`` when the label's name, title, company or address is written in Chinese,
    Japanese or Korean script, else ``"latin"`` (every other card: the group the default
    recogniser reads natively)."""
    text = " ".join(str(label.get(name) or "") for name in FUZZY_FIELDS)
    return "cjk" if _CJK.search(text) else "latin"
