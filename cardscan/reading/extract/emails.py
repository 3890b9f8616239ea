"""E-mail addresses: find them in a line of OCR text and mend the usual OCR slips."""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import Levenshtein

from cardscan.reading.extract.lexicon import GENERIC_MAILBOXES, SECOND_LEVEL_LABELS, fold
from cardscan.reading.extract.normalize import normalize_email

_AT_WORDS = re.compile(r"\s*[(\[{<]\s*(?:at|arroba)\s*[)\]}>]\s*", re.IGNORECASE)
_DOT_WORDS = re.compile(r"\s*[(\[{<]\s*(?:dot|punto|ponto|point)\s*[)\]}>]\s*", re.IGNORECASE)
_EMAIL = re.compile(
    r"[A-Za-z0-9À-ÿ._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}",
)
#: Words printed before an address to say what it is.
_LABELS = ("e-mail", "email", "mail", "courriel", "correo")
_LABEL = re.compile(r"^(?:" + "|".join(map(re.escape, _LABELS)) + r")[:.]?", re.IGNORECASE)

#: Domains of big mail providers, used to mend one-letter slips (gmaiI.com, hotmai1.com).
KNOWN_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "live.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "sapo.pt",
    "uol.com.br",
    "terra.com.br",
    "yahoo.co.in",
    "rediffmail.com",
    "orange.fr",
    "free.fr",
    "libero.it",
)


@dataclass(frozen=True)
class EmailHit:
    """An e-mail address found in a line: the mended address and the span it came from."""

    email: str
    start: int
    end: int
    mended: bool


#: "@" misread as a symbol or letter between spaces: "ana © exemplo.pt", "ana O gmail.com".
_AT_MISREAD = re.compile(
    r"(?<![\w.])(?!www\.)([A-Za-z0-9][\w.+-]{1,40})\s+[©®€Q0O@]\s+"
    r"([a-z0-9-]{2,40}\.[a-z]{2,6}(?:\.[a-z]{2})?)\b"
)


_SPACED_SUFFIX = re.compile(
    r"(@[\w-]+)\s+((?:" + "|".join(sorted(SECOND_LEVEL_LABELS)) + r")\.[a-z]{2})\b"
)


#: Words printed before an address that are not part of it.
_WORDS_BEFORE = {"contact", "kontakt", "contacto", "contato", "write", "id", "to", "at", "mailto"}


def _unspace(text: str) -> str:
    """Join the pieces of an address that OCR split with spaces around ``@`` and dots."""
    text = _AT_MISREAD.sub(r"\1@\2", text)
    # A comma read for the dot after an initial ("l,babic@tesor.hr").
    text = re.sub(r"(?<![\w.,])([a-z]{1,2}),(?=[a-z][\w.+-]*@)", r"\1.", text)
    text = _AT_WORDS.sub("@", text)
    text = _DOT_WORDS.sub(".", text)
    text = re.sub(r"(?<=\w)\s+@\s*|\s*@\s+(?=\w)", "@", text)
    # The dot before a country's second-level suffix read as a space ("@x com.tr").
    text = _SPACED_SUFFIX.sub(r"\1.\2", text)

    def _join_domain(match: re.Match[str]) -> str:
        return re.sub(r"\s*\.\s*", ".", match.group(0))

    return re.sub(r"@[\w-]+(?:\s*\.\s*[\w-]+)+", _join_domain, text)


def _fix_domain(domain: str) -> str:
    """Undo OCR confusions in a domain: capital I for l, 1 and 0 between letters."""
    if domain.lower() != domain and domain.upper() != domain:
        domain = re.sub(r"(?<=[a-z])I|I(?=[a-z])", "l", domain)
    domain = re.sub(r"(?<=[A-Za-z])1(?=[A-Za-z])", "l", domain)
    domain = re.sub(r"(?<=[A-Za-z])0(?=[A-Za-z])", "o", domain)
    # A label word glued after the address ("x.comWebsite"): cut where the case turns.
    domain = re.sub(r"(\.[a-z]{2,6})[A-Z][A-Za-z]*$", r"\1", domain)
    domain = domain.lower()
    for known in KNOWN_DOMAINS:
        if domain != known and same_but_confusable(domain, known):
            return known
    return domain


_CONFUSABLE = str.maketrans({"i": "l", "1": "l", "0": "o", "|": "l"})
#: Letter pairs OCR reads as one letter, or one letter as two: "rn"/"m", "vv"/"w", "cl"/"d".
_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def ocr_shape(text: str) -> str:
    """``text`` with OCR look-alikes made the same, for comparing two readings."""
    text = text.lower()
    for pair, single in _CONFUSABLE_PAIRS:
        text = text.replace(pair, single)
    return text.translate(_CONFUSABLE)


def same_but_confusable(a: str, b: str) -> bool:
    """True when two strings differ only by OCR look-alikes: l/i/1/|, o/0, rn/m, vv/w, cl/d
    (case ignored)."""
    return ocr_shape(a) == ocr_shape(b)


