"""Read record files (JSON, JSON Lines, YAML) into raw dicts, with format-specific errors.

Validation against the contract happens in ``schema``; this module only knows file formats.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import files
from .errors import RecordError
from .schema import record_id, shown

SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")
# Values in one record, counting a YAML alias as the copy it stands for: far above any real
# record (~200), far below what an alias bomb ("billion laughs") or an alias loop expands to.
MAX_VALUES = 100_000
_JSON_SCALARS = (str, int, float, bool, type(None))


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def unreadable(err: OSError, path: Path) -> RecordError:
    if isinstance(err, FileNotFoundError):
        return RecordError("no such file", file=str(path))
    if isinstance(err, IsADirectoryError):
        return RecordError("is a directory, expected a record file", file=str(path))
    return RecordError(f"cannot read: {err.strerror}", file=str(path))


_ID_HEAD = '{"id": "'


def leading_id(line: str) -> str | None:
    """The id of a JSON object written in the layout narrator's importer and index use
    (``{"id": "<slug>", ...``), cut out without parsing: the first key of an object is a
    top-level one, and a slug needs no JSON escape. None for any other layout: parse it."""
    if line.startswith(_ID_HEAD):
        end = line.find('"', len(_ID_HEAD))
        rid = line[len(_ID_HEAD):end]
        if end > 0 and "\\" not in rid and rid.isascii():
            return rid
    return None


def _text(path: Path) -> str:
    try:
        data = files.read_bytes(path)
    except OSError as err:
        raise unreadable(err, path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(f"not UTF-8 text (bad byte at offset {err.start})",
                          file=str(path)) from None
    if not text.strip():
        raise RecordError("empty file, expected a record", file=str(path))
    return text


class _DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is an error (json would keep the last silently)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        # set.add returns None (false): the test holds at a key's second appearance
        key = next(k for k, _ in pairs
                   if k in seen or seen.add(k))  # type: ignore[func-returns-value]  # (above)
        raise _DuplicateKey(f"the key '{shown(key)}' is given twice in one object")
    return obj


def _json(text: str, path: Path, line_offset: int = 0) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_object)
    except _DuplicateKey as err:
        where = f" at line {line_offset + 1}" if line_offset else ""
        raise RecordError(f"malformed JSON{where}: {err}", file=str(path)) from None
    except json.JSONDecodeError as err:
        raise RecordError(f"malformed JSON at line {err.lineno + line_offset}, column {err.colno}: "
                          f"{err.msg}", file=str(path)) from None
    except RecursionError:
        raise RecordError("malformed JSON: nested too deeply", file=str(path)) from None
    except ValueError as err:
        raise RecordError(f"malformed JSON: {err}", file=str(path)) from None


def _yaml(text: str, path: Path) -> object:
    import yaml  # only YAML users pay for the import

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise RecordError(f"malformed YAML{where}: {problem}", file=str(path)) from None
    except RecursionError:
        raise RecordError("malformed YAML: nested too deeply", file=str(path)) from None
    except ValueError as err:  # an integer of more than 4,300 digits
        raise RecordError(f"malformed YAML: {err}", file=str(path)) from None


_LOADER: Any = None


def _yaml_loader() -> Any:
    """yaml.SafeLoader, except that a key given twice in a mapping is an error. Merge keys
    (``<<: *base``) work as YAML defines them: a key of the mapping itself overrides a merged
    one (that is not "given twice")."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class Loader(yaml.SafeLoader):
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                seen = set()
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) \
                            or key_node.tag == "tag:yaml.org,2002:merge":
                        continue  # not a text key (the base constructor reports it), or <<
                    key = self.construct_object(key_node)
                    if isinstance(key, str):
                        if key in seen:
                            raise yaml.constructor.ConstructorError(
                                None, None,
                                f"the key '{shown(key)}' is given twice in one mapping",
                                key_node.start_mark)
                        seen.add(key)
                return super().construct_mapping(node, deep=deep)

        _LOADER = Loader
    return _LOADER


