"""What a data set says about itself: its style and the source lines its pages end with.

A data folder (a profile set, or a folder of record files) may hold ``narrator.json``::

    {"style": "editorial",
     "released": "2026-05-15",
     "source": ["Wages: U.S. Bureau of Labor Statistics, ...", "..."]}

``style`` names a built-in template set (``STYLES``): ``seed`` is the wording of the seed page
(the default), ``editorial`` the careers-site wording written for the BLS profiles; it is
``templates/editorial/``, an override folder on top of the seed templates, built with the
same ``{% extends %}`` machinery a copy editor's ``--templates`` folder uses. ``source`` lines
are shown at the end of every article of the set (attribution); ``released`` is the date of
the data release. ``narrate --style`` overrides the style for a run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated

import msgspec

from . import files
from .errors import ConfigError
from .render.environment import BUILTIN_TEMPLATES, search_path
from .schema import PROSE

CONFIG = "narrator.json"
#: style name -> template folders searched before the seed templates (first wins)
STYLES: dict[str, tuple[Path, ...]] = {
    "seed": (),
    "editorial": (BUILTIN_TEMPLATES / "editorial",),
}
DEFAULT_STYLE = "seed"

_Line = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=PROSE)]


class _Config(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    style: str = DEFAULT_STYLE
    released: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    source: Annotated[list[_Line], msgspec.Meta(max_length=20)] = []


@dataclass(frozen=True, slots=True)
class Dataset:
    """A data folder's settings, as templates see them (``dataset.source``)."""

    style: str = DEFAULT_STYLE
    released: str | None = None
    source: tuple[str, ...] = ()


NONE = Dataset()


def style_dirs(style: str, *, where: str = "--style") -> tuple[Path, ...]:
    try:
        return STYLES[style]
    except KeyError:
        raise ConfigError(f"unknown style '{style}' (expected one of: "
                          f"{', '.join(STYLES)})", file=where) from None


def style_search_path(style: str, template_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The template folders a run in ``style`` loads from, in the loader's order (the first
    holding a name wins): the user's overrides, the style's folders, narrator's own."""
    return search_path(template_dirs, style_dirs(style))


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """A file on a template search path."""

    root: int  # its folder's place on the search path
    name: str  # the name a template loads it by: its path in that folder
    path: Path


def template_files(roots: Sequence[Path], pattern: str = "*.j2") -> list[TemplateFile]:
    """Every file named like ``pattern`` in ``roots``, in search order, each folder's sorted by
    path; a name found in two folders is listed twice (the loader takes the first). A style's
    folder inside another (templates/editorial/ in narrator's own) holds that style's templates,
    not the other's: left out of it, so a style sees another's only by asking for its folder.

    The one walker of template folders (in the loader's order: see ``style_search_path``): the
    run key (``batch.run_keys``), ``narrate check`` and ``narrate variants`` count the same
    files."""
    styles = {d for dirs in STYLES.values() for d in dirs}
    found: list[TemplateFile] = []
    for i, root in enumerate(map(Path, roots)):
        inner = {s for s in styles if s != root and s.is_relative_to(root)}
        paths = []
        # A missing or unreadable folder is passed over here: ``environment`` reports it.
        for folder, subs, names in os.walk(root):
            here = Path(folder)
            subs[:] = [d for d in subs if here / d not in inner]
            paths += [here / n for n in names if fnmatchcase(n, pattern)]
        found += [TemplateFile(i, p.relative_to(root).as_posix(), p)
                  for p in sorted(paths) if p.is_file()]
    return found


def read_dataset(folder: Path) -> tuple[Dataset, bytes]:
    """The folder's ``narrator.json`` (and its bytes, for the incremental key), or defaults."""
    path = folder / CONFIG
    try:
        raw = files.read_bytes(path)
    except FileNotFoundError:
        return NONE, b""
    except OSError as err:
        raise ConfigError(f"cannot read: {err.strerror}", file=str(path)) from None
    try:
        config = msgspec.json.decode(raw, type=_Config)
    except msgspec.ValidationError as err:
        message, _, at = str(err).partition(" - at `$")
        field = at.rstrip("`").lstrip(".") or None
        message = message.replace("`", "")
        if field == "released" and "matching regex" in message:
            message = "expected a date like 2026-05-15"
        raise ConfigError(message[0].lower() + message[1:], file=str(path), field=field) from None
    except msgspec.DecodeError as err:
        raise ConfigError(f"malformed JSON: {err}", file=str(path)) from None
    style_dirs(config.style, where=f"{path}: style")
    return Dataset(config.style, config.released, tuple(config.source)), raw
