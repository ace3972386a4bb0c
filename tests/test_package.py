"""The package face: ``narrator.__all__``, ``__version__`` and the error kinds."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest

import narrator
from narrator import errors


@pytest.mark.parametrize("name", narrator.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(narrator, name) is not None
    assert name in dir(narrator)


def test_the_version_is_the_installed_distributions() -> None:
    assert narrator.__version__ == metadata.version("narrator")


def test_importing_narrator_leaves_the_batch_runner_unloaded() -> None:
    code = ("import sys, narrator; "
            "print(sorted(m for m in ('narrator.batch.runner', 'multiprocessing', "
            "'narrator.publish') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'narrate_everything'"):
        narrator.narrate_everything  # noqa: B018


KINDS = [errors.RecordError, errors.TemplateError, errors.ConfigError, errors.InputError,
         errors.SourceError, errors.WriteError, errors.OutputError, errors.RunError,
         narrator.PublishError]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_error_kind_is_a_narrator_error_and_exported(kind: type) -> None:
    assert issubclass(kind, narrator.NarratorError)
    assert getattr(narrator, kind.__name__) is kind


@pytest.mark.parametrize("kind", [errors.InputError, errors.WriteError, errors.OutputError,
                                  errors.RecordError], ids=lambda k: k.__name__)
def test_no_error_kind_passes_for_an_os_or_value_error(kind: type) -> None:
    # They are raised inside `try: ... except OSError` / `except ValueError` blocks, which would
    # turn them into "cannot write: None" or "cannot peek" (see errors.py).
    assert not issubclass(kind, (OSError, ValueError))


def test_standard_bases_where_they_fit() -> None:
    assert issubclass(errors.ConfigError, ValueError)
    assert issubclass(errors.RunError, RuntimeError)
    assert issubclass(errors.OutputError, errors.WriteError)
    err = errors.ConfigError("unknown format 'pdf'", file="x.json")
    assert str(err) == "x.json: unknown format 'pdf'" and err.args == (str(err),)
