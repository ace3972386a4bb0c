"""Publishing: a rendered output tree (``narrate --all --format json``) synced into a CMS.

Publishing is a step of its own over a tree already written: rendering never needs a CMS.
``tree`` reads the tree's ``index.jsonl`` and JSON articles; ``http`` is a small REST client
(retries, back-off, one-line errors); ``wordpress`` plans and applies the sync.
"""

from __future__ import annotations

from ..errors import NarratorError


class PublishError(NarratorError):
    """The site cannot be reached, refuses us, or the tree cannot be published as it is."""
