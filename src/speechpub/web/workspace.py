"""The workspace the app serves: WORKSPACE/input/*.txt (the speeches, as the CLI reads them) and
WORKSPACE/output (the CLI's output folder). A speech's id is its file stem, which batch.safe_name
leaves unchanged (every upload is stored under such a name)."""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..batch import safe_name
from ..outfile import write_text
from ..errors import SpeechpubError
from ..pipeline import load
from .safety import inside

from .. import corrections as _corrections

PREVIEWS = ".speechpub-previews"
CACHE = ".speechpub-web-cache.json"
BOOKS = "books"


class NotFound(Exception):
    pass


@dataclass
class Workspace:
    root: Path

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.input = self.root / "input"
        self.output = self.root / "output"
        self.input.mkdir(parents=True, exist_ok=True)
        self.output.mkdir(parents=True, exist_ok=True)
        self.input = self.input.resolve()
        self._cache: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self._dirty = False
        self._load_cache()

    # the summaries survive a restart: output/.speechpub-web-cache.json, keyed by file state
    def _cache_file(self) -> Path:
        return self.output / CACHE

    def _load_cache(self) -> None:
        try:
            data = json.loads(self._cache_file().read_text(encoding="utf-8"))
            if data.get("version") == __version__:
                self._cache = {k: (tuple(v[0]), v[1]) for k, v in data["items"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            self._cache = {}

    def save_cache(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            data = {"version": __version__, "items": {k: [list(v[0]), v[1]] for k, v in self._cache.items()}}
            self._dirty = False
        try:
            write_text(self._cache_file(), json.dumps(data, ensure_ascii=False))
        except OSError:
            pass

    # ---- speeches --------------------------------------------------------------------------
    def ids(self) -> list[str]:
        out = []
        with os.scandir(self.input) as it:
            for e in it:
                stem, dot, ext = e.name.rpartition(".")
                if dot and ext.lower() == "txt" and not e.name.startswith(".") and safe_name(stem) == stem \
                        and e.is_file() and (not e.is_symlink() or inside(Path(e.path), self.input)):
                    out.append(stem)
        return sorted(out)

    def path(self, sid: str) -> Path:
        """WORKSPACE/input/ID.txt; NotFound for an id that is not a safe name or a file there
        (a symbolic link counts only when it points inside the input folder)."""
        if not sid or safe_name(sid) != sid or sid.startswith("."):
            raise NotFound(sid)
        p = self.input / f"{sid}.txt"
        if not p.is_file() or (p.is_symlink() and not inside(p, self.input)):
            raise NotFound(sid)
        return p

    def sidecar(self, sid: str) -> Path:
        return _corrections.sidecar_path(self.path(sid))

    def stamp(self, sid: str) -> tuple:
        """What a speech's model depends on: the input file and its sidecar."""
        p = self.path(sid)
        st = p.stat()
        side = self.sidecar(sid)
        sst = side.stat() if side.exists() else None
        return (st.st_mtime_ns, st.st_size, sst.st_mtime_ns if sst else None, sst.st_size if sst else None)

    def document(self, sid: str):
        return load(self.path(sid))

    def summary(self, sid: str) -> dict:
        """{id, name, title, speaker, date, warnings, ...} of one speech, cached per file state."""
        stamp = self.stamp(sid)
        with self._lock:
            hit = self._cache.get(sid)
        if hit and hit[0] == stamp:
            return hit[1]
        try:
            doc = self.document(sid)
            s = {"id": sid, "name": f"{sid}.txt", "title": doc.display_title, "speaker": doc.meta.speaker,
                 "date": doc.meta.date, "warnings": len(doc.warnings),
                 "warning_codes": sorted({w.code for w in doc.warnings}),
                 "errors": sum(w.level == "error" for w in doc.warnings), "error": ""}
        except SpeechpubError as e:
            s = {"id": sid, "name": f"{sid}.txt", "title": sid, "speaker": "", "date": "", "warnings": 0,
                 "warning_codes": [], "errors": 1, "error": e.message}
        with self._lock:
            self._cache[sid] = (stamp, s)
            self._dirty = True
        return s

    def summaries(self) -> list[dict]:
        out = []
        for sid in self.ids():
            try:
                out.append(self.summary(sid) | self.status(sid))
            except (OSError, NotFound):
                continue
        self.save_cache()
        return out

    # ---- outputs ---------------------------------------------------------------------------
    def output_path(self, sid: str, fmt: str) -> Path:
        from ..render import suffix
        return self.output / f"{sid}{suffix(fmt)}"

    def fresh(self, sid: str, fmt: str) -> bool:
        """The output exists and is newer than the input and its sidecar."""
        out = self.output_path(sid, fmt)
        if not out.is_file():
            return False
        t = out.stat().st_mtime_ns
        newest = self.path(sid).stat().st_mtime_ns
        side = self.sidecar(sid)
        if side.exists():
            newest = max(newest, side.stat().st_mtime_ns)
        return t >= newest

    def status(self, sid: str) -> dict:
        done = [f for f in ("docx", "pdf", "epub") if self.fresh(sid, f)]
        return {"converted": done, "status": "已转换" if len(done) == 3 else ("部分转换" if done else "未转换")}

    def preview_dir(self) -> Path:
        return self.output / PREVIEWS

    def book_dir(self) -> Path:
        return self.output / BOOKS


def preview_folder(ws: Workspace, sid: str) -> Path:
    return ws.preview_dir() / sid


def remove_stale_previews(ws: Workspace, sid: str) -> None:
    import shutil
    d = preview_folder(ws, sid)
    if d.is_dir() and inside(d, ws.preview_dir()):
        shutil.rmtree(d, ignore_errors=True)
