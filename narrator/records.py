"""Read record files (JSON, JSON Lines, YAML) into raw dicts, with format-specific errors.

Validation against the contract happens in ``schema``; this module only knows file formats.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from .errors import RecordError

SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RecordError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise RecordError("is a directory, expected a record file", file=str(path)) from None
    except OSError as err:
        raise RecordError(f"cannot read: {err.strerror}", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(f"not UTF-8 text (bad byte at offset {err.start})", file=str(path)) from None
    if not text.strip():
        raise RecordError("empty file, expected a record", file=str(path))
    return text


def _json(text: str, path: Path, line_offset: int = 0) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise RecordError(f"malformed JSON at line {err.lineno + line_offset}, column {err.colno}: "
                          f"{err.msg}", file=str(path)) from None
    except (ValueError, RecursionError) as err:
        raise RecordError(f"malformed JSON: {err}", file=str(path)) from None


def _yaml(text: str, path: Path) -> object:
    import yaml  # only YAML users pay for the import

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise RecordError(f"malformed YAML{where}: {problem}", file=str(path)) from None
    except RecursionError:
        raise RecordError("malformed YAML: nested too deeply", file=str(path)) from None


def read_raw(path: Path) -> Iterator[tuple[str, object]]:
    """Yield ``(where, raw)`` for each record in a file; ``where`` names it for errors.

    A ``.json`` or YAML file holds one record or a list of records; ``.jsonl`` one per line.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RecordError(f"unknown record format '{suffix or path.name}' "
                          f"(expected one of: {', '.join(SUFFIXES)})", file=str(path))
    text = _text(path)
    if suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield f"line {n}", _json(line, path, line_offset=n - 1)
        return
    doc = _json(text, path) if suffix == ".json" else _yaml(text, path)
    if isinstance(doc, list):
        if not doc:
            raise RecordError("empty list, expected at least one record", file=str(path))
        for n, raw in enumerate(doc, 1):
            yield f"record {n}", raw
    else:
        yield "record 1", doc
