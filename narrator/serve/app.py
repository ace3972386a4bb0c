"""The web app of ``narrate serve``: Starlette routes over a ``Preview``, a file watcher that
reloads it, and server-sent events that tell open pages to fetch themselves again.

Why these libraries: Starlette (routing, responses, streaming for server-sent events) and uvicorn
(the ASGI server) are the small, well-kept pair ``mkdocs``-like live servers are built on;
watchfiles (Rust ``notify``) watches folders with inotify instead of polling, batches the
events of one save, and is what uvicorn's own ``--reload`` uses. All three are in the
``serve`` extra: a user who never runs ``serve`` installs none of them.

Safe by default: every page is made by Python and an autoescaped page template (no file is
served from disk, so there is no path to traverse), an article is looked up by id in the loaded
data, and nothing is written.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from babel import localedata
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from .. import formats
from ..pages import render_page
from ..publish.wordpress import post_content
from .preview import Preview

PAGE_SIZE = 50
FACTS = {"hourly-only": "a job paid by the hour only", "withheld": "a place not named"}


def create_app(preview: Preview, *, watch: bool = True, tree: Path | None = None) -> Starlette:
    """The app over ``preview``; ``watch``: reload it when its templates or data change;
    ``tree``: an earlier ``--all`` output that "what changed" compares with (default: the
    articles as they were when the server started)."""
    listeners: set[asyncio.Queue[int]] = set()

    async def changed(data_changed: bool) -> None:
        await asyncio.to_thread(preview.reload, data_changed)
        for queue in list(listeners):
            queue.put_nowait(preview.version)
        if preview.baseline:
            await asyncio.to_thread(preview.compare)

    async def watcher() -> None:
        from watchfiles import awatch

        paths = [str(p) for p in (*preview.data, *preview.templates) if Path(p).exists()]
        data = [Path(p).resolve() for p in preview.data]
        async for events in awatch(*paths, debounce=50, step=20):
            touched = [Path(p).resolve() for _, p in events]
            await changed(any(d in t.parents or d == t for t in touched for d in data))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tasks = []
        if watch:
            tasks.append(asyncio.create_task(watcher()))
        tasks.append(asyncio.create_task(asyncio.to_thread(preview.start_baseline, tree)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()

    def page(request: Request, template: str, head: str, **values: Any) -> Response:
        main = render_page(template, **values)
        if request.headers.get("x-narrator-fragment"):  # the live update asks for <main> only
            return HTMLResponse(main)
        # ``main`` was made by an autoescaped page template: it is HTML already
        return HTMLResponse(render_page("serve.html.j2", title=head, main=Markup(main),
                                        version=preview.version))

    async def home(request: Request) -> Response:
        q = request.query_params
        query, style, fact, variant = (q.get("q", ""), q.get("style", ""), q.get("fact", ""),
                                       q.get("variant", ""))
        found = await asyncio.to_thread(preview.search, query, style, fact, variant)
        pages = max(1, math.ceil(len(found) / PAGE_SIZE))
        try:
            n = min(max(1, int(q.get("page", "1"))), pages)
        except ValueError:
            n = 1
        shown = found[(n - 1) * PAGE_SIZE: n * PAGE_SIZE]
        sets: dict[str, int] = {}
        for item in preview.items.values():
            where = item.folder or str(Path(item.source).parent)
            sets[where] = sets.get(where, 0) + 1
        return page(request, "serve_home.html.j2", "narrate serve",
                    total=len(preview.items), found=len(found), sets=sorted(sets.items()),
                    items=[(i.id, f"{i.record.a.title} vs {i.record.b.title}",
                            preview.style_of(i)) for i in shown],
                    query=query, style=style, fact=fact, variant=variant, n=n, pages=pages,
                    styles=sorted({preview.style_of(i) for i in preview.items.values()}),
                    facts=FACTS, errors=preview.errors[:20], version=preview.version)

    async def article(request: Request) -> Response:
        rid = request.path_params["rid"]
        if rid not in preview.items:
            return HTMLResponse(render_page("serve.html.j2", title="not found", version=0,
                                            main=Markup("<main><p>No such article.</p></main>")),
                                status_code=404)
        locale = request.query_params.get("locale") or preview.locale
        if not localedata.exists(locale):
            return HTMLResponse(render_page("serve.html.j2", title="unknown locale", version=0,
                                            main=Markup("<main><p>Unknown locale.</p></main>")),
                                status_code=400)
        done = await asyncio.to_thread(preview.render, rid, locale)
        item = preview.items[rid]
        values: dict[str, Any] = {"rid": rid, "error": done.error, "locale": locale,
                                  "version": preview.version, "style": preview.style_of(item)}
        art = done.article
        if art is not None:
            data = formats.to_data(art)  # the JSON article's fields, as --all writes them
            body = post_content(data)  # the post exactly as publish wordpress sends it
            values |= {
                "title": art.title, "seo_title": art.seo_title or art.title,
                "meta": art.meta_description,
                # narrator's own HTML (every record string escaped by formats.html_body)
                "body": Markup(body),
                "markdown": art.markdown(),
                "json": json.dumps(data, ensure_ascii=False, indent=2),
                "variants": _variants(preview, preview.style_of(item), art.variants),
                "change": next((c for c in preview.changes if c.id == rid), None),
            }
        values["record"] = json.dumps(_plain(item.record), ensure_ascii=False, indent=2)
        return page(request, "serve_article.html.j2", rid, **values)

    async def changes(request: Request) -> Response:
        if preview.baseline and preview.changes_at != preview.version:
            await asyncio.to_thread(preview.compare)
        return page(request, "serve_changes.html.j2", "what changed",
                    ready=bool(preview.baseline), changes=preview.changes,
                    version=preview.version, changes_at=preview.changes_at)

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[int] = asyncio.Queue()
        listeners.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield f"event: hello\ndata: {preview.version}\n\n"
                while True:
                    try:
                        version = await asyncio.wait_for(queue.get(), timeout=15)
                        yield f"event: change\ndata: {version}\n\n"
                    except TimeoutError:
                        yield ": keep-alive\n\n"
            finally:
                listeners.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def report_page(request: Request) -> Response:
        from ..review import report

        pages = await asyncio.to_thread(lambda: sorted(
            (rid, md) for rid, md in preview.markdown_of_all().items() if isinstance(md, str)))
        if not pages:
            return HTMLResponse("no article renders", status_code=409)
        # narrator's own report page (an autoescaped page template), as `narrate report --html`
        return HTMLResponse(await asyncio.to_thread(
            lambda: report.to_html(report.analyse(pages, jobs=1))))

    async def variants_page(request: Request) -> Response:
        from ..review import variants

        slots, articles = await asyncio.to_thread(preview.variant_counts)
        return HTMLResponse(variants.to_html(slots, articles))  # as `narrate variants --html`

    async def version(request: Request) -> Response:
        return Response(str(preview.version), media_type="text/plain")

    routes = [Route("/", home), Route("/a/{rid}", article), Route("/changes", changes),
              Route("/report", report_page), Route("/variants", variants_page),
              Route("/events", events), Route("/version", version)]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.changed = changed  # tests without a watcher call it
    return app


def _variants(preview: Preview, style: str,
              chosen: Any) -> list[tuple[str, int, list[tuple[int, str, bool]]]]:
    """Each slot the page chose a variant in: its name, the variant chosen and every variant
    of the slot (number, template text, whether chosen)."""
    slots = {s.name: s for s in preview.slots(style)}
    out = []
    for name, n in sorted(chosen):
        slot = slots.get(name.split(".")[0])
        others = [(v.n, v.text.strip(), v.n == n) for v in slot.variants] if slot else []
        out.append((name, n, others))
    return out


def _plain(record: Any) -> Any:
    import msgspec

    return msgspec.to_builtins(record)
