"""``cardscan doctor``: check an install and its data directory; every problem comes with its fix.

:func:`diagnose` runs the checks and returns a :class:`Report`: one :class:`Check` per area
(OCR engine, data directory, database, address, TLS, OCR workers and queue, e-mail, disk),
each saying what it found and listing its problems, each problem with the command or setting
that fixes it.

``full=False`` leaves out what takes seconds or uses the network (loading the OCR models,
the full integrity check and the photos, reaching ``base_url`` and the SMTP server): that
fast part runs at every ``cardscan serve``.

Example::

    report = diagnose(load_settings())
    for check in report.checks:
        print(check.name, check.found, [p.fix for p in check.problems])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from cardscan.errors import CardscanError
from cardscan.settings import Settings

#: Less free space than this on the data directory's disk is a problem (a card's photo is
#: about 1 MB, its rows about 5 KB, and an upgrade copies the database first).
MIN_FREE_BYTES = 1 << 30
#: Seconds the network checks wait for an answer.
TIMEOUT = 5.0


@dataclass(frozen=True)
class Problem:
    """Something wrong, and how to fix it.

    ``error``: cardscan cannot work properly (no engine, a damaged database, a directory it
    cannot write). ``warning``: it works, but not safely or not for everyone (no https for
    phones, a data directory others can read, little disk left).
    """

    message: str
    fix: str
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class Check:
    """One area checked: what was found, and its problems (none when all is well)."""

    name: str
    found: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


@dataclass(frozen=True)
class Report:
    """Every check :func:`diagnose` ran, in order."""

    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def problems(self) -> list[Problem]:
        """Every problem found, errors first."""
        found = [p for c in self.checks for p in c.problems]
        return sorted(found, key=lambda p: p.severity != "error")

    @property
    def ok(self) -> bool:
        """Nothing wrong."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``cardscan doctor --json``)."""
        return {"ok": self.ok, "checks": [{**asdict(c), "ok": c.ok} for c in self.checks]}


def settings_report(error: CardscanError) -> Report:
    """The report when the settings themselves cannot be loaded: nothing else can be checked."""
    problem = Problem(
        error.message,
        "correct the value the message names; `cardscan settings` lists every setting.",
    )
    return Report((Check("Settings", "cannot be loaded", (problem,)),))


def diagnose(
    settings: Settings,
    *,
    full: bool = True,
    min_free_bytes: int = MIN_FREE_BYTES,
    timeout: float = TIMEOUT,
) -> Report:
    """Check the install and the data directory ``settings`` point at; change nothing.

    Args:
        settings: the settings the server runs with (data directory, engine, base_url, TLS,
            proxy, SMTP).
        full: also load the OCR engine and read a test line, run ``integrity_check`` and
            look for every card's photo, and reach ``base_url`` and the SMTP server; without
            it only the checks fast enough for every server start run.
        min_free_bytes: less free disk than this is a problem.
        timeout: seconds each network check waits.

    Returns:
        The report; ``report.ok`` is False when anything is wrong.
    """
    from cardscan.doctor import local, network, workers

    checks = [
        local.check_engine(settings, load=full),
        local.check_data_dir(settings.data_dir),
        local.check_database(settings.data_dir, full=full),
        network.check_address(settings),
        network.check_tls(settings),
        workers.check_workers(settings, full=full),
    ]
    if full and settings.base_url:
        checks.append(network.check_reachable(settings, timeout=timeout))
    if full:
        checks.append(network.check_queue(settings, timeout=timeout))
        checks.append(network.check_mail(settings, timeout=timeout))
    checks.append(local.check_disk(settings.data_dir, min_free_bytes=min_free_bytes))
    return Report(tuple(checks))


__all__ = ["MIN_FREE_BYTES", "Check", "Problem", "Report", "diagnose", "settings_report"]
