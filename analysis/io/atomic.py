"""File writing shared by every stage that writes (private)."""

from __future__ import annotations

import glob
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place in one step.

    A killed run leaves either the old file or the new one, never half of one; the temporary
    file is removed when ``write`` fails. The result gets ordinary permissions (``0666`` less the
    umask), not the ``0600`` of ``mkstemp``: exports and reports are for sharing. The kernel
    applies the umask when the temporary file is created, so the process-wide umask is never
    flipped to read it (that races with other threads, e.g. Dask workers, creating files).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_temp(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _remove_stale_temps(path)
    return path


#: a temporary file of the same target untouched this long belongs to a killed writer
STALE_SECONDS = 3600


def _remove_stale_temps(path: Path) -> None:
    """Remove ``.<name>.<hex>.tmp`` files a killed writer left beside ``path``.

    Only temporaries of this very file name, and only those older than :data:`STALE_SECONDS`,
    so another writer still working on the same file keeps its own.
    """
    limit = time.time() - STALE_SECONDS
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink(missing_ok=True)
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue


def _new_temp(path: Path) -> Path:
    """Create an empty, uniquely named file beside ``path`` with mode ``0666`` less the umask."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"could not create a temporary file beside {path}")  # pragma: no cover


def pickle_to(path: Path, obj: object) -> None:
    """Pickle ``obj`` into ``path`` (streamed: no second copy of a big index in memory)."""
    import pickle

    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
