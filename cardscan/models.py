"""Typed values passed between the stages: boxes, OCR words and lines, QR codes, contacts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

#: The contact fields the extractor fills, each with a confidence from 0 to 1.
CONTACT_FIELDS = ("name", "title", "company", "emails", "phones", "websites", "address")

#: Kinds a phone number can have.
PHONE_KINDS = ("mobile", "office", "fax", "other")


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in image pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """The x just past the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """The y just past the bottom edge."""
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        """The centre point."""
        return (self.x + self.w / 2, self.y + self.h / 2)

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@dataclass(frozen=True)
class Word:
    """One recognised word with its box and the engine's confidence (0..1)."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class Line:
    """One recognised line of text, with the words it is made of where the engine gives them."""

    text: str
    box: Box
    confidence: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class OcrResult:
    """What an OCR engine read from one image."""

    lines: tuple[Line, ...]
    engine: str
    width: int
    height: int

    @property
    def text(self) -> str:
        """All lines, top to bottom, one per line."""
        return "\n".join(line.text for line in self.lines)

    @property
    def mean_confidence(self) -> float:
        """The mean line confidence, or 0 when nothing was read."""
        if not self.lines:
            return 0.0
        return sum(line.confidence for line in self.lines) / len(self.lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (boxes as [x, y, w, h])."""
        return {
            "engine": self.engine,
            "width": self.width,
            "height": self.height,
            "lines": [
                {
                    "text": ln.text,
                    "box": [ln.box.x, ln.box.y, ln.box.w, ln.box.h],
                    "confidence": round(ln.confidence, 4),
                    "words": [
                        {
                            "text": w.text,
                            "box": [w.box.x, w.box.y, w.box.w, w.box.h],
                            "confidence": round(w.confidence, 4),
                        }
                        for w in ln.words
                    ],
                }
                for ln in self.lines
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrResult:
        """The inverse of :meth:`to_dict`."""
        return cls(
            lines=tuple(
                Line(
                    text=ln["text"],
                    box=Box(*ln["box"]),
                    confidence=float(ln["confidence"]),
                    words=tuple(
                        Word(w["text"], Box(*w["box"]), float(w["confidence"]))
                        for w in ln.get("words", [])
                    ),
                )
                for ln in data.get("lines", [])
            ),
            engine=data.get("engine", ""),
            width=int(data.get("width", 0)),
            height=int(data.get("height", 0)),
        )


@dataclass(frozen=True)
class TextRegion:
    """A text line found but not read: its four corners and the engine's upside-down vote.

    ``corners`` are in image pixels, ordered as the engine laid the line out for reading:
    ``corners[0] -> corners[1]`` runs along the text, ``corners[0] -> corners[3]`` across it.
    ``upside_down`` (0..1) is the engine's belief that the text actually reads the other way
    (from ``corners[1]`` back to ``corners[0]``).
    """

    corners: tuple[tuple[float, float], ...]
    upside_down: float = 0.0


@dataclass(frozen=True)
class CardOutline:
    """Where a card is in its photo: enough to map the OCR's pixels back onto the photo.

    ``quad`` holds the card's corners in the photo's pixels, in the card's own order (its
    top-left, top-right, bottom-right, bottom-left once upright), for a photo of
    ``photo_size`` (width, height; the upright photo the pipeline worked on, which may be a
    downscaled copy of the stored one). ``card_size`` is the flat, upright card image the
    OCR read (its word boxes are in these pixels). ``rotation`` is what turned the flattened
    card upright, clockwise degrees (the corners' order already says it; kept for display).
    """

    quad: tuple[tuple[float, float], ...]
    photo_size: tuple[int, int]
    card_size: tuple[int, int]
    rotation: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{"quad": [[x, y] x4], "photo": [w, h], "card": [w, h],
        "rotation": degrees}``."""
        return {
            "quad": [[round(float(x), 1), round(float(y), 1)] for x, y in self.quad],
            "photo": [int(self.photo_size[0]), int(self.photo_size[1])],
            "card": [int(self.card_size[0]), int(self.card_size[1])],
            "rotation": int(self.rotation),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> CardOutline | None:
        """The inverse of :meth:`to_dict`; None for missing or malformed data."""
        try:
            quad = tuple((float(x), float(y)) for x, y in data["quad"])  # type: ignore[index]
            photo_w, photo_h = (int(v) for v in data["photo"])  # type: ignore[index]
            card_w, card_h = (int(v) for v in data["card"])  # type: ignore[index]
            rotation = int(data.get("rotation", 0)) % 360  # type: ignore[union-attr]
        except (KeyError, TypeError, ValueError):
            return None
        if len(quad) != 4 or min(photo_w, photo_h, card_w, card_h) < 1:
            return None
        return cls(quad, (photo_w, photo_h), (card_w, card_h), rotation)


@dataclass(frozen=True)
class QrCode:
    """A decoded QR code: its raw text and what kind of payload it is."""

    data: str
    kind: str  # "vcard", "mecard", "url" or "text"


@dataclass
class Phone:
    """A phone number as printed, its E.164 form when it parses, and its kind."""

    number: str
    e164: str | None = None
    kind: str = "other"  # one of PHONE_KINDS


@dataclass
class Contact:
    """A person read from a card (or typed in), with a confidence per field."""

    name: str | None = None
    title: str | None = None
    company: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    socials: list[str] = field(default_factory=list)
    address: str | None = None
    notes: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    # Why the reading doubts a field, in a few words ("read from a logo"): field -> reason.
    doubts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields (confidence and doubts left out: see those)."""
        data = asdict(self)
        data.pop("confidence")
        data.pop("doubts")
        return data

    @classmethod
    def from_dict(
        cls,
        data: dict[str, Any],
        confidence: dict[str, float] | None = None,
        doubts: dict[str, str] | None = None,
    ) -> Contact:
        """Build a contact from :meth:`to_dict` output; unknown keys are ignored."""
        phones = [
            Phone(**p) if isinstance(p, dict) else Phone(number=str(p))
            for p in data.get("phones") or []
        ]
        return cls(
            name=data.get("name"),
            title=data.get("title"),
            company=data.get("company"),
            emails=list(data.get("emails") or []),
            phones=phones,
            websites=list(data.get("websites") or []),
            socials=list(data.get("socials") or []),
            address=data.get("address"),
            notes=data.get("notes"),
            confidence=dict(confidence or data.get("confidence") or {}),
            doubts=dict(doubts or data.get("doubts") or {}),
        )

    def is_empty(self) -> bool:
        """True when no field was found."""
        return not any(
            [
                self.name,
                self.title,
                self.company,
                self.emails,
                self.phones,
                self.websites,
                self.address,
            ]
        )


@dataclass
class CardReading:
    """One card read from a photo: the contact, what OCR and QR saw, and how long it took.

    What the pipeline hands the store: every field here is kept with the card (``stages``
    and ``detect_confidence`` only in the pipeline's own debug output).
    """

    contact: Contact
    ocr: OcrResult
    qr: tuple[QrCode, ...] = ()
    seconds: float = 0.0
    card_index: int = 0
    box: Box | None = None  # where the card is in the (EXIF-rotated, working-size) photo
    detection: str = ""  # how it was found: "quad", "text" or "whole"
    detect_confidence: float = 0.0
    back_ocr: OcrResult | None = None
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    # The card's corners in the working photo, in the card's own order (its top-left first,
    # once upright): with ``photo_size`` (the working photo's width, height) they map the
    # OCR's pixels (the flat, upright card) back onto the photo. ``rotation`` is what turned
    # the flattened card upright (clockwise degrees).
    quad: tuple[tuple[float, float], ...] = ()
    photo_size: tuple[int, int] = (0, 0)
    rotation: int = 0

    def outline(self) -> CardOutline | None:
        """Where the card is in the photo, when the pipeline said so (four corners, the
        working photo's size) and the OCR has a size to map from."""
        if (
            len(self.quad) != 4
            or min(self.photo_size) < 1
            or min(self.ocr.width, self.ocr.height) < 1
        ):
            return None
        return CardOutline(
            quad=tuple((float(x), float(y)) for x, y in self.quad),
            photo_size=(int(self.photo_size[0]), int(self.photo_size[1])),
            card_size=(self.ocr.width, self.ocr.height),
            rotation=int(self.rotation),
        )

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready values (an OCR worker on another machine posts this)."""
        return {
            "contact": self.contact.to_dict(),
            "confidence": dict(self.contact.confidence),
            "doubts": dict(self.contact.doubts),
            "ocr": self.ocr.to_dict(),
            "qr": [{"data": q.data, "kind": q.kind} for q in self.qr],
            "seconds": self.seconds,
            "card_index": self.card_index,
            "box": None if self.box is None else [self.box.x, self.box.y, self.box.w, self.box.h],
            "detection": self.detection,
            "detect_confidence": self.detect_confidence,
            "back_ocr": None if self.back_ocr is None else self.back_ocr.to_dict(),
            "stages": dict(self.stages),
            "quad": [list(point) for point in self.quad],
            "photo_size": list(self.photo_size),
            "rotation": self.rotation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardReading:
        """The inverse of :meth:`to_dict`.

        Raises:
            KeyError, TypeError, ValueError: the data is not a reading.
        """
        box = data.get("box")
        back = data.get("back_ocr")
        return cls(
            contact=Contact.from_dict(
                data["contact"], data.get("confidence") or {}, data.get("doubts") or {}
            ),
            ocr=OcrResult.from_dict(data["ocr"]),
            qr=tuple(QrCode(str(q["data"]), str(q["kind"])) for q in data.get("qr") or ()),
            seconds=float(data.get("seconds") or 0.0),
            card_index=int(data.get("card_index") or 0),
            box=None if box is None else Box(*(int(v) for v in box)),
            detection=str(data.get("detection") or ""),
            detect_confidence=float(data.get("detect_confidence") or 0.0),
            back_ocr=None if back is None else OcrResult.from_dict(back),
            stages={str(k): float(v) for k, v in (data.get("stages") or {}).items()},
            quad=tuple((float(x), float(y)) for x, y in data.get("quad") or ()),
            photo_size=(int(data["photo_size"][0]), int(data["photo_size"][1]))
            if data.get("photo_size")
            else (0, 0),
            rotation=int(data.get("rotation") or 0),
        )


# --- stored records -------------------------------------------------------------------------
# What the store returns. Dates are ``datetime.date``; timestamps are aware UTC datetimes.

#: Card life cycle: queued -> reading -> done | failed.
CARD_STATUSES = ("queued", "reading", "done", "failed")

#: Kinds of follow-up reason offered as chips; "other" is free text.
REASON_KINDS = ("deck", "intro", "meeting", "hiring", "partnership", "other")

#: Touch states: an open touch is "due" or "snoozed"; "done" and "skipped" are closed.
TOUCH_STATUSES = ("due", "snoozed", "done", "skipped")


@dataclass
class User:
    """An account. Every other row belongs to one."""

    id: int
    name: str
    created: datetime
    session_epoch: int = 0  # raised when the user logs out: older session cookies stop working


@dataclass
class Event:
    """Where cards were collected: a conference, a meetup, a trade fair."""

    id: int
    user_id: int
    name: str
    start: date
    end: date
    place: str | None = None
    plan_id: int | None = None  # the plan its contacts get until one is chosen (None: default)


@dataclass
class Reason:
    """Why to follow up ("send deck"), with a kind and an optional own due date."""

    id: int
    contact_id: int
    text: str
    kind: str = "other"  # one of REASON_KINDS
    due: date | None = None
    card_id: int | None = None
    event_id: int | None = None
    confirmed: bool = False


@dataclass
class Card:
    """One captured photo (front, optional back) and where its reading stands."""

    id: int
    user_id: int
    status: str  # one of CARD_STATUSES
    front: str  # content hash of the front photo
    back: str | None = None
    event_id: int | None = None
    contact_id: int | None = None
    client_uuid: str | None = None
    engine: str | None = None
    error: str | None = None
    tries: int = 0
    turn: int = 0  # its place in the OCR queue, where users take turns
    created: datetime | None = None
    ocr: OcrResult | None = None
    triaged: bool = False
    # Per card found in the photo (by card_index): where it is, when the reading kept it.
    outlines: tuple[CardOutline | None, ...] = ()


@dataclass
class Meeting:
    """A contact met at an event (one person can be met at many events)."""

    contact_id: int
    event_id: int
    card_id: int | None = None


@dataclass
class ImportantDate:
    """A yearly date worth a touch: a birthday, an anniversary."""

    id: int
    contact_id: int
    kind: str  # "birthday", "anniversary" or "other"
    month: int
    day: int
    year: int | None = None
    label: str | None = None


@dataclass
class ContactRecord:
    """A stored contact: the fields, plus who it is, where it was met and why to follow up."""

    id: int
    user_id: int
    contact: Contact
    created: datetime | None = None
    updated: datetime | None = None
    merged_into: int | None = None
    plan_id: int | None = None
    private_notes: str | None = None
    card_id: int | None = None  # the card it was read from, if any
    card_index: int = 0  # which card of that photo (a photo can hold several)
    triaged: bool = False  # checked in triage (for a contact read from a card)
    meetings: list[Meeting] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    dates: list[ImportantDate] = field(default_factory=list)


@dataclass(frozen=True)
class PlanStep:
    """One touch of a plan: its kind, its title and its distance from the event's last day
    (``months`` calendar months, then ``offset_days`` days: "+1 month" is 0 days, 1 month)."""

    kind: str  # "thank_you", "check_in", "keep_in_touch" or a user's own word
    label: str
    offset_days: int
    months: int = 0

    @property
    def distance(self) -> tuple[int, str]:
        """The distance as people say it: (3, "weeks"), (1, "months"), (10, "days")."""
        if self.months and not self.offset_days:
            return self.months, "months"
        days = self.offset_days + 30 * self.months
        if days and days % 7 == 0:
            return days // 7, "weeks"
        return days, "days"


@dataclass
class Plan:
    """A named list of touches, relative to the last day of the event where you met."""

    id: int
    user_id: int
    name: str
    steps: tuple[PlanStep, ...]
    is_default: bool = False


@dataclass
class Touch:
    """One dated follow-up for a contact, shown as an all-day event in the calendar."""

    id: int
    user_id: int
    contact_id: int
    kind: str
    title: str
    due: date
    status: str = "due"  # one of TOUCH_STATUSES
    snoozed_until: date | None = None
    sequence: int = 0  # raised every time the touch moves (iCalendar SEQUENCE)
    created: datetime | None = None
    updated: datetime | None = None
    step: int | None = None  # index in the plan, None for reason/date touches
    closed_by: str | None = None  # None: the user; "merge", "plan" or "reason": the app

    @property
    def is_open(self) -> bool:
        """Still to do (due or snoozed)."""
        return self.status in ("due", "snoozed")

    @property
    def when(self) -> date:
        """The day it shows in the calendar (the snooze date when snoozed)."""
        return self.snoozed_until if self.status == "snoozed" and self.snoozed_until else self.due


# --- reaching the user: drafts, the digest e-mail, one-tap acts --------------------------------

#: How often the digest e-mail goes out.
DIGEST_FREQUENCIES = ("daily", "weekly", "off")

#: What a digest run came to: "sending" while claimed, then "sent", "failed" or "empty".
DIGEST_STATUSES = ("sending", "sent", "failed", "empty")


@dataclass
class OutreachPrefs:
    """A user's choices for drafts and the digest e-mail."""

    user_id: int
    email: str | None = None  # where the digest goes
    my_name: str | None = None  # the name under drafted messages (default: the user's name)
    signature: str | None = None  # lines under the name: title, company, phone
    digest: str = "daily"  # one of DIGEST_FREQUENCIES
    digest_hour: int = 8  # local hour the digest goes out
    digest_weekday: int = 0  # for weekly digests: 0 = Monday
    timezone: str = ""  # IANA name, e.g. Europe/Lisbon ("": the server's time zone)


@dataclass
class DigestRun:
    """One user's digest for one local day: claimed once, then sent, failed or empty."""

    id: int
    user_id: int
    day: date  # the user's local date it is for
    status: str  # one of DIGEST_STATUSES
    attempts: int = 0
    touches: int = 0
    error: str | None = None
    claimed: datetime | None = None
    finished: datetime | None = None
    retry_after: datetime | None = None


@dataclass
class TouchAct:
    """A one-tap change of a touch (done, snooze, skip), kept so it can be undone and shown."""

    id: int
    user_id: int
    touch_id: int
    contact_id: int
    action: str  # done, snooze or skip
    via: str  # "web", "mail" (a digest link) or "cli"
    before: dict[str, Any]  # status, due, snoozed_until before the act (+ a snooze's until)
    sequence: int  # the touch's sequence right after the act
    made: tuple[int, ...] = ()  # touches the act made (next year's birthday)
    created: datetime | None = None
    undone: datetime | None = None
