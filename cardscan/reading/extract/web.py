"""Websites and social profiles (LinkedIn, X/Twitter, GitHub, Instagram...) in a line of text."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from rapidfuzz.distance import Levenshtein

from cardscan.reading.extract.lexicon import SECOND_LEVEL_LABELS
from cardscan.reading.extract.normalize import normalize_url

_GENERIC_TLDS = frozenset(
    """
    com net org edu gov mil int info biz io ai co app dev tech online site store shop xyz me
    tv cloud digital agency design studio global group company email solutions systems network
    media news blog live life world today consulting services eu asia pro name mobi travel
    jobs law legal health care clinic finance capital ventures partners academy education
    school university tools software games page art works website web space one club team
    center centre care energy expert events photography restaurant cafe coffee bike build
    engineering marketing management london berlin paris amsterdam nyc tokyo swiss cat eus
    gal bzh scot wales bayern hamburg wien koeln quebec barcelona madrid africa lat
    """.split()
)
_CC_TLDS = frozenset(r.lower() for r in phonenumbers.SUPPORTED_REGIONS) | {"uk", "eu"}

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
_URL = re.compile(
    r"(?<![@\w.-])((?:https?://)?(?:www\d?\.\s?)?" + _HOST + r")(/[^\s,;()<>\"']*)?",
    re.IGNORECASE,
)

#: Hosts of social networks: a link to them is a profile, not the company's website.
SOCIAL_HOSTS = {
    "linkedin.com": "linkedin",
    "twitter.com": "x",
    "x.com": "x",
    "github.com": "github",
    "gitlab.com": "gitlab",
    "instagram.com": "instagram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "youtube.com": "youtube",
    "tiktok.com": "tiktok",
    "medium.com": "medium",
    "behance.net": "behance",
    "dribbble.com": "dribbble",
    "xing.com": "xing",
    "t.me": "telegram",
    "wa.me": "whatsapp",
    "threads.net": "threads",
    "bsky.app": "bluesky",
    "mastodon.social": "mastodon",
}

#: Labels that announce a handle rather than a link ("Twitter: @ana").
_HANDLE_LABELS = {
    "linkedin": "linkedin.com/in/",
    "twitter": "x.com/",
    "x": "x.com/",
    "github": "github.com/",
    "instagram": "instagram.com/",
    "insta": "instagram.com/",
    "ig": "instagram.com/",
    "facebook": "facebook.com/",
    "fb": "facebook.com/",
    "tiktok": "tiktok.com/@",
    "telegram": "t.me/",
    "skype": "skype:",
}
_HANDLE = re.compile(
    r"\b(linkedin|twitter|x|github|instagram|insta|ig|facebook|fb|tiktok|telegram|skype)"
    r"\s*[:|]\s*(@?[\w.-]{2,60}(?:/[\w.-]+)*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WebHit:
    """A website or social profile found in a line, normalised, with its span."""

    url: str
    start: int
    end: int
    social: bool


def _host_ok(host: str, explicit: bool) -> bool:
    labels = host.lower().split(".")
    if labels[0] in ("www", "www2", "www3"):
        labels = labels[1:]
        explicit = True
    if len(labels) < 2:
        return False
    tld = labels[-1]
    if tld not in _GENERIC_TLDS and tld not in _CC_TLDS:
        return False
    if len(labels) == 2 and tld in _CC_TLDS and labels[0] in SECOND_LEVEL_LABELS:
        return False  # a suffix alone ("com.tr"): the name before it was lost
    if explicit or social_kind(host.lower()):
        return True
    # A bare "x.yz" could be initials or an abbreviation ("Ph.D", "R.S.Puram"): require a
    # real name part and a lower-case or all-capitals spelling.
    if any(len(label) < 2 for label in labels):
        return False
    return host == host.lower() or host == host.upper()


def social_kind(url: str) -> str | None:
    """The network a normalised URL belongs to (``"linkedin"``), or None for a plain site."""
    host = url.split("/", 1)[0]
    host = host[4:] if host.startswith("www.") else host
    for social_host, kind in SOCIAL_HOSTS.items():
        if host == social_host or host.endswith("." + social_host):
            return kind
    return None


def _mend_www(url: str) -> str:
    """Put back the dot OCR dropped after ``www`` (``wwwexample.pt``)."""
    if re.match(r"www[a-z]", url) and "." in url.partition("/")[0][4:]:
        return "www." + url[3:]
    return url


def _mend_social_host(url: str) -> str:
    """A profile link whose network's host OCR got one letter wrong (``hinkedin.com/in/ana``).

    Only links with a path, and only hosts of eight letters or more, so a real site one
    letter away from a network's name is never rewritten.
    """
    host, slash, path = url.partition("/")
    if not path or social_kind(host):
        return url
    bare = host[4:] if host.startswith("www.") else host
    for social_host in SOCIAL_HOSTS:
        if len(social_host) >= 8 and Levenshtein.distance(bare, social_host) == 1:
            return f"{social_host}{slash}{path}"
    return url


def find_web(text: str) -> list[WebHit]:
    """Every website and social profile in one line of text (e-mail domains excluded).

    Args:
        text: one line of OCR text.

    Returns:
        Normalised addresses (host and path, no scheme) with their spans in ``text``.
    """
    hits: list[WebHit] = []
    for match in _URL.finditer(text):
        host = re.sub(r"\s+", "", match.group(1))  # "www. example.com" (OCR space)
        explicit = host.lower().startswith(("http", "www"))
        bare_host = re.sub(r"^https?://", "", host, flags=re.IGNORECASE)
        if not _host_ok(bare_host, explicit):
            continue
        end = match.end()
        if end < len(text) and text[end] == "@":
            continue
        url = _mend_social_host(_mend_www(normalize_url(match.group(0))))
        hits.append(WebHit(url, match.start(), end, social_kind(url) is not None))
    for match in _HANDLE.finditer(text):
        if any(h.start <= match.start(2) < h.end for h in hits):
            continue
        label = match.group(1).lower()
        handle = match.group(2)
        if "@" in handle[1:] or (label == "x" and not handle.startswith("@")):
            continue
        prefix = _HANDLE_LABELS[label]
        handle = handle.lstrip("@") if not prefix.endswith("@") else handle.lstrip("@")
        hits.append(WebHit(prefix + handle.rstrip("."), match.start(), match.end(), True))
    return sorted(hits, key=lambda h: h.start)
