"""OCR lines (and QR codes) into one Contact with a confidence per field.

``extract_contact`` runs a short list of passes over the card's lines: the contact details
(``details``; on a Chinese, Japanese or Korean card with the phone region its script says),
the OCR-slip mends that need them (``repairs``), the person and their title, the company and
the address (each read from what the details left on the lines), the mends that need the
whole contact, the list fields' confidences, the QR codes, whose data wins where it overlaps,
the same four fields in the card's own script on a CJK card (``cjk_pass``) or a Thai,
Devanagari or Arabic one (``script_pass``), and last the
confidences made chances of being right (``confidence``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from cardscan.fieldmerge import add_note, prefer
from cardscan.models import CONTACT_FIELDS, Contact, OcrResult, QrCode
from cardscan.reading.extract import cjk_pass, repairs, script_pass
from cardscan.reading.extract.address import line_score, pick_address
from cardscan.reading.extract.company import domain_labels, is_slogan, pick_company
from cardscan.reading.extract.confidence import calibrate
from cardscan.reading.extract.details import CardDetails, read_details
from cardscan.reading.extract.emails import is_generic_mailbox, same_but_confusable
from cardscan.reading.extract.layout import (
    TextLine,
    gap_below,
    is_lower,
    prepare_lines,
    same_column,
)
from cardscan.reading.extract.lexicon import (
    department_hits,
    fold,
    legal_suffix,
    names_a_venue,
    names_an_institution,
    names_an_organisation,
    org_hits,
    title_hits,
)
from cardscan.reading.extract.people import (
    NameCandidate,
    domain_agreement,
    email_agreement,
    mend_capital_i,
    mend_glued_name,
    name_candidates,
    pick_name,
    score_names,
    split_postnominals,
    title_candidates,
)
from cardscan.reading.extract.qr_payload import parse_qr


def extract_contact(
    ocr: OcrResult, qr_codes: Sequence[QrCode] = (), *, default_region: str = ""
) -> Contact:
    """Read a contact from a card's OCR lines and QR codes, with a confidence per field.

    Args:
        ocr: what the OCR engine read from the card.
        qr_codes: QR codes decoded from the same card; their data wins where it overlaps.
        default_region: two-letter country assumed for phone numbers printed without a
            ``+`` code when the card itself does not say (e.g. ``"PT"``).

    Returns:
        The contact. Fields not found stay empty; ``confidence`` holds a 0..1 value for
        each field that was filled, ``doubts`` a few words on why a field may be wrong
        ("read from a logo") where the reading knows why.
    """
    lines = prepare_lines(ocr)
    card, region = read_details(lines, default_region)
    own_script = cjk_pass.is_own_script(card)
    if own_script and not default_region:
        default_region = cjk_pass.script_region(card)
        if default_region:  # the numbers again, read with the country the script says
            card, region = read_details(lines, default_region)
    repairs.emails_read_as_websites(card)
    repairs.sites_missing_a_dot(card)
    contact = _with_details(card)
    draft = _Draft(contact, card, {}, {})
    person = _person(draft, float(ocr.height))
    _company_and_address(draft, person)
    conf, doubts = draft.conf, draft.doubts
    repairs.country_domain_slips(contact, region)
    contact.emails = repairs.agree_domains(contact.emails, contact.websites)
    repairs.locals_with_name(contact, [o.text for o in person.others])
    _set_list_confidences(contact, card, conf, doubts)
    _doubt_emails(contact, conf, doubts)
    typed = _merge_qr(contact, qr_codes, region or default_region, conf)
    if own_script:
        cjk_pass.own_script(contact, card, qr_codes, conf)
    elif script := script_pass.card_script(card):
        script_pass.own_script(contact, card, qr_codes, conf, script)
    contact.confidence = conf
    # What the QR code gave is what the card's owner typed: no doubt about it.
    contact.doubts = {k: v for k, v in doubts.items() if k not in typed}
    return calibrate(contact, card, typed=typed)


@dataclass
class _Draft:
    """The contact being read, the card's details, and per field the confidence so far and
    why it may be wrong, in a few words."""

    contact: Contact
    card: CardDetails
    conf: dict[str, float]
    doubts: dict[str, str]

    @property
    def domains(self) -> list[str]:
        """The company's domain labels, from the e-mails and websites read so far."""
        return domain_labels(self.contact.emails, self.contact.websites)


