"""Mends for OCR slips: what a misread letter or a dropped "@" or dot turned into.

Each repair names the slip it mends and is checked against what else the card says (its
own domain, its country, the person's name), so a value is changed only when the card
itself shows what it should have been.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from cardscan.models import Contact
from cardscan.reading.extract.details import CardDetails, strip_labels
from cardscan.reading.extract.emails import (
    email_domain,
    is_valid_email,
    mend_local_with_name,
    same_but_confusable,
)
from cardscan.reading.extract.lexicon import GENERIC_MAILBOXES, fold

#: What OCR reads a small "@" as, when it does not drop it.
_AT_LOOKALIKES = set("g6a@©qQ9eo08")


def emails_read_as_websites(card: CardDetails) -> None:
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
    _mailboxes_glued_to_the_domain(card, hosts)


def _mailboxes_glued_to_the_domain(card: CardDetails, hosts: set[str]) -> None:
    """A role mailbox, its "@" misread as a letter of either case, glued to the card's domain
    (``kontaktPtrava.de``): read as neither an address nor a site, it is the address."""
    known = {e for _, e, _ in card.emails}
    for index, text in card.rest.items():
        for token in text.split():
            folded = token.lower().strip(".,;:")
            domain = next((h for h in hosts if folded.endswith(h) and folded != h), None)
            head = folded[: len(folded) - len(domain)] if domain else ""
            mailbox = next((m for m in GENERIC_MAILBOXES if head[:-1] == m), None)
            if mailbox is None or head[-1] in ".@":
                continue
            email = f"{mailbox}@{domain}"
            if email not in known and is_valid_email(email):
                card.emails.append((index, email, True))
                known.add(email)
                card.rest[index] = strip_labels(text.replace(token, " "))
                card.contact_lines.add(index)


_DOTLESS_SITE = re.compile(r"(?i)(?<![\w@.])(https?://(?:www\.)?|www\.)([a-z0-9-]{3,63})(?![\w.@])")


def sites_missing_a_dot(card: CardDetails) -> None:
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
                    card.rest[line.index] = strip_labels(
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
        # ... also when the "@" was read as two letters (``hellogitesdo.co.uk``).
        mailbox = next((m for m in GENERIC_MAILBOXES if m in (read_as, read_as[:-1])), None)
        if mailbox is None and dropped in GENERIC_MAILBOXES:
            mailbox = dropped
        if mailbox:
            local = mailbox
        else:
            local = read_as if host[cut] in _AT_LOOKALIKES and cut >= 2 else dropped
        email = f"{local}@{domain}"
        return email if len(local) >= 2 and is_valid_email(email) else None
    return None


def country_domain_slips(contact: Contact, region: str | None) -> None:
    """A country domain one l/i slip from the card's own country (``.ni`` on a Dutch card), or
    one letter off it where the card prints the same domain in its country too (``vabi.tr``
    beside ``vabi.fr`` on a French card)."""
    if not region:
        return
    own = "uk" if region.upper() == "GB" else region.lower()
    table = str.maketrans({"i": "l", "1": "l", "|": "l"})
    hosts = {email_domain(e) for e in contact.emails}
    hosts |= {w.partition("/")[0].removeprefix("www.") for w in contact.websites}

    def mend(host: str) -> str:
        base, dot, tld = host.rpartition(".")
        if not dot or tld == own or len(tld) != 2:
            return host
        slip = tld.translate(table) == own.translate(table)
        printed = (
            Levenshtein.distance(tld, own) == 1 and f"{base.removeprefix('www.')}.{own}" in hosts
        )
        return f"{base}.{own}" if slip or printed else host

    contact.emails = [f"{e.rpartition('@')[0]}@{mend(email_domain(e))}" for e in contact.emails]
    contact.websites = [
        mend(w.partition("/")[0]) + (("/" + w.partition("/")[2]) if "/" in w else "")
        for w in contact.websites
    ]


def agree_domains(emails: list[str], websites: list[str]) -> list[str]:
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


def name_forms(name: str) -> list[str]:
    """The shapes a person's name takes in an e-mail's local part (ana.ruiz, aruiz...)."""
    tokens = [re.sub(r"[^a-z]", "", fold(t)) for t in re.split(r"[\s.]+", name)]
    tokens = [t for t in tokens if t and t not in ("dr", "mr", "mrs", "ms", "er", "prof")]
    if not tokens:
        return []
    first, last = tokens[0], tokens[-1]
    # Two family names (``Lucía Ibáñez Gómez``): the address often takes the first only.
    middle: list[str] = []
    if len(tokens) == 3:
        f, second = first[0], tokens[1]
        middle = [f"{f}.{second}", f"{first}.{second}", f"{f}{second}", f"{first}{second}", second]
    return [
        *middle,
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


def locals_with_name(contact: Contact, others: Sequence[str] = ()) -> None:
    """E-mail local parts mended against the name ("ipsmith" for "L.P. Smith"), or the name of
    another person on the card (each person's address is printed beside their name)."""
    for name in [n for n in (contact.name, *others) if n]:
        forms = name_forms(name)
        contact.emails = [mend_local_with_name(e, forms) for e in contact.emails]
