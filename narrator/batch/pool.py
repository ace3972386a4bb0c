"""The process pool of a run, and its signals: workers start forked from the main process's
``Worker`` (templates compiled, profile sets read), die with it, and leave Ctrl-C and SIGTERM
to it; an interrupted run's workers finish the article they are on."""

from __future__ import annotations

import ctypes
import errno
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from ..errors import RunError
from ..sources import Chunk
from .worker import Worker

if TYPE_CHECKING:
    from .runner import Options

_worker: Worker | None = None


def use(worker: Worker) -> None:
    """The worker this process runs chunks with; processes forked from it start with it."""
    global _worker
    _worker = worker


def init(opts: Options, key: bytes, ignore_sigint: bool = True, parent: int = 0,
         stop: Any = None, table: dict[str, tuple[str, ...]] | None = None,
         only: frozenset[str] | None = None) -> None:
    """A worker process's set-up. Forked, it already has the main process's Worker (renderers
    compiled, profile sets read); started any other way it makes its own."""
    global _worker
    if ignore_sigint:  # Ctrl-C is the parent's to handle: it lets running chunks finish
        # (forked while the parent held SIGINT and SIGTERM off: its mask is inherited)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # The CLI turns SIGTERM into an interrupt in the main process; a worker inherits that
        # handler on fork, but must die of SIGTERM (the pool terminates workers with it).
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent:
        _die_with_parent(parent)
    if _worker is None or _worker.opts != opts or _worker.only != only:
        _worker = Worker(opts, key, table=table, only=only)
    # Set to 1 when the run is interrupted: shared memory read per article (a plain read; an
    # Event would take a lock per article)
    _worker.stop = stop


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel SIGKILL this worker when the run's main process dies (SIGKILL,
    the OOM killer), so no worker outlives it holding the caller's pipes (`narrate --all | cat`
    would never end). Files are written atomically, so a killed worker leaves no half file."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a worker ends when its pipe closes
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


_STOPS = {signal.SIGINT, signal.SIGTERM}


def parallel(chunks: Iterator[tuple[Chunk, dict[str, str]]], n: int, opts: Options,
              key: bytes, collect: Any, table: dict[str, tuple[str, ...]] | None = None,
              only: frozenset[str] | None = None) -> None:
    """Run chunks on ``n`` processes, at most 2n in flight, results collected in order.

    Ctrl-C and SIGTERM (a KeyboardInterrupt, see the CLI) are held off except while waiting
    for a result: one that landed while the pool was starting a worker or queueing work left
    it half-made, and shutting it down then could hang. Caught while waiting, the running
    chunks stop after their current article and the rest is cancelled.
    """
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)

    def result(fut: Future) -> Any:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            return fut.result()
        finally:
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)

    pool = None
    stop = multiprocessing.RawValue("b", 0)
    pending: deque[tuple[Future, int]] = deque()
    try:
        pool = ProcessPoolExecutor(n, initializer=init,
                                   initargs=(opts, key, True, os.getpid(), stop, table, only))
        for fut in [pool.submit(int) for _ in range(n)]:  # start every worker before any work
            result(fut)
        for chunk, previous in chunks:
            pending.append((pool.submit(run_chunk, chunk, previous), len(chunk[2])))
            if len(pending) >= 2 * n:
                fut, size = pending[0]  # left in the deque while waiting: see the interrupt
                collect(result(fut), size)
                pending.popleft()
        while pending:
            fut, size = pending[0]
            collect(result(fut), size)
            pending.popleft()
        pool.shutdown(wait=True)
    except BrokenProcessPool:  # the OOM killer, or someone, killed a worker
        # raised by the pool's futures, so pool is set
        pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[union-attr]  # (above)
        raise RunError("a worker process stopped unexpectedly (killed, or out of memory); "
                       "every file written is complete: run again to finish") from None
    except KeyboardInterrupt:
        stop.value = 1  # running chunks end after their current article
        # pool is None only if Ctrl-C came before it was made (then AttributeError, as before)
        pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[union-attr]  # (above)
        # what the stopped chunks finished goes into the journal: the next run skips it
        for fut, size in pending:
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                collect(fut.result(), size)
        raise
    except OSError as err:  # starting the workers: too many processes or open files
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if err.errno in (errno.EMFILE, errno.ENFILE, errno.EAGAIN, errno.ENOMEM):
            raise RunError(f"cannot start {n} worker processes: {err.strerror} (see ulimit "
                           f"-n and -u); use fewer --jobs") from None
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def run_chunk(chunk: Chunk, old: dict[str, str]) -> tuple[list[str], int, list[str]]:
    assert _worker is not None
    return _worker.run(chunk, old)
