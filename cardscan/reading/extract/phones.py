"""Phone numbers: find them with phonenumbers, pick the region, keep mobile/office/fax,
and refuse tax IDs, IBANs, postcodes, dates and other digit runs that only look like phones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from rapidfuzz import fuzz

from cardscan.models import Phone
from cardscan.reading.extract.cjk_words import surname_of
from cardscan.reading.extract.lexicon import (
    PHONE_LABELS,
    fold,
    is_not_phone_label,
    phone_label_kind,
)

#: Regions tried, in this order, when nothing on the card says where its numbers are from.
LIKELY_REGIONS = (
    "US", "GB", "IN", "BR", "DE", "FR", "ES", "PT", "IT", "NL", "BE", "CH", "AT", "AU",
    "CA", "SG", "MX", "AR", "IE", "SE", "NO", "DK", "PL", "ZA", "AE", "SA", "JP", "CN",
    "HK", "MY", "PH", "NG", "TR", "HR", "CO", "CL",
)  # fmt: skip

#: Mobile-network names printed as labels on Brazilian and other cards.
_CARRIERS = {"tim", "vivo", "claro", "oi", "nextel", "movistar", "vodafone", "meo", "nos"}

_CANDIDATE = re.compile(
    r"(?:\+|\b00|\()?\d[\d \t().\-/]{4,24}\d"
    r"(?:\s*(?:ext|extn|ext\.|x|ramal|r\.|durchwahl|poste|dw)\.?\s*\d{1,6})?",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d{2}$")
_YEARS = re.compile(r"^(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2}$")
_ZIP_AFTER_STATE = re.compile(r"\b[A-Z]{2}[\s,.]+$")
_HEX_GROUP = re.compile(r"\b[0-9A-Fa-f]{4}\b")


def _is_fingerprint(line: str) -> bool:
    """Five or more groups of four hex digits, two of them with letters: a key fingerprint."""
    groups = _HEX_GROUP.findall(line)
    return len(groups) >= 5 and sum(1 for g in groups if re.search("[A-Fa-f]", g)) >= 2


@dataclass(frozen=True)
class PhoneHit:
    """A phone number found on a line, with what the extractor knows about it."""

    line: int
    start: int
    end: int
    phone: Phone
    valid: bool
    labelled: bool
    prefix: str


def prepare_phone_text(text: str) -> str:
    """Undo OCR habits around numbers, keeping every character's position.

    Middle dots become dots, O and l inside digit runs become 0 and 1, and letters glued to
    the front of a number are kept but marked by a following character the finder can see.
    """
    text = re.sub(r"(?<=\d)[·•∙](?=\d)", ".", text)
    # A colon read for a dash inside a long number ("612:555-0147"); short runs such as
    # times or "9001:2015" keep theirs.
    text = re.sub(
        r"\d{2,4}(?:[:.-]\d{2,4}){2,5}",
        lambda m: m.group(0).replace(":", "-") if len(_digits(m.group(0))) >= 9 else m.group(0),
        text,
    )
    # O read for 0 next to a digit; "(O)" alone marks an office number on Indian cards.
    text = re.sub(r"(?<=\d)[Oo](?=[\d)])|(?<=[\d(])[Oo](?=\d)", "0", text)
    text = re.sub(r"(?<=\d)[lI|](?=\d)", "1", text)
    return text


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


#: A Chinese, Japanese or Korean phone label at the end of a text (``電話``, ``휴대폰``).
_CJK_LABEL = re.compile(
    "("
    + "|".join(sorted((w for w in PHONE_LABELS if not w.isascii()), key=len, reverse=True))
    + r")\s*[:：]?\s*$",
    re.IGNORECASE,
)
#: A mark printed after a number on Indian and other cards: ``2479497 (R)``, ``(O)``, ``(M)``.
_MARK_AFTER = re.compile(r"^\s*\(\s*(R|Res|H|O|Off|W|M|Mob|Fax)\s*\)", re.IGNORECASE)
_MARK_KINDS = {"m": "mobile", "mob": "mobile", "fax": "fax"}
#: Numbers before this one in a list (``Tel # 553224, 763497, 555948``).
_LIST_BEFORE = re.compile(r"(?:[\d()][\d\s().\-]{3,}\d\s*[,;/.]\s*)+$")


def _label_before(text: str, start: int) -> tuple[str, str]:
    """The label word right before ``start`` and any text before that label."""
    before = text[:start].rstrip(" \t:.-=>|/#")
    match = _CJK_LABEL.search(before) or re.search(r"([^\W\d_](?:[^\W\d_]|[.\-])*)\s*$", before)
    if not match:
        return "", before
    return match.group(1), before[: match.start()].rstrip(" ,;|")


def kind_from_label(label: str) -> str | None:
    """The phone kind a label announces, forgiving one OCR slip ("Cel1" for Cell)."""
    kind = phone_label_kind(label)
    if kind:
        return kind
    key = fold(label).strip(" .:-")
    if key in _CARRIERS:
        return "mobile"
    # OCR slips in labels: "Cel1" for Cell, "Mob1le", "Te1".
    for word, kind in (("cel", "mobile"), ("mob", "mobile"), ("tel", "office"), ("fax", "fax")):
        if key.startswith(word):
            return kind
    if len(key) >= 5:  # a shorter word one letter off a label is a word ("Plot", "Port")
        for word, kind in PHONE_LABELS.items():
            if len(word) >= 5 and fuzz.ratio(key, word) >= 75:
                return kind
    return None


def _shape_ok(number: str) -> bool:
    """True when an unparseable digit run is grouped like a phone number (3456-7812)."""
    number = re.split(r"(?i)\s*(?:ext|extn|x|ramal|durchwahl|poste)\b", number)[0]
    digits = _digits(number)
    if not 7 <= len(digits) <= 13:
        return False
    groups = [g for g in re.split(r"[\s().\-/]+", number) if g]
    return len(groups) >= 2 and all(len(_digits(g)) <= 6 for g in groups[1:])


def region_from_numbers(texts: Iterable[str]) -> str | None:
    """The most common region among numbers printed with a ``+`` country code."""
    counts: Counter[str] = Counter()
    for text in texts:
        for match in re.finditer(r"\+\s?\d[\d\s().-]{6,20}\d", text):
            try:
                parsed = phonenumbers.parse(match.group(0), None)
            except NumberParseException:
                continue
            region = phonenumbers.region_code_for_number(parsed)
            if region and region != "ZZ":
                counts[region] += 1
    return counts.most_common(1)[0][0] if counts else None


def _parse(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except NumberParseException:
        return None


def guess_region(candidates: Sequence[str], preferred: Sequence[str]) -> str | None:
    """The region under which most of the card's numbers are valid, preferring ``preferred``."""
    order = [r for r in preferred if r] + [r for r in LIKELY_REGIONS if r not in preferred]
    best, best_count = None, 0
    for region in order:
        count = 0
        for cand in candidates:
            if len(_digits(cand)) < 8:
                continue
            parsed = _parse(cand, region)
            if parsed is not None and phonenumbers.is_valid_number(parsed):
                count += 1
        if count > best_count:
            best, best_count = region, count
    return best


