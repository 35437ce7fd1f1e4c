"""File writing shared by every stage that writes (private)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place in one step.

    A killed run leaves either the old file or the new one, never half of one; the temporary
    file is removed when ``write`` fails. The result gets ordinary permissions (``0666`` less the
    umask), not the ``0600`` of ``mkstemp``: exports and reports are for sharing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def pickle_to(path: Path, obj: object) -> None:
    """Pickle ``obj`` into ``path`` (streamed: no second copy of a big index in memory)."""
    import pickle

    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
