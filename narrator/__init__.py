"""narrator: rule-based job-comparison articles from structured records."""

from .api import load, narrate
from .errors import NarratorError

__all__ = ["NarratorError", "load", "narrate"]