def phone_candidates(text: str) -> list[tuple[int, int, str]]:
    """Digit runs in a line that could be phone numbers: (start, end, text)."""
    prepared = prepare_phone_text(text)
    masked = _IBAN.sub(lambda m: " " * len(m.group(0)), prepared)
    out = []
    for match in _CANDIDATE.finditer(masked):
        raw = match.group(0).rstrip(" .-/(")
        start = match.start()
        if raw.startswith("(") and ")" not in raw:
            raw, start = raw[1:], start + 1
        if len(_digits(raw)) >= 6:
            out.append((start, start + len(raw), raw))
    return out


def _split_by_matcher(raw: str, region: str | None) -> list[tuple[int, int, str]]:
    """Let phonenumbers split a run that holds several numbers side by side; when it finds
    none (numbers with only a space between, ``650 321 3900 650 321 3902``), cut the run
    between its digit groups where every piece is a valid number."""
    parts = []
    for match in phonenumbers.PhoneNumberMatcher(raw, region or "ZZ", phonenumbers.Leniency.VALID):
        parts.append((match.start, match.end, match.raw_string))
    return (
        parts
        or _split_at_groups(raw, region)
        or _split_at_stops(raw)
        or _split_inside_groups(raw, region)
    )


def _split_inside_groups(raw: str, region: str | None) -> list[tuple[int, int, str]]:
    """Numbers OCR glued with no space between: two valid numbers in one run of digits
    (``2927318826021823``), or a postcode run into the number printed after it
    (``533 0050884-387213``: PIN 533 005, then 0884-387213). ``[]`` when no cut gives that."""
    cuts = [m.start() for m in re.finditer(r"(?<=\d)(?=\d)", raw)]

    def valid(piece: str, possible: bool = False) -> bool:
        parsed = _parse(piece, region)
        if parsed is None:
            return False
        return phonenumbers.is_valid_number(parsed) or (
            possible and phonenumbers.is_possible_number(parsed)
        )

    total = len(_digits(raw))
    if raw.isdigit():  # one run, no separator: two numbers of about one length
        halves = [c for c in cuts if min(c, total - c) >= 7 and valid(raw[:c]) and valid(raw[c:])]
        if halves:
            cut = min(halves, key=lambda c: abs(2 * c - total))
            return [(0, cut, raw[:cut]), (cut, len(raw), raw[cut:])]
    # The longest head that reads as a postcode, then a number with its trunk 0.
    for cut in reversed(cuts):
        head, tail = raw[:cut], raw[cut:]
        if (
            re.fullmatch(r"\d{3}\s?\d{1,3}|\d{4,6}", head.strip())
            and tail.startswith("0")
            and len(_digits(tail)) >= 9
            and valid(tail, possible=True)
        ):
            return [(cut, len(raw), tail)]
    return []


