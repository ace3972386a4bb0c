"""The ``--out`` directory of a run: one run at a time (a lock on the folder), what a stopped run
left cleared, and the old index set aside while the new one is written (see ``index``)."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
from pathlib import Path

from ..errors import WriteError
from .index import INDEX, JOURNAL, merge_journal

# write_atomic's temporary files (mkstemp: ".<file>.<8 of [a-z0-9_]>.tmp") and the index's.
_OUR_TEMP = re.compile(
    r"^\.(?:.+\.(?:md|html|txt|json|svg)\.[a-z0-9_]{8}|index\.jsonl(?:\.prev)?)\.tmp$")


def lock_out(out: Path) -> int:
    """Take ``out`` for this run: an exclusive ``flock`` on the folder itself (returns its
    descriptor, to close when the run ends; no lock file is left in the tree). Two runs into one
    folder would delete each other's temporary files and index; the second is refused. The
    kernel drops the lock of a process that dies, however it dies, so a crashed run never
    blocks the next one."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as err:
        raise WriteError(f"cannot prepare the output directory: {err.strerror}",
                         file=str(out)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
            return fd  # a file system without locks (some network mounts): run unlocked
        os.close(fd)
        raise WriteError("another narrate run is writing into this directory; wait for it "
                         "to end, or choose another --out", file=str(out)) from None
    return fd


def clear_temporary(out: Path) -> None:
    """Remove the temporary files a stopped run left in ``out`` (only names narrator makes),
    judged by ``lstat``: a link or a FIFO at such a name is removed too, never followed."""
    for stale in out.glob(".*.tmp"):
        if not _OUR_TEMP.match(stale.name):
            continue
        try:
            if not stat.S_ISDIR(os.lstat(stale).st_mode):
                stale.unlink()
        except FileNotFoundError:
            pass


def prepare_out(out: Path) -> tuple[Path | None, str | None]:
    """Clear what a killed run left (temporary files) and set the old index aside; returns
    where the old index now is (None: there is none to use) and a warning, if any.

    While a run is under way there is no ``index.jsonl``: the index, when present, describes
    exactly the files on disk. The previous one is kept as ``.index.jsonl.prev`` for skipping
    unchanged articles, until the new one is in place. A run that was stopped left the index
    lines of the articles it finished (``JOURNAL``; a killed one, its temporary index): they
    are merged into the previous index, so this run skips them too.
    """
    prev = out / f".{INDEX}.prev"
    journal, killed = out / JOURNAL, out / f".{INDEX}.tmp"
    warning = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        if _ours(killed) and not os.path.lexists(journal):  # a run killed outright (SIGKILL)
            os.replace(killed, journal)
        clear_temporary(out)
        if os.path.lexists(journal) and not _ours(journal) and not journal.is_dir():
            journal.unlink()  # a link or FIFO at the journal's name: not a stopped run's
        if (os.path.lexists(prev) and not prev.is_file()) or prev.is_symlink():
            # Not narrator's (a folder, a link): left alone, and not read. Without an old
            # index every article is rendered again; the index itself is still written.
            warning = (f"{prev} is not narrator's index (remove it): every article is "
                       f"rendered again")
            (out / INDEX).unlink(missing_ok=True)
            return None, warning
        index = out / INDEX
        if os.path.lexists(index):
            if index.is_file() and not index.is_symlink():
                os.replace(index, prev)
            else:
                warning = f"{index} is not a file narrator wrote: every article is rendered again"
                if index.is_dir():
                    raise WriteError("is a folder, where the index is written (remove it)",
                                     file=str(index))
                index.unlink()
        if _ours(journal):  # a stopped run's finished articles: resumed, not redone
            older = prev.is_file() and prev.stat().st_mtime_ns > journal.stat().st_mtime_ns
            if older:  # a journal from before the last index: out of date
                journal.unlink()
            else:
                merge_journal(prev if prev.is_file() else None, journal, prev)
    except OSError as err:
        raise WriteError(f"cannot prepare the output directory: {err.strerror}",
                         file=str(out)) from None
    return (prev if prev.is_file() else None), warning


def _ours(path: Path) -> bool:
    """A regular file (not a link, a folder or a FIFO someone put there)."""
    return path.is_file() and not path.is_symlink()
