"""One error root: the CLI turns any NarratorError into a one-line message and exit 1."""

from __future__ import annotations

import errno


class NarratorError(Exception):
    """Anything wrong with the input (records, templates, options), never a bug in narrator.

    ``where`` parts are joined into the ``file: record: field: message`` form of every message.
    """

    def __init__(self, message: str, *, file: str | None = None, record: str | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.record = record
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.record, self.field) if p]
        return ": ".join([*parts, self.message])


class RecordError(NarratorError):
    """A record that cannot be read or does not meet the contract."""


class TemplateError(NarratorError):
    """A template that does not parse or uses a name it is not given."""


class ConfigError(NarratorError):
    """An option the user gave that narrator cannot honour (unknown locale, currency, format)."""


class OutputError(NarratorError):
    """The output can't be written at all (disk full, quota, read-only): a run stops on it."""


# After these, no further file can be written either: disk full, read-only, quota exhausted.
_STOPS_A_RUN = frozenset({errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)})


def write_error(err: OSError, file: str) -> NarratorError:
    """The error for an OSError met writing ``file``: an OutputError when nothing more can be
    written, otherwise one file's problem (a name too long, a permission)."""
    if err.errno in _STOPS_A_RUN:
        return OutputError(f"cannot write: {err.strerror} (the run stops here; every file "
                           f"written is complete)", file=file)
    return NarratorError(f"cannot write: {err.strerror}", file=file)
