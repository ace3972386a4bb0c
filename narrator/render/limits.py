"""Time and memory limits: an override template can loop, hold a constant too big to compute, or
build a value too big to hold, and one such article must not stall a run (or a single render)
for ever, nor have the OOM killer end it without a word."""

from __future__ import annotations

import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from ..errors import TemplateError

#: Seconds one article (or compiling the templates) may take; they take well under a millisecond
#: (tens of milliseconds). More means a template that loops. 0: no limit.
TIME_LIMIT = 30.0
#: Bytes of address space an article (or compiling the templates) may add to its process; a real
#: one adds a few megabytes. More means a template building a huge value. 0: no limit.
MEMORY_LIMIT = 2 << 30


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
def memory(budget: int) -> Iterator[None]:
    """Cap the process's address space at its size now plus ``budget`` bytes for the block, so
    a template that builds a huge value meets MemoryError rather than the OOM killer. A limit
    already set (``ulimit -v``) is never loosened. The limit is the whole process's: only the
    main thread sets it (as with ``alarm``); elsewhere, or with ``budget`` 0, nothing."""
    if not budget or threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        with open("/proc/self/statm", "rb") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = min(c for c in (size + budget, soft, hard) if c != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def too_big(budget: int) -> str:
    """The end of the line reporting a MemoryError under ``memory(budget)``."""
    return (f"needed more than {budget / (1 << 30):g} GB of memory (a template building a "
            f"huge value?)")


@contextmanager
def limited(seconds: float, what: str, budget: int = MEMORY_LIMIT) -> Iterator[None]:
    """Run the block within ``seconds`` and ``budget`` bytes more memory, else a TemplateError
    saying that ``what`` took too long or too much."""
    with alarm(seconds) as limit:
        try:
            with memory(budget), limit():
                yield
        except TooSlow:
            raise TemplateError(f"{what} took more than {seconds:g} s (a template that loops, "
                                f"or a constant too big to compute?); stopped") from None
        except MemoryError:
            raise TemplateError(f"{what} {too_big(budget)}; stopped") from None
