"""The run key: everything outside a record that shapes its article, hashed once per run.

A rerun skips an article whose record key and run key are as its index entry says. Templates
enter the key with their variants' bodies masked; which bodies a page used is in its entry's
``vkey``, checked against the table made here (see ``render.slots``)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..dataset import STYLES, template_files
from ..errors import TemplateError
from ..render import slots
from ..render.environment import BUILTIN_TEMPLATES
from ..render.renderer import TEMPLATE_NAMES
from ..sources import digest

if TYPE_CHECKING:
    from .runner import Options

_HERE = Path(__file__).resolve().parent.parent  # the narrator package


# Libraries whose release can change an article (CLDR data, inflections, escaping, parsing).
SHAPING_LIBRARIES = ("babel", "inflect", "jinja2", "markupsafe", "msgspec", "pyyaml")


def run_keys(opts: Options) -> tuple[bytes, dict[str, tuple[str, ...]]]:
    """Everything outside the record that shapes an article: code and the versions of the
    libraries it uses, templates, locale, formats; and the table of variant bodies.

    Templates enter the key with their variants' bodies masked: which body a page used is in
    its index entry, checked against the table (``slots.vkey``), so editing one variant's text
    re-renders only the pages that chose it (see ``slots``)."""
    parts = [f"{name}=={metadata.version(name)}".encode() for name in SHAPING_LIBRARIES]
    templates: list[tuple[str, bool, bytes]] = []
    names: list[bytes] = []
    # Names relative to their root (and the roots' order): moving a checkout keeps the keys.
    try:
        for p in sorted(_HERE.rglob("*.py")) + sorted(_HERE.rglob("*.json")):
            if p.is_file():
                parts.append(f"0:{p.relative_to(_HERE).as_posix()}".encode() + p.read_bytes())
        # Every file a run in any style may load (not only *.j2: {% include "x.md" %}): the
        # user's folders, each style's, narrator's own. A style's files count as narrator's,
        # named by their path in its folder (as ``slots`` expects).
        users = len(opts.template_dirs)
        roots = (*map(Path, opts.template_dirs),
                 *dict.fromkeys(d for dirs in STYLES.values() for d in dirs), BUILTIN_TEMPLATES)
        for f in template_files(roots, "*"):
            builtin = f.root >= users
            rel = (f.path.relative_to(BUILTIN_TEMPLATES).as_posix()
                   if builtin and f.path.is_relative_to(BUILTIN_TEMPLATES) else f.name)
            names.append(f"{f.root + 1}:{rel}".encode())
            templates.append((rel, builtin, f.path.read_bytes()))
    except OSError as err:  # an override folder or template this user can't read
        raise TemplateError(f"cannot read: {err.strerror}", file=err.filename) from None
    skeletons, table = slots.analyse(templates, TEMPLATE_NAMES)
    parts += [name + skeleton for name, skeleton in zip(names, skeletons)]
    return digest(*parts, opts.locale.encode(), ",".join(opts.formats).encode(),
                  (opts.style or "").encode(), b"front-matter" if opts.front_matter else b"",
                  b"" if opts.variation else b"no-variation").encode(), table
