"""Writing output files so that a failure never leaves a half-written file behind.

A regular file (or a symbolic link to one, which stays a link) is replaced atomically: the
data goes to a temporary file beside the target, named ``.NAME.PID.XXXX.tmp``, which is
renamed over it. Anything else (a FIFO, a device such as ``/dev/null``, ``/dev/stdout``) is
written through, as an editor would, and never replaced. A temporary file left by a run that
was killed (its process is gone) is removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["sweep_stale", "write_all_atomic", "write_atomic"]


#: Text is encoded and written in pieces of this many characters, so that a large report
#: is never held a second time as a whole.
_CHUNK = 1 << 20


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename
    (written through when ``path`` is not a regular file)."""
    write_all_atomic([(path, data)])


def _target(path: Path) -> tuple[Path, bool]:
    """Where to write for ``path``, and whether atomically: a link's target for a link to a
    regular file; ``path`` itself, written through, for anything but a regular file."""
    try:
        info = path.stat()  # follows links
    except (FileNotFoundError, NotADirectoryError):
        return path, True
    except OSError:
        return path, True  # let the write report the problem
    if not stat.S_ISREG(info.st_mode):
        return path, False
    if path.is_symlink() or any(p.is_symlink() for p in path.parents):
        return Path(os.path.realpath(path)), True
    return path, True


def _write_through(path: Path, data: str | bytes) -> None:
    with open(path, "wb") as handle:
        _write_data(handle, data)


def _write_data(handle: object, data: str | bytes) -> None:
    write = handle.write  # type: ignore[attr-defined]
    if isinstance(data, bytes):
        write(data)
    else:
        for start in range(0, len(data), _CHUNK):
            # A lone surrogate (from a JSON escape) is written as its escape, "\ud800".
            write(data[start : start + _CHUNK].encode("utf-8", "backslashreplace"))


def _write_temp(path: Path, data: str | bytes) -> str:
    """``data`` in a new temporary file beside ``path``, with the mode a plain open() would
    give; its name."""
    sweep_stale(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_data(handle, data)
        # mkstemp creates the file 0600; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def sweep_stale(path: str | Path) -> list[Path]:
    """Remove the temporary files beside ``path`` that a killed run of orgmodel left (named
    ``.NAME.PID.XXXX.tmp``, with PID no longer running); the files removed."""
    path = Path(path)
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[^./]+\.tmp\Z")
    removed: list[Path] = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.match(name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()
            removed.append(path.parent / name)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a process id: leave the file
    return True


def write_all_atomic(items: Sequence[tuple[str | Path, str | bytes]]) -> None:
    """Write every ``(path, data)`` through temporary files, renamed into place only once
    all of them were written, so that a failure leaves none of the targets changed (targets
    that are not regular files are written through after the renames)."""
    done: list[tuple[Path, str]] = []
    through: list[tuple[Path, str | bytes]] = []
    try:
        for path, data in items:
            target, atomic = _target(Path(path))
            if atomic:
                done.append((target, _write_temp(target, data)))
            else:
                through.append((target, data))
    except BaseException:
        for _, tmp in done:
            Path(tmp).unlink(missing_ok=True)
        raise
    try:
        for path, tmp in done:
            os.replace(tmp, path)
    finally:
        for _, left in done:
            Path(left).unlink(missing_ok=True)
    for path, data in through:
        _write_through(path, data)
