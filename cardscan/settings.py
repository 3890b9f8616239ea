"""One declared table of settings: name, default (which fixes the type) and help.

Precedence, lowest first: defaults < ``cardscan.toml`` in the data directory (or ``--config``)
< ``CARDSCAN_*`` environment variables < command-line flags. The result is passed into the
library explicitly; no module reads settings from globals.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from cardscan.errors import BadConfigError

ENV_PREFIX = "CARDSCAN_"
CONFIG_FILE_NAME = "cardscan.toml"


def default_data_dir() -> Path:
    """The per-user data directory: ``$XDG_DATA_HOME/cardscan`` or ``~/.local/share/cardscan``."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "cardscan"


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every setting cardscan has. See ``cardscan settings`` or the README for the table."""

    data: str = _setting(
        "", "Data directory holding cardscan.db and the photos (default: ~/.local/share/cardscan)."
    )
    engine: str = _setting(
        "rapidocr", "OCR engine: rapidocr (default, best on photos) or tesseract."
    )
    tesseract_languages: str = _setting(
        "eng+deu+fra+spa+por+ita+nld", "Tesseract language packs, joined by +."
    )
    default_region: str = _setting(
        "",
        "Two-letter country for phone numbers printed without +code, when the card does not"
        " say (e.g. US, GB, PT).",
    )
    max_upload_mb: int = _setting(30, "Largest photo accepted, in megabytes.")
    max_megapixels: int = _setting(
        40, "Largest image accepted, in megapixels (guards against decompression bombs)."
    )
    ocr_workers: int = _setting(
        0,
        "OCR worker processes `cardscan serve` starts: 0 for one per CPU core but one (at"
        " least one); `serve --no-workers` starts none (run `cardscan worker` instead).",
    )
    ocr_threads: int = _setting(
        0,
        "Threads the OCR engine runs with: 0 for every core in `scan` and `bench`, and the"
        " cores shared out between `serve`'s workers.",
    )
    web_processes: int = _setting(
        0,
        "Web server processes `cardscan serve` answers requests with, all on its one port: 0"
        " for two on a machine with two cores or more (uploads go on being acknowledged at"
        " once while one process is busy), else one.",
    )
    ocr_worker_nice: int = _setting(
        10, "How much lower the OCR workers' CPU priority is than the web server's (nice)."
    )
    ocr_idle_seconds: int = _setting(
        60,
        "Seconds an OCR worker waits with nothing to read before it lets go of its engine's"
        " memory (loaded again for the next card, in about a second); 0 keeps it loaded.",
    )
    ocr_max_tries: int = _setting(3, "Tries before a card that keeps failing is marked failed.")
    queue_url: str = _setting(
        "",
        "The OCR queue: empty for a file in the data directory (one machine), or"
        " redis://HOST:6379/0 when OCR workers run on several machines.",
    )
    sweep_seconds: int = _setting(
        15,
        "How often `cardscan serve` puts back cards left queued without a task or claimed by"
        " a worker that died.",
    )
    keep_intermediates: bool = _setting(
        False, "Save the pipeline's intermediate images next to the output (debugging)."
    )
    host: str = _setting("127.0.0.1", "Address the web server listens on.")
    port: int = _setting(8000, "Port the web server listens on.")
    base_url: str = _setting(
        "", "Public URL of the app (used in calendar links), e.g. https://cards.example.org."
    )
    allowed_hosts: str = _setting(
        "",
        "With base_url unset, the host names the app may put in links it makes (comma-separated,"
        " e.g. cards.lan,192.168.1.20); localhost always may. Other Host headers get no links.",
    )
    behind_proxy: bool = _setting(
        False,
        "A reverse proxy on this machine (Caddy, nginx) serves https: trust its"
        " X-Forwarded-For/-Proto/-Host headers (serve --behind-proxy).",
    )
    tls_cert: str = _setting(
        "", "TLS certificate (PEM) to serve https without a proxy (serve --cert)."
    )
    tls_key: str = _setting("", "The certificate's private key (PEM) (serve --key).")
    feed_private_notes: bool = _setting(
        False, "Include private contact notes in the calendar feed."
    )
    login_attempts_per_minute: int = _setting(
        10,
        "Wrong passwords an address may send in a minute before it must wait (a minute,"
        " then twice as long each time it goes on).",
    )
    smtp_host: str = _setting(
        "", "SMTP server for the daily digest e-mail, e.g. smtp.example.org (empty: no mail)."
    )
    smtp_port: int = _setting(0, "SMTP port (0: 587 with starttls, 465 with ssl, 25 with none).")
    smtp_user: str = _setting("", "SMTP login name (empty: send without logging in).")
    smtp_password: str = _setting(
        "", "SMTP password (better in CARDSCAN_SMTP_PASSWORD).", secret=True
    )
    smtp_from: str = _setting(
        "", "Sender of the digest, e.g. 'cardscan <cards@example.org>' (default: smtp_user)."
    )
    smtp_tls: str = _setting(
        "starttls", "SMTP encryption: starttls (default), ssl (implicit TLS) or none."
    )

    @property
    def data_dir(self) -> Path:
        """The data directory as a path (the default when unset)."""
        return Path(self.data).expanduser() if self.data else default_data_dir()


def setting_help() -> list[tuple[str, Any, str]]:
    """The table of settings: (name, default, help) in declaration order."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]


def is_secret(name: str) -> bool:
    """True for a setting whose value is never printed (a password)."""
    return any(f.name == name and f.metadata.get("secret") for f in fields(Settings))


def _coerce(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(text)
            if kind is int:
                return int(text)
            return text
        except ValueError:
            pass
    raise BadConfigError(
        f"setting {name!r} must be a {kind.__name__}, got {value!r}: fix it in the config file, "
        f"the {ENV_PREFIX}{name.upper()} variable or the flag."
    )


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from defaults, the config file, the environment and overrides.

    Args:
        overrides: values from command-line flags; ``None`` values are ignored.
        config_file: a TOML file; by default ``cardscan.toml`` in the data directory, if present.
        environ: the environment to read ``CARDSCAN_*`` from (default ``os.environ``).

    Raises:
        BadConfigError: a value has the wrong type, a name is unknown, or the file is not TOML.
    """
    environ = os.environ if environ is None else environ
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}

    env_values = {
        key[len(ENV_PREFIX) :].lower(): val
        for key, val in environ.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in known
    }
    flag_values = {k: v for k, v in (overrides or {}).items() if v is not None}
    for name in flag_values:
        if name not in known:
            raise BadConfigError(f"unknown setting {name!r}; known settings: {', '.join(known)}")

    data = flag_values.get("data") or env_values.get("data") or ""
    path = (
        Path(config_file)
        if config_file
        else ((Path(data).expanduser() if data else default_data_dir()) / CONFIG_FILE_NAME)
    )
    if config_file and not path.is_file():
        raise BadConfigError(f"config file {str(path)!r} does not exist: check the --config path.")
    if path.is_file():
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise BadConfigError(f"config file {str(path)!r} is not valid TOML: {e}") from e
        for name in file_values:
            if name not in known:
                raise BadConfigError(
                    f"unknown setting {name!r} in {str(path)!r}; known settings: {', '.join(known)}"
                )
        values.update(file_values)

    values.update(env_values)
    values.update(flag_values)
    typed = {name: _coerce(name, val, type(known[name].default)) for name, val in values.items()}
    return replace(Settings(), **typed)
