"""How far the check marks and the confidences can be trusted, measured on labelled cards.

For each card read, every field is either right or wrong (the bench's scoring) and either
marked for checking or not (:func:`cardscan.reading.checks.checks`). Two figures say whether the
marks tell the truth:

- **recall**: the share of wrong fields that are marked (a wrong field left unmarked is a
  mistake the user will not look for);
- **false marks**: the share of right fields that are marked (each one is wasted attention).
  A field the label fills but the reading left empty is a wrong field. A field empty on the
  card and empty in the reading counts only when it is marked ("name: not found" on a card
  with no name): unmarked, nobody looks at it.

The **calibration table** puts the confidence of every filled field in buckets and shows how
often fields in each bucket were right: a well-calibrated 0.8 is right about 80% of the time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cardscan.models import CONTACT_FIELDS

#: Lower edges of the confidence buckets of the calibration table (the last ends at 1).
BUCKETS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True)
class FieldResult:
    """One field of one card read: filled or not, right or not, its confidence, marked or not."""

    card: str
    field: str
    right: bool
    marked: bool
    filled: bool  # the reading has a value
    expected: bool  # the label has a value
    confidence: float | None = None  # None when the reading has no value


@dataclass(frozen=True)
class Bucket:
    """A row of the calibration table: fields whose confidence is in [low, high)."""

    low: float
    high: float
    fields: int
    right: int
    marked: int

    @property
    def accuracy(self) -> float | None:
        """Share of these fields that were right (None for an empty bucket)."""
        return self.right / self.fields if self.fields else None


@dataclass
class MarkScore:
    """The marks measured on a set of cards."""

    results: list[FieldResult] = field(default_factory=list)

    def _counted(self, name: str | None = None) -> list[FieldResult]:
        return [
            r
            for r in self.results
            if (r.filled or r.expected or r.marked) and (name is None or r.field == name)
        ]

    def wrong(self, name: str | None = None) -> list[FieldResult]:
        """Wrong fields (a wrong value, a value missed, or a value where the card has none)."""
        return [r for r in self._counted(name) if not r.right]

    def right(self, name: str | None = None) -> list[FieldResult]:
        """Right fields, leaving out those empty on both sides."""
        return [r for r in self._counted(name) if r.right]

    def recall(self, name: str | None = None) -> float | None:
        """Share of wrong fields that are marked (None when none is wrong)."""
        wrong = self.wrong(name)
        return sum(r.marked for r in wrong) / len(wrong) if wrong else None

    def false_marks(self, name: str | None = None) -> float | None:
        """Share of right fields that are marked (None when none is right)."""
        right = self.right(name)
        return sum(r.marked for r in right) / len(right) if right else None

    def missed(self) -> list[FieldResult]:
        """Wrong fields left unmarked: what a user trusting the marks would keep."""
        return [r for r in self.wrong() if not r.marked]

    def calibration(self) -> list[Bucket]:
        """Filled fields by confidence bucket, with how many were right and marked."""
        edges = (*BUCKETS, 1.0000001)
        rows = []
        filled = [r for r in self.results if r.filled and r.confidence is not None]
        for low, high in zip(edges, edges[1:], strict=False):
            inside = [r for r in filled if low <= float(r.confidence or 0.0) < high]
            rows.append(
                Bucket(
                    low,
                    min(high, 1.0),
                    len(inside),
                    sum(r.right for r in inside),
                    sum(r.marked for r in inside),
                )
            )
        return rows


def field_results(
    card: str,
    correct: dict[str, bool],
    confidence: dict[str, float],
    marked: Iterable[str],
    filled: Iterable[str],
    expected: Iterable[str],
) -> list[FieldResult]:
    """One card's fields as ``FieldResult``s (the bench's scores, the reading's confidences,
    its check list, which fields it filled and which the label fills)."""
    marks, full, wanted = set(marked), set(filled), set(expected)
    return [
        FieldResult(
            card=card,
            field=name,
            right=bool(correct.get(name, False)),
            marked=name in marks,
            filled=name in full,
            expected=name in wanted,
            confidence=float(confidence[name]) if name in full and name in confidence else None,
        )
        for name in CONTACT_FIELDS
    ]


def pct(value: float | None) -> str:
    """A share as a whole percentage ("83%"), "-" when there is none."""
    return "-" if value is None else f"{100 * value:.0f}%"


def format_marks(score: MarkScore, *, verbose: bool = False) -> str:
    """The marks' recall and false-mark rate (all fields and per field) and the calibration
    table, as plain text; ``verbose`` lists each wrong field left unmarked."""
    wrong, right = score.wrong(), score.right()
    out = [
        "Check marks: "
        f"{sum(r.marked for r in wrong)} of {len(wrong)} wrong fields marked"
        f" (recall {pct(score.recall())}), "
        f"{sum(r.marked for r in right)} of {len(right)} right fields marked"
        f" (false marks {pct(score.false_marks())}).",
    ]
    rows = [["field", "wrong", "marked", "recall", "right", "marked", "false marks"]]
    for name in CONTACT_FIELDS:
        w, r = score.wrong(name), score.right(name)
        rows.append(
            [
                name,
                str(len(w)),
                str(sum(x.marked for x in w)),
                pct(score.recall(name)),
                str(len(r)),
                str(sum(x.marked for x in r)),
                pct(score.false_marks(name)),
            ]
        )
    out += text_table(rows)
    out.append("\nCalibration (filled fields by confidence):")
    table = [["confidence", "fields", "right", "accuracy", "marked"]]
    for b in score.calibration():
        table.append(
            [
                f"{b.low:.2f}-{b.high:.2f}",
                str(b.fields),
                str(b.right),
                pct(b.accuracy),
                str(b.marked),
            ]
        )
    missing = [r for r in score.results if r.expected and not r.filled]
    table.append(
        [
            "not found",
            str(len(missing)),
            "0",
            pct(0.0 if missing else None),
            str(sum(r.marked for r in missing)),
        ]
    )
    out += text_table(table)
    if verbose:
        out.append("\nWrong fields left unmarked:")
        out += [
            f"  {r.card} {r.field} (confidence {r.confidence if r.confidence is not None else '-'})"
            for r in score.missed()
        ]
    return "\n".join(out)


def marks_dict(score: MarkScore) -> dict[str, object]:
    """The marks' figures as a JSON-ready dict."""
    return {
        "recall": score.recall(),
        "false_marks": score.false_marks(),
        "wrong": len(score.wrong()),
        "right": len(score.right()),
        "per_field": {
            name: {"recall": score.recall(name), "false_marks": score.false_marks(name)}
            for name in CONTACT_FIELDS
        },
        "calibration": [
            {
                "low": b.low,
                "high": b.high,
                "fields": b.fields,
                "right": b.right,
                "marked": b.marked,
            }
            for b in score.calibration()
        ],
        "unmarked_wrong": [{"card": r.card, "field": r.field} for r in score.missed()],
    }


def text_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as aligned plain-text columns, a rule under the first (the header); the bench's
    tables are printed with it too."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