def _strip_label(local: str) -> tuple[str, bool]:
    """Remove a label glued to the front of the local part (``Email:ana`` -> ``ana``)."""
    match = _LABEL.match(local)
    if match and len(local) > match.end() + 1:
        return local[match.end() :].lstrip(":."), True
    # A lone label letter glued on ("Einfo@" from an "E" icon): keep only when what is left
    # is a known mailbox word; person names are handled where the name is known.
    if len(local) > 3 and local[0] in "EeMm@" and local[1:].lower() in GENERIC_MAILBOXES:
        return local[1:], True
    # An envelope icon read as a zero glued on ("0hanwons@"): a local part does not open
    # with a lone 0 before its letters.
    if len(local) > 4 and local[0] == "0" and local[1:3].isalpha():
        return local[1:], True
    mailbox = _mailbox_slip(local)
    return (mailbox, True) if mailbox else (local, False)


#: Letters OCR reads one for the other in a word (``into`` for ``info``, ``boujour``).
_LETTER_SLIPS = frozenset(
    {("t", "f"), ("u", "n"), ("i", "l"), ("1", "l"), ("0", "o"), ("c", "e"), ("h", "b")}
)


def _mailbox_slip(local: str) -> str | None:
    """The role mailbox ``local`` is one OCR slip of (``into`` -> ``info``), if any."""
    folded = local.lower()
    if len(folded) < 4 or folded in GENERIC_MAILBOXES:
        return None
    for mailbox in GENERIC_MAILBOXES:
        if len(mailbox) != len(folded):
            continue
        diffs = [(a, b) for a, b in zip(folded, mailbox, strict=True) if a != b]
        if len(diffs) == 1 and (diffs[0] in _LETTER_SLIPS or diffs[0][::-1] in _LETTER_SLIPS):
            return mailbox
    return None


def is_valid_email(email: str) -> bool:
    """True when the address is syntactically valid (no DNS look-up)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def find_emails(text: str) -> list[EmailHit]:
    """Every e-mail address in one line of text, mended and normalised.

    Args:
        text: one line of OCR text.

    Returns:
        The addresses found, in the order printed, with the span they occupy in ``text``
        (spans refer to ``text`` only when nothing had to be un-spaced; else they cover the line).
    """
    hits: list[EmailHit] = []
    source = text
    unspaced = _unspace(text)
    spans_valid = unspaced == text
    for match in _EMAIL.finditer(unspaced):
        raw = match.group(0)
        local, _, domain = raw.rpartition("@")
        # The end of a phone number glued on ("Tel: 21 856 4542geral@..."): the digits
        # belong to the number before them, not to the address.
        glued_digits = re.match(r"\d+(?=[^\W\d_]{2})", local)
        head = 0
        if glued_digits and re.search(r"\d[\s.)-]?$", unspaced[: match.start()]):
            head = glued_digits.end()
            local = local[head:]
        local = local.strip(".'-")
        local, label_cut = _strip_label(local)
        # An underscore read as a space ("Vasala 2000@yahoo.com"): a local part of digits
        # alone right after a word is the end of one local part (QQ's addresses are digits).
        joined = re.search(r"(?<![\w@.])([A-Za-z][A-Za-z.]{2,30}) $", unspaced[: match.start()])
        if (
            local.isdigit()
            and joined
            and not _LABEL.fullmatch(joined.group(1))
            and fold(joined.group(1)).rstrip(".") not in _WORDS_BEFORE
            and domain.lower() != "qq.com"
        ):
            local, head = f"{joined.group(1)}_{local}", joined.start() - match.start()
        # The website printed right after, with the space lost: "info@x.nlwww.x.nl".
        glued = re.search(r"(?<=[a-z])www\.", domain, re.IGNORECASE)
        cut = len(domain) - glued.start() if glued and "." in domain[: glued.start()] else 0
        domain = domain[: len(domain) - cut]
        fixed_domain = _fix_domain(domain)
        email = normalize_email(f"{local}@{fixed_domain}")
        if not is_valid_email(email):
            continue
        start, end = (match.start() + head, match.end() - cut) if spans_valid else (0, len(source))
        mended = label_cut or fixed_domain != domain.lower() or not spans_valid or bool(cut or head)
        hits.append(EmailHit(email, start, end, mended))
    return hits


def email_domain(email: str) -> str:
    """The domain part of an address."""
    return email.rpartition("@")[2]


def is_generic_mailbox(email: str) -> bool:
    """True for role mailboxes (``info@``, ``sales@``) that say nothing about a person."""
    local = fold(email.partition("@")[0])
    return local in GENERIC_MAILBOXES or local.split(".")[0] in GENERIC_MAILBOXES


def mend_local_with_name(email: str, name_forms: list[str]) -> str:
    """Fix an l/i/1 slip or a glued label letter (an icon read as e, m or o) in the local
    part when a name form agrees."""
    local, _, domain = email.partition("@")
    forms = {re.sub(r"[^a-z0-9._-]", "", f) for f in name_forms if f}
    if local in forms:
        return email
    table = str.maketrans({"i": "l", "1": "l", "|": "l"})
    for form in forms:
        if len(form) >= 3 and local.translate(table) == form.translate(table):
            return f"{form}@{domain}"
        if len(local) == len(form) + 1 and local[0] in "emo" and local[1:] == form:
            return f"{form}@{domain}"
    # The label printed before the address glued on and misread ("Emallo.ramirez" for
    # "Email o.ramirez"): the longest name form the local part ends with, after a label.
    for form in sorted(forms, key=len, reverse=True):
        head = local[: len(local) - len(form)]
        if (
            len(form) >= 3
            and local.endswith(form)
            and len(head) >= 3
            and any(Levenshtein.distance(head, label) <= 1 for label in _LABELS)
        ):
            return f"{form}@{domain}"
    return email
