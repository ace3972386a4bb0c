"""narrator: rule-based job-comparison articles from structured records.

The package face: ``narrate`` one record (``load`` to read records), ``narrate_all`` a data set
into a folder with ``Options``, a ``Renderer`` for records already loaded, the ``Article`` it
returns, and the errors, all kinds of ``NarratorError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import load, narrate
from .article import Article
from .errors import (
    ConfigError,
    InputError,
    NarratorError,
    OutputError,
    RecordError,
    RunError,
    SourceError,
    TemplateError,
    WriteError,
)
from .render.renderer import Renderer

# The one place the version is written: pyproject.toml reads it (dynamic = ["version"]).
__version__ = "0.1.0"

# Loaded on first use (PEP 562): the batch runner brings multiprocessing, concurrent.futures
# and the index, ~35-90 ms that `narrate RECORD` and `import narrator` need not pay.
_LAZY = {
    "narrate_all": "narrator.batch.runner",
    "Options": "narrator.batch.runner",
    "PublishError": "narrator.publish",
}

if TYPE_CHECKING:
    from .batch.runner import Options, narrate_all
    from .publish import PublishError

__all__ = [  # noqa: RUF022 (grouped by kind, not sorted)
    "__version__",
    # render
    "load", "narrate", "narrate_all", "Options", "Renderer", "Article",
    # errors
    "NarratorError", "RecordError", "TemplateError", "ConfigError", "InputError", "SourceError",
    "WriteError", "OutputError", "RunError", "PublishError",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'narrator' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
