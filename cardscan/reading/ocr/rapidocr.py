"""The default engine: RapidOCR (PP-OCR models on onnxruntime), fully offline.

The three models ship inside the ``rapidocr`` wheel (``site-packages/rapidocr/models``); we pass
their paths explicitly, so RapidOCR never takes its download path. The engine object is
created once with a fixed configuration and never reconfigured per call: RapidOCR's
call-time options (``use_rec=...``) change its state for every later call and every thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np

from cardscan.errors import MissingDependencyError, OcrEngineError
from cardscan.models import Box, Line, OcrResult, TextRegion, Word
from cardscan.reading.ocr import empty_result, hangul, scripts
from cardscan.reading.ocr.rapidocr_files import CLS_MODEL, DET_MODEL, REC_MODEL, model_path
from cardscan.reading.ocr.reread import FirstLines, Reading
from cardscan.workers import available_cores

try:
    from rapidocr import RapidOCR
    from rapidocr.utils.process_img import map_boxes_to_original
except ImportError as e:  # pragma: no cover - a broken install
    raise MissingDependencyError(
        f"the rapidocr package is not installed ({e}): run `.venv/bin/pip install"
        " 'rapidocr>=3.4,<4' onnxruntime` or choose --engine tesseract."
    ) from e

#: Lines the recogniser scores below this are dropped (RapidOCR's ``Global.text_score``).
TEXT_SCORE = 0.5
#: Lines the recogniser scores below this are read again turned half round (see
#: ``_reread_turned``); the other reading wins when it scores ``RETRY_GAIN`` more.
RETRY_SCORE = 0.8
RETRY_GAIN = 0.1
#: A line read again by Tesseract is upside down with this belief when the turn it read in
#: says so (see ``_apply_second``).
SECOND_VOTE = 0.95
#: Long edge the text detector works at when reading (recognition uses full resolution).
DET_SIDE = 1280
#: Long edge the text finder works at: enough to see card-sized text lines, and fast.
FIND_SIDE = 1024


def _box(points: Any) -> Box:
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    x0, y0 = np.floor(pts.min(axis=0))
    x1, y1 = np.ceil(pts.max(axis=0))
    return Box(int(x0), int(y0), max(1, int(x1 - x0)), max(1, int(y1 - y0)))


def _session(path: str, threads: int) -> Any:
    """An onnxruntime session for one of the models, made for a machine whose cores are
    shared (by OCR workers, the web server, other tenants).

    ``threads`` threads run each model; when they wait for each other they sleep instead of
    spinning (onnxruntime's default spins, which on a busy machine burnt half again as much
    CPU for no speed: 1.80 -> 1.26 CPU s a card with 2 threads, 1.17 with 1, on 16 real
    photos). The arena stays off (RapidOCR's choice too): memory goes back after big images.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = False
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


_MODELS = {"Det": DET_MODEL, "Cls": CLS_MODEL, "Rec": REC_MODEL}


def _with_sessions(ocr: Any, threads: int, parts: tuple[str, ...] = ("Det", "Cls", "Rec")) -> None:
    """Hand RapidOCR our own sessions (its ``session`` option) before it loads its models."""
    for part in parts:
        model = _MODELS[part]
        cfg = ocr.cfg[part]
        cfg._set_flag("allow_objects", True)  # OmegaConf holds only plain values otherwise
        cfg.session = _session(model_path(model), threads)


class RapidOcrEngine:
    """RapidOCR with bundled PP-OCR detection, direction and recognition models."""

    name = "rapidocr"

    def __init__(
        self,
        *,
        text_score: float = TEXT_SCORE,
        det_side: int = DET_SIDE,
        find_side: int = FIND_SIDE,
        threads: int = 0,
    ) -> None:
        """Load the three models (once; about 30 MB of onnx); ``threads`` runs each with
        that many threads (0: every core this process may use)."""
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        params = {
            "Global.log_level": "error",
            "Global.text_score": text_score,
            "Global.use_cls": True,
            "Global.return_word_box": True,  # word boxes cost next to nothing here
            "Global.max_side_len": 2400,
            "Det.model_path": model_path(DET_MODEL),
            "Rec.model_path": model_path(REC_MODEL),
            "Cls.model_path": model_path(CLS_MODEL),
            # Detect at most DET_SIDE on the long edge; lines are still cut from the full
            # image for recognition. Measured on real photos: same text as detecting at
            # 2000 px, 25% less CPU (see the README).
            "Det.limit_type": "max",
            "Det.limit_side_len": det_side,
        }
        self._threads = threads or available_cores()
        self._finder_params = {**params, "Det.limit_side_len": find_side}
        try:
            self._ocr = RapidOCR(params=params)
            _with_sessions(self._ocr, self._threads)
            self._ocr._load_det_model()
            self._cls = self._ocr._load_cls_model()
            self._ocr._load_rec_model()
        except Exception as e:
            raise OcrEngineError(f"RapidOCR could not load its models: {e}") from e
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self._finder: Any = None  # the text finder's own detector: loaded when first asked
        self._find_side = find_side
        self.detect_side = det_side
        self._lock = threading.Lock()

    def _det(self, image: np.ndarray) -> Any:
        """Detect text lines at the finder's size (a second detector, loaded on first use:
        only engines that cannot read regions themselves, Tesseract, need it)."""
        if self._finder is None:
            finder = RapidOCR(params=self._finder_params)
            _with_sessions(finder, self._threads, ("Det",))
            self._finder = finder._load_det_model()
        return self._finder(image)

    def read(self, image: np.ndarray) -> OcrResult:
        """Read every line of ``image`` (BGR uint8), with word boxes and confidences."""
        return self.read_regions(image)[0]

    def read_regions(self, image: np.ndarray) -> tuple[OcrResult, list[TextRegion]]:
        """Read ``image`` and also return each line's region and upside-down vote.

        ``regions[i]`` belongs to ``result.lines[i]``. Lines are read the right way up
        whatever the card's orientation (the direction classifier turns each line crop).
        """
        height, width = image.shape[:2]
        if image.size == 0 or min(height, width) < 4:
            return empty_result(self.name, image), []
        ocr = self._ocr
        try:
            with self._lock:
                prepared, record = ocr.preprocess_img(image)
                det, cls, rec, crops = ocr.run_ocr_steps(prepared, record)
                self._reread_turned(cls, rec)
                # Which detections survive RapidOCR's own filtering (empty text, low score),
                # worked out before build_final_output filters them, to keep the cls votes.
                texts, scores = rec.txts or (), rec.scores or ()
                kept = [
                    i
                    for i, text in enumerate(texts)
                    if text.strip() and scores[i] >= ocr.text_score
                ]
                votes = list(cls.cls_res or [])
                first = _FirstReading(
                    boxes=None if det.boxes is None else np.array(det.boxes, dtype=np.float64),
                    crops=list(cls.img_list or ()),
                    texts=list(texts),
                    scores=[float(x) for x in scores],
                    record=record,
                )
                output: Any = ocr.build_final_output(image, det, cls, rec, crops, record)
        except Exception as e:
            raise OcrEngineError(f"RapidOCR failed on a {image.shape} image: {e}") from e
        again = _second_readings(first)
        if not again and (not output.txts or output.boxes is None):
            return OcrResult(lines=(), engine=self.name, width=width, height=height), []
        if not output.txts or output.boxes is None:
            output.txts, output.scores, output.boxes, kept = (), (), [], []
        if len(kept) != len(output.txts):  # pragma: no cover - RapidOCR changed its filtering
            kept, votes = list(range(len(output.txts))), []
        words_by_line = list(output.word_results or ())
        cls_thresh = float(getattr(ocr.text_cls, "cls_thresh", 0.9))
        lines: list[Line] = []
        regions: list[TextRegion] = []
        for k, (quad, text, score) in enumerate(
            zip(output.boxes, output.txts, output.scores, strict=False)
        ):
            text = text.strip()
            index = kept[k]
            turned = index < len(votes) and _turned(votes[index], cls_thresh)
            words: tuple[Word, ...] = ()
            if k < len(words_by_line) and words_by_line[k]:
                words = tuple(
                    Word(
                        str(w_text).strip(),
                        _box(_turn_back(quad, w_box) if turned else w_box),
                        float(w_score),
                    )
                    for w_text, w_score, w_box in words_by_line[k]
                    if str(w_text).strip() and w_box is not None
                )
            lines.append(Line(text, _box(quad), float(score), words))
            corners = _reading_corners(np.asarray(quad, dtype=np.float64).reshape(4, 2))
            flipped = 0.5
            if index < len(votes):
                label, vote = votes[index]
                flipped = float(vote) if "180" in str(label) else 1.0 - float(vote)
            regions.append(TextRegion(corners, flipped))
        _apply_second(again, first, kept, votes, cls_thresh, (width, height), lines, regions)
        result = OcrResult(lines=tuple(lines), engine=self.name, width=width, height=height)
        return result, regions

    def _reread_turned(self, cls: Any, rec: Any) -> None:
        """Read the lines the recogniser was unsure of again, turned half round.

        The direction classifier now and then turns a clear line the wrong way, and the
        line then reads as junk with a low score (``Tl   b     fr`` for ``Tél. 01 80 84 67 84
        bonjour@beri.fr``). The better reading wins, and the line's direction vote follows
        it. Costs one more recognition of the few unsure lines.
        """
        images = list(cls.img_list or ())
        scores = list(rec.scores or ())
        texts = list(rec.txts or ())
        votes = list(cls.cls_res or ())
        words = list(rec.word_results or ())
        unsure = [
            i
            for i, score in enumerate(scores)
            if score < RETRY_SCORE and i < len(images) and i < len(votes) and i < len(words)
        ]
        if not unsure or len(texts) != len(scores):
            return
        try:
            again = self._ocr.recognize_txt([cv2.rotate(images[i], cv2.ROTATE_180) for i in unsure])
        except Exception:  # noqa: BLE001 - the first reading stands
            return
        cls_thresh = float(getattr(self._ocr.text_cls, "cls_thresh", 0.9))
        new_texts = list(again.txts or ())
        for k, i in enumerate(unsure):
            if k >= len(new_texts) or not new_texts[k].strip():
                continue
            if float(again.scores[k]) < scores[i] + RETRY_GAIN:
                continue
            texts[i], scores[i], words[i] = (
                new_texts[k],
                float(again.scores[k]),
                again.word_results[k],
            )
            turned = _turned(votes[i], cls_thresh)
            votes[i] = ("0" if turned else "180", 0.99)
        rec.txts, rec.scores, rec.word_results = tuple(texts), scores, tuple(words)
        cls.cls_res = votes

    def find_text(self, image: np.ndarray) -> list[TextRegion]:
        """Text line regions of ``image`` and each line's upside-down vote, without reading."""
        if image.size == 0 or min(image.shape[:2]) < 8:
            return []
        scale = min(1.0, self._find_side / max(image.shape[:2]))
        small = (
            cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            if scale < 1
            else image
        )
        try:
            with self._lock:
                det = self._det(small)
                if det.boxes is None or len(det.boxes) == 0:
                    return []
                quads = [np.asarray(q, dtype=np.float32).reshape(4, 2) for q in det.boxes]
                crops = [_line_crop(small, q) for q in quads]
                cls = self._cls(crops)
        except Exception as e:
            raise OcrEngineError(f"RapidOCR text detection failed: {e}") from e
        regions = []
        for quad, (label, score) in zip(quads, cls.cls_res or [], strict=False):
            flipped = float(score) if "180" in str(label) else 1.0 - float(score)
            corners = _reading_corners(quad.astype(np.float64) / scale)
            regions.append(TextRegion(corners, flipped))
        return regions


@dataclass
class _FirstReading:
    """Every line RapidOCR detected, before it drops the unreadable ones."""

    boxes: np.ndarray | None  # quads in the preprocessed image's pixels
    crops: list[np.ndarray]  # each line cut out upright, as the recogniser saw it
    texts: list[str]
    scores: list[float]
    record: dict[str, Any]  # RapidOCR's preprocessing steps, to map boxes back


def _second_readings(first: _FirstReading) -> dict[int, Reading]:
    """New readings of the lines RapidOCR could not read, in Korean (see ``ocr.hangul``) or
    in another script its model lacks (see ``ocr.scripts``)."""
    if first.boxes is None:
        return {}
    if not (len(first.crops) == len(first.texts) == len(first.boxes)):
        return {}  # pragma: no cover - RapidOCR changed its outputs
    lines = FirstLines(first.crops, first.texts, first.scores)
    if hangul.worth_a_look(first.texts):
        korean = hangul.read_hangul(lines)
        if korean or hangul.chinese_or_japanese(first.texts, first.scores):
            return korean
    return scripts.read_other_scripts(lines)


def _apply_second(
    again: dict[int, Reading],
    first: _FirstReading,
    kept: list[int],
    votes: list[Any],
    cls_thresh: float,
    size: tuple[int, int],
    lines: list[Line],
    regions: list[TextRegion],
) -> None:
    """Put the second readings in: over the line RapidOCR kept, or as the line it dropped.

    The line's upside-down vote follows the turn Tesseract read it in: RapidOCR's direction
    classifier, trained on Chinese and Latin, guesses on Thai or Arabic, and the card is
    turned by the lines' votes (a card read upside down reads its lines bottom first).
    """
    if not again or first.boxes is None:
        return
    width, height = size
    quads = map_boxes_to_original(first.boxes.copy(), first.record, height, width)
    position = {index: k for k, index in enumerate(kept)}
    for index, reading in sorted(again.items()):
        turned = index < len(votes) and _turned(votes[index], cls_thresh)
        flipped = SECOND_VOTE if turned != reading.turned else 1 - SECOND_VOTE
        if index in position:
            old = lines[position[index]]
            lines[position[index]] = Line(reading.text, old.box, reading.score, ())
            regions[position[index]] = replace(regions[position[index]], upside_down=flipped)
            continue
        quad = np.asarray(quads[index], dtype=np.float64).reshape(4, 2)
        lines.append(Line(reading.text, _box(quad), reading.score, ()))
        regions.append(TextRegion(_reading_corners(quad), flipped))


def _turned(vote: Any, cls_thresh: float) -> bool:
    """Whether RapidOCR turned this line's crop half round before reading it."""
    label, score = vote
    return "180" in str(label) and float(score) > cls_thresh


def _turn_back(quad: Any, word: Any) -> np.ndarray:
    """A word's corners mirrored through the middle of its line's ``quad``.

    RapidOCR places word boxes as if the line crop had not been turned: on a line it read
    upside down, the first word's box sits where the last word is. Turning the crop half
    round maps a point (u, v) of the line's own frame to (w - u, h - v); doing that to the
    box puts each word back on its own pixels.
    """
    corners = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    w = float(max(np.linalg.norm(corners[0] - corners[1]), np.linalg.norm(corners[2] - corners[3])))
    h = float(max(np.linalg.norm(corners[0] - corners[3]), np.linalg.norm(corners[1] - corners[2])))
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    into = cv2.getPerspectiveTransform(corners, frame)
    points = np.asarray(word, dtype=np.float64).reshape(-1, 1, 2)
    local = cv2.perspectiveTransform(points, into.astype(np.float64)).reshape(-1, 2)
    mirrored = np.column_stack([w - local[:, 0], h - local[:, 1]]).reshape(-1, 1, 2)
    back = cv2.perspectiveTransform(mirrored, np.linalg.inv(into).astype(np.float64))
    return back.reshape(-1, 2)


def _reading_corners(quad: np.ndarray) -> tuple[tuple[float, float], ...]:
    """The corners in the order RapidOCR lays the line out for reading (see ``TextRegion``).

    RapidOCR cuts a line from ``quad`` with ``quad[0] -> quad[1]`` as the crop's x axis and
    turns the crop a quarter counter-clockwise when it is 1.5 times taller than wide
    (``get_rotate_crop_image``); its direction classifier then votes on that crop.
    """
    width = max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))
    height = max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))
    if width > 0 and height / width >= 1.5:
        quad = np.roll(quad, -1, axis=0)  # after the turn, old p1 is the crop's top-left
    return tuple((float(x), float(y)) for x, y in quad)


def _line_crop(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The line under ``quad`` cut out the way RapidOCR cuts it (see ``_reading_corners``)."""
    width = float(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = float(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    w, h = max(2, round(width)), max(2, round(height))
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    crop = cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_LINEAR)
    if h / w >= 1.5:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop
