"""Every figure issue 18 ("fast and light enough for a small server") asks for, in one run:
``cardscan speed-report``.

Run it once on a quiet machine; it prints what it measured and the targets beside them:

- **Reading**, for each labelled photo set (the given folders and a freshly generated one):
  ``cardscan scan --json`` over all the photos in one process (wall, CPU and peak resident
  memory per card, the engine's load included) against the raw ``tesseract PHOTO stdout``
  CLI run on each photo; then the pipeline in process as ``cardscan bench`` scores it (median
  wall and CPU per card without the engine's load, and how many labelled fields it got
  right: the accuracy that must not drop).
- **Serve**: ``cardscan serve`` with its OCR workers, idle and under 20 clients x 5 uploads
  (upload acknowledgement p50/p95, resident memory of the server and of its workers).
- **Throughput**: N cards read by 1 and 2 ``cardscan worker`` processes through a Debian
  ``redis-server`` started for the run.

CPU times are the processes' own (user + system), so they hold on a busy machine where wall
times do not; the report starts and ends with the load average to show how quiet it was.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cardscan.errors import MissingDependencyError, ValidationError
from cardscan.workers import reading_malloc_env
from scripts import loadbench
from scripts.loadtest import load_photos

#: The checkout these tools live in (sample_cards/generate.py makes the fresh set).
ROOT = Path(__file__).resolve().parents[1]

#: Issue 18's targets.
TARGETS = {
    "scan_vs_tesseract": 0.5,  # whole pipeline at most half the raw tesseract CLI's time
    "median_seconds": 0.5,  # median wall per card on 2 cores
    "scan_rss_mb": 500,
    "serve_idle_mb": 250,
    "serve_load_mb": 600,
    "ack_p95_ms": 150,
}

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def _is_web(name: str) -> bool:
    """A process of ``loadbench``'s memory samples that answers requests ("serve", "web 2")."""
    return name == "serve" or name.startswith("web")


def _web_mb(memory: dict[str, float]) -> float:
    """The web processes' resident memory together, in MB."""
    return sum(mb for name, mb in memory.items() if _is_web(name))


@dataclass
class Measured:
    """One process run to its end: wall seconds, CPU seconds (user + system, its threads and
    children) and peak resident memory (MB)."""

    wall: float
    cpu: float
    peak_mb: float


def measure(command: Sequence[str], *, env: dict[str, str], stdout: Any = None) -> Measured:
    """Run a command to its end and measure it (``os.wait4``: the kernel's own accounting)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()  # drained so the child never blocks on a full pipe
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        tail = errors.decode("utf-8", "replace")[-1500:]
        raise ValidationError(f"{' '.join(command[:4])} ... exited {proc.returncode}: {tail}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _env() -> dict[str, str]:
    """This environment without cardscan settings (the defaults are what is measured), with
    the checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARDSCAN_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _photos(images: Path) -> list[Path]:
    return sorted(p for p in images.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)


# --- reading --------------------------------------------------------------------------------


@dataclass
class ReadingFigures:
    """One photo set: the pipeline against raw tesseract, and its accuracy."""

    name: str
    photos: int
    cards_read: int
    scan: Measured
    tesseract: Measured
    median_seconds: float
    median_cpu_seconds: float
    fields_right: int
    fields: int
    accuracy: dict[str, float | None] = field(default_factory=dict)

    def per_card(self, measured: Measured) -> tuple[float, float]:
        """(wall, CPU) seconds per photo."""
        return measured.wall / self.photos, measured.cpu / self.photos

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["scan_per_photo"] = dict(zip(("wall", "cpu"), self.per_card(self.scan), strict=True))
        data["tesseract_per_photo"] = dict(
            zip(("wall", "cpu"), self.per_card(self.tesseract), strict=True)
        )
        data["ratio_wall"] = self.scan.wall / self.tesseract.wall
        data["ratio_cpu"] = self.scan.cpu / self.tesseract.cpu
        return data


def read_set(name: str, images: Path, labels: Path, workdir: Path) -> ReadingFigures:
    """Measure one labelled photo set (see the module's docstring)."""
    photos = _photos(images)
    if not photos:
        raise ValidationError(f"no photos in {images}.")
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise MissingDependencyError("the tesseract CLI is not installed (./setup.sh).")
    env = _env()
    slug = "".join(c if c.isalnum() else "-" for c in name)
    runs = [measure([tesseract, str(p), "stdout"], env=env) for p in photos]
    tess = Measured(
        sum(r.wall for r in runs), sum(r.cpu for r in runs), max(r.peak_mb for r in runs)
    )
    out = workdir / f"scan-{slug}.jsonl"
    with out.open("wb") as f:
        scan = measure(
            [sys.executable, "-m", "cardscan", "--data", str(workdir / "data"), "scan", "--json"]
            + [str(p) for p in photos],
            env=env,
            stdout=f,
        )
    cards_read = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    bench_out = workdir / f"bench-{slug}.json"
    with bench_out.open("wb") as f:
        measure(
            [sys.executable, "-m", "scripts.speedreport", "--bench", str(images), str(labels)],
            env=reading_malloc_env(env),  # as scan and the OCR workers read (not tesseract)
            stdout=f,
        )
    bench = json.loads(bench_out.read_text(encoding="utf-8"))
    return ReadingFigures(
        name=name,
        photos=len(photos),
        cards_read=cards_read,
        scan=scan,
        tesseract=tess,
        median_seconds=bench["median_seconds"],
        median_cpu_seconds=bench["median_cpu_seconds"],
        fields_right=bench["fields_right"],
        fields=bench["fields"],
        accuracy=bench["accuracy"],
    )


def _bench(images: str, labels: str) -> None:
    """The pipeline in process as ``cardscan bench`` scores it, without the extra reads of
    its ceilings (``python -m scripts.speedreport --bench IMAGES LABELS``; prints JSON)."""
    from cardscan.reading.bench import CONTACT_FIELDS, run_bench
    from cardscan.settings import load_settings

    settings = load_settings({}, environ={})
    (run,) = run_bench(images, labels, settings, baseline=False, ceilings=False)
    # every field of every photo counts (a photo that failed has them all wrong)
    right = sum(bool(card.correct.get(name)) for card in run.cards for name in CONTACT_FIELDS)
    total = len(run.cards) * len(CONTACT_FIELDS)
    result = {
        "median_seconds": run.seconds(0.5),
        "median_cpu_seconds": run.cpu_seconds(),
        "fields_right": right,
        "fields": total,
        "accuracy": {name: run.accuracy(name) for name in CONTACT_FIELDS},
    }
    print(json.dumps(result))


def generated_set(workdir: Path, count: int, seed: int) -> tuple[Path, Path]:
    """A fresh labelled set from ``sample_cards/generate.py`` (photos the pipeline never saw)."""
    out = workdir / f"generated-{seed}"
    subprocess.run(
        [sys.executable, str(ROOT / "sample_cards" / "generate.py"), "--out", str(out),
         "--count", str(count), "--seed", str(seed)],
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out / "images", out / "labels"


# --- the report -----------------------------------------------------------------------------


@dataclass
class SpeedReport:
    """Everything :func:`run` measured."""

    started: str
    machine: dict[str, Any]
    reading: list[ReadingFigures] = field(default_factory=list)
    serve: loadbench.ServeReport | None = None
    throughput: list[loadbench.ThroughputRun] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "started": self.started,
            "machine": self.machine,
            "targets": TARGETS,
            "reading": [r.to_dict() for r in self.reading],
            "serve": self.serve.to_dict() if self.serve else None,
            "throughput": [r.to_dict() for r in self.throughput],
            "seconds": round(self.seconds, 1),
        }

    def summary(self) -> str:
        """The report as text."""
        m = self.machine
        lines = [
            f"cardscan speed-report  {self.started}  commit {m['commit']}  {m['cores']} cores"
            f"  load average {m['load_before']} before, {m['load_after']} after"
            f"  ({self.seconds / 60:.1f} min)",
        ]
        for r in self.reading:
            sw, sc = r.per_card(r.scan)
            tw, tc = r.per_card(r.tesseract)
            lines += [
                "",
                f"Reading: {r.name} ({r.photos} photos, {r.cards_read} cards read)",
                f"  cardscan scan --json, one process: {sw:.2f} s wall, {sc:.2f} s CPU a photo;"
                f" peak RSS {r.scan.peak_mb:.0f} MB (target <= {TARGETS['scan_rss_mb']})",
                f"  raw tesseract CLI, a process a photo: {tw:.2f} s wall, {tc:.2f} s CPU a"
                f" photo; peak RSS {r.tesseract.peak_mb:.0f} MB",
                f"  scan / tesseract: {r.scan.wall / r.tesseract.wall:.2f}x wall,"
                f" {r.scan.cpu / r.tesseract.cpu:.2f}x CPU"
                f" (target <= {TARGETS['scan_vs_tesseract']}x)",
                f"  in process (bench): median {r.median_seconds:.2f} s wall"
                f" (target <= {TARGETS['median_seconds']}), {r.median_cpu_seconds:.2f} s CPU a"
                f" card; fields right {r.fields_right} of {r.fields}",
            ]
        if self.serve is not None:
            s = self.serve
            load = s.load
            webs = sum(_is_web(name) for name in s.under_load.peaks) or 1
            lines += [
                "",
                f"Serve with {webs} web process(es) and {s.workers} OCR worker(s):"
                f" {load.clients} clients x"
                f" {load.uploads_per_client} uploads, {load.acknowledged} acknowledged,"
                f" errors {dict(load.errors) or 'none'}",
                f"  upload ack p50 {1000 * load.percentile(0.5):.0f} ms, p95"
                f" {1000 * load.percentile(0.95):.0f} ms (target p95 < {TARGETS['ack_p95_ms']})",
                "  in the server per upload (ms, p50/p95): "
                + (
                    ", ".join(f"{k} {a:.1f}/{b:.1f}" for k, (a, b) in load.server_ms().items())
                    or "not reported"
                ),
                f"  resident MB idle: web {_web_mb(s.idle.now):.0f}, all"
                f" {s.idle.total_now:.0f} {s.idle.now} (target <= {TARGETS['serve_idle_mb']};"
                " workers idle past ocr_idle_seconds)",
                f"  resident MB right after a card, engines loaded: all"
                f" {s.loaded.total_now if s.loaded else 0:.0f}"
                f" {s.loaded.now if s.loaded else {}}",
                f"  resident MB under load (peak): web"
                f" {_web_mb(s.under_load.peaks):.0f}, all {s.under_load.sum_peak:.0f}"
                f" {s.under_load.peaks} (target <= {TARGETS['serve_load_mb']})",
                "  "
                + (
                    f"every card read {s.drained_seconds:.0f} s after the first upload"
                    if s.drained_seconds is not None
                    else "the cards were not all read in time"
                ),
            ]
        if self.throughput:
            lines += ["", "Throughput (cardscan worker processes, Redis queue):"]
            for t in self.throughput:
                lines.append(
                    f"  {t.workers} worker(s): {t.cards} cards in {t.seconds:.1f} s ="
                    f" {t.per_minute:.1f} cards/min, {t.cpu_seconds / t.cards:.2f} CPU s a card"
                    + (f", {t.failed} failed" if t.failed else "")
                )
        return "\n".join(lines)


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return done.stdout.strip()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(
    sets: Sequence[tuple[str, Path, Path]],
    *,
    generate: int = 24,
    seed: int = 1818,
    clients: int = 20,
    uploads: int = 5,
    cards: int = 40,
    parts: Sequence[str] = ("reading", "serve", "throughput"),
    progress: Callable[[str], None] = lambda _: None,
) -> SpeedReport:
    """Measure everything (see the module's docstring).

    Args:
        sets: labelled photo sets as (name, images folder, labels folder).
        generate: photos in the generated set (0: none).
        seed: the generated set's seed.
        clients, uploads: the upload load on ``serve``.
        cards: cards per throughput run.
        parts: which of "reading", "serve", "throughput" to run.
        progress: told what starts.
    """
    started = time.monotonic()
    report = SpeedReport(
        started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        machine={
            "cores": len(os.sched_getaffinity(0)),
            "cpu": platform.processor() or platform.machine(),
            "load_before": _load(),
            "commit": _commit(),
        },
    )
    with tempfile.TemporaryDirectory(prefix="cardscan-speed-") as tmp:
        work = Path(tmp)
        all_sets = list(sets)
        if "reading" in parts and generate:
            progress(f"generating {generate} photos (seed {seed})")
            images, labels = generated_set(work, generate, seed)
            all_sets.append((f"generated (seed {seed})", images, labels))
        if "reading" in parts:
            for name, images, labels in all_sets:
                progress(f"reading: {name}")
                report.reading.append(read_set(name, images, labels, work))
        photos = load_photos(sets[0][1] if sets else ROOT / "sample_cards" / "images")
        if "serve" in parts:
            progress(f"serve under {clients} clients x {uploads} uploads")
            report.serve = loadbench.serve_under_load(photos, clients=clients, uploads=uploads)
        if "throughput" in parts:
            progress(f"throughput: {cards} cards, 1 and 2 workers, Redis")
            with loadbench.local_redis(work) as url:
                report.throughput = loadbench.worker_throughput(
                    photos, cards=cards, workers=(1, 2), queue_url=url
                )
    report.machine["load_after"] = _load()
    report.seconds = time.monotonic() - started
    return report


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bench":
        _bench(sys.argv[2], sys.argv[3])
    else:
        sys.exit("run `cardscan speed-report` (this module's --bench is its helper).")
