"""Progress reporting and cancellation for long runs.

An operation calls ``progress.advance(n)`` as it works. The `Progress` object hands
the count to a reporter (a text bar on stderr, Excel's status bar) at most every
``interval`` seconds and asks a cancel check at the same pace; when the check says
stop it raises `CancelledError`. Operations only build a plan, so a cancelled run
has written nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

from .errors import CancelledError

__all__ = ["Reporter", "Progress", "TextBar", "StatusBar", "NullReporter"]


class Reporter(Protocol):
    def report(self, done: int, total: int, label: str) -> None: ...

    def close(self) -> None: ...


class NullReporter:
    """Reports nothing (library use, tests)."""

    def report(self, done: int, total: int, label: str) -> None:
        pass

    def close(self) -> None:
        pass


class Progress:
    """Counts work done and polls for cancellation.

    Parameters
    ----------
    reporter : Reporter, optional
        Where progress is shown; nothing is shown by default.
    cancelled : callable returning bool, optional
        Asked every `interval` seconds; True stops the run with `CancelledError`.
    interval : float
        Seconds between reports and cancel checks.
    clock : callable
        Monotonic clock, swappable in tests.

    Examples
    --------
    >>> p = Progress()
    >>> p.start(10, "clean"); p.advance(4); p.done
    4
    >>> stop = Progress(cancelled=lambda: True, interval=0)
    >>> stop.start(10, "clean"); stop.advance(1)
    Traceback (most recent call last):
    ...
    addrkit.errors.CancelledError: 已取消，未写入任何内容 / Cancelled; nothing was written
    """

    def __init__(
        self,
        reporter: Reporter | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.reporter = reporter or NullReporter()
        self.cancelled = cancelled
        self.interval = interval
        self.clock = clock
        self.total = 0
        self.done = 0
        self.label = ""
        self._last = float("-inf")

    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.label = max(0, int(total)), 0, label
        self._last = float("-inf")
        self._tick(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._tick(force=self.done >= self.total)

    def check(self) -> None:
        """Raise `CancelledError` now if the user asked to stop."""
        if self.cancelled is not None and self.cancelled():
            raise CancelledError("已取消，未写入任何内容 / Cancelled; nothing was written")

    def _tick(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.check()
        self.reporter.report(self.done, self.total, self.label)

    def close(self) -> None:
        self.reporter.close()


class TextBar:
    """A one-line text progress bar redrawn in place on a terminal stream (stderr).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO(); bar = TextBar(out, width=10)
    >>> bar.report(5, 10, "clean"); out.getvalue().strip()
    'clean [#####-----]  50% 5/10'
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self._drawn = False

    def report(self, done: int, total: int, label: str) -> None:
        share = done / total if total else 1.0
        filled = int(round(self.width * min(share, 1.0)))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{label} [{bar}] {share:4.0%} {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


class StatusBar:
    """Progress in Excel's status bar; `close` gives the status bar back to Excel.

    Parameters
    ----------
    app : xlwings.App (or anything with a ``status_bar`` attribute)
    """

    def __init__(self, app) -> None:
        self.app = app
        self._before = None
        self._saved = False

    def report(self, done: int, total: int, label: str) -> None:
        if not self._saved:
            self._before, self._saved = self.app.status_bar, True
        share = done / total if total else 1.0
        # No cancel hint: the ribbon has no Cancel button, and while xlwings' RunPython
        # waits for Python, Excel takes no clicks; pointing at one would mislead.
        self.app.status_bar = f"地址工具 {label}: {share:.0%} ({done}/{total}) — 请稍候 please wait"

    def close(self) -> None:
        # False hands the status bar back to Excel, which is what it showed before unless a
        # macro had set its own text.
        self.app.status_bar = self._before if self._saved and self._before else False
