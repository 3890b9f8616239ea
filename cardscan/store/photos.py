"""Photos on disk, by content hash, beside the database; images made from them in ``cache/``."""

from __future__ import annotations

from pathlib import Path

from cardscan.errors import NotFoundError
from cardscan.photometa import strip_metadata
from cardscan.store._base import photo_hash, write_atomically

#: Beside ``photos/``: images made from the photos (thumbnails, flattened cards). Safe to delete.
CACHE_DIR = "cache"


class Photos:
    """The photos directory: each photo stored once, atomically, under its sha256."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.cache_dir = directory.parent / CACHE_DIR  # derived images, made again when missing

    def path(self, digest: str) -> Path:
        """Where a stored photo lives on disk.

        Raises:
            NotFoundError: no photo with that hash is stored.
        """
        if not digest or not all(c in "0123456789abcdef" for c in digest):
            raise NotFoundError(f"no photo {digest!r}: photo names are sha256 hex digests.")
        path = self._file(digest)
        if not path.is_file():
            raise NotFoundError(f"no photo {digest!r} in {str(self.dir)!r}.")
        return path

    def save(self, data: bytes) -> str:
        """Store a photo without its metadata (GPS, camera, time: see ``cardscan.photometa``)
        by content hash, atomically and once; return the hash."""
        data = strip_metadata(data)
        digest = photo_hash(data)
        path = self._file(digest)
        if not path.is_file():
            write_atomically(path, data)
        return digest

    def _file(self, digest: str) -> Path:
        return self.dir / digest[:2] / f"{digest}.jpg"