@dataclass
class _Person:
    """Who the card is for: the chosen name, the other names on it, the title lines."""

    best: NameCandidate | None
    others: list[NameCandidate]
    title_lines: list[TextLine] = field(default_factory=list)

    @property
    def name_line(self) -> TextLine | None:
        """The line the name was read from."""
        return self.best.line if self.best else None

    def lines(self, *, second: bool = True) -> set[int]:
        """The lines the people on the card were read from (with ``second``, the second line
        of a name set on two as well)."""
        out = {o.line.index for o in self.others}
        if self.best is not None:
            out.add(self.best.line.index)
            if second and self.best.extra_line is not None:
                out.add(self.best.extra_line)
        return out


def _with_details(card: CardDetails) -> Contact:
    """A contact holding the card's e-mails, websites, social profiles and phones."""
    contact = Contact()
    for _, email, _mended in card.emails:
        if email not in contact.emails:
            contact.emails.append(email)
    for _, url, _ in card.websites:
        if url not in contact.websites:
            contact.websites.append(url)
    for _, url in card.socials:
        if url not in contact.socials:
            contact.socials.append(url)
    for hit in card.phones:
        contact.phones.append(hit.phone)
    return contact


def _person(draft: _Draft, card_height: float) -> _Person:
    """The name (and other people on the card, as a note) and the title lines that go with it."""
    contact, card, conf, doubts = draft.contact, draft.card, draft.conf, draft.doubts
    lines = card.lines
    email_locals = [e.partition("@")[0] for e in contact.emails if not is_generic_mailbox(e)]
    domains = draft.domains
    titles = title_candidates(lines, card.rest)
    prefixes = {
        h.line: h.prefix for h in card.phones if h.prefix and not any(c.isdigit() for c in h.prefix)
    }
    cands = name_candidates(lines, card.rest, prefixes)
    score_names(
        cands,
        lines,
        email_locals=email_locals,
        domains=domains,
        title_lines={t.index for t in titles},
        card_height=card_height,
    )
    best, others = pick_name(cands)
    if (
        best is not None
        and not titles
        and not best.person
        and best.score < 0.75
        and any(names_a_venue(text) for text in card.rest.values())
    ):
        # A restaurant's or shop's card often names no one: a line of name shape there,
        # with no title on the card and nothing that says person (an e-mail like it,
        # initials, a number after it), is a slogan ("Fresh Taste") unless it is strong.
        best, others = None, []
    person = _Person(best, others)
    name_line = person.name_line
    if best is not None:
        core, _ = split_postnominals(best.text)
        contact.name = mend_capital_i(mend_glued_name(core, email_locals))
        conf["name"] = round(min(1.0, best.score) * best.line.confidence, 3)
        if others:
            contact.notes = "Also on the card: " + "; ".join(o.text for o in others)
        rivals = [
            c for c in cands if c.line.index != best.line.index and c.score >= best.score - 0.25
        ]
        if others or rivals:
            doubts["name"] = "two candidates"
    person.title_lines = title_lines = _title_for(
        name_line,
        [t for t in titles if t.index != (name_line.index if name_line else -1)],
        card,
        [o.line.index for o in others],
        domains,
    )
    if title_lines:
        contact.title = ", ".join(_title_text(card.rest[t.index]) for t in title_lines)
        strength = 0.9 if title_hits(card.rest[title_lines[0].index]) else 0.6
        # Lines joined only because they look like the title line are a guess.
        weak = [
            t
            for t in title_lines[1:]
            if not (title_hits(card.rest[t.index]) or department_hits(card.rest[t.index]))
        ]
        strength *= 0.75 if weak else 1.0
        conf["title"] = round(min(t.confidence for t in title_lines) * strength, 3)
        if weak:
            doubts["title"] = "lines joined by guess"
        elif strength < 0.9:
            doubts["title"] = "no job word in it"
    return person


def _company_and_address(draft: _Draft, person: _Person) -> None:
    """The company, then the address from the lines no other field took."""
    contact, card, conf, doubts = draft.contact, draft.card, draft.conf, draft.doubts
    lines = card.lines
    domains = draft.domains
    title_lines = {t.index for t in person.title_lines}
    used = set(card.contact_lines) | title_lines | person.lines()
    choice = pick_company(
        lines,
        card.rest,
        blocked=used,
        domains=domains,
        name_text=contact.name,
        split_only=frozenset(title_lines),
    )
    if choice is not None:
        contact.company = choice.text
        evidence = legal_suffix(choice.text) or org_hits(choice.text)
        # A wordmark with no legal form or organisation word may be a logo, not a name.
        conf["company"] = round(min(1.0 if evidence else 0.75, choice.score), 3)
        if not evidence:  # no legal form, no organisation word: a wordmark, or a slogan
            doubts["company"] = "read from a logo"
    company_like = set(choice.lines) if choice else set()
    company_like |= {ln.index for ln in lines if legal_suffix(card.rest.get(ln.index, ""))}
    if contact.company:
        head = fold(contact.company).split()[0]
        company_like |= {
            ln.index
            for ln in lines
            if len(head) >= 4 and fold(card.rest.get(ln.index, "")).startswith(head)
        }
    # A contact line may hold the address too ("2011 El Camino Real, Palo Alto, CA 94306
    # Tel: ..."): what is left of it once the details are out must read as one on its own.
    shared = {i for i in card.contact_lines if line_score(card.rest.get(i, "")) >= 0.6}
    stops = (set(card.contact_lines) - shared) | title_lines | person.lines(second=False)
    address = pick_address(lines, card.rest, blocked=stops, stops=stops, company_like=company_like)
    if address is not None:
        contact.address = address.text
        line_conf = min(ln.confidence for ln in lines if ln.index in address.lines)
        conf["address"] = round(min(1.0, 0.4 + 0.3 * address.score) * line_conf, 3)


