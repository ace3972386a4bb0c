"""The render engine: record + facts + locale -> Article through Jinja templates.

``renderer`` prepares each job's values (``views``) and renders a style's templates in order;
``environment`` builds the Jinja environment (loader chain, filters, sandbox); ``fast`` is the
speed layer over it (Jinja overrides, switched off by ``fast=False``); ``limits`` bounds a
render's time; ``variants`` is the ``{% variants %}`` tag and its choices; ``slots`` reads the
slots of a template for incremental runs.
"""
