"""Stopping a run on SIGINT (Ctrl-C) and SIGTERM.

While a run is in progress, either signal raises :class:`RunInterrupted` in the main thread;
the runner then stops the running kernels, removes its staging folder and leaves the output
folder as it was. Further signals are ignored until that cleanup is done. A signal that arrives
while the finished result is being moved into place comes too late: the run ends normally.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType, TracebackType

__all__ = ["STOP_SIGNALS", "RunInterrupted", "StopSignals"]

#: The signals that stop a run.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by a signal.

    Attributes
    ----------
    signum : int
        The signal.
    name : str
        Its name, e.g. ``"SIGTERM"``.
    exit_status : int
        ``128 + signum``, the shell's status of a process ended by that signal (130, 143).
    """

    def __init__(self, signum: int):
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_status = 128 + signum
        super().__init__(f"stopped by {self.name}")


class StopSignals:
    """Context manager turning SIGINT and SIGTERM into :class:`RunInterrupted` (main thread only).

    Outside the main thread, where no signal handler can be set, it does nothing.

    Attributes
    ----------
    received : int or None
        The first signal received.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._deferring = False
        self._raised = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:  # already stopping
            return
        self.received = signum
        if not self._deferring:
            self._raised = True
            raise RunInterrupted(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """A block that a signal does not interrupt; :meth:`stop_if_received` acts on it afterwards."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def stop_if_received(self) -> None:
        """Raise :class:`RunInterrupted` for a signal that arrived during a deferred block."""
        if self.received is not None and not self._raised:
            self._raised = True
            raise RunInterrupted(self.received)
