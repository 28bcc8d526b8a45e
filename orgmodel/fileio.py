"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["write_all_atomic", "write_atomic"]


#: Text is encoded and written in pieces of this many characters, so that a large report
#: is never held a second time as a whole.
_CHUNK = 1 << 20


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_temp(path: Path, data: str | bytes) -> str:
    """``data`` in a new temporary file beside ``path``, with the mode a plain open() would
    give; its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for start in range(0, len(data), _CHUNK):
                    # A lone surrogate (from a JSON escape) is written as its escape, "\\ud800".
                    handle.write(data[start:start + _CHUNK].encode("utf-8", "backslashreplace"))
        # mkstemp creates the file 0600; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp

def write_all_atomic(items: Sequence[tuple[str | Path, str | bytes]]) -> None:
    """Write every ``(path, data)`` through temporary files, renamed into place only once
    all of them were written, so that a failure leaves none of the targets changed."""
    done: list[tuple[Path, str]] = []
    try:
        for path, data in items:
            path = Path(path)
            done.append((path, _write_temp(path, data)))
    except BaseException:
        for _, tmp in done:
            Path(tmp).unlink(missing_ok=True)
        raise
    for path, tmp in done:
        os.replace(tmp, path)