def _split_at_stops(raw: str) -> list[tuple[int, int, str]]:
    """``raw`` cut where a stop or comma and a space part it (``0755 - 554712. 553929``), when
    every piece holds six digits or more; else ``[]``."""
    pieces, start = [], 0
    for stop in [*re.finditer(r"[,;.]\s+", raw), None]:
        end = stop.start() if stop else len(raw)
        pieces.append((start, end, raw[start:end]))
        start = stop.end() if stop else start
    if len(pieces) < 2 or any(len(_digits(p)) < 6 for _, _, p in pieces):
        return []
    return pieces


def _split_at_groups(raw: str, region: str | None) -> list[tuple[int, int, str]]:
    """``raw`` cut at group boundaries into valid numbers (at most four), or ``[]``."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]

    def cut(first: int, pieces: int) -> list[tuple[int, int, str]] | None:
        if first == len(groups):
            return []
        if pieces == 0:
            return None
        for last in range(first, len(groups)):
            start, end = groups[first][0], groups[last][1]
            parsed = _parse(raw[start:end], region)
            if parsed is None or not phonenumbers.is_valid_number(parsed):
                continue
            rest = cut(last + 1, pieces - 1)
            if rest is not None:
                return [(start, end, raw[start:end]), *rest]
        return None

    found = cut(0, 4)
    return found if found and len(found) >= 2 else []


def _labelled_not_phone(label: str, prefix: str) -> bool:
    """True when the label before a number, or one of the two words before it, names a
    number that is no phone (tax, company, licence, bank)."""
    return is_not_phone_label(label) or any(is_not_phone_label(w) for w in prefix.split()[-2:])


def _rejected(text: str, start: int, raw: str, label: str, prefix: str) -> bool:
    """True for digit runs that are not phones: IDs, dates, years, ZIPs, glued codes."""
    digits = _digits(raw)
    compact = raw.strip()
    if _labelled_not_phone(label, prefix):
        return True
    # A country code in front of the digits is a VAT number ("DE 443 585 334", "GB 582 0925 38").
    if (
        re.fullmatch(r"[A-Z]{2}", label)
        and label in phonenumbers.SUPPORTED_REGIONS
        and not kind_from_label(label)
        and not raw.startswith("+")
    ):
        return True
    if _DATE.match(compact) or _YEARS.match(compact):
        return True
    # Postcode shapes: Brazil 01310-100, Portugal 1100-053, Poland 00-950.
    if re.fullmatch(r"\d{5}-\d{3}|\d{4}-\d{3}|\d{2}-\d{3}", compact) and not kind_from_label(label):
        return True
    if (
        start > 0
        and (text[start - 1].isalpha() or text[start - 1] in "*#")
        and not raw.startswith("+")
    ):
        glued = _CJK_LABEL.search(text[:start]) or re.search(r"([A-Za-z]+)$", text[:start])
        if (glued is None or not kind_from_label(glued.group(1))) and not _person_before(
            text[:start]
        ):
            return True
    if re.fullmatch(r"\d{5}(?:-\d{4})?", compact) and _ZIP_AFTER_STATE.search(text[:start]):
        return True
    if "*" in text[start : start + len(raw) + 1]:
        return True
    return len(digits) > 15 and "ext" not in raw.lower() and "x" not in raw.lower()


#: A Chinese, Japanese or Korean name after a label's colon, right before a number.
_CJK_NAME_BEFORE = re.compile(r"[:：]\s*([\u3400-\u9fff\uac00-\ud7af]{2,4})$")


def _person_before(before: str) -> bool:
    """True when the text glued to a number is a person's name after a label (``分行主管：
    王嘉祺60522686``: a second person's number), so the number is no code glued to a word."""
    match = _CJK_NAME_BEFORE.search(before)
    return bool(match and surname_of(match.group(1)))


