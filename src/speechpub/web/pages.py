"""The HTML pages: workspace (/), speech (/speech/{id}), book (/book). Every piece of text goes
through Jinja2's autoescape; the pages' script reads data only from data-* attributes and JSON."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from .. import corrections
from ..errors import SpeechpubError
from . import view


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    html = request.app.state.env.get_template(name).render(**context)
    return HTMLResponse(html, status, headers={"Cache-Control": "no-store"})


async def workspace_page(request: Request):
    ws = request.app.state.ws
    items = await run_in_threadpool(ws.summaries)
    codes = [(c, view.WARNING_ZH.get(c, c)) for c in sorted({c for s in items for c in s["warning_codes"]})]
    return render(request, "workspace.html", page="workspace", items=items, codes=codes,
                  root=str(ws.root), busy=request.app.state.jobs.busy())


async def speech_page(request: Request):
    ws = request.app.state.ws
    sid = request.path_params["id"]
    path = ws.path(sid)

    def build():
        doc = ws.document(sid)
        bl = view.blocks(doc)
        try:
            corr = corrections.load(path).to_dict()
        except SpeechpubError:
            corr = {}
        return dict(doc=doc, lines=view.raw_lines(path, doc), blocks=bl, outline=view.outline(doc),
                    warnings=view.warnings(doc, bl), title=doc.display_title, corrections=corr)
    try:
        ctx = await run_in_threadpool(build)
    except SpeechpubError as e:
        def raw():
            from ..read import read_file
            try:
                return read_file(path).text.split("\n")
            except SpeechpubError:
                return []
        return render(request, "error.html", 422, page="speech", message=e.message, sid=sid,
                      raw=await run_in_threadpool(raw))
    meta = ctx["doc"].meta
    fields = [("title", "标题", meta.title), ("subtitle", "副标题", meta.subtitle), ("speaker", "讲话人", meta.speaker),
              ("position", "职务", meta.position), ("date", "日期", meta.date), ("occasion", "场合", meta.occasion),
              ("kind", "文种", meta.kind)]
    overrides = ctx["corrections"].get("meta", {}) if ctx["corrections"] else {}
    dropped = set(ctx["corrections"].get("drop", [])) if ctx["corrections"] else set()
    restored = set(ctx["corrections"].get("restore", [])) if ctx["corrections"] else set()
    return render(request, "speech.html", page="speech", sid=sid, fields=fields, overrides=overrides,
                  editable=True, dropped=dropped, restored=restored, **ctx)


async def book_page(request: Request):
    ws = request.app.state.ws
    items = await run_in_threadpool(ws.summaries)
    return render(request, "book.html", page="book", items=items)


def routes() -> list:
    return [
        Route("/", workspace_page, methods=["GET"]),
        Route("/speech/{id}", speech_page, methods=["GET"]),
        Route("/book", book_page, methods=["GET"]),
    ]
