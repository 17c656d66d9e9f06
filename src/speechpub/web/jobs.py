"""Conversions off the web server's process: a batch runs run_batch (its own process pool, the
same manifest as `speechpub convert`) in one background thread fed by a bounded queue; single
renders for a download, a page preview or a book go to a small process pool of their own. The
event loop never converts anything, so pages answer while a batch runs."""
from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpeechpubError

MAX_PENDING = 4            # batch jobs waiting; one more is refused (429) until one finishes
MAX_RENDERS = 16
BATCH_NICE = 10            # batches run at a lower priority than the server's pages           # single renders waiting in the pool; more are refused (503)


@dataclass
class BatchJob:
    id: str
    formats: list
    state: str = "running"          # running | done | failed (queued jobs are "running" too)
    queued: bool = True
    done: int = 0
    total: int = 0
    converted: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)
    error: str = ""
    started: float = 0.0
    finished: float = 0.0

    def to_dict(self) -> dict:
        return {"job": self.id, "state": self.state, "done": self.done, "total": self.total,
                "failed": self.failed, "queued": self.queued, "converted": self.converted,
                "skipped": self.skipped, "formats": self.formats, "error": self.error}


class Busy(Exception):
    pass


# ---- work done in worker processes (module level: picklable) ------------------------------

def render_one(source: str, out: str, fmt: str) -> list[str]:
    """Render one speech (its sidecar honoured by pipeline.load) to `out`; warnings as text."""
    from ..pipeline import load
    from ..render import RenderOptions, render
    doc = load(source)
    return [w.message for w in render(doc, fmt, Path(out), RenderOptions())]


def build_book(sources: list[str], out: str, fmt: str, title: str, editor: str) -> list[str]:
    from .. import book as books
    from ..pipeline import load
    from ..render import RenderOptions
    docs = [load(s) for s in sources]
    volume = books.Volume(title, editor, tuple(docs))
    return [w.message for w in books.write(volume, Path(out), fmt, RenderOptions())]


def page_images(pdf: str, folder: str, pages: int = 2, dpi: int = 50) -> list[str]:
    """The first pages of a PDF as PNGs folder/1.png, 2.png (pdftoppm from poppler-utils)."""
    out = []
    Path(folder).mkdir(parents=True, exist_ok=True)
    for n in range(1, pages + 1):
        target = Path(folder) / f"{n}.png"
        tmp = Path(folder) / f".tmp-{os.getpid()}-{n}"
        r = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(n), "-l", str(n), "-singlefile",
                            pdf, str(tmp)], capture_output=True, timeout=60)
        png = tmp.with_suffix(".png")
        if r.returncode != 0 or not png.exists():
            png.unlink(missing_ok=True)
            break
        os.replace(png, target)
        out.append(str(target))
    return out


# ---- the manager ----------------------------------------------------------------------------

class Jobs:
    def __init__(self, workspace, workers: int | None = None):
        self.ws = workspace
        self.workers = workers or max(1, (os.cpu_count() or 1))
        self.jobs: dict[str, BatchJob] = {}
        self._ids = itertools.count(1)
        self._queue: queue.Queue = queue.Queue(maxsize=MAX_PENDING)
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._pending = 0
        self._inflight: dict = {}
        self._lock = threading.Lock()

    # batches
    def submit(self, formats: list[str]) -> BatchJob:
        job = BatchJob(f"{next(self._ids)}", list(formats))
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            raise Busy("转换队列已满，请稍后再试") from None
        self.jobs[job.id] = job
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="speechpub-batches", daemon=True)
                self._thread.start()
        return job

    def _loop(self):
        # Linux sets a thread's niceness, and the batch's worker processes, forked from this
        # thread, inherit it: the pages keep the CPU they need while a batch runs.
        try:
            os.nice(BATCH_NICE)
        except (AttributeError, OSError):
            pass
        while True:
            try:
                job = self._queue.get(timeout=1.0)
            except queue.Empty:
                return
            try:
                self._run(job)
            finally:
                self._queue.task_done()

    def _run(self, job: BatchJob):
        from ..batch import run_batch
        from ..render import RenderOptions
        job.queued, job.started = False, time.time()

        def progress(event, *args):
            if event == "start":
                todo, skipped = args
                job.total, job.done, job.skipped = todo + skipped, skipped, skipped
            elif event == "done":
                outcome = args[0]
                job.done += 1
                if outcome.error:
                    job.failed.append({"id": Path(outcome.source).stem, "error": outcome.error})
                else:
                    job.converted += 1
        try:
            if not self.ws.ids():
                job.state = "done"
                return
            summary = run_batch([self.ws.input], self.ws.output, job.formats, RenderOptions(),
                                jobs=self.workers, progress=progress)
            known = {f["id"] for f in job.failed}
            for src, err in summary.failed:
                if Path(src).stem not in known:
                    job.failed.append({"id": Path(src).stem, "error": err})
            job.state = "failed" if summary.interrupted else "done"
        except SpeechpubError as e:
            job.state, job.error = "failed", e.message
        except Exception as e:        # noqa: BLE001 - reported in the job, never kills the server
            job.state, job.error = "failed", f"{type(e).__name__}: {e}"
        finally:
            job.finished = time.time()

    def busy(self) -> bool:
        return any(j.state == "running" for j in self.jobs.values())

    # single renders
    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def run(self, fn, *args):
        """Run fn(*args) in the render pool; the caller awaits the returned future."""
        with self._lock:
            if self._pending >= MAX_RENDERS:
                raise Busy("渲染队列已满，请稍后再试")
            self._pending += 1
        try:
            fut = self.pool().submit(fn, *args)
        except RuntimeError:            # the pool is shutting down with the server
            with self._lock:
                self._pending -= 1
            raise Busy("服务正在停止") from None

        def _done(_):
            with self._lock:
                self._pending -= 1
        fut.add_done_callback(_done)
        return fut

    def run_once(self, key, fn, *args):
        """run(), but a call with the key of one still running shares its future."""
        with self._lock:
            fut = self._inflight.get(key)
            if fut is not None and not fut.done():
                return fut
        fut = self.run(fn, *args)
        with self._lock:
            self._inflight[key] = fut
        fut.add_done_callback(lambda f: self._forget(key, f))
        return fut

    def _forget(self, key, fut):
        with self._lock:
            if self._inflight.get(key) is fut:
                del self._inflight[key]

    def shutdown(self):
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
