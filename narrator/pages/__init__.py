"""narrator's own HTML pages: the ``--format html`` article page and the review pages
(``narrate report``, ``variants`` and ``diff --html``).

Their markup lives in ``*.html.j2`` files beside this module, rendered by a plain Jinja
environment of their own: autoescaped, strict about undefined values, and loaded from this
folder only, so no ``--templates`` override reaches them (they are not wording, and a copy
editor's folder must not be able to change how a page escapes). Python computes every value a
page shows; a template only places it. A value that is already HTML is handed in as
``Markup``, with the reason it is safe said where it is made.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

#: Where the page templates are (a wheel ships them: pyproject's package-data).
PAGES = Path(__file__).parent


@functools.cache
def environment() -> Environment:
    """The one environment for narrator's own pages.

    ``select_autoescape(["html"])`` alone would not match ``*.html.j2``. Block tags take their
    line with them (trim_blocks, lstrip_blocks) so a template can be laid out readably and still
    write the exact bytes the pages always had; its final newline is kept. The templates never
    change while narrator runs, so they are not checked for changes on every use.
    """
    return Environment(loader=FileSystemLoader(PAGES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html", "html.j2"]), trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)


def render_page(template: str, /, **values: Any) -> str:
    """Page ``template`` (``"report.html.j2"``) filled with ``values``."""
    return environment().get_template(template).render(values)
