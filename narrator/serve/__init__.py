"""``narrate serve``: a live preview for the people who edit the templates (issue 25).

``preview.Preview`` renders the data as ``narrate --all`` does and keeps it up to date;
``app.create_app`` is the web app over it. Needs the ``serve`` extra
(``pip install -e '.[serve]'``): Starlette, uvicorn and watchfiles.
"""
