"""``narrate --all``: every comparison under the data directories, in parallel, incrementally.

``runner`` holds the run (options, run keys, the worker pool, signals, the summary); ``index``
the output directory's bookkeeping (``index.jsonl``, the ``--out`` lock, clean-up).
"""
