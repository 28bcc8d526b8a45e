"""Work in a forked second process, for the large documents where it pays off.

Loading and analyzing a large organization is CPU-bound Python, so a second core helps
only through a second process. A forked child shares the loaded data copy-on-write instead
of reading it again; it sends its result back pickled through a pipe. Used on Linux only
(fork is the default start method there, and orgmodel starts no threads), and never with
``ORGMODEL_JOBS=1``. Whatever goes wrong in the child, the caller gets no result and does the
work itself, so the outcome never depends on whether a second process ran.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["Forked", "may_fork"]


def may_fork() -> bool:
    """True where work may go to a forked second process."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get("ORGMODEL_JOBS", "").strip() != "1")


class Forked:
    """``function(*args)`` running in a forked child; :meth:`result` waits for it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any) -> Forked | None:
        """Fork, and call ``function(*args)`` in the child; None if the system would not
        make a process (then do the work yourself)."""
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: compute, send, and leave without any cleanup
            os.close(read_fd)
            try:
                payload = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as out:
                    out.write(payload)
            except BaseException:  # whatever it is, the parent does the work itself
                os._exit(1)
            os._exit(0)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> tuple[bool, Any]:
        """Wait for the child: (True, its result), or (False, None) if it failed."""
        with os.fdopen(self.fd, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not payload:
            return False, None
        return True, pickle.loads(payload)

    def abandon(self) -> None:
        """Stop listening; the child fails to send (broken pipe) or is stopped, and ends."""
        os.close(self.fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
