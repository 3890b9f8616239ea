"""OCR lines (and QR codes) into one Contact with a confidence per field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from cardscan.extract.address import pick_address
from cardscan.extract.company import domain_labels, is_slogan, pick_company
from cardscan.extract.emails import (
    email_domain,
    find_emails,
    is_generic_mailbox,
    is_valid_email,
    mend_local_with_name,
    same_but_confusable,
)
from cardscan.extract.layout import TextLine, gap_below, is_lower, prepare_lines, same_column
from cardscan.extract.lexicon import (
    GENERIC_MAILBOXES,
    department_hits,
    fold,
    legal_suffix,
    org_hits,
    phone_label_kind,
    title_hits,
)
from cardscan.extract.people import (
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
from cardscan.extract.phones import (
    PhoneHit,
    find_phones,
    guess_region,
    kind_from_label,
    phone_candidates,
)
from cardscan.extract.phones import region_from_numbers as plus_region
from cardscan.extract.places import find_country, find_us_state, has_postcode, street_regions
from cardscan.extract.qr_payload import parse_qr
from cardscan.extract.web import find_web
from cardscan.models import Contact, OcrResult, QrCode

#: Regional top-level domains and the country whose phone numbers they suggest.
_REGIONAL_TLDS = {"CAT": "ES", "EUS": "ES", "GAL": "ES", "BZH": "FR", "SCOT": "GB", "WALES": "GB",
                  "BAYERN": "DE", "BERLIN": "DE", "HAMBURG": "DE", "WIEN": "AT", "SWISS": "CH",
                  "QUEBEC": "CA", "NYC": "US", "LONDON": "GB", "PARIS": "FR", "AMSTERDAM": "NL",
                  "BARCELONA": "ES", "MADRID": "ES", "TOKYO": "JP"}  # fmt: skip

#: Words that label a contact detail and carry nothing else.
_CONTACT_LABELS = {
    "email", "e-mail", "mail", "e", "website", "web", "site", "url", "www", "internet",
    "skype", "linkedin", "twitter", "instagram", "github", "facebook", "correo", "courriel",
    "sitio", "homepage", "w", "i",
}  # fmt: skip


@dataclass
class _Card:
    lines: list[TextLine]
    emails: list[tuple[int, str, bool]] = field(default_factory=list)
    websites: list[tuple[int, str, bool]] = field(default_factory=list)
    socials: list[tuple[int, str]] = field(default_factory=list)
    phones: list[PhoneHit] = field(default_factory=list)
    rest: dict[int, str] = field(default_factory=dict)
    contact_lines: set[int] = field(default_factory=set)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def _strip_labels(text: str) -> str:
    """Drop label words left behind once the detail they labelled was taken out."""
    kept = []
    for token in re.split(r"\s+", text):
        bare = fold(token).strip(" :.,;|-–/()#>")
        if not bare:
            continue
        if bare in _CONTACT_LABELS or phone_label_kind(bare) or _fuzzy_label(bare):
            continue
        kept.append(token)
    return " ".join(kept).strip(" ,;:|-–·•/")


def _fuzzy_label(word: str) -> bool:
    """True for a phone label misread by one letter ("Cel1" for Cell, "Te1")."""
    return len(word) >= 3 and kind_from_label(word) is not None


def _read_contacts(lines: list[TextLine], default_region: str) -> tuple[_Card, str | None]:
    card = _Card(lines)
    masked: dict[int, str] = {}
    for line in lines:
        spans: list[tuple[int, int]] = []
        for hit in find_emails(line.text):
            card.emails.append((line.index, hit.email, hit.mended))
            spans.append((hit.start, hit.end))
        text = _mask(line.text, spans)
        for web in find_web(text):
            if web.social:
                card.socials.append((line.index, web.url))
            else:
                explicit = bool(re.match(r"(?i)(https?://|www)", line.text[web.start : web.end]))
                card.websites.append((line.index, web.url, explicit))
            spans.append((web.start, web.end))
        masked[line.index] = _mask(line.text, spans)
        if spans:
            card.contact_lines.add(line.index)

    texts = [masked[ln.index] for ln in lines]
    region = _region(
        lines,
        texts,
        [e for _, e, _ in card.emails],
        [w for _, w, _ in card.websites],
        default_region,
    )
    address_lines = frozenset(
        ln.index for ln in lines if has_postcode(ln.text) or find_us_state(ln.text)
    )
    card.phones = find_phones(
        texts, region, address_lines=address_lines, row_labels=_row_labels(lines)
    )
    phone_spans: dict[int, list[tuple[int, int]]] = {}
    for phone_hit in card.phones:
        phone_spans.setdefault(phone_hit.line, []).append((phone_hit.start, phone_hit.end))
        card.contact_lines.add(phone_hit.line)
    for line in lines:
        text = _mask(masked[line.index], phone_spans.get(line.index, []))
        if line.index in card.contact_lines:
            text = _strip_labels(text)
            if sum(c.isalpha() for c in text) < 2:
                text = ""
        elif phone_label_kind(line.text) or fold(line.text).strip(" :") in _CONTACT_LABELS:
            card.contact_lines.add(line.index)
            text = ""
        card.rest[line.index] = re.sub(r"\s+", " ", text).strip(" ,;|")
    return card, region


def _region(
    lines: list[TextLine],
    texts: list[str],
    emails: list[str],
    websites: list[str],
    default_region: str,
) -> str | None:
    """The region for numbers without a +code: address, setting, other numbers, domain, guess."""
    for line in lines:
        if len(line.text.split()) <= 8 and not re.search(r"@|www|\.com", line.text, re.I):
            found = find_us_state(line.text) or (
                find_country(line.text)
                if ("," in line.text or has_postcode(line.text) or len(line.text.split()) <= 2)
                else None
            )
            if found:
                return found
    if default_region:
        return default_region.upper()
    found = plus_region(texts)
    if found:
        return found
    hints: list[str] = []
    for host in [email_domain(e) for e in emails] + [w.split("/")[0] for w in websites]:
        tld = host.rsplit(".", 1)[-1].upper()
        if tld in _REGIONAL_TLDS:
            return _REGIONAL_TLDS[tld]
        if len(tld) == 2 and tld not in ("IO", "AI", "CO", "TV", "ME", "FM", "LY", "GG", "IS"):
            return "GB" if tld == "UK" else tld
    for line in lines:
        hints.extend(r for r in street_regions(line.text) if r not in hints)
    candidates = [raw for text in texts for _, _, raw in phone_candidates(text)]
    return guess_region(candidates, hints)


def _row_labels(lines: list[TextLine]) -> dict[int, str]:
    """Phone labels printed as their own line, mapped to the line on their right."""
    out: dict[int, str] = {}
    for line in lines:
        label = line.text.strip(" :.")
        if not phone_label_kind(label):
            continue
        right = [
            o
            for o in lines
            if o.box.x > line.box.x + line.box.w * 0.5
            and abs(o.box.center[1] - line.box.center[1]) < 0.6 * max(o.box.h, line.box.h)
        ]
        if right:
            out[min(right, key=lambda o: o.box.x).index] = label
    return out


def _title_for(
    name_line: TextLine | None,
    cands: list[TextLine],
    card: _Card,
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
        if below.index in others or not _continues_title(text, current, below, domains):
            break
        chosen.append(below)
        current = below
    return chosen


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
        each field that was filled.
    """
    lines = prepare_lines(ocr)
    card, region = _read_contacts(lines, default_region)
    _emails_read_as_websites(card)
    _sites_missing_a_dot(card)
    contact = Contact()
    conf: dict[str, float] = {}

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

    # People and titles.
    email_locals = [e.partition("@")[0] for e in contact.emails if not is_generic_mailbox(e)]
    domains = domain_labels(contact.emails, contact.websites)
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
        card_height=float(ocr.height),
    )
    best, others = pick_name(cands)
    name_line = best.line if best else None
    if best is not None:
        core, _ = split_postnominals(best.text)
        contact.name = mend_capital_i(mend_glued_name(core, email_locals))
        conf["name"] = round(min(1.0, best.score) * best.line.confidence, 3)
        if others:
            contact.notes = "Also on the card: " + "; ".join(o.text for o in others)
    title_lines = _title_for(
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

    # Company and address.
    used = set(card.contact_lines) | {t.index for t in title_lines}
    if name_line is not None:
        used.add(name_line.index)
        if best is not None and best.extra_line is not None:
            used.add(best.extra_line)
    used |= {o.line.index for o in others}
    choice = pick_company(
        lines,
        card.rest,
        blocked=used,
        domains=domains,
        name_text=contact.name,
        split_only=frozenset(t.index for t in title_lines),
    )
    if choice is not None:
        contact.company = choice.text
        evidence = legal_suffix(choice.text) or org_hits(choice.text)
        # A wordmark with no legal form or organisation word may be a logo, not a name.
        conf["company"] = round(min(1.0 if evidence else 0.75, choice.score), 3)
    company_like = set(choice.lines) if choice else set()
    company_like |= {ln.index for ln in lines if legal_suffix(card.rest.get(ln.index, ""))}
    if contact.company:
        head = fold(contact.company).split()[0]
        company_like |= {
            ln.index
            for ln in lines
            if len(head) >= 4 and fold(card.rest.get(ln.index, "")).startswith(head)
        }
    stops = set(card.contact_lines) | {t.index for t in title_lines}
    if name_line is not None:
        stops.add(name_line.index)
    stops |= {o.line.index for o in others}
    address = pick_address(lines, card.rest, blocked=stops, stops=stops, company_like=company_like)
    if address is not None:
        contact.address = address.text
        line_conf = min(ln.confidence for ln in lines if ln.index in address.lines)
        conf["address"] = round(min(1.0, 0.4 + 0.3 * address.score) * line_conf, 3)

    _country_domain_slips(contact, region)
    contact.emails = _agree_domains(contact.emails, contact.websites)

    # Mend e-mail local parts against the name ("ipsmith" for "L.P. Smith").
    if contact.name:
        forms = _name_forms(contact.name)
        contact.emails = [mend_local_with_name(e, forms) for e in contact.emails]

    _set_list_confidences(contact, card, conf)
    _merge_qr(contact, qr_codes, region or default_region, conf)
    contact.confidence = conf
    return contact


def _continues_title(text: str, title: TextLine, line: TextLine, domains: Sequence[str]) -> bool:
    """True when a line under a title line carries on the title ("Logistics & Planning")."""
    if is_slogan(text):
        return False
    # "Logistics, simplified" under "Managing Director": a lower-case word where the title
    # is capitalised marks a tagline.
    title_text = title.text
    lower = [w for w in text.split() if len(w) > 3 and w[0].islower()]
    if lower and not any(len(w) > 3 and w[0].islower() for w in title_text.split()):
        return False
    if title_hits(text) or department_hits(text) or re.match(r"(?i)^(?:of|&|and|for)\b", text):
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


#: What OCR reads a small "@" as, when it does not drop it.
_AT_LOOKALIKES = set("g6a@©qQ9eo08")


def _emails_read_as_websites(card: _Card) -> None:
    """An address whose "@" OCR misread as a letter, or dropped, looks like a website of the
    card's domain with a word glued in front (``info6trixbe.com`` or ``infotrixbe.com``
    beside ``trixbe.com``): make it an e-mail.
    """
    hosts = {email_domain(e) for _, e, _ in card.emails}
    hosts |= {url.split("/")[0].removeprefix("www.") for _, url, _ in card.websites}
    kept = []
    for index, url, explicit in card.websites:
        email = _misread_email(url, hosts)
        if email is None:
            kept.append((index, url, explicit))
        elif email not in {e for _, e, _ in card.emails}:
            card.emails.append((index, email, True))
    card.websites = kept


_DOTLESS_SITE = re.compile(r"(?i)(?<![\w@.])(https?://(?:www\.)?|www\.)([a-z0-9-]{3,63})(?![\w.@])")


def _sites_missing_a_dot(card: _Card) -> None:
    """A website whose dot OCR dropped (``https://traries`` beside ``lucia@trari.es``): the
    card's own e-mail domain, when it is the same letters. Only written-out links count
    (a scheme or ``www.``), so a plain word never becomes a site.
    """
    domains = {email_domain(e) for _, e, _ in card.emails}
    known = {url.split("/")[0].removeprefix("www.") for _, url, _ in card.websites}
    for line in card.lines:
        for match in _DOTLESS_SITE.finditer(line.text):
            letters = match.group(2).lower()
            for domain in sorted(domains - known):
                if domain.replace(".", "") == letters:
                    www = "www." if "www" in match.group(1).lower() else ""
                    card.websites.append((line.index, www + domain, True))
                    card.rest[line.index] = _strip_labels(
                        card.rest[line.index].replace(match.group(0), " ")
                    )
                    card.contact_lines.add(line.index)
                    known.add(domain)


def _misread_email(url: str, hosts: set[str]) -> str | None:
    host, _, path = url.partition("/")
    if path or host.startswith("www."):
        return None
    for domain in hosts:
        cut = len(host) - len(domain) - 1
        if host == domain or not host.endswith(domain) or cut < 1 or host[cut] == ".":
            continue
        # The "@" read as a look-alike letter, or dropped altogether (``annaralo.hr``); a
        # role mailbox settles it either way (``infodtesxa.com``, ``infoatesxa.com``).
        read_as, dropped = host[:cut], host[: cut + 1]
        if read_as in GENERIC_MAILBOXES or dropped in GENERIC_MAILBOXES:
            local = read_as if read_as in GENERIC_MAILBOXES else dropped
        else:
            local = read_as if host[cut] in _AT_LOOKALIKES and cut >= 2 else dropped
        email = f"{local}@{domain}"
        return email if len(local) >= 2 and is_valid_email(email) else None
    return None


def _country_domain_slips(contact: Contact, region: str | None) -> None:
    """A country domain one l/i slip from the card's own country (``.ni`` on a Dutch card)."""
    if not region:
        return
    own = "uk" if region.upper() == "GB" else region.lower()
    table = str.maketrans({"i": "l", "1": "l", "|": "l"})

    def mend(host: str) -> str:
        base, dot, tld = host.rpartition(".")
        if dot and tld != own and len(tld) == 2 and tld.translate(table) == own.translate(table):
            return f"{base}.{own}"
        return host

    contact.emails = [f"{e.rpartition('@')[0]}@{mend(email_domain(e))}" for e in contact.emails]
    contact.websites = [
        mend(w.partition("/")[0]) + (("/" + w.partition("/")[2]) if "/" in w else "")
        for w in contact.websites
    ]


def _agree_domains(emails: list[str], websites: list[str]) -> list[str]:
    """One card, one domain: an e-mail domain one letter away from the website's domain (or
    from a domain the other addresses share), or one OCR look-alike away (``lufjomo`` for
    ``lufjorno``), is an OCR slip of it (``tisol.fr`` / ``bisol.fr``)."""
    counts: dict[str, int] = {}
    for url in websites:
        host = url.split("/")[0].removeprefix("www.")
        counts[host] = counts.get(host, 0) + 2
    for email in emails:
        host = email_domain(email)
        counts[host] = counts.get(host, 0) + 1
    out = []
    for email in emails:
        local, _, host = email.rpartition("@")
        best = host
        for other, count in counts.items():
            if other == host or count <= counts.get(host, 0):
                continue
            if (
                other.rsplit(".", 1)[-1] == host.rsplit(".", 1)[-1]
                and len(host) >= 6
                and (Levenshtein.distance(other, host) == 1 or same_but_confusable(other, host))
            ):
                best = other
        fixed = f"{local}@{best}"
        if fixed not in out:
            out.append(fixed)
    return out


def _name_forms(name: str) -> list[str]:
    tokens = [re.sub(r"[^a-z]", "", fold(t)) for t in re.split(r"[\s.]+", name)]
    tokens = [t for t in tokens if t and t not in ("dr", "mr", "mrs", "ms", "er", "prof")]
    if not tokens:
        return []
    first, last = tokens[0], tokens[-1]
    return [
        f"{first}.{last}",
        f"{first}{last}",
        f"{first[0]}{last}",
        f"{first[0]}.{last}",
        f"{first}_{last}",
        "".join(tokens),
        "".join(t[0] for t in tokens[:-1]) + last,
        first,
        last,
    ]


def _set_list_confidences(contact: Contact, card: _Card, conf: dict[str, float]) -> None:
    by_index = {ln.index: ln for ln in card.lines}
    if contact.emails:
        values = [
            by_index[i].confidence * (0.75 if mended else 0.95) for i, _, mended in card.emails
        ]
        conf["emails"] = round(min(values), 3)
    if contact.phones:
        values = [
            by_index[h.line].confidence * (0.95 if h.valid else 0.75 if h.labelled else 0.55)
            for h in card.phones
        ]
        conf["phones"] = round(min(values), 3)
    if contact.websites:
        values = [
            by_index[i].confidence * (0.95 if explicit else 0.8) for i, _, explicit in card.websites
        ]
        conf["websites"] = round(min(values), 3)
    if contact.socials:
        conf["socials"] = round(min(by_index[i].confidence * 0.9 for i, _ in card.socials), 3)
    if (
        contact.name
        and contact.emails
        and email_agreement(contact.name, [e.partition("@")[0] for e in contact.emails])
    ):
        conf["name"] = round(min(1.0, conf.get("name", 0.5) + 0.1), 3)


def _is_deep_link(url: str) -> bool:
    """True for a URL with a path below the site's home (``site.com/card/123``)."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I)
    path = rest.partition("/")[2].split("?")[0].split("#")[0].strip("/")
    return bool(path)


def _merge_qr(
    contact: Contact, qr_codes: Sequence[QrCode], region: str, conf: dict[str, float]
) -> None:
    """QR data wins where it overlaps the OCR: it is what the card's owner typed."""
    for code in qr_codes:
        qr = parse_qr(code, region)
        for name in ("name", "title", "company", "address"):
            value = getattr(qr, name)
            if value:
                setattr(contact, name, value)
                conf[name] = 0.99
        if qr.emails:
            # An OCR reading one look-alike letter off the code's address is that address.
            contact.emails = qr.emails + [
                e for e in contact.emails if not any(same_but_confusable(e, q) for q in qr.emails)
            ]
            conf["emails"] = max(conf.get("emails", 0.0), 0.95)
        links = [w for w in qr.websites if code.kind == "url" and _is_deep_link(w)]
        if links:
            # A bare link code that opens a page below a site's home (a digital business
            # card, a landing page) is where the code leads, not the person's website.
            qr.websites = [w for w in qr.websites if w not in links]
            note = "QR code: " + ", ".join(links)
            contact.notes = f"{contact.notes}\n{note}" if contact.notes else note
        if qr.websites:
            contact.websites = qr.websites + [
                w
                for w in contact.websites
                if not any(same_but_confusable(w, q) for q in qr.websites)
            ]
            conf["websites"] = max(conf.get("websites", 0.0), 0.95)
        if qr.socials:
            contact.socials = qr.socials + [s for s in contact.socials if s not in qr.socials]
        if qr.phones:
            keys = {p.e164 or re.sub(r"\D", "", p.number) for p in qr.phones}
            contact.phones = qr.phones + [
                p for p in contact.phones if (p.e164 or re.sub(r"\D", "", p.number)) not in keys
            ]
            conf["phones"] = max(conf.get("phones", 0.0), 0.95)
        if qr.notes:
            contact.notes = f"{contact.notes}\n{qr.notes}" if contact.notes else qr.notes
