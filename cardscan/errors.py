"""One hierarchy of errors: each knows its CLI exit code and its HTTP status.

The library raises these; only the CLI (``cli/root.py``) and the web app (``web/errors.py``)
translate them, each in one place.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``cardscan`` command."""

    ok = 0
    other_error = 1
    bad_args = 2
    input_file = 3
    missing_dependency = 4
    not_found = 5
    no_text = 6
    conflict = 7
    permission = 8
    bad_config = 9
    storage = 10
    interrupted = 130


class CardscanError(Exception):
    """Base of every error cardscan raises on purpose.

    The message says what was wrong, names the bad value and says how to fix it.
    """

    exit_code: ExitCode = ExitCode.other_error
    http_status: int = 500

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__doc__ or self.__class__.__name__)

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self.args[0]) if self.args else ""


class InputImageError(CardscanError):
    """The file is not an image cardscan can read."""

    exit_code = ExitCode.input_file
    http_status = 415


class ImageTooLargeError(InputImageError):
    """The image or upload is larger than allowed."""

    http_status = 413


class NoTextFoundError(CardscanError):
    """No text was found on the image."""

    exit_code = ExitCode.no_text
    http_status = 422


class MissingDependencyError(CardscanError):
    """A program or data file cardscan needs is not installed."""

    exit_code = ExitCode.missing_dependency
    http_status = 500


class OcrEngineError(CardscanError):
    """The OCR engine failed while reading an image."""

    exit_code = ExitCode.other_error
    http_status = 500


class NotFoundError(CardscanError):
    """The thing asked for does not exist (or belongs to someone else)."""

    exit_code = ExitCode.not_found
    http_status = 404


class ValidationError(CardscanError):
    """A value given by the user is not acceptable."""

    exit_code = ExitCode.bad_args
    http_status = 400


class ConflictError(CardscanError):
    """The request conflicts with what is stored."""

    exit_code = ExitCode.conflict
    http_status = 409


class GoneError(CardscanError):
    """It existed, but can no longer be used (an expired or used one-click link)."""

    exit_code = ExitCode.conflict
    http_status = 410


class MailError(CardscanError):
    """The mail could not be sent (the SMTP server could not be reached, or refused it)."""

    exit_code = ExitCode.other_error
    http_status = 502


class AuthError(CardscanError):
    """Not logged in, or the credentials are wrong."""

    exit_code = ExitCode.permission
    http_status = 401


class ForbiddenError(CardscanError):
    """Logged in, but not allowed to do this."""

    exit_code = ExitCode.permission
    http_status = 403


class RateLimitedError(CardscanError):
    """Too many attempts; wait before trying again."""

    exit_code = ExitCode.permission
    http_status = 429


class BadConfigError(CardscanError):
    """A setting has a value cardscan cannot use."""

    exit_code = ExitCode.bad_config
    http_status = 500


class StorageError(CardscanError):
    """The data directory's database or files cannot be read or written."""

    exit_code = ExitCode.storage
    http_status = 503


class DiskFullError(StorageError):
    """The disk holding the data directory is full."""

    http_status = 507
