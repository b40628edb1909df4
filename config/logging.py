"""Logging helpers shared by every environment."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Lets one record of each kind through per interval and counts the ones it holds back.

    An unreachable cache or broker fails every request the same way; one line a minute (with
    how many were held back since) says as much as thousands would. A kind is the logger and
    the message before its arguments are filled in.
    """

    def __init__(self, seconds: float = 60, name: str = ""):
        super().__init__(name)
        self.seconds = seconds
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self.seconds:
                self._held[kind] = self._held.get(kind, 0) + 1
                return False
            self._last[kind] = now
            held = self._held.pop(kind, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last {self.seconds:g} s)"
        return True
