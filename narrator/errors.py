"""One error root and its kinds: the CLI turns any NarratorError into one line and exit 1.

    NarratorError
    ├── RecordError     a record unreadable or off the contract
    ├── TemplateError   a template that does not parse or fails
    ├── ConfigError     an option narrator cannot honour (also a ValueError)
    ├── InputError      a file or folder given to read that cannot be, or holds nothing to use
    ├── SourceError     the importer's sources: data packages, their files, the title table
    ├── WriteError      a file that cannot be written
    │   └── OutputError     nothing more can be written (disk full): a run stops
    ├── RunError        a batch run stopped by its machine, not its input (also a RuntimeError)
    └── publish.PublishError   the site, or the tree as published

A standard-library base is given only where no ``except`` clause on the way up could take the
error for the standard one (see each class): narrator's readers and writers catch OSError and
ValueError around their own calls.
"""

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


# No ValueError base: Resolver.peek reads a pair's jobs inside `except (ValueError, ...)`, so
# an unreadable jobs.jsonl's RecordError would pass for "cannot peek, render it" there.
class RecordError(NarratorError):
    """A record that cannot be read or does not meet the contract."""


# No base: not jinja2.TemplateError, which the renderer catches to add the template's line.
class TemplateError(NarratorError):
    """A template that does not parse or uses a name it is not given."""


# ValueError as Babel's UnknownLocaleError is one: a value the user gave is not one narrator
# knows. Safe: raised from option checks and the money filter, where no caller catches
# ValueError (Jinja catches LookupError and AttributeError around a lookup, never ValueError).
class ConfigError(NarratorError, ValueError):
    """An option the user gave that narrator cannot honour (unknown locale, currency, format,
    style, an --out inside --data, no password)."""


# No OSError base, nor for the write errors below: several are raised inside `try: ...
# except OSError as err` blocks that would turn them into "cannot write: None"
# (writers.write_output, batch.outdir.prepare_out), and some are no OS error at all.
class InputError(NarratorError):
    """A file or folder narrator was told to read that cannot be read or holds nothing to use:
    a data directory, an id list, an output tree to compare, report on or count."""


# No ImportError base, though the importer "imports": `except ImportError` is how code tests
# for an optional module, and a checksum mismatch is no missing module.
class SourceError(NarratorError):
    """The importer's sources: a data package missing or of another version, a file that is
    not what the importer reads, a title table that disagrees with BLS."""


class WriteError(NarratorError):
    """A file that cannot be written (a name too long, a permission, a folder in the way)."""


class OutputError(WriteError):
    """The output can't be written at all (disk full, quota, read-only): a run stops on it."""


# RuntimeError as concurrent.futures' BrokenProcessPool is one; nothing in narrator catches it.
class RunError(NarratorError, RuntimeError):
    """A batch run stopped by its machine, not its input: a worker killed (out of memory),
    workers that cannot be started (ulimit)."""


# After these, no further file can be written either: disk full, read-only, quota exhausted.
_STOPS_A_RUN = frozenset({errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)})


def write_error(err: OSError, file: str) -> WriteError:
    """The error for an OSError met writing ``file``: an OutputError when nothing more can be
    written, otherwise one file's problem (a name too long, a permission)."""
    if err.errno in _STOPS_A_RUN:
        return OutputError(f"cannot write: {err.strerror} (the run stops here; every file "
                           f"written is complete)", file=file)
    return WriteError(f"cannot write: {err.strerror}", file=file)