def _title_for(
    name_line: TextLine | None,
    cands: list[TextLine],
    card: CardDetails,
    others: list[int],
    domains: Sequence[str] = (),
) -> list[TextLine]:
    """The title lines that belong to the chosen person (near them, not near another person)."""
    if not cands:
        return []
    lines = card.lines

    def distance(a: TextLine, b: TextLine) -> float:
        rows = abs(a.box.center[1] - b.box.center[1]) / max(a.height, b.height, 1)
        return rows if same_column(a, b) else rows + 3

    if name_line is None:
        ranked = sorted(cands, key=lambda c: (-title_hits(card.rest[c.index]), c.box.y))
        best = ranked[0]
    else:
        by_index = {ln.index: ln for ln in lines}
        other_lines = [by_index[i] for i in others if i in by_index]
        usable = [
            c
            for c in cands
            if c.index != name_line.index
            and all(distance(c, name_line) <= distance(c, o) for o in other_lines)
        ]
        if not usable:
            return []
        best = min(usable, key=lambda c: (distance(c, name_line), -title_hits(card.rest[c.index])))
        if distance(best, name_line) > 8:
            return []
    chosen = [best]
    current = best
    while len(chosen) < 3:
        below = None
        for other in lines:
            if not is_lower(current, other) or not same_column(current, other):
                continue
            gap = gap_below(current, other)
            if (
                gap <= 0.8 * max(current.height, other.height)
                and 0.6 <= other.height / current.height <= 1.5
            ):
                if below is None or other.box.y < below.box.y:
                    below = other
        if below is None or below.index in card.contact_lines:
            break
        text = card.rest.get(below.index, "")
        if not text or legal_suffix(text) or (name_line and below.index == name_line.index):
            break
        if below.index in others or not _continues_title(
            text, current, below, domains, _legal_elsewhere(card, below.index)
        ):
            break
        chosen.append(below)
        current = below
    return chosen


def _legal_elsewhere(card: CardDetails, index: int) -> bool:
    """Whether a line other than ``index`` names the company with its legal form."""
    return any(legal_suffix(text) for i, text in card.rest.items() if i != index)


def _continues_title(
    text: str, title: TextLine, line: TextLine, domains: Sequence[str], legal_elsewhere: bool
) -> bool:
    """True when a line under a title line carries on the title ("Logistics & Planning")."""
    if is_slogan(text):
        return False
    # "Logistics, simplified" under "Managing Director": a lower-case word where the title
    # is capitalised marks a tagline.
    title_text = title.text
    lower = [w for w in text.split() if len(w) > 3 and w[0].islower()]
    if lower and not any(len(w) > 3 and w[0].islower() for w in title_text.split()):
        return False
    if re.match(r"(?i)^(?:of|&|and|for)\b", text):
        return True
    set_like_title = 0.8 <= line.height / max(title.height, 1) <= 1.25
    short = len(text.split()) <= 5 and not re.search(r"\d", text)
    if legal_elsewhere and set_like_title and short and org_hits(text) and not legal_suffix(text):
        # "Facilities Management Systems" under "Technical Head" on a card whose company is
        # printed elsewhere with its legal form: a unit of it, part of the title.
        return domain_agreement(text, domains) < 0.75 and not names_an_institution(text)
    if names_an_organisation(text):
        return False  # the college or institute the title is held at
    if title_hits(text) or department_hits(text):
        return True
    # A short line set like the title: a department or area, unless it reads as a slogan.
    return (
        0.8 <= line.height / max(title.height, 1) <= 1.25
        and len(text.split()) <= 5
        and not re.search(r"\d", text)
        and not org_hits(text)
        and not is_slogan(text)
        and not re.search(r"\s(?:of|for)\s", text, re.IGNORECASE)
        and domain_agreement(text, domains) < 0.75  # the company's name, not the title's
    )


