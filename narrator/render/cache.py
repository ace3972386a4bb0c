"""Compiled templates kept on disk between runs, so a run of one article does not parse and
compile every template again (start-up is most of its time).

What is kept, per template: the Python code Jinja compiled it to (a Jinja bytecode cache), the
code of narrator's own compilation (``fast.inline_blocks``), and the names it reads and the
templates it refers to (``environment.used_names``). Each entry's key is a hash of everything
that shapes it: the template's name, file and source; narrator's version and the source of the
code generator and sandbox (every module of ``narrator.render``); the environment's class and
trusted view types; Jinja's and Python's versions. A change to any of them is a new key (a
stale entry is never read); old entries are left for ``cache clear`` or the OS to remove.

Where: ``$NARRATOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/narrator``, else
``~/.cache/narrator``; ``NARRATOR_CACHE_DIR=`` (empty) turns it off. The folder is made
private (0700) and used only when it belongs to the user and nobody else can write to it: a
cache entry is code the run executes. Entries are written to a temporary file and renamed into
place, so runs sharing the folder (``--jobs``, two runs at once) never read half an entry; a
folder that can't be written is passed over (the run compiles as before).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

ENV = "NARRATOR_CACHE_DIR"
_RENDER = Path(__file__).resolve().parent  # narrator/render: the code generator and sandbox


@cache
def _code_fingerprint() -> str:
    """narrator's version and the source of narrator.render, Jinja's and Python's versions."""
    import narrator  # at call time: this module loads while the package is being imported

    h = hashlib.sha256(f"{narrator.__version__}\0{jinja2.__version__}\0{sys.version}".encode())
    for path in sorted(_RENDER.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def fingerprint(env: jinja2.Environment) -> str:
    """What, beside a template's own source, shapes its compiled code in ``env``."""
    trusted = getattr(env, "trusted_types", ())
    shape = [type(env).__module__, type(env).__qualname__,
             *(f"{t.__module__}.{t.__qualname__}:{','.join(getattr(t, '__slots__', ()))}"
               for t in trusted)]
    return hashlib.sha256("\0".join([_code_fingerprint(), *shape]).encode()).hexdigest()


def folder() -> Path | None:
    """The cache folder, made if missing; None when turned off or not safe to use."""
    where = os.environ.get(ENV)
    if where == "":
        return None
    if where is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        where = os.path.join(base, "narrator")
    path = Path(where) / "templates"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() \
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None  # another user's, or writable by others: its code is not to be run
    return path


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache, keyed by ``fingerprint`` as well as the template; and narrator's
    own entries (inlined code, the names a template reads) beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def key(self, env: jinja2.Environment, *parts: str) -> str:
        return hashlib.sha256("\0".join([fingerprint(env), *parts]).encode()).hexdigest()

    # -- Jinja's BytecodeCache: the code of templates Jinja compiles itself ----------------

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        bucket = Bucket(environment, self.key(environment, "jinja", name, filename or "", source),
                        self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self.path / f"{bucket.key}.jinja", "rb") as f:
                bucket.load_bytecode(f)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()  # missing or unreadable: compiled again
        except Exception:  # a damaged entry's checksum fails to unpickle: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._write(f"{bucket.key}.jinja", bucket.bytecode_to_string())

    # -- narrator's entries ----------------------------------------------------------------

    def code(self, env: jinja2.Environment, kind: str, name: str, filename: str | None,
             source: str) -> Bucket:
        """A bucket for narrator's own compilation ``kind`` of a template."""
        return self.get_bucket(env, f"{kind}:{name}", filename, source)

    def load_json(self, key: str) -> Any:
        try:
            return json.loads((self.path / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def dump_json(self, key: str, value: Any) -> None:
        self._write(f"{key}.json", json.dumps(value).encode())

    def _write(self, name: str, data: bytes) -> None:
        """Write an entry whole or not at all (a temporary file renamed into place)."""
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path, prefix=f".{name}.", suffix=".tmp")
        except OSError:
            return  # a full disk or a read-only folder: the run goes on without caching
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.path / name)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def template_cache() -> TemplateCache | None:
    """The cache for this process (None: turned off, or no safe folder)."""
    path = folder()
    return TemplateCache(path) if path is not None else None
