"""Time limits: an override template can loop, or hold a constant too big to compute, and one
such article must not stall a run (or a single render) for ever."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from ..errors import TemplateError

#: Seconds one article (or compiling the templates) may take; they take well under a millisecond
#: (tens of milliseconds). More means a template that loops. 0: no limit.
TIME_LIMIT = 30.0


class TooSlow(BaseException):
    """Raised from SIGALRM inside an article that ran past Options.time_limit (a
    BaseException, so no ``except Exception`` on the way can swallow it)."""


@contextmanager
def alarm(seconds: float) -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """For a chunk: a SIGALRM handler, and a factory of per-article time limits. Signals reach
    only the main thread; elsewhere, or with ``seconds`` 0, the limits do nothing."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield nullcontext
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow

    @contextmanager
    def limit() -> Iterator[None]:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        yield limit
    finally:
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def limited(seconds: float, what: str) -> Iterator[None]:
    """Run the block within ``seconds``, else a TemplateError saying that ``what`` took too long."""
    with alarm(seconds) as limit:
        try:
            with limit():
                yield
        except TooSlow:
            raise TemplateError(f"{what} took more than {seconds:g} s (a template that loops, "
                                f"or a constant too big to compute?); stopped") from None
