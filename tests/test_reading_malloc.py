"""A process that reads photos runs glibc's malloc tuned for it (``workers.reading_malloc_env``):
the user's own malloc tunables win, nothing where huge pages are off, and ``cardscan scan``
starts itself again with them (glibc reads them only when a process starts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cardscan import workers
from tests.support import hardening as h


@pytest.fixture
def huge_pages(tmp_path, monkeypatch):
    """The kernel's transparent huge pages setting, as a file the test writes."""
    path = tmp_path / "enabled"
    monkeypatch.setattr(workers, "_THP", path)
    return path


def test_the_tunables_are_added_to_the_users_own(huge_pages):
    huge_pages.write_text("always [madvise] never\n")
    env = workers.reading_malloc_env({"HOME": "/root"})
    assert env == {
        "HOME": "/root",
        "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1",
    }
    # The user's other tunables stay; malloc's own, when the user sets any, are the user's.
    other = {"GLIBC_TUNABLES": "glibc.rtld.optional_static_tls=512"}
    assert workers.reading_malloc_env(other)["GLIBC_TUNABLES"] == (
        "glibc.rtld.optional_static_tls=512"
        ":glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1"
    )
    assert other == {"GLIBC_TUNABLES": "glibc.rtld.optional_static_tls=512"}
    defaults = {"GLIBC_TUNABLES": "glibc.rtld.optional_static_tls=512:glibc.malloc.hugetlb=0"}
    assert workers.reading_malloc_env(defaults) == defaults


def test_nothing_is_added_where_huge_pages_are_off(huge_pages):
    # Memory handed back and faulted in again on 4 KB pages costs a quarter more CPU.
    huge_pages.write_text("always madvise [never]\n")
    assert workers.reading_malloc_env({"HOME": "/root"}) == {"HOME": "/root"}
    huge_pages.unlink()  # a kernel without them
    assert workers.reading_malloc_env({"HOME": "/root"}) == {"HOME": "/root"}


def test_scan_starts_itself_again_with_the_tunables(tmp_path):
    tuned = workers.reading_malloc_env({})
    if not tuned:
        pytest.skip("no glibc or no transparent huge pages here: nothing to start again with")
    fifo = tmp_path / "card.jpg"  # scan waits on it, so its environment can be looked at
    os.mkfifo(fifo)
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    env["CARDSCAN_DATA"] = str(tmp_path / "data")
    command = [sys.executable, "-m", "cardscan", "scan", str(fifo), "--json"]
    proc = subprocess.Popen(
        [*command, "--engine", "tesseract"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        environ = Path(f"/proc/{proc.pid}/environ")
        # (glibc cuts the value at each ":" in the start's own copy, which /proc shows)
        wanted = [t.encode() for t in tuned["GLIBC_TUNABLES"].split(":")]
        h.wait_for(lambda: all(t in environ.read_bytes() for t in wanted))
        # The same process (pid), arguments and streams: it reads the file and says why
        # it is not a photo.
        end = h.wait_for(lambda: _open_for_writing(fifo))
        os.write(end, b"shopping list")
        os.close(end)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 3, err
    assert out == b"" and f"Error: {fifo}: the file is not an image".encode() in err


def _open_for_writing(fifo: Path) -> int | None:
    """The fifo's writing end once a reader has it open (None before)."""
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return None
