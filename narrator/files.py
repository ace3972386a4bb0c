"""Reading a file that must be a regular one: never blocked by a FIFO, a device or a socket
put where narrator expects a file (issue 26, item 5). One helper for every command.

``read_bytes(path)`` opens without blocking (``O_NONBLOCK``: a FIFO with no writer opens at
once), checks what was opened with ``fstat`` (so a file swapped in between is the one
checked), and reads it only if it is a regular file. Anything else is a ``NotRegularFile``,
an ``OSError`` whose ``strerror`` says what it is, so the callers' one-line messages for
unreadable files word it with no change.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class NotRegularFile(OSError):
    """What is at a path narrator reads is not a regular file."""


def open_regular(path: str | Path) -> BinaryIO:
    """The regular file at ``path`` opened for reading (binary); ``NotRegularFile`` for
    anything else, without waiting on it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise NotRegularFile(0, f"not a regular file ({kind})", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path) -> bytes:
    """The content of the regular file at ``path`` (links followed); ``NotRegularFile`` for
    anything else, without waiting on it."""
    with open_regular(path) as f:
        return f.read()


def read_text(path: str | Path) -> str:
    """``read_bytes`` decoded as UTF-8 (``UnicodeDecodeError`` as ``str.decode`` raises it)."""
    return read_bytes(path).decode("utf-8")