def _kind_around(text: str, start: int, end: int) -> str | None:
    """The kind a mark after the number says (``2479497 (R)``), or the label of the list of
    numbers this one ends (``Tel # 553224, 763497``: the label before the first)."""
    mark = _MARK_AFTER.match(text[end:])
    if mark:
        return _MARK_KINDS.get(mark.group(1).casefold(), "office")
    listed = _LIST_BEFORE.search(text[:start])
    if listed is None:
        return None
    label, _ = _label_before(text, listed.start())
    return kind_from_label(label) if label and not is_not_phone_label(label) else None


def _kind_of(parsed: phonenumbers.PhoneNumber | None, label_kind: str | None) -> str:
    if label_kind:
        return label_kind
    if parsed is None:
        return "other"
    number_type = phonenumbers.number_type(parsed)
    if number_type == PhoneNumberType.MOBILE:
        return "mobile"
    if number_type in (PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE):
        return "office"
    return "other"


def find_phones(
    lines: Sequence[str],
    region: str | None,
    *,
    address_lines: frozenset[int] = frozenset(),
    row_labels: dict[int, str] | None = None,
) -> list[PhoneHit]:
    """Every phone number on the card's lines.

    Args:
        lines: the card's lines of text, in reading order.
        region: the region assumed for numbers without a ``+`` code (None: unknown).
        address_lines: indexes of lines that hold a postal address; unlabelled digit runs
            there are postcodes or house numbers unless they parse as valid numbers.
        row_labels: a phone label printed as its own line to the left of line *i*.

    Returns:
        The numbers, deduplicated, with their kind (mobile, office, fax or other).
    """
    hits: list[PhoneHit] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if _is_fingerprint(line):
            continue  # a PGP key's fingerprint: groups of hex digits, no phone
        text = prepare_phone_text(line)
        for start, end, raw in phone_candidates(line):
            pieces = [(start, end, raw)]
            if len(_digits(raw)) > 13:
                if _labelled_not_phone(*_label_before(text, start)):
                    continue  # a tax or company number, whatever its pieces read as
                split = _split_by_matcher(raw, region)
                if split:
                    pieces = [(start + s, start + e, r) for s, e, r in split]
            for p_start, p_end, p_raw in pieces:
                hit = _judge(text, i, p_start, p_end, p_raw, region, address_lines, row_labels)
                if hit is None:
                    continue
                key = hit.phone.e164 or _digits(hit.phone.number)
                if key in seen:
                    continue
                seen.add(key)
                hits.append(hit)
    return hits


def _judge(
    text: str,
    line: int,
    start: int,
    end: int,
    raw: str,
    region: str | None,
    address_lines: frozenset[int],
    row_labels: dict[int, str] | None,
) -> PhoneHit | None:
    label, prefix = _label_before(text, start)
    if _rejected(text, start, raw, label, prefix):
        return None
    if re.fullmatch(r"\d{3}-\d{4}", raw.strip()) and (region == "JP" or "〒" in text[:start]):
        return None  # a Japanese postcode (〒 is often read as T or F, a phone label)
    label_kind = kind_from_label(label) if label else None
    if label_kind is None and row_labels and line in row_labels:
        label_kind = kind_from_label(row_labels[line])
    if label_kind is None:
        label_kind = _kind_around(text, start, end)
    if label and label_kind is None:
        between = text[:start]
        prefix = "" if re.search(r":\s*$", between) else (prefix + " " + label).strip()
    parsed = _parse(raw, region)
    valid = parsed is not None and phonenumbers.is_valid_number(parsed)
    if not valid and not raw.startswith("+"):
        # A number from another country printed with its international prefix (0091...).
        alt = _parse(re.sub(r"^\s*00", "+", raw), None) if raw.lstrip().startswith("00") else None
        if alt is not None and phonenumbers.is_valid_number(alt):
            parsed, valid = alt, True
    labelled = label_kind is not None
    digits = len(_digits(raw))
    if not labelled and not raw.lstrip().startswith("+") and digits < 7:
        return None
    if valid and not labelled and line in address_lines and digits < 9:
        return None
    if not valid:
        possible = parsed is not None and phonenumbers.is_possible_number(parsed)
        if line in address_lines and not labelled:
            return None
        if not (labelled and (possible or _shape_ok(raw))) and not _shape_ok(raw):
            return None
        if not labelled and len(_digits(raw)) < 8:
            return None
    e164 = (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if parsed is not None and (valid or phonenumbers.is_possible_number(parsed))
        else None
    )
    number = raw.strip().lstrip(":").strip()
    phone = Phone(number=number, e164=e164, kind=_kind_of(parsed if valid else None, label_kind))
    return PhoneHit(line, start, end, phone, valid, labelled, prefix.strip())
