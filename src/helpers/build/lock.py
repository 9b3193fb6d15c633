"""One run at a time per output folder: an exclusive lock on a file beside it.

The lock file ``.NAME.lock`` (for the output folder ``NAME``) lies in the output folder's
parent and holds the process id of the run that has it. It is locked with ``fcntl.flock``,
so the lock ends with the process however it ends (the operating system releases it), and
a stale file left by a killed run does not block the next one. A second run into the same
folder stops at once with :class:`OutputBusyError`, naming the first run's process id.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import BookError

__all__ = ["OutputBusyError", "lock_path", "output_lock"]


class OutputBusyError(BookError):
    """Another run is writing the same output folder.

    Attributes
    ----------
    pid : int or None
        Process id of the other run (None if its lock file does not say).
    """

    def __init__(self, out_dir: Path, pid: int | None):
        self.pid = pid
        who = f"another cocapp run (process {pid})" if pid else "another cocapp run"
        stop = f" or stop it (kill {pid})" if pid else ""
        super().__init__(
            f"{who} is writing {out_dir} (lock file {lock_path(out_dir)}); wait for it to end{stop}, "
            "or choose another --out"
        )


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: ``.NAME.lock`` beside it."""
    return out_dir.with_name(f".{out_dir.name}.lock")


def _holder(fd: int) -> int | None:
    """The process id written in an open lock file (None if it holds none)."""
    with contextlib.suppress(OSError, ValueError):
        return int(os.pread(fd, 32, 0).decode("ascii").strip())
    return None


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[Path]:
    """Hold the lock of ``out_dir`` (its parent folder must exist); yield the lock file.

    The lock file is removed when the block ends.

    Raises
    ------
    OutputBusyError
        At once, if another process holds the lock.
    """
    path = lock_path(out_dir)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _holder(fd)
            os.close(fd)
            raise OutputBusyError(out_dir, pid) from None
        # The holder before us may have removed the file after we opened it: lock the file in place.
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        opened = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
