"""Writing text to disk: atomically (a temporary file renamed into place), or through to what
is not a regular file (stdout, a FIFO, a device), with one-line errors."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from .errors import NarratorError, WriteError, write_error

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def open_new(path: Path, mode: str = "w") -> IO[Any]:
    """A new file at ``path``, never through a link: whatever is there that is not a folder
    (a file, a link, a FIFO someone planted) is removed first, and the file is made with
    ``O_EXCL | O_NOFOLLOW``, so a link put back in between fails instead of being followed.
    For names a run writes itself (its temporary index); ``mode`` "w" (UTF-8 text) or "wb"."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISDIR(info.st_mode):
            raise WriteError("is a folder, where narrator writes a file of its own (remove it)",
                             file=str(path))
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o666)
    if mode == "wb":
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def encode(text: str) -> bytes:
    """UTF-8 bytes of an article; a lone surrogate (an override's ``{{ "\\ud800" }}``: records
    can't hold one) is the article's error, not a crash."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise WriteError(f"cannot write: the text holds {err.object[err.start]!a}, a lone "
                         f"surrogate, which is not a character (from a template?)") from None


def write_output(path: Path | None, text: str) -> None:
    """The CLI's ``-o FILE`` (``None``: standard output) and ``--html FILE``.

    A regular file (or a new one) is written atomically, through a symlink to its target; what
    is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is written
    through as it is: renaming over it would replace a device or a symlink with a file.
    """
    name = "standard output" if path is None else str(path)
    try:
        data = encode(text)
    except NarratorError as err:
        err.file = name
        raise
    try:
        if path is None:
            if sys.stdout is None:  # started with stdout closed (`>&-`)
                raise WriteError("cannot write: standard output is closed", file=name)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        try:
            special = not stat.S_ISREG(os.stat(path).st_mode)
        except FileNotFoundError:
            special = False
        if special:
            if path.is_dir():
                raise WriteError("is a directory", file=name)
            with open(path, "wb") as f:
                f.write(data)
        else:
            write_atomic(Path(os.path.realpath(path)), data)
    except OSError as err:
        raise WriteError(f"cannot write: {err.strerror}", file=name) from None


def write_atomic(path: Path, text: str | bytes, *, make_dirs: bool = True) -> None:
    """Write via a temporary file in the same directory and rename: never a partial file.

    Text is written as UTF-8 with ``\n`` line ends; bytes as they are. ``make_dirs=False``
    when the folder is known to exist (a batch run's --out: a mkdir per file is a syscall).
    """
    try:
        data = text if isinstance(text, bytes) else encode(text)
    except NarratorError as err:
        err.file = str(path)
        raise
    try:
        if make_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise write_error(err, str(path)) from None
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; articles are for publishing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise write_error(err, str(path)) from None
        raise
