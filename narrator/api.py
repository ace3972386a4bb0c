"""The library API: the only place that knows the whole order records -> facts -> render -> write.

>>> from narrator import api
>>> text = api.narrate("data/records/lead-technician-vs-software-support-technician.json")
>>> text.splitlines()[0]
'# Lead technician vs software support technician'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from . import records, schema
from .article import Article
from .dataset import DEFAULT_STYLE, Dataset, read_dataset
from .dataset import NONE as NO_DATASET
from .errors import ConfigError, NarratorError, RecordError
from .formats import FORMATS
from .render.limits import MEMORY_LIMIT, TIME_LIMIT, limited
from .render.renderer import Renderer
from .sources import iter_comparisons

DEFAULT_LOCALE = "en_US"


def load(path: str | Path) -> Iterator[schema.Comparison]:
    """Yield every comparison record in a file, validated against the contract."""
    path = Path(path)
    for where, raw in records.read_raw(path):
        yield schema.to_comparison(raw, file=str(path), where=where)


def profile_set(path: str | Path) -> Path | None:
    """The profile-set folder ``path`` names (the folder, or its ``pairs.jsonl``), else None."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent if path.name == "pairs.jsonl" else None
    if folder is not None and (folder / "jobs.jsonl").is_file() and (
            folder / "pairs.jsonl").is_file():
        return folder
    return None


def load_one(path: str | Path, record_id: str | None = None) -> schema.Comparison:
    """The one record in a file, or the one with ``record_id`` in a file of several (only
    that one is validated: another bad record does not block it); in a profile set (its
    folder, or its ``pairs.jsonl``), the pair with ``record_id``."""
    if (folder := profile_set(path)) is not None:
        if record_id is None:
            raise RecordError("a profile set holds many pairs; choose one with --record ID",
                              file=str(folder / "pairs.jsonl"))
        for rec, _ in iter_comparisons(folder, only=frozenset({record_id})):
            return rec
        raise RecordError(f"no pair with id '{record_id}'", file=str(folder / "pairs.jsonl"))
    if Path(path).is_dir():
        raise RecordError("a folder, but not a profile set (jobs.jsonl and pairs.jsonl): give a "
                          "record file, or the folder of a profile set with --record ID",
                          file=str(path))
    if record_id is not None:
        for where, raw in records.read_raw(Path(path)):
            if isinstance(raw, dict) and raw.get("id") == record_id:
                return schema.to_comparison(raw, file=str(path), where=where)
        raise RecordError(f"no record with id '{record_id}'", file=str(path))
    found = list(load(path))
    if len(found) > 1:
        raise RecordError(f"holds {len(found)} records; choose one with --record ID",
                          file=str(path))
    return found[0]


def render(record: schema.Comparison, renderer: Renderer, *, source: str = "",
           dataset: Dataset = NO_DATASET) -> Article:
    """Render a record, naming ``source`` in any error it raises."""
    try:
        return renderer.render(record, dataset)
    except NarratorError as err:
        err.file = err.file or source or None
        raise


@lru_cache(maxsize=8)
def renderer_for(locale: str, template_dirs: tuple[Path, ...] = (),
                 style: str = DEFAULT_STYLE, variation: bool = True) -> Renderer:
    """A renderer per locale, template set and style, kept for the process: templates are
    compiled once per process, and job values are prepared once per job across calls. The one
    cache of renderers: ``narrate --all`` takes its renderers from it too (and clears it as a run
    starts, so the run sees the templates as they are now)."""
    return Renderer(locale=locale, template_dirs=template_dirs, style=style, variation=variation)


def narrate(path: str | Path, *, format: str = "md", locale: str = DEFAULT_LOCALE,
            template_dirs: Sequence[Path] = (), record_id: str | None = None,
            style: str | None = None, variation: bool = True,
            time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT) -> str:
    """One article from a record file, as text in ``format`` (md, html, txt or json), in
    ``style`` (default: the style of the record's folder, see ``narrator.dataset``), within
    ``time_limit`` seconds and ``memory_limit`` more bytes of memory (compiling the templates,
    then rendering; 0: none);
    ``variation=False`` gives every {% variants %} slot its first variant."""
    if format not in FORMATS:
        raise ConfigError(f"unknown format '{format}' (expected one of: {', '.join(FORMATS)})")
    return FORMATS[format](narrate_article(
        path, locale=locale, template_dirs=template_dirs, record_id=record_id, style=style,
        variation=variation, time_limit=time_limit, memory_limit=memory_limit))


def narrate_article(path: str | Path, *, locale: str = DEFAULT_LOCALE,
                    template_dirs: Sequence[Path] = (), record_id: str | None = None,
                    style: str | None = None, variation: bool = True,
                    time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT) -> Article:
    """``narrate``'s article before it is written in a format (its chart with it)."""
    folder = profile_set(path)
    dataset, _ = read_dataset(folder if folder is not None else Path(path).parent)
    with limited(time_limit, "compiling the templates", memory_limit):
        renderer = renderer_for(locale, tuple(Path(d) for d in template_dirs),
                                style or dataset.style, variation)
    record = load_one(path, record_id)
    with limited(time_limit, f"{path}: {record.id}: rendering", memory_limit):
        return render(record, renderer, source=str(path), dataset=dataset)