def _title_text(text: str) -> str:
    """A title line without the organisation printed after it ("Teacher, Hillside School")."""
    pieces = [p.strip() for p in re.split(r",|\s\|\s|\s[-–]\s", text) if p.strip()]
    if len(pieces) >= 2:
        kept = [
            p
            for p in pieces
            if title_hits(p) or len(p.split()) < 2 or not (org_hits(p) or legal_suffix(p))
        ]
        if kept and len(kept) < len(pieces):
            return ", ".join(kept)
    return text.strip(" ,;|")


def _set_list_confidences(
    contact: Contact, card: CardDetails, conf: dict[str, float], doubts: dict[str, str]
) -> None:
    """Confidences of the list fields: the least sure line each came from, less for a mend."""
    by_index = {ln.index: ln for ln in card.lines}
    if contact.emails:
        values = [
            by_index[i].confidence * (0.75 if mended else 0.95) for i, _, mended in card.emails
        ]
        conf["emails"] = round(min(values), 3)
        if any(mended for _, _, mended in card.emails):
            doubts["emails"] = "a misread letter mended"
    if contact.phones:
        values = [
            by_index[h.line].confidence * (0.95 if h.valid else 0.75 if h.labelled else 0.55)
            for h in card.phones
        ]
        conf["phones"] = round(min(values), 3)
        if not all(h.valid for h in card.phones):
            doubts["phones"] = "not a valid number"
    if contact.websites:
        values = [
            by_index[i].confidence * (0.95 if explicit else 0.8) for i, _, explicit in card.websites
        ]
        conf["websites"] = round(min(values), 3)
        if not all(explicit for _, _, explicit in card.websites):
            doubts["websites"] = "no www or http"
    if contact.socials:
        conf["socials"] = round(min(by_index[i].confidence * 0.9 for i, _ in card.socials), 3)
    if (
        contact.name
        and contact.emails
        and email_agreement(contact.name, [e.partition("@")[0] for e in contact.emails])
    ):
        conf["name"] = round(min(1.0, conf.get("name", 0.5) + 0.1), 3)


def _doubt_emails(contact: Contact, conf: dict[str, float], doubts: dict[str, str]) -> None:
    """An address one letter off the name (an i read for an l) or a generic mailbox with a
    stray character before it (1info@) is likely misread: say so, and trust it less."""
    tokens = [re.sub(r"[^a-z]", "", fold(t)) for t in re.split(r"[\s.]+", contact.name or "")]
    tokens = [t for t in tokens if len(t) > 1]
    forms = set(repairs.name_forms(contact.name)) if contact.name else set()
    if tokens:  # every surname, not only the last ("lgalan" for Lucía Galán Peña)
        first = tokens[0]
        forms |= {f"{first[0]}{t}" for t in tokens[1:]} | {f"{first[0]}.{t}" for t in tokens[1:]}
        forms |= {f"{first}.{t}" for t in tokens[1:]}
    for email in contact.emails:
        local = email.partition("@")[0].lower()
        if local in forms:
            continue
        if any(len(form) >= 4 and Levenshtein.distance(local, form) == 1 for form in forms):
            doubts["emails"] = "one letter off the name"
        elif len(local) > 3 and not local[0].isalpha() and is_generic_mailbox(f"{local[1:]}@x"):
            doubts["emails"] = "a stray character"
        else:
            continue
        conf["emails"] = min(conf.get("emails", 1.0), 0.55)


def _is_deep_link(url: str) -> bool:
    """True for a URL with a path below the site's home (``site.com/card/123``)."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I)
    path = rest.partition("/")[2].split("?")[0].split("#")[0].strip("/")
    return bool(path)


def _merge_qr(
    contact: Contact, qr_codes: Sequence[QrCode], region: str, conf: dict[str, float]
) -> set[str]:
    """QR data wins where it overlaps the OCR: it is what the card's owner typed. Returns
    the fields the codes gave."""
    typed: set[str] = set()
    for code in qr_codes:
        qr = parse_qr(code, region)
        typed |= {name for name in CONTACT_FIELDS if getattr(qr, name)}
        links = [w for w in qr.websites if code.kind == "url" and _is_deep_link(w)]
        if links:
            # A bare link code that opens a page below a site's home (a digital business
            # card, a landing page) is where the code leads, not the person's website.
            qr.websites = [w for w in qr.websites if w not in links]
            contact.notes = add_note(contact.notes, "QR code: " + ", ".join(links))
        prefer(contact, qr, conf, same=same_but_confusable)
    return typed
