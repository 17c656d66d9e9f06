"""The JSON API (documented in the README, section "Web API"). Every speech is named by its id,
the stem of WORKSPACE/input/ID.txt."""
from __future__ import annotations

import asyncio
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
import json
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..batch import safe_name
from ..errors import SpeechpubError
from .. import corrections
from ..outfile import write_bytes
from . import jobs as jobmod
from . import safety
from .workspace import NotFound, preview_folder, remove_stale_previews

SPEECH_FORMATS = ("docx", "pdf", "epub")
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "epub": "application/epub+zip", "png": "image/png"}


def error(message: str, status: int = 400, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status)


def _ws(request: Request):
    return request.app.state.ws


def _sid(request: Request) -> str:
    sid = request.path_params["id"]
    _ws(request).path(sid)          # raises NotFound
    return sid


# ---- upload -----------------------------------------------------------------------------------

class _TooLarge(Exception):
    pass


def _capped(receive, cap: int):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise _TooLarge
        return message
    return wrapped


async def upload(request: Request):
    limits: safety.Limits = request.app.state.limits
    cap = limits.total + 1024 * 1024            # the files plus the multipart framing
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        return error(f"上传总量超过上限 {limits.total} 字节", 413)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return error("请用 multipart/form-data 上传，字段名 files", 415)
    capped = Request(request.scope, _capped(request.receive, cap))
    try:
        form = await capped.form(max_files=limits.files, max_fields=20)
    except _TooLarge:
        return error(f"上传总量超过上限 {limits.total} 字节", 413)
    except Exception as e:                      # malformed multipart, too many parts
        return error(f"无法读取上传内容：{getattr(e, 'detail', e)}", 400)
    try:
        files = []
        for item in form.getlist("files"):
            if isinstance(item, str):
                continue
            data = await item.read()        # the whole body is capped above; a zip may exceed per_file
            files.append((item.filename or "speech.txt", data))
        if not files:
            return error("没有收到文件（字段名 files）", 400)
        try:
            uploads, skipped = safety.expand(files, limits)
        except safety.Refused as e:
            return error(e.message, e.status)
        ws = _ws(request)
        stored = await run_in_threadpool(_store, ws, uploads, skipped)
    finally:
        await form.close()
    if not stored:
        return error("没有可用的 .txt 文件", 400, skipped=skipped)
    headers = {"X-Speechpub-Skipped": json.dumps(skipped)} if skipped else None
    return JSONResponse(stored, 201, headers=headers)


def _store(ws, uploads, skipped) -> list[dict]:
    out, seen = [], set()
    for up in uploads:
        stem = safety.upload_stem(up.name)
        try:
            target = safety.target_in(ws.input, stem, up.data)
        except safety.Refused as e:
            skipped.append({"name": up.name, "error": e.message})
            continue
        if not safety.inside(target, ws.input):          # belt and braces: never outside input/
            skipped.append({"name": up.name, "error": "不在工作区内"})
            continue
        if not target.exists():
            write_bytes(target, up.data)
        sid = target.stem
        if sid in seen:
            continue
        seen.add(sid)
        s = ws.summary(sid)
        out.append({k: s[k] for k in ("id", "name", "title", "speaker", "date", "warnings")} |
                   ({"error": s["error"]} if s["error"] else {}))
    ws.save_cache()
    return out


# ---- speeches ---------------------------------------------------------------------------------

async def list_speeches(request: Request):
    items = await run_in_threadpool(_ws(request).summaries)
    return JSONResponse([{k: s[k] for k in ("id", "name", "title", "speaker", "date", "warnings", "status",
                                            "converted", "warning_codes", "error")} for s in items])


async def model(request: Request):
    sid = _sid(request)
    try:
        doc = await run_in_threadpool(_ws(request).document, sid)
    except SpeechpubError as e:
        return error(e.message, 422)
    return JSONResponse(doc.to_dict())


async def get_corrections(request: Request):
    sid = _sid(request)
    try:
        c = corrections.load(_ws(request).path(sid))
    except SpeechpubError as e:
        return error(str(e), 422)
    return JSONResponse(c.to_dict())


async def put_corrections(request: Request):
    sid = _sid(request)
    if not request.headers.get("content-type", "").startswith("application/json"):
        return error("请求须为 application/json", 415)
    body = await request.body()
    if len(body) > 1024 * 1024:
        return error("校正内容过大", 413)
    try:
        patch = json.loads(body)
    except ValueError:
        return error("不是有效的 JSON", 400)
    if not isinstance(patch, dict):
        return error("校正须为 JSON 对象", 400)
    ws = _ws(request)
    path = ws.path(sid)

    def apply():
        new = corrections.merge(corrections.load(path), patch)
        corrections.save(path, new)
        remove_stale_previews(ws, sid)
        return ws.document(sid)
    try:
        doc = await run_in_threadpool(apply)
    except SpeechpubError as e:
        return error(str(e), 422)
    return JSONResponse(doc.to_dict())


async def _fresh_output(request: Request, sid: str, fmt: str) -> Path:
    """The output of a speech in one format, rendered now unless it is newer than the input and
    its sidecar. Requests for the same output at once share one render."""
    ws = _ws(request)
    out = ws.output_path(sid, fmt)
    if not await run_in_threadpool(ws.fresh, sid, fmt):
        fut = request.app.state.jobs.run_once((sid, fmt, ws.stamp(sid)), jobmod.render_one,
                                              str(ws.path(sid)), str(out), fmt)
        try:
            await asyncio.wrap_future(fut)
        except (BrokenProcessPool, CancelledError):
            raise jobmod.Busy("渲染进程已停止，请重试") from None
    return out


