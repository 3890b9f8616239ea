"""Fit the confidence models and the check marks' thresholds on labelled cards.

Reads every labelled photo of each set with the real pipeline (RapidOCR's reading and the QR
codes of each photo are cached in --cache, so a second run only replays extraction and
takes seconds), extracts each card, scores each field with the bench's rules and records what
the models weigh (``confidence.recorded``). Then per field it fits a logistic model for a
filled field (is it right?) and one for an empty field (is the card without one?), and
chooses the chance below which a field is marked: the lowest false-mark rate that catches
--recall of the wrong fields, on out-of-fold chances (grouped by photo) so the threshold is
not chosen on the fit's own cards. Writes ``cardscan/reading/extract/confidence_model.py``.

Sets: ``--gen IMAGES LABELS`` (generated cards, ``sample_cards/generate.py``) and ``--real
IMAGES LABELS`` (photos; each real row counts --real-weight times). The figures printed are
held out: ``--report`` adds (a) fitted on generated cards only, measured on the real photos;
(b) fitted on the real photos named ``card_*`` (with the generated ones), measured on the
others; (c) leave-one-photo-out over the real photos; and each ``--test IMAGES LABELS`` set
(e.g. a fresh generated seed) measured with the shipped fit.

Run: .venv/bin/python scripts/fit_confidence.py --gen /tmp/g1/images /tmp/g1/labels
     --real ../shared/cards/images ../shared/cards/labels [--report] [--dry-run]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cardscan.models import CONTACT_FIELDS, OcrResult, QrCode
from cardscan.reading.bench import _main_reading, labelled_images
from cardscan.reading.calibration import MarkScore, field_results, format_marks, pct
from cardscan.reading.checks import CHECK_EMPTY
from cardscan.reading.extract import confidence, confidence_model, extract_contact
from cardscan.reading.scoring import score_contact

MODEL = Path(confidence_model.__file__)


@dataclass
class Sample:
    """One photo read and scored: its set, name, whether it is a real photo, the rows the
    models see, per field whether the reading is right, and which fields the reading and
    the label fill."""

    set: str
    name: str
    real: bool
    rows: list[confidence.Row]
    right: dict[str, bool]
    filled: set[str]
    expected: set[str]


def readings(images: Path, labels: Path, cache: Path) -> list[tuple[str, dict, dict]]:
    """(name, label, cached reading) per labelled photo, reading photos not yet cached."""
    out = []
    for path, label in labelled_images(images, labels):
        cached = cache / f"{images.parent.name}-{path.stem}.json"
        if not cached.is_file():
            from cardscan.reading.ocr import get_engine
            from cardscan.reading.pipeline import scan_image
            from cardscan.settings import Settings

            engine = get_engine("rapidocr")
            first = _main_reading(scan_image(path, Settings(), engine=engine), label, "")
            reading = {"ocr": first.ocr.to_dict(), "qr": [[q.data, q.kind] for q in first.qr]}
            cached.write_text(json.dumps(reading, ensure_ascii=False), encoding="utf-8")
        out.append((path.stem, label, json.loads(cached.read_text(encoding="utf-8"))))
    return out


def samples_of(name: str, real: bool, pairs: list[tuple[str, dict, dict]]) -> list[Sample]:
    """Each cached reading extracted again with the code as it is, scored and recorded."""
    out = []
    shipped, confidence_model.WEIGHTS = confidence_model.WEIGHTS, {}  # the raw readings
    try:
        for stem, label, reading in pairs:
            out.append(_sample(name, real, stem, label, reading))
    finally:
        confidence_model.WEIGHTS = shipped
    return out


def _sample(name: str, real: bool, stem: str, label: dict, reading: dict) -> Sample:
    ocr = OcrResult.from_dict(reading["ocr"])
    codes = [QrCode(data, kind) for data, kind in reading["qr"]]
    with confidence.recorded() as recorded:
        contact = extract_contact(ocr, codes)
    filled = {n for n in CONTACT_FIELDS if getattr(contact, n)}
    expected = {n for n in CONTACT_FIELDS if label.get(n)}
    return Sample(name, stem, real, recorded[-1], score_contact(contact, label), filled, expected)


Weights = dict[str, dict[str, tuple[float, ...]]]


class Table:
    """Every field of every sample as arrays: the models' rows grouped by field and kind
    (filled or empty), and per (sample, field) what the marks are measured on."""

    def __init__(
        self,
        samples: list[Sample],
        real_weight: float,
        without: tuple[str, ...] = (),
        real_only: tuple[str, ...] = (),
    ) -> None:
        self.samples = samples
        self.real_only = real_only  # features whose weights only the real photos teach
        self.groups: dict[tuple[str, bool], tuple] = {}
        for name in confidence.FIELDS:
            for filled in (True, False):
                got = [(i, r.x, s.right[name]) for i, s in enumerate(samples) for r in s.rows
                       if r.field == name and r.filled == filled]  # fmt: skip
                if got:
                    index = np.array([g[0] for g in got])
                    x = np.array([g[1] for g in got], dtype=np.float64)
                    names = confidence.FILLED if filled else confidence.EMPTY
                    for feature in without:  # left out: a zero column gets a zero weight
                        if feature in names:
                            x[:, names.index(feature)] = 0.0
                    y = np.array([g[2] for g in got], dtype=np.float64)
                    w = np.array([real_weight if samples[i].real else 1.0 for i in index])
                    self.groups[(name, filled)] = (index, x, y, w)
        self.real = np.array([s.real for s in samples])
        n, f = len(samples), len(CONTACT_FIELDS)
        self.filled = np.zeros((n, f), bool)
        self.right = np.zeros((n, f), bool)
        self.expected = np.zeros((n, f), bool)
        for i, s in enumerate(samples):
            for j, name in enumerate(CONTACT_FIELDS):
                self.filled[i, j] = name in s.filled
                self.right[i, j] = s.right[name]
                self.expected[i, j] = name in s.expected
        self.always = np.array([n in CHECK_EMPTY for n in CONTACT_FIELDS])[None, :] & ~self.filled

    def fit(
        self, keep: np.ndarray, l2: float, pooled: str = "none", shared: tuple[str, ...] = ()
    ) -> Weights:
        """The models fitted on the samples where ``keep`` is true: each field's alone, or
        for the kinds ``pooled`` names ("empty", "all") one model over every field with a
        bias per field and the other weights shared (few rows per field: fewer weights).
        The filled models' features named in ``shared`` get one weight for every field (a
        fact seen wrong a few times in each field learns from all of them), the others one
        per field."""
        weights: Weights = {name: {} for name in confidence.FIELDS}
        pools = {"none": (), "empty": (False,), "all": (True, False)}[pooled]
        for filled in (True, False):
            names = confidence.FILLED if filled else confidence.EMPTY
            if filled in pools:
                common = list(range(1, len(names)))
            else:
                common = [names.index(f) for f in shared if filled and f in names]
            if common:
                self._fit_joint(keep, l2, filled, common, weights)
                continue
            for (name, kind), (index, x, y, w) in self.groups.items():
                mask = self._rows(keep, filled)[index]
                if kind == filled and mask.any():
                    fitted = confidence.fit_arrays(
                        self._train_x(x, index, mask, filled), y[mask], l2=l2, weights=w[mask]
                    )
                    weights[name]["filled" if filled else "empty"] = fitted
        return weights

    def _fit_joint(
        self, keep: np.ndarray, l2: float, filled: bool, common: list[int], into: Weights
    ) -> None:
        """One fit over every field's rows of a kind: a bias per field, the features at
        ``common`` shared, the others per field (each field's block of columns)."""
        names = [n for n in confidence.FIELDS if (n, filled) in self.groups]
        width = len(confidence.FILLED if filled else confidence.EMPTY)
        own = [j for j in range(1, width) if j not in common]
        k, o = len(names), len(own)
        xs, ys, ws = [], [], []
        for f, name in enumerate(names):
            index, x, y, w = self.groups[(name, filled)]
            mask = self._rows(keep, filled)[index]
            block = np.zeros((int(mask.sum()), k + k * o + len(common)))
            block[:, f] = 1.0
            xm = self._train_x(x, index, mask, filled)
            block[:, k + f * o : k + (f + 1) * o] = xm[:, own]
            block[:, k + k * o :] = xm[:, common]
            xs.append(block)
            ys.append(y[mask])
            ws.append(w[mask])
        x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
        fitted = confidence.fit_arrays(x, y, l2=l2, free=k, weights=w)
        for f, name in enumerate(names):
            model = [0.0] * width
            model[0] = fitted[f]
            for i, j in enumerate(own):
                model[j] = fitted[k + f * o + i]
            for i, j in enumerate(common):
                model[j] = fitted[k + k * o + i]
            into[name]["filled" if filled else "empty"] = tuple(model)

    def _train_x(
        self, x: np.ndarray, index: np.ndarray, mask: np.ndarray, filled: bool
    ) -> np.ndarray:
        """The rows ``mask`` of ``x`` as the fit sees them: the ``real_only`` features zero
        on generated cards, so only the real photos teach their weights (a failure kind
        generated cards do not make, seen right on them, would teach the opposite)."""
        out = x[mask].copy()
        names = confidence.FILLED if filled else confidence.EMPTY
        generated = ~self.real[index[mask]]
        for feature in self.real_only:
            if feature in names:
                out[generated, names.index(feature)] = 0.0
        return out

    def _rows(self, keep: np.ndarray, filled: bool) -> np.ndarray:
        """The samples an empty field's model learns from: the real photos among ``keep``
        when there are some (generated cards print every field their layout has, so an
        empty field there is nearly always a miss; on real cards it often is not)."""
        real = keep & self.real
        return keep if filled or not real.any() else real

    def chances(self, weights: Weights, into: np.ndarray | None = None, only=None) -> np.ndarray:
        """Per (sample, field) the chance of being right (1 where no model applies)."""
        p = np.ones(self.filled.shape) if into is None else into
        for (name, filled), (index, x, _, _) in self.groups.items():
            model = weights.get(name, {}).get("filled" if filled else "empty")
            if model is None:
                continue
            mask = np.ones(len(index), bool) if only is None else only[index]
            z = np.clip(x[mask] @ np.asarray(model), -30, 30)
            p[index[mask], CONTACT_FIELDS.index(name)] = 1 / (1 + np.exp(-z))
        return p

    def rates(self, p: np.ndarray, t: tuple[float, float], rows: np.ndarray) -> tuple[int, ...]:
        """(wrong marked, wrong, right marked, right) over the samples ``rows`` with
        thresholds ``t`` (for filled fields, for empty ones), counted as the bench counts
        them (``reading.calibration``: an empty field the label fills is a wrong field)."""
        marked = np.where(self.filled, p < t[0], p < t[1]) | self.always
        counted = (self.filled | self.expected | marked)[rows]
        wrong = counted & ~self.right[rows]
        right = counted & self.right[rows]
        m = marked[rows]
        return int((wrong & m).sum()), int(wrong.sum()), int((right & m).sum()), int(right.sum())

    def score(self, p: np.ndarray, below: list[tuple[float, float]], rows: np.ndarray) -> MarkScore:
        """The marks as a ``MarkScore`` (the bench's own figures), thresholds per sample."""
        result = MarkScore()
        for i in np.flatnonzero(rows):
            s, (filled_below, empty_below) = self.samples[i], below[i]
            marked = [
                n
                for j, n in enumerate(CONTACT_FIELDS)
                if p[i, j] < (filled_below if self.filled[i, j] else empty_below)
                or self.always[i, j]
            ]
            conf = {n: float(p[i, j]) for j, n in enumerate(CONTACT_FIELDS) if self.filled[i, j]}
            result.results += field_results(s.name, s.right, conf, marked, s.filled, s.expected)
        return result


def folds(n: int, k: int, seed: int = 5) -> list[np.ndarray]:
    """``k`` folds of ``n`` samples, each photo in one (grouped by photo)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [np.array(order[i::k]) for i in range(k)]


FILLED_GRID = [round(0.5 + 0.01 * i, 2) for i in range(50)]
EMPTY_GRID = [round(0.3 + 0.01 * i, 2) for i in range(70)]


def train(table: Table, keep: np.ndarray, args) -> tuple[Weights, tuple[float, float]]:
    """The models fitted on the samples ``keep`` and the thresholds (filled, empty) chosen
    on their out-of-fold chances (on the real photos among them when there are some): the
    pair that marks the most wrong fields while marking at most --false of the right ones."""
    weights = table.fit(keep, args.l2, args.pooled, tuple(args.shared))
    members = np.flatnonzero(keep)
    p = np.ones(table.filled.shape)
    for fold in folds(len(members), args.k):
        held = np.zeros(len(keep), bool)
        held[members[fold]] = True
        fitted = table.fit(keep & ~held, args.l2, args.pooled, tuple(args.shared))
        table.chances(fitted, into=p, only=held)
    real = np.array([s.real for s in table.samples])
    pick = keep & real if (keep & real).any() else keep
    best, chosen = (-1.0, 0), (FILLED_GRID[0], EMPTY_GRID[0])
    for t in itertools.product(FILLED_GRID, EMPTY_GRID):
        wm, w, rm, r = table.rates(p, t, pick)
        if r and rm / r <= args.false and (wm / max(w, 1), -rm) > best:
            best, chosen = (wm / max(w, 1), -rm), t
    return weights, chosen


def figures(label: str, counts: tuple[int, int, int, int]) -> str:
    wm, w, rm, r = counts
    return (
        f"{label}: recall {wm}/{w} = {pct(wm / w if w else None)},"
        f" false marks {rm}/{r} = {pct(rm / r if r else None)}"
    )


def ceiling(table: Table, p: np.ndarray, rows: np.ndarray) -> str:
    """How well the chances ``p`` rank the fields of ``rows``, whatever the thresholds: the
    most wrong fields any pair of thresholds marks while marking at most 10, 15 or 20% of
    the right ones (chosen with hindsight: an upper bound to compare features by, not a
    figure the marks reach)."""
    grid = itertools.product([*FILLED_GRID, 0.995, 0.999], [*EMPTY_GRID, 0.995, 0.999])
    counts = [table.rates(p, t, rows) for t in grid]
    out = []
    for cap in (0.10, 0.15, 0.20):
        wm, w, rm, r = max((c for c in counts if c[3] and c[2] / c[3] <= cap), default=(0,) * 4)
        out.append(f"{wm}/{w} at <= {cap:.0%}")
    marked_always = table.always[rows]
    counted = (table.filled | table.expected)[rows] & ~marked_always
    chances, right = p[rows][counted], table.right[rows][counted]
    wrong_p, right_p = chances[~right], chances[right]
    pairs = (wrong_p[:, None] < right_p[None, :]).sum() + 0.5 * (
        wrong_p[:, None] == right_p[None, :]
    ).sum()
    auc = pairs / max(1, len(wrong_p) * len(right_p))
    out.append(f"AUC {auc:.3f}")
    return "ranking ceiling (hindsight thresholds): " + ", ".join(out)


def report(table: Table, args) -> None:
    """The held-out figures (a), (b), (c) and each test set."""
    n = len(table.samples)
    real = np.array([s.real for s in table.samples])
    test = np.array([s.set in args.test_sets for s in table.samples])
    gen = ~real & ~test
    old = real & np.array([s.name.startswith("card_") for s in table.samples])
    new = real & ~old
    if real.any() and gen.any():
        w, t = train(table, gen, args)
        print(figures(f"(a) fit on generated, measured on real (t={t[0]}/{t[1]})",
                      table.rates(table.chances(w), t, real)))  # fmt: skip
    if old.any() and new.any():
        w, t = train(table, old, args)
        print(figures(f"(b) fit on card_* only, measured on new_* (t={t[0]}/{t[1]})",
                      table.rates(table.chances(w), t, new)))  # fmt: skip
        w, t = train(table, gen | old, args)
        print(figures(f"(b') fit on generated + card_*, on new_* (t={t[0]}/{t[1]})",
                      table.rates(table.chances(w), t, new)))  # fmt: skip
    if real.any():
        p, below = np.ones(table.filled.shape), [(0.0, 0.0)] * n
        for i in np.flatnonzero(real):
            one = np.zeros(n, bool)
            one[i] = True
            w, below[i] = train(table, (gen | real) & ~one, args)
            table.chances(w, into=p, only=one)
        result = table.score(p, below, real)
        wrong, right = result.wrong(), result.right()
        print(figures("(c) leave one real photo out (generated in every fit)",
                      (sum(r.marked for r in wrong), len(wrong),
                       sum(r.marked for r in right), len(right))))  # fmt: skip
        print("    " + ceiling(table, p, real))
        if args.verbose:
            print(format_marks(result, verbose=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    pair = {"nargs": 2, "action": "append", "default": [], "metavar": ("IMAGES", "LABELS")}
    parser.add_argument("--gen", **pair, help="generated cards to fit on")
    parser.add_argument("--real", **pair, help="photos to fit on (weighted, cross-validated)")
    parser.add_argument("--test", **pair, help="cards only measured, never fitted on")
    parser.add_argument("--cache", default="/tmp/cardscan-fit-cache")
    parser.add_argument("--false", type=float, default=0.13, help="most right fields to mark")
    parser.add_argument("--real-weight", type=float, default=10.0, help="a real photo's weight")
    parser.add_argument("--l2", type=float, default=1.0, help="penalty on the weights")
    parser.add_argument(
        "--pooled", choices=("none", "empty", "all"), default="none", help="models shared"
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=sorted(set(confidence.FILLED + confidence.EMPTY) - {"bias"}),
        help="fit as if this feature were not there (its weights are 0): to measure what it adds",
    )
    filled = [f for f in confidence.FILLED if f != "bias"]
    parser.add_argument(
        "--shared",
        action="append",
        default=[],
        choices=filled,
        help="one weight for every field's filled model (fitted on all fields' rows at once)",
    )
    parser.add_argument(
        "--real-only",
        action="append",
        default=[],
        choices=filled,
        help="learn this feature's weights from the real photos only",
    )
    parser.add_argument("--k", type=int, default=5, help="folds to choose the threshold on")
    parser.add_argument("--report", action="store_true", help="print the held-out figures")
    parser.add_argument("--verbose", action="store_true", help="list the wrong fields missed")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)

    def load(pairs: list[list[str]], real: bool) -> list[Sample]:
        out = []
        for images, labels in pairs:
            name = Path(images).parent.name
            out += samples_of(name, real, readings(Path(images), Path(labels), cache))
        return out

    samples = load(args.gen, False) + load(args.real, True) + load(args.test, False)
    args.test_sets = {Path(images).parent.name for images, _ in args.test}
    table = Table(samples, args.real_weight, tuple(args.without), tuple(args.real_only))
    test = np.array([s.set in args.test_sets for s in samples])
    if not (~test).any():
        parser.error("give at least one --gen or --real set")
    if args.report:
        report(table, args)
    weights, t = train(table, ~test, args)
    p = table.chances(weights)
    print(figures(f"fit's own cards, not held out (t={t[0]}/{t[1]})", table.rates(p, t, ~test)))
    for name in sorted(args.test_sets):
        rows = np.array([s.set == name for s in samples])
        print(figures(f"test set {name}, never fitted on", table.rates(p, t, rows)))
        print("    " + ceiling(table, p, rows))
    if not args.dry_run:
        sets = ", ".join(sorted({s.set for s in samples if s.set not in args.test_sets}))
        count = int((~test).sum())
        write_model(weights, t, f"{count} photos ({sets})")


def write_model(
    weights: Weights, below: tuple[float, float], fitted_on: str, path: Path = MODEL
) -> None:
    """Write ``confidence_model.py``: the same inputs always give the same file."""
    lines = [
        '"""The fitted confidence models: written by scripts/fit_confidence.py, do not edit by'
        ' hand."""',
        "",
        f"FITTED_ON = {json.dumps(fitted_on, ensure_ascii=False)}",
        "",
        "#: Per field, the logistic weights of the model of a filled field and of an empty one, in",
        "#: the order of ``confidence.FILLED`` and ``confidence.EMPTY``.",
        "WEIGHTS: dict[str, dict[str, tuple[float, ...]]] = {",
    ]
    for name, models in weights.items():
        lines.append(f'    "{name}": {{')
        for kind, w in models.items():  # one weight a line, as ruff format keeps them
            lines += [f'        "{kind}": (', *(f"            {v!r}," for v in w), "        ),"]
        lines.append("    },")
    lines += [
        "}",
        "",
        "#: Per field, a filled field whose chance of being right is below this is marked.",
        "MARK_BELOW: dict[str, float] = {",
        *(f'    "{name}": {below[0]!r},' for name in weights),
        "}",
        "",
        "#: Per field, an empty field whose chance of being right to be empty is below this is",
        "#: marked (the card likely has one).",
        "EMPTY_BELOW: dict[str, float] = {",
        *(f'    "{name}": {below[1]!r},' for name in weights),
        "}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
