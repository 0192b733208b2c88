"""A progress bar on a terminal, silence elsewhere.

A long build shows which stage it is in and how far along, redrawn in place
on stderr; a build whose stderr is a file, a pipe or CI prints nothing here,
so logs hold only problems and the closing summary. The bar appears only once
a build has run for ``delay`` seconds, so short builds do not flicker. Nothing
here touches the site: timings never reach an output file.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Stages with a count each: ``stage("render pages", 120)``, then ``advance()`` per item."""

    def __init__(
        self,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        delay: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        width: int = 24,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.delay = delay
        self.clock = clock
        self.width = width
        self.started = clock()
        self.name = ""
        self.total = 1
        self.done = 0
        self.stages = 0
        self.drawn = False
        self.last_draw = float("-inf")

    def stage(self, name: str, total: int = 1) -> None:
        self.stages += 1
        self.name, self.total, self.done = name, max(total, 1), 0
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total)
        self._draw(force=self.done == self.total)

    def close(self) -> None:
        """Erase the bar, so the summary line that follows stands alone."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (not force and now - self.last_draw < 0.1):
            return
        filled = self.width * self.done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} {self.name}")
        self.stream.flush()
        self.drawn, self.last_draw = True, now


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Silent(Progress):
    """The bar for callers that want none (tests, the preview server)."""

    def __init__(self) -> None:
        super().__init__(enabled=False)