async def download(request: Request):
    sid = _sid(request)
    fmt = request.path_params["fmt"]
    if fmt not in SPEECH_FORMATS:
        return error(f"未知格式 {fmt}（可用：docx、pdf、epub）", 404)
    try:
        out = await _fresh_output(request, sid, fmt)
    except jobmod.Busy as e:
        return error(str(e), 503)
    except SpeechpubError as e:
        return error(e.message, 422)
    return FileResponse(out, media_type=MEDIA[fmt], headers=_attachment(f"{sid}.{fmt}"))


async def page_image(request: Request):
    sid = _sid(request)
    n = request.path_params["n"]
    if n not in (1, 2):
        return error("只提供前两页", 404)
    ws = _ws(request)
    folder = preview_folder(ws, sid)
    png = folder / f"{n}.png"
    try:
        pdf = await _fresh_output(request, sid, "pdf")
        if not png.exists() or png.stat().st_mtime_ns < pdf.stat().st_mtime_ns:
            key = ("pages", sid, pdf.stat().st_mtime_ns)
            try:
                await asyncio.wrap_future(request.app.state.jobs.run_once(key, jobmod.page_images, str(pdf),
                                                                          str(folder)))
            except (BrokenProcessPool, CancelledError):
                raise jobmod.Busy("渲染进程已停止，请重试") from None
    except jobmod.Busy as e:
        return error(str(e), 503)
    except SpeechpubError as e:
        return error(e.message, 422)
    if not png.exists():
        return Response(status_code=404)
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "no-store"})


def _attachment(name: str) -> dict:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


# ---- batches and books ------------------------------------------------------------------------

async def _json(request: Request) -> dict | None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    body = await request.body()
    if len(body) > 1024 * 1024:
        return None
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


async def convert(request: Request):
    data = await _json(request)
    if data is None:
        return error("请求须为 JSON 对象（application/json）", 415)
    formats = data.get("formats") or list(SPEECH_FORMATS)
    from ..render import FORMATS
    if not isinstance(formats, list) or not all(isinstance(f, str) and f in FORMATS for f in formats):
        return error(f"formats 须为以下格式的列表：{', '.join(FORMATS)}", 400)
    try:
        job = request.app.state.jobs.submit(list(dict.fromkeys(formats)))
    except jobmod.Busy as e:
        return error(str(e), 429)
    return JSONResponse({"job": job.id}, 202)


async def job_state(request: Request):
    job = request.app.state.jobs.jobs.get(request.path_params["job"])
    if job is None:
        return error("没有这个任务", 404)
    return JSONResponse(job.to_dict())


async def make_book(request: Request):
    data = await _json(request)
    if data is None:
        return error("请求须为 JSON 对象（application/json）", 415)
    ws = _ws(request)
    ids, fmt = data.get("ids"), data.get("format", "epub")
    title, editor = str(data.get("title") or "")[:200], str(data.get("editor") or "")[:200]
    if fmt not in ("epub", "pdf", "docx"):
        return error("format 须为 epub、pdf 或 docx", 400)
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        return error("ids 须为非空的讲话 id 列表", 400)
    try:
        sources = [str(ws.path(i)) for i in ids]
    except NotFound as e:
        return error(f"没有这篇讲话：{e}", 404)
    name = safe_name(title or "讲话汇编") + "." + fmt
    out = ws.book_dir() / name
    try:
        warnings = await asyncio.wrap_future(request.app.state.jobs.run(
            jobmod.build_book, sources, str(out), fmt, title, editor))
    except jobmod.Busy as e:
        return error(str(e), 503)
    except SpeechpubError as e:
        return error(str(e), 422)
    return JSONResponse({"name": name, "download": f"/api/books/{quote(name)}", "warnings": warnings}, 201)


async def get_book(request: Request):
    ws = _ws(request)
    name = request.path_params["name"]
    p = ws.book_dir() / name
    if safe_name(name) != name or not p.is_file() or not safety.inside(p, ws.book_dir()):
        return error("没有这本书", 404)
    return FileResponse(p, media_type=MEDIA.get(p.suffix.lstrip("."), "application/octet-stream"),
                        headers=_attachment(name))


def routes() -> list:
    return [
        Route("/api/speeches", upload, methods=["POST"]),
        Route("/api/speeches", list_speeches, methods=["GET"]),
        Route("/api/speeches/{id}", model, methods=["GET"]),
        Route("/api/speeches/{id}/corrections", get_corrections, methods=["GET"]),
        Route("/api/speeches/{id}/corrections", put_corrections, methods=["PUT"]),
        Route("/api/speeches/{id}/download/{fmt}", download, methods=["GET"]),
        Route("/api/speeches/{id}/pages/{n:int}.png", page_image, methods=["GET"]),
        Route("/api/convert", convert, methods=["POST"]),
        Route("/api/jobs/{job}", job_state, methods=["GET"]),
        Route("/api/book", make_book, methods=["POST"]),
        Route("/api/books/{name}", get_book, methods=["GET"]),
    ]