def _check(raw: object, path: Path, where: str) -> None:
    """Reject what parses but is no JSON value, so every reader yields the same kind of data.

    YAML can give a date, bytes, a non-text key, or aliases that expand without bound (an
    alias bomb, or a loop); JSON and YAML escapes can give a lone surrogate ("\\ud800"),
    which no UTF-8 output takes. Each is named with its field path.
    """
    # Paths are kept as (part, parent) links: an alias loop makes them as long as the walk.
    stack: list[tuple[object, Any]] = [(raw, None)]
    seen = 0
    while stack:
        value, at = stack.pop()
        seen += 1
        problem = None
        if seen > MAX_VALUES:
            problem = f"more than {MAX_VALUES:,} values (YAML aliases that expand without bound?)"
        elif isinstance(value, str):
            if not value.isascii() and _has_surrogate(value):
                problem = "a lone surrogate (\\ud800-\\udfff), which is not a character"
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str) or (not key.isascii() and _has_surrogate(key)):
                    problem = f"a key must be text, found {shown(repr(key))}"
                    break
                stack.append((item, (key, at)))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, (n, at)) for n, item in enumerate(value))
        elif not isinstance(value, _JSON_SCALARS):
            problem = f"expected a JSON value, found a YAML {type(value).__name__} (quote it)"
        if problem:
            raise RecordError(problem, file=str(path), record=record_id(raw) or where,
                              field=_field(at))


def _field(at: Any) -> str:
    """A field path for messages, from the walk's links; at most the first six steps."""
    parts = []
    while at is not None:
        part, at = at
        parts.append(part)
    parts.reverse()
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{shown(p)}" for p in parts[:6])
    return text.lstrip(".") + ("..." if len(parts) > 6 else "") or "(record)"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_line(line: str, path: Path, n: int) -> object:
    """Line ``n`` (from 1) of a ``.jsonl`` file, parsed as strictly as a whole file is."""
    raw = _json(line, path, line_offset=n - 1)
    if "\\u" in line:  # only an escape can make a lone surrogate
        _check(raw, path, f"line {n}")
    return raw


def iter_lines(path: Path) -> Iterator[tuple[int, str | RecordError]]:
    """The non-blank lines of a ``.jsonl`` file as ``(number, text)``, streamed (a file of any
    size in little memory); a line that is not UTF-8 comes as its RecordError instead. An
    unreadable or blank file raises RecordError."""
    try:
        f = files.open_regular(path)
    except OSError as err:
        raise unreadable(err, path) from None
    empty = True
    with f:
        try:
            for n, data in enumerate(f, 1):  # binary lines end at b"\n" only
                if n == 1 and data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]
                if data.endswith(b"\n"):
                    data = data[:-1]
                if not data.strip():
                    continue
                empty = False
                try:
                    yield n, data.decode("utf-8")
                except UnicodeDecodeError as err:
                    yield n, RecordError(f"not UTF-8 text (bad byte at column {err.start + 1})",
                                         file=str(path), record=f"line {n}")
        except OSError as err:
            raise unreadable(err, path) from None
    if empty:
        raise RecordError("empty file, expected a record", file=str(path))


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
        # "\n" only: str.splitlines() also splits on U+2028, U+0085 ... which JSON strings may
        # hold raw (json.dumps(ensure_ascii=False) writes them so)
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                yield f"line {n}", parse_line(line, path, n)
        return
    is_yaml = suffix != ".json"
    doc = _yaml(text, path) if is_yaml else _json(text, path)
    check = is_yaml or "\\u" in text
    if isinstance(doc, list):
        if not doc:
            raise RecordError("empty list, expected at least one record", file=str(path))
        for n, raw in enumerate(doc, 1):
            if check:
                _check(raw, path, f"record {n}")
            yield f"record {n}", raw
    else:
        if check:
            _check(doc, path, "record 1")
        yield "record 1", doc
