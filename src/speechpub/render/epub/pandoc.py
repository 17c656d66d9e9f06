"""pandoc, kept running: one `pandoc lua` process per Python process writes every EPUB.

A pandoc process per EPUB cost about 110 ms of CPU, most of it the kernel's page faults for the
64 MB heap pandoc's runtime asks for at start and loading the EPUB writer; written by a process
that stays, an EPUB costs about 35 ms. The wheel's pandoc has no working `pandoc server` (it
lacks the threaded runtime), so pandoc_serve.lua beside this module reads requests on stdin
and answers on stdout (its header says the protocol). The output is pandoc's own: the same
writer, template, extensions and options as `pandoc -t epub3` on the command line.

pandoc's --sandbox does not apply to pandoc.write in Lua; the server refuses every element and
metadata field that makes the EPUB writer read a file (see the script), and the AST speechpub
builds holds none.
"""
from __future__ import annotations

import atexit
import json
import os
import re
import select
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from ...errors import SpeechpubError
from . import pandoc_ast as ast

__all__ = ["pandoc_path", "check_pandoc", "run_pandoc"]

SCRIPT = Path(__file__).with_name("pandoc_serve.lua")
TIMEOUT = 600          # seconds for one EPUB, as the one-shot run had
RESTART_AFTER = 500    # requests; pandoc's heap does not shrink, so a long batch starts afresh


def pandoc_path() -> str:
    import pypandoc
    try:
        return pypandoc.get_pandoc_path()
    except OSError as e:
        raise SpeechpubError("", f"pandoc not found: {e}; install pypandoc-binary") from None


class _Server:
    def __init__(self, exe: str):
        self.exe, self.pid, self.served = exe, os.getpid(), 0
        self.err = tempfile.TemporaryFile(prefix="speechpub-pandoc-")
        try:
            self.proc = subprocess.Popen([exe, "lua", str(SCRIPT)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self.err)
        except OSError as e:
            raise SpeechpubError("", f"cannot start pandoc at {exe}: {e}") from None
        hello = self._answer(60)
        if "api" not in hello:
            said = self._said()
            self.close(kill=True)
            raise SpeechpubError("", f"{exe} did not answer as pandoc: {said}")
        self.api = [int(n) for n in hello["api"].split(".")]

    def _said(self) -> str:
        self.err.seek(0)
        return self.err.read()[-500:].decode(errors="replace").strip()

    def _answer(self, timeout: float) -> dict:
        out = self.proc.stdout
        ready, _, _ = select.select([out], [], [], timeout)
        line = out.readline() if ready else b""
        if not line:
            said = self._said()
            self.close(kill=True)
            why = f"no answer in {timeout:.0f} s" if not ready else f"exit {self.proc.returncode}"
            raise SpeechpubError("", f"pandoc stopped ({why}): {said}")
        return json.loads(line)

    def write(self, doc_ast: dict, out: Path, toc_depth: int, fonts: list[str]) -> dict:
        body = json.dumps(doc_ast, ensure_ascii=False).encode("utf-8")
        head = {"size": len(body), "out": str(out), "toc_depth": toc_depth, "fonts": fonts}
        try:
            self.proc.stdin.write(json.dumps(head).encode("utf-8") + b"\n" + body)
            self.proc.stdin.flush()
        except OSError:
            said = self._said()
            self.close(kill=True)
            raise SpeechpubError("", f"pandoc stopped: {said}") from None
        self.served += 1
        return self._answer(TIMEOUT)

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.proc.poll() is None

    def close(self, kill: bool = False) -> None:
        """Stop pandoc (it ends when its stdin closes). In a forked child, only let go of the
        copies of the pipes: the parent's pandoc is the parent's to stop."""
        mine = self.pid == os.getpid()
        for f in (self.proc.stdin, self.proc.stdout, self.err):
            try:
                f.close()
            except OSError:
                pass
        if not mine:
            return
        if kill:
            self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# the wheel's pandoc carries no translation files: its own labels (the hidden landmarks) stay
# English and it says so for every book; the contents title comes from ebook.toml
_NOISE = re.compile(r"Could not load translations|has no translation defined")

_lock = threading.Lock()
_server: _Server | None = None


def _serve() -> _Server:
    global _server
    if _server is not None and (not _server.alive() or _server.served >= RESTART_AFTER):
        _server.close()
        _server = None
    if _server is None:
        _server = _Server(pandoc_path())
    return _server


@atexit.register
def _stop() -> None:
    if _server is not None:
        _server.close()


@lru_cache(maxsize=1)
def check_pandoc() -> str:
    """The pandoc binary, after checking once that it reads our AST's API version."""
    with _lock:
        server = _serve()
    have = server.api
    if have[:2] != ast.API_VERSION[:2]:
        want = ".".join(map(str, ast.API_VERSION[:2]))
        raise SpeechpubError("", f"pandoc at {server.exe} speaks pandoc API {'.'.join(map(str, have))}, "
                                 f"speechpub builds API {want}; install a pypandoc-binary with pandoc 3.x")
    return server.exe


def run_pandoc(doc_ast: dict, out: Path, toc_depth: int = 3, fonts: list[str] = ()) -> list[str]:
    """Write the EPUB `out` from `doc_ast`; returns pandoc's warnings."""
    check_pandoc()
    try:
        with _lock:
            answer = _serve().write(doc_ast, out, toc_depth, [str(f) for f in fonts])
    except SpeechpubError as e:
        raise SpeechpubError(out, e.message) from None
    if not answer.get("ok"):
        raise SpeechpubError(out, f"pandoc failed: {answer.get('error', '')[:500]}")
    return [m for m in answer["log"] if not _NOISE.search(m)]
