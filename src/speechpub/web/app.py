"""`speechpub serve`: the web app over a workspace folder (Starlette, Jinja2 with autoescape).

create_app() builds the ASGI app; serve() runs it with uvicorn. The routes are in api.py (JSON)
and pages.py (HTML); safety.py holds the checks every request passes."""
from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from . import safety
from .jobs import Jobs
from .workspace import NotFound, Workspace

STATIC = Path(__file__).parent / "static"


class Guard:
    """ASGI middleware: the Host header (against DNS rebinding), the access token for
    non-loopback hosts (query ?token= once, then a cookie), the same-origin check on requests that
    change something, and the security headers on every answer."""

    def __init__(self, app, token: str | None, hosts: tuple[str, ...] | None):
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        if self.hosts is not None:
            host = headers.get("host", "").rsplit(":", 1)[0] if not headers.get("host", "").endswith("]") \
                else headers.get("host", "")
            if host.lower() not in self.hosts:
                return await _send(PlainTextResponse("unknown host", 421), scope, receive, send)
        set_cookie = False
        if self.token:
            cookies = _cookies(headers.get("cookie", ""))
            query = _query(scope.get("query_string", b"").decode("latin-1"))
            if safety.token_ok(cookies.get(safety.COOKIE), self.token):
                pass
            elif method == "GET" and safety.token_ok(query.get("token"), self.token):
                set_cookie = True
            else:
                return await _send(PlainTextResponse("需要访问令牌：请使用 speechpub serve 启动时显示的地址打开。",
                                                     403), scope, receive, send)
        if method not in ("GET", "HEAD", "OPTIONS") and not safety.same_origin(headers):
            return await _send(JSONResponse({"error": "跨站请求被拒绝（Origin 与本站不符）"}, 403),
                               scope, receive, send)
        if set_cookie:       # drop the token from the address once the cookie holds it
            resp = RedirectResponse(scope.get("path", "/") or "/", 303)
            resp.set_cookie(safety.COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return await _send(resp, scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                h = list(message.get("headers", []))
                names = {k.lower() for k, _ in h}
                for k, v in ((b"content-security-policy", safety.CSP.encode()),
                             (b"x-content-type-options", b"nosniff"),
                             (b"x-frame-options", b"DENY"),
                             (b"referrer-policy", b"same-origin"),
                             (b"cross-origin-resource-policy", b"same-origin")):
                    if k not in names:
                        h.append((k, v))
                message = dict(message, headers=h)
            await send(message)
        return await self.app(scope, receive, send_with_headers)


async def _send(resp, scope, receive, send):
    await resp(scope, receive, send)


def _cookies(header: str) -> dict:
    out = {}
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k:
            out[k] = v
    return out


def _query(qs: str) -> dict:
    from urllib.parse import parse_qs
    return {k: v[0] for k, v in parse_qs(qs).items()}


def templates() -> Environment:
    env = Environment(loader=PackageLoader("speechpub.web", "templates"), auto_reload=False,
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return env


def create_app(workspace: str | Path = ".", *, token: str | None = None,
               hosts: tuple[str, ...] | None = None, workers: int | None = None,
               limits: safety.Limits | None = None) -> Starlette:
    """The app over WORKSPACE. token: required on every request when set (non-loopback hosts).
    hosts: the Host header names accepted (None: any)."""
    from . import api, pages
    ws = Workspace(Path(workspace))
    jobs = Jobs(ws, workers)

    @asynccontextmanager
    async def lifespan(app):
        yield
        jobs.shutdown()

    async def not_found(request, exc):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "没有这篇讲话"}, 404)
        return pages.render(request, "error.html", 404, page="", message="没有这篇讲话", sid="")

    app = Starlette(routes=api.routes() + pages.routes() + [Mount("/static", StaticFiles(directory=STATIC),
                                                                  name="static")],
                    middleware=[Middleware(Guard, token=token, hosts=hosts)], lifespan=lifespan,
                    exception_handlers={NotFound: not_found})
    app.state.ws = ws
    app.state.jobs = jobs
    app.state.limits = limits or safety.Limits()
    app.state.env = templates()
    return app


def serve(workspace: str | Path, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          workers: int | None = None) -> None:
    import uvicorn
    token = None if safety.is_loopback(host) else safety.new_token()
    hosts = ("127.0.0.1", "localhost", "[::1]", "::1") if safety.is_loopback(host) else None
    app = create_app(workspace, token=token, hosts=hosts, workers=workers)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown if ':' not in shown else '[' + shown + ']'}:{port}/"
    if token:
        url += f"?token={token}"
        print(f"speechpub serve: listening on {host}:{port}; open this address (it holds the access "
              f"token; share it only with people who may edit this workspace):", file=sys.stderr)
    else:
        print(f"speechpub serve: workspace {app.state.ws.root}", file=sys.stderr)
    print(url, flush=True)
    if open_browser:
        import threading
        import webbrowser
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
