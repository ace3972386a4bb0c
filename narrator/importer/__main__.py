"""``python -m narrator.importer``: rebuild data/bls."""

import sys

from . import main

sys.exit(main())
