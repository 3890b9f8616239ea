"""Name, title, company and address of a Chinese, Japanese or Korean card, in its own script.

The Latin rules (``people``, ``company``, ``address``) read names by word shape and e-mail
agreement, which says nothing about ``李芮明`` or ``정용한``. Here each line written in CJK
script is read by its structure instead:

- **address**: a chain of address units, from the region down to the number or floor
  (``新北市`` ``重新路二段`` ``10號``; ``東京都`` ``千代田区`` ``1-1``; ``서울`` ``중구``
  ``다산로`` ``32``), or a postcode (``〒100-0005``); a line right under it that carries on
  (opens with a bracket, or follows a comma) is part of it.
- **company**: a corporate form (``株式会社``, ``有限公司``, ``(주)``) or an organisation
  word (``大学``, ``病院``, ``정형외과``), else the largest free line; the brand printed large
  wins over a small legal line that repeats it.
- **name**: a short line (2-4 characters, or family and given name with a space) in large
  type, starting with a common family name; letter-spacing removed, order kept as printed
  (family name first). nameparser splits Western names and knows nothing of these, so the
  name stays whole.
- **title**: title words (``部長``, ``總監``, ``대표이사``) on the name's line or the line
  nearest to it, with a department line printed beside it.

Romanised or English forms of the same fields, which many of these cards print too, are
given back by the caller in ``notes``.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from cardscan.reading.extract.cjk_words import (
    ADDRESS_START,
    CJK,
    HAN,
    HANGUL,
    KANA,
    address_units,
    cjk_count,
    corporate_form,
    is_title_token,
    org_word,
    strip_label,
    surname_of,
    title_words,
    unspaced,
)
from cardscan.reading.extract.layout import TextLine, is_lower, same_column

#: A card is read as CJK when its free text holds at least this many CJK characters...
MIN_CHARS = 4
#: ...on at least this many lines.
MIN_LINES = 2

#: Labels that open a registry, licence or tax number printed after a company or address.
_REGISTRY = re.compile(
    r"\s*[|｜]|牌照號碼|牌照号码|登録番号|登記番号|統一編號|统一编号|统一社会信用代码|사업자등록번호"
    r"|사업자번호|등록번호|\s(?:TEL|FAX|Tel|Fax)\b|電話|电话|傳真|传真|전화|팩스"
)
#: Department words: a line ending in one beside a title line belongs to the title.
_DEPARTMENT = re.compile(r"(?:部|課|科|室|局|處|处|組|组|グループ|チーム|본부|팀|부|실|과|센터)$")


@dataclass
class CjkReading:
    """What the CJK rules found, with a confidence per field and the lines each came from."""

    name: str | None = None
    title: str | None = None
    company: str | None = None
    address: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    romanised: str | None = None  # a romanised name printed beside the name ("(Sunkyoo Hwang)")


@dataclass
class _Line:
    line: TextLine
    text: str  # free text, label cut, letter-spacing removed

    @property
    def index(self) -> int:
        return self.line.index


def is_cjk_card(lines: list[TextLine], rest: dict[int, str]) -> bool:
    """Whether the card's free text is written (partly) in Chinese, Japanese or Korean: two
    lines, or one longer line, of CJK characters."""
    counts = [cjk_count(rest.get(ln.index, "")) for ln in lines]
    lines_with = sum(1 for c in counts if c >= 2)
    return sum(counts) >= MIN_CHARS and (lines_with >= MIN_LINES or max(counts) >= 6)


def read_cjk(lines: list[TextLine], rest: dict[int, str], contact_lines: set[int]) -> CjkReading:
    """Read name, title, company and address from the CJK lines of a card.

    Args:
        lines: the card's prepared lines (``layout.prepare_lines``).
        rest: each line's text with e-mails, phones and websites taken out.
        contact_lines: lines that held a contact detail (their leftover is labels).

    Returns:
        What was found; fields not found stay ``None``.
    """
    reading = CjkReading()
    cands = [
        _Line(ln, _mend_postcode(unspaced(strip_label(rest.get(ln.index, "").strip(" :：|")))))
        for ln in lines
    ]
    cands = _join_rows([c for c in cands if cjk_count(c.text) >= 1 or _KEPT.search(c.text)])
    if not cands:
        return reading
    body = statistics.median(ln.height for ln in lines)
    used: set[int] = set()

    address = _address(cands, lines)
    if address:
        reading.address = ", ".join(
            _mend_postcode(_cut_registry(_from_region(c.text) if k == 0 else c.text))
            for k, c in enumerate(address)
        )
        reading.lines["address"] = tuple(c.index for c in address)
        units = max(len(address_units(c.text)) for c in address)
        reading.confidence["address"] = round(
            min(c.line.confidence for c in address) * min(0.95, 0.55 + 0.12 * units), 3
        )
        used |= {c.index for c in address}

    free = [c for c in cands if c.index not in used and c.index not in contact_lines]
    name = _name(free, body)
    if name is not None:
        line, text, romanised, score = name
        reading.name = text
        reading.romanised = romanised
        reading.lines["name"] = (line.index,)
        reading.confidence["name"] = round(line.line.confidence * min(0.95, 0.45 + 0.15 * score), 3)
        used.add(line.index)

    title = _title(free, name[0] if name else None, name[1] if name else None, used)
    if title:
        reading.title = (
            " ".join(t for _, t in title) if len(title) == 1 else ", ".join(t for _, t in title)
        )
        reading.title = reading.title.strip(" .,;:/|")
        reading.lines["title"] = tuple(c.index for c, _ in title)
        reading.confidence["title"] = round(min(c.line.confidence for c, _ in title) * 0.85, 3)
        used |= {c.index for c, _ in title if c.index != (name[0].index if name else -1)}

    company = _company([c for c in free if c.index not in used], body)
    if company is not None:
        line, score = company
        reading.company = _mend_company(_cut_registry(line.text))
        reading.lines["company"] = (line.index,)
        strength = min(0.95, 0.4 + 0.2 * score)
        reading.confidence["company"] = round(line.line.confidence * strength, 3)
    return reading


def _mend_postcode(text: str) -> str:
    """The postcode mark ``〒`` that OCR read as a look-alike (``デ``, ``T``, ``F``) before a
    Japanese postcode."""
    text = re.sub(r"^[デテTFㅜ干平]\s*(?=\d{3}[-－]\d{4}(?!\d))", "〒", text)
    # The postcode read glued to the prefecture, its mark lost or not (``461-7869神奈川県``).
    return re.sub(r"^〒?(\d{3}[-－]\d{4})(?=[\u4e00-\u9fff])", r"〒\1 ", text)


def _mend_company(text: str) -> str:
    """The Korean corporate mark ``㈜`` (or ``(주)``) that OCR read as the syllable ``쥐``, or
    with spaces inside its brackets (``( 주 )``)."""
    text = re.sub(r"\(\s*(주|株|有|유|사|재)\s*\)\s*", r"(\1)", text)
    return re.sub(r"^\(?쥐\)?\s*(?=[\uac00-\ud7af]{2})", "(주)", text)


def _join_rows(cands: list[_Line]) -> list[_Line]:
    """Pieces of one printed row read as separate boxes (a postcode and the street beside it,
    a column of a vertical card read in parts) joined into one line, left to right."""
    out: list[_Line] = []
    for c in sorted(cands, key=lambda c: (c.line.box.y, c.line.box.x)):
        for k, prev in enumerate(out):
            left, right = (prev, c) if prev.line.box.x <= c.line.box.x else (c, prev)
            a, b = left.line, right.line
            overlap = min(a.box.bottom, b.box.bottom) - max(a.box.y, b.box.y)
            gap = b.box.x - a.box.right
            if (
                overlap >= 0.6 * min(a.box.h, b.box.h)
                and not (_upright(a) or _upright(b))  # columns side by side are lines
                and 0.7 <= a.height / max(b.height, 1.0) <= 1.4
                and -0.4 * a.height <= gap <= 1.5 * a.height
            ):
                box = a.box.union(b.box)
                confidence = min(a.confidence, b.confidence)
                joined = TextLine(a.index, f"{a.text} {b.text}", box, confidence, a.height)
                out[k] = _Line(joined, f"{left.text} {right.text}")
                break
        else:
            out.append(c)
    return out


def _upright(line: TextLine) -> bool:
    """Whether a line was read as a column (a vertical card's), not a row."""
    return line.box.h > 2 * line.box.w


def _cut_registry(text: str) -> str:
    """``text`` up to a registry or licence number, a bar, or a phone label printed after it."""
    match = _REGISTRY.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    return text.strip(" ,;:：、|")


# --- address -------------------------------------------------------------------------------


def _address(cands: list[_Line], lines: list[TextLine]) -> list[_Line]:
    """The first address printed (head offices come first), with the line that carries it on."""
    scored = []
    for c in cands:
        units = address_units(c.text)
        core = units & {"region", "street", "postcode"}
        postcode_only = _POSTCODE_ONLY.fullmatch(c.text.strip())
        if len(units) >= 2 and core and not corporate_form(c.text) and not postcode_only:
            scored.append(c)
    if not scored:
        return []
    first = min(scored, key=lambda c: (c.line.box.y, c.line.box.x))
    block = [first]
    above = _next_to(first, cands, below=False)
    if above is not None and _POSTCODE_ONLY.fullmatch(above.text.strip()):
        if _BARE_POSTCODE.fullmatch(above.text):
            # ``123-4567`` alone over the address is a Japanese postcode whose ``〒`` OCR
            # dropped (no other country writes one so).
            above = _Line(above.line, "〒" + above.text.strip())
        block.insert(0, above)  # the postcode set on its own line above
    below = _next_to(first, cands, below=True)
    if below is not None and below not in scored:
        opens = below.text.lstrip().startswith(("(", "（"))
        building = bool(_BUILDING_LINE.search(below.text)) and not corporate_form(below.text)
        if opens or building or first.text.rstrip().endswith((",", "、", "，")):
            block.append(below)
    elif below is not None and below.text.lstrip().startswith(("(", "（")):
        block.append(below)
    return block


#: A Japanese postcode alone on its line, its ``〒`` lost (``593-7210``).
_BARE_POSTCODE = re.compile(r"\s*\d{3}[-－]\d{4}\s*")
#: Lines kept without a CJK character: a postcode (with its mark, or alone on its line), a
#: floor (``28F``).
_KEPT = re.compile(r"〒|^\s*\d{1,3}\s*F\s*$|^" + _BARE_POSTCODE.pattern + "$")
#: A line holding only a postcode (``〒100-0005``, ``(06236)``).
_POSTCODE_ONLY = re.compile(r"〒?\s*\d{3}[-－]\d{4}|\(?\d{5,6}\)?")
#: A building and floor line printed under the street (``中央ビル 7F``, ``태림빌딩 3층``).
_BUILDING_LINE = re.compile(
    r"(?:ビル|タワー|大廈|大厦|大樓|大楼|빌딩|타워|센터|상가).{0,12}?(?:\d+\s*(?:F|階|樓|楼|层|層|층|호))"
    r"|^\s*\d+\s*(?:F|階|樓|楼|层|層|층)\s*$|(?:ビル|タワー|大廈|大厦|大樓|빌딩|타워)\s*$"
)


def _next_to(line: _Line, cands: list[_Line], *, below: bool) -> _Line | None:
    """The candidate line printed right under (or above) ``line`` in its column, if any."""
    best = None
    for other in cands:
        if other is line or not same_column(line.line, other.line):
            continue
        upper, lower = (line, other) if below else (other, line)
        gap = lower.line.box.y - upper.line.box.bottom
        # Lines set close have boxes that overlap: a later row by its centre is below.
        if is_lower(upper.line, lower.line) and gap <= 0.9 * max(
            line.line.height, other.line.height
        ):
            if best is None or (other.line.box.y < best.line.box.y) == below:
                best = other
    return best


def _from_region(text: str) -> str:
    """An address line from its first region or postcode on: words before them without a
    digit are a label or a column beside the address (``감정평가 서울시 중구 ...``)."""
    starts = [m.start() for m in ADDRESS_START.finditer(text)]
    if starts and starts[0] > 0 and not re.search(r"\d", text[: starts[0]]):
        return text[starts[0] :]
    return text


# --- name ----------------------------------------------------------------------------------

_ROMANISED = re.compile(r"[(（]\s*([A-Za-z][A-Za-z .'-]+[A-Za-z.])\s*[)）]")


def _name(free: list[_Line], body: float) -> tuple[_Line, str, str | None, float] | None:
    """The line most like a person's name: ``(line, name, romanised form, score)``."""
    best: tuple[_Line, str, str | None, float] | None = None
    for c in free:
        romanised = None
        text = c.text
        match = _ROMANISED.search(text)
        if match:
            romanised = match.group(1).strip()
            text = (text[: match.start()] + text[match.end() :]).strip()
        tokens = text.split()
        titled = [t for t in tokens if is_title_token(t)]
        if tokens and len(titled) == len(tokens):
            continue  # a title alone ("董事长") is not a name
        if titled and len(tokens) >= 2:
            # Name and title on one line, either way round ("송금비 도수치료사 / 실장",
            # "代表取締役 山田太郎"): the name is the first or the last token.
            ends = [tokens[0], tokens[-1]] if not is_title_token(tokens[0]) else [tokens[-1]]
            tokens = [next((t for t in ends if _name_shaped(t) and not is_title_token(t)), "")]
        core = " ".join(t for t in tokens if CJK.search(t))
        if not _name_shaped(core) or corporate_form(core) or org_word(core):
            continue
        if address_units(core) - {"region"}:
            continue
        squeezed = core.replace(" ", "")
        score = min(3.0, c.line.height / max(body, 1.0))
        if surname_of(squeezed):
            score += 1.5
        if titled:
            score += 0.5  # a title printed beside it
        if len(squeezed) == 4 and " " not in core and not KANA.search(core):
            score -= 0.5  # four-character words are mostly not names
        if romanised:
            score += 0.5
        if best is None or score > best[3]:
            best = (c, core, romanised, score)
    return best


def _name_shaped(core: str) -> bool:
    """2-4 characters in one script (a family and a given name may stand apart)."""
    squeezed = core.replace(" ", "")
    if not 2 <= len(squeezed) <= 5 or core.count(" ") > 1:
        return False
    if not all(CJK.match(ch) for ch in squeezed):
        return False
    if HANGUL.search(squeezed):
        return len(squeezed) <= 4 and all(HANGUL.match(ch) for ch in squeezed)
    if KANA.search(squeezed):
        # A Japanese given name in kana: set apart from the family name, or right after a
        # common family name in kanji (鈴木さくら).
        family = surname_of(squeezed)
        given = squeezed[len(family) :] if family else ""
        return " " in core or bool(given and all(KANA.match(ch) for ch in given))
    return len(squeezed) <= 4 or " " in core


# --- title ---------------------------------------------------------------------------------


def _title(
    free: list[_Line], name: _Line | None, name_text: str | None, used: set[int]
) -> list[tuple[_Line, str]]:
    """Title lines: the title words beside the name, or the title line nearest to it."""
    out: list[tuple[_Line, str]] = []
    if name is not None and name_text:
        tokens = unspaced(name.text).split()
        if tokens and name_text.replace(" ", "") in (tokens[0], tokens[-1]):
            beside = tokens[1:] if tokens[0] == name_text.replace(" ", "") else tokens[:-1]
            if any(is_title_token(t) for t in beside):
                out.append((name, " ".join(beside).strip(" /|")))
    options = [
        c
        for c in free
        if c.index not in used and title_words(c.text) and not corporate_form(c.text)
    ]
    if not out and options:
        if name is not None:

            def distance(c: _Line) -> float:
                rows = abs(c.line.box.center[1] - name.line.box.center[1])
                rows /= max(name.line.height, 1)
                return rows if same_column(c.line, name.line) else rows + 3

            best = min(options, key=distance)
        else:
            best = min(options, key=lambda c: (c.line.box.y, c.line.box.x))
        out.append((best, best.text))
    if out:
        first = out[0][0]
        for other in free:
            if other is first or other.index in used or other in (c for c, _ in out):
                continue
            if _DEPARTMENT.search(other.text) and _adjacent(first, other):
                pair = (other, other.text)
                out = [pair, *out] if other.line.box.y < first.line.box.y else [*out, pair]
                break
    return out


def _adjacent(a: _Line, b: _Line) -> bool:
    """Lines printed next to each other: one right under the other, or on one row."""
    rows = abs(a.line.box.center[1] - b.line.box.center[1])
    height = max(a.line.height, b.line.height)
    if rows <= 0.5 * height:
        return True
    return same_column(a.line, b.line) and rows <= 1.9 * height


# --- company -------------------------------------------------------------------------------


def _company(free: list[_Line], body: float) -> tuple[_Line, float] | None:
    """The company line: corporate form, organisation word, type size."""
    best: tuple[_Line, float] | None = None
    for c in free:
        text = _cut_registry(c.text)
        if cjk_count(text) < 2:
            continue
        score = 0.0
        if corporate_form(text):
            score += 1.5
        if org_word(text):
            score += 1.0
        size = c.line.height / max(body, 1.0)
        score += min(2.0, max(0.0, size - 1.0))
        # The brand printed large and repeated at the start of a smaller legal line.
        head = text.replace(" ", "")[:2]
        if any(o is not c and o.text.replace(" ", "").startswith(head) for o in free):
            score += 0.5
        if title_words(text) and not (corporate_form(text) or org_word(text)):
            continue
        if score < 1.0:
            continue
        if best is None or score > best[1]:
            best = (c, score)
    return best


#: Characters written one way in mainland China (simplified) and another in Taiwan and Hong
#: Kong (traditional), common on cards: addresses, titles, labels.
_SIMPLIFIED = set("区号层经总务产电话传邮楼术业发广东门长华国际银书为们时实现进关开问间达")
_TRADITIONAL = set("區號層經總務產電話傳郵樓術業發廣東門長華國際銀書為們時實現進關開問間達")


def dominant_script(text: str) -> str:
    """``ko``, ``ja``, ``zh_cn`` (simplified characters), ``zh`` (other Han) for CJK
    ``text``, ``""`` otherwise."""
    if HANGUL.search(text):
        return "ko"
    if KANA.search(text):
        return "ja"
    if not HAN.search(text):
        return ""
    simplified = sum(ch in _SIMPLIFIED for ch in text)
    traditional = sum(ch in _TRADITIONAL for ch in text)
    return "zh_cn" if simplified >= 2 and simplified > traditional else "zh"
