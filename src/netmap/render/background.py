"""Work done by a second process while this one goes on: the report writes its tables while it draws its maps.

:func:`beside` forks where the system can (Linux, macOS): the child sees the
same data without copying it up front, writes its files and exits; an error
in it comes back as an error of :meth:`Job.wait`. Where there is no fork, or
with ``NETMAP_NO_FORK=1``, the work runs at once, in this process.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from .. import progress

__all__ = ["Job", "beside"]


class Job:
    """A piece of work started by :func:`beside`."""

    def __init__(self, pid: int | None = None, pipe: int | None = None, error: BaseException | None = None):
        self.pid, self.pipe, self.error = pid, pipe, error

    def wait(self) -> None:
        """Wait until the work is done; raise its error, if it failed."""
        if self.pid is None:
            if self.error is not None:
                raise self.error
            return
        with os.fdopen(self.pipe, "rb") as f:
            message = f.read().decode("utf-8", "replace")
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status == 0:
            return
        kind, _, text = message.partition("\0")
        if kind == "OSError":
            number, _, reason = text.partition("\0")
            raise OSError(int(number), reason) if number else OSError(reason or "writing the tables failed")
        if kind:
            raise RuntimeError(f"{kind}: {text}")
        raise OSError(f"writing the tables stopped (exit status {status})")

    def stop(self) -> None:
        """Stop the work (the caller failed and will not use it)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.pipe)
        self.pid = None


def beside(work: Callable[[], None]) -> Job:
    """Start ``work()`` in a forked child process and return at once (see the module)."""
    if not hasattr(os, "fork") or os.environ.get("NETMAP_NO_FORK"):
        try:
            work()
        except Exception as e:  # raised by wait(), where the forked version raises it too
            return Job(error=e)
        return Job()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, say what failed, and leave without running the parent's clean-up
        os.close(read)
        status = 0
        try:
            progress.disable()  # the parent reports the step
            work()
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
            status = 1
            if isinstance(e, OSError):  # errno and reason, so that the parent reports it as it reports its own
                text = f"OSError\0{e.errno or ''}\0{e.strerror or e}"
            else:
                text = f"{type(e).__name__}\0{e}"
            os.write(write, text.encode("utf-8", "replace")[:60_000])
        finally:
            os._exit(status)
    os.close(write)
    return Job(pid, read)
