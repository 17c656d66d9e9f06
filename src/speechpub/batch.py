"""Batch conversion: find inputs, plan safe output names, convert in parallel, incrementally,
atomically, and report every failure without stopping the batch.

The output folder holds a manifest (.speechpub-manifest.jsonl): one JSON line per converted or
failed input, appended as each finishes, so a killed run loses nothing it completed; the next
run replays it, converts only new or changed inputs, and rewrites it compactly at the end. An
input that could not be read or parsed is not tried again while its bytes and the settings are
the same (it is listed as failed again, from the manifest); one that failed while rendering
(a missing font, a crash) is. So a run with nothing changed starts no worker and loads no font.
"""
from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .corrections import is_sidecar, sidecar_path
from .errors import SpeechpubError
from .outfile import TMP_PREFIX, atomic_path

INPUT_SUFFIXES = (".txt",)
MANIFEST = ".speechpub-manifest.jsonl"
LOCK = ".speechpub.lock"
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class Job:
    source: Path
    out_stem: Path          # output path without suffix, relative to the output folder

    @property
    def key(self) -> str:
        return self.out_stem.as_posix()


@dataclass
class Outcome:
    """What converting one job gave: outputs written, or the reason it failed."""
    key: str
    source: str
    digest: str
    outputs: dict = field(default_factory=dict)     # format -> path relative to the output folder
    error: str = ""
    final: bool = False     # the error is the input's own (read, clean, parse): the same bytes fail again
    warnings: int = 0
    seconds: dict = field(default_factory=dict)     # stage -> seconds (load, txt, pdf, ...)


@dataclass
class Summary:
    converted: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)      # (source, message)
    pruned: int = 0
    seconds: float = 0.0
    stages: dict = field(default_factory=dict)      # stage -> total seconds
    interrupted: bool = False

    @property
    def rate(self) -> float:
        return self.converted / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {"converted": self.converted, "skipped": self.skipped, "failed": len(self.failed),
                "failures": [{"source": s, "error": e} for s, e in self.failed], "pruned": self.pruned,
                "seconds": round(self.seconds, 3), "documents_per_second": round(self.rate, 2),
                "stage_seconds": {k: round(v, 3) for k, v in sorted(self.stages.items())},
                "interrupted": self.interrupted}


# ---- inputs and names -------------------------------------------------------------------------

def safe_name(name: str) -> str:
    """A file name that is valid on Linux, macOS and Windows."""
    name = _UNSAFE.sub("_", name).strip().rstrip(".")
    if not name or name in (".", ".."):
        name = "speech"
    if name.startswith("-"):
        name = "_" + name
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    return name[:150]


def find_inputs(sources: list[Path]) -> tuple[list[Job], list]:
    """Expand files and folders into jobs; folders are searched for .txt files recursively.

    Symbolic links that point outside their input folder are not followed."""
    jobs, skipped = [], []
    for src in sources:
        if src.is_dir():
            root = src.resolve()
            for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                folder = Path(dirpath)
                out_folder = Path(*(safe_name(x) for x in folder.relative_to(src).parts))
                for name in sorted(filenames):
                    stem, suffix = os.path.splitext(name)
                    if name.startswith(".") or suffix.lower() not in INPUT_SUFFIXES or is_sidecar(name):
                        continue
                    p = folder / name
                    if os.path.islink(p) and not _inside(p.resolve(), root):
                        skipped.append((p, "symbolic link to a file outside the input folder"))
                        continue
                    jobs.append(Job(p, out_folder / safe_name(stem)))
        elif is_sidecar(src):
            continue        # an editor's corrections (input/* names them too): applied with their speech
        elif src.exists() or src.is_symlink():
            jobs.append(Job(src, Path(safe_name(src.stem))))
        else:
            raise SpeechpubError(src, "no such file or folder")
    return _dedupe(jobs), skipped


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _dedupe(jobs: list[Job]) -> list[Job]:
    """Two inputs that would write the same output name get -2, -3, ... (case-insensitively)."""
    seen: set[str] = set()
    out = []
    for job in jobs:
        stem, n = job.out_stem, 1
        while stem.as_posix().lower() in seen:
            n += 1
            stem = job.out_stem.with_name(f"{job.out_stem.name}-{n}")
        seen.add(stem.as_posix().lower())
        out.append(Job(job.source, stem))
    return out


def digest_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest_input(path: Path) -> str:
    """The input's content hash, with its corrections sidecar's content when it has one: a new,
    changed or deleted sidecar makes the input convert again (and only that input)."""
    digest = digest_file(path)
    side = sidecar_path(path)
    if side.exists():
        try:
            extra = digest_file(side) if side.is_file() else "not a file"    # a pipe would block
        except OSError:
            extra = "unreadable"        # converting it says so, naming the sidecar
        digest = hashlib.sha256(f"{digest}\0corrections\0{extra}".encode()).hexdigest()
    return digest


def settings_digest(options, script: str) -> str:
    """Everything besides the input that shapes the outputs: style files, script, version."""
    h = hashlib.sha256(f"{__version__}\0{script}\0{options.embed_fonts}".encode())
    for p in (options.style.path, options.ebook_style):
        if p and Path(p).exists():
            h.update(Path(p).read_bytes())
    return h.hexdigest()[:16]


# ---- converting one document (runs in a worker) -----------------------------------------------

def convert_one(job: Job, outdir: Path, formats: list[str], options, script: str = "auto",
                digest: str = "") -> Outcome:
    """Convert one input to the given formats. Never raises for a bad input: the outcome says."""
    from .pipeline import load
    from .render import render, suffix

    out = Outcome(job.key, str(job.source), digest)
    try:
        t = time.perf_counter()
        try:
            doc = load(job.source, script=script)
        except SpeechpubError:
            out.final = True
            raise
        out.seconds["load"] = time.perf_counter() - t
        out.warnings = len(doc.warnings)
        for fmt in formats:
            t = time.perf_counter()
            rel = job.out_stem.with_name(job.out_stem.name + suffix(fmt))
            out.warnings += len(render(doc, fmt, outdir / rel, options))
            out.outputs[fmt] = rel.as_posix()
            out.seconds[fmt] = time.perf_counter() - t
    except SpeechpubError as e:         # a bad sidecar is named: the message is about that file
        out.error = e.message if e.path in ("", str(job.source)) else str(e)
    except (MemoryError, RecursionError) as e:
        out.error = f"too large or too deeply nested to convert ({type(e).__name__})"
    except Exception as e:      # a renderer bug must not stop the batch; it is reported per file
        out.error = f"internal error in speechpub ({type(e).__name__}: {e}); please report it"
    return out


_WORKER: dict = {}


def _init_worker(options, formats):
    """Load styles, renderers and fonts once per worker process, not per document."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent handles Ctrl-C
    _WORKER["options"] = options
    _warm_up(formats, options)
    _tune_collector(gc.get_threshold())


def _warm_up(formats, options):
    from .render import writer
    for fmt in formats:
        w = writer(fmt)
        mod = __import__(w.__module__, fromlist=["warm_up"])
        if hasattr(mod, "warm_up"):
            mod.warm_up(options)


GC_YOUNG = 10_000       # allocations between collections of the youngest generation (Python: 700)


def _tune_collector(threshold) -> None:
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *threshold[1:])


@contextlib.contextmanager
def _collector_for_batch():
    """Keep the cyclic garbage collector out of the way of converting. The fonts, rules and word
    lists loaded by the warm-up (about 180,000 objects that live as long as the process) are
    frozen out of its reach (full collections went through all of them: 16 of every speech's
    200 ms of CPU), and young objects are collected less often: every 10,000 allocations saves
    3 ms a speech over every 4,000, for about 15 MB more at a worker's peak. Forked workers
    inherit both (and keep sharing the frozen objects' pages with the parent, as Python's gc
    documentation advises). Restored afterwards, for a caller that runs a batch in-process."""
    old = gc.get_threshold()
    _tune_collector(old)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _work(job, outdir, formats, script, digest):
    return convert_one(job, outdir, formats, _WORKER["options"], script, digest)


# ---- the manifest ----------------------------------------------------------------------------

class Manifest:
    """Per input: content hash, settings hash, outputs, or the error. An append-only journal."""

    def __init__(self, outdir: Path):
        self.path = outdir / MANIFEST
        self.entries: dict[str, dict] = {}
        lines = 0
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                lines += 1
                try:
                    e = json.loads(line)
                    self.entries[e["key"]] = e
                except (ValueError, KeyError, TypeError):
                    continue            # a line cut off by a kill: that document is redone
        self._fh = None
        self.dirty = lines != len(self.entries)     # superseded or broken lines: compact them

    def up_to_date(self, job: Job, digest: str, settings: str, formats, outdir: Path) -> bool:
        e = self.entries.get(job.key)
        return bool(e and not e.get("error") and e.get("digest") == digest and e.get("settings") == settings
                    and all(f in e.get("outputs", {}) and (outdir / e["outputs"][f]).exists() for f in formats))

    def failed_for_good(self, job: Job, digest: str, settings: str) -> str:
        """The error of an input that failed to read or parse with these bytes and settings
        (it would fail the same way again), else ""."""
        e = self.entries.get(job.key)
        if e and e.get("error") and e.get("final") and e.get("digest") == digest and \
                e.get("settings") == settings and e.get("version") == __version__:
            return e["error"]
        return ""

    def record(self, outcome: Outcome, settings: str) -> None:
        old = self.entries.get(outcome.key, {})
        outputs = dict(old.get("outputs", {})) if old.get("digest") == outcome.digest and \
            old.get("settings") == settings else {}
        outputs.update(outcome.outputs)
        entry = {"key": outcome.key, "source": outcome.source, "digest": outcome.digest,
                 "settings": settings, "version": __version__, "outputs": outputs, "error": outcome.error}
        if outcome.error and outcome.final:
            entry["final"] = True
        self.entries[outcome.key] = entry
        if self._fh is None:
            self._fh = open(self.path, "a", encoding="utf-8")
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()
        self.dirty = True

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True

    def compact(self) -> None:
        """Rewrite the journal as one line per input (not when it is that already)."""
        if self._fh:
            self._fh.close()
            self._fh = None
        if not self.dirty:
            return
        self.dirty = False
        with atomic_path(self.path) as tmp:
            tmp.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries.values()),
                           encoding="utf-8")


# ---- the run -------------------------------------------------------------------------------

@contextlib.contextmanager
def _locked(outdir: Path):
    outdir.mkdir(parents=True, exist_ok=True)
    with open(outdir / LOCK, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SpeechpubError(outdir, "another speechpub run is writing to this folder") from None
        yield


def _sweep_temporaries(outdir: Path) -> None:
    """Remove temporary files a killed run left behind (only ours, by their prefix)."""
    for p in outdir.rglob(TMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            p.unlink()


class _Stop(Exception):
    pass


def run_batch(sources, outdir: Path, formats, options, *, script="auto", jobs=None, force=False,
              prune=False, fail_fast=False, executor="local", scheduler=None, progress=None) -> Summary:
    """Convert every input under `sources` into `outdir`; see the module docstring."""
    start = time.perf_counter()
    all_jobs, skipped_links = find_inputs(sources)
    if not all_jobs:
        raise SpeechpubError(", ".join(map(str, sources)), "no input files found (folders are searched for *.txt)")
    for src in sources:
        if src.is_dir() and _inside(outdir.resolve(), src.resolve()):
            raise SpeechpubError(outdir, "the output folder must not be inside an input folder")
    summary = Summary()
    summary.failed.extend((str(p), why) for p, why in skipped_links)
    settings = settings_digest(options, script)
    with _locked(outdir):
        _sweep_temporaries(outdir)
        manifest = Manifest(outdir)
        todo = []
        for job in all_jobs:
            if not job.source.is_file():        # a named pipe would block the hash forever
                summary.failed.append((str(job.source), "not a regular file (a pipe, socket or device)"))
                continue
            try:
                digest = digest_input(job.source)
            except OSError as e:
                summary.failed.append((str(job.source), f"cannot read: {e.strerror or e}"))
                continue
            if not force and manifest.up_to_date(job, digest, settings, formats, outdir):
                summary.skipped += 1
            elif not force and (error := manifest.failed_for_good(job, digest, settings)):
                summary.failed.append((str(job.source), error))
            else:
                todo.append((job, digest))
        if prune:
            summary.pruned = _prune(manifest, {j.key for j in all_jobs}, outdir)
        report = progress or (lambda *a: None)
        report("start", len(todo), summary.skipped)
        try:
            if todo:
                run = _run_dask if executor == "dask" else _run_local
                for outcome in run(todo, outdir, formats, options, script, jobs, scheduler):
                    manifest.record(outcome, settings)
                    for stage, s in outcome.seconds.items():
                        summary.stages[stage] = summary.stages.get(stage, 0.0) + s
                    if outcome.error:
                        summary.failed.append((outcome.source, outcome.error))
                    else:
                        summary.converted += 1
                    report("done", outcome)
                    if fail_fast and outcome.error:
                        raise _Stop
        except (_Stop, KeyboardInterrupt) as e:
            summary.interrupted = isinstance(e, KeyboardInterrupt)
        finally:
            manifest.compact()
            _sweep_temporaries(outdir)
    summary.seconds = time.perf_counter() - start
    return summary


def _prune(manifest: Manifest, live: set[str], outdir: Path) -> int:
    """Remove the outputs of inputs that are gone (only files the manifest lists)."""
    n = 0
    for key in [k for k in manifest.entries if k not in live]:
        for rel in manifest.entries[key].get("outputs", {}).values():
            p = (outdir / rel)
            if _inside(p.resolve(), outdir.resolve()) and p.is_file():
                p.unlink()
                n += 1
        manifest.forget(key)
    return n


def _run_local(todo, outdir, formats, options, script, jobs, scheduler):
    """A process pool (in-process for -j 1). When a worker dies, the documents it may have been
    converting are retried one by one in a pool of their own, so a crash costs only its document."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        _WORKER["options"] = options
        _warm_up(formats, options)
        with _collector_for_batch():
            for job, digest in todo:
                yield convert_one(job, outdir, formats, options, script, digest)
        return
    import multiprocessing      # (here: a run with nothing to convert does not load them)
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    queue, suspects = list(todo), []
    init = dict(initializer=_init_worker, initargs=(options, formats))
    if "fork" in multiprocessing.get_all_start_methods():
        _warm_up(formats, options)          # forked workers inherit the loaded fonts and styles
        init["mp_context"] = multiprocessing.get_context("fork")
    with _collector_for_batch():         # before the fork: workers inherit it
        while queue or suspects:
            if suspects:
                job, digest = suspects.pop(0)
                with ProcessPoolExecutor(1, **init) as pool:
                    try:
                        yield pool.submit(_work, job, outdir, formats, script, digest).result()
                    except BrokenProcessPool:
                        yield Outcome(job.key, str(job.source), digest,
                                      error="the worker process died while converting it (a crash)")
                continue
            pool = ProcessPoolExecutor(workers, **init)
            futures: dict = {}
            try:
                while queue or futures:
                    while queue and len(futures) < workers * 2:
                        job, digest = queue.pop(0)
                        futures[pool.submit(_work, job, outdir, formats, script, digest)] = (job, digest)
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for fut in done:
                        item = futures.pop(fut)
                        try:
                            result = fut.result()
                        except BrokenProcessPool:
                            suspects.append(item)
                            raise
                        yield result
            except BrokenProcessPool:
                suspects.extend(futures.values())
            finally:
                pool.shutdown(wait=True, cancel_futures=True)   # in-flight documents finish whole


def _run_dask(todo, outdir, formats, options, script, jobs, scheduler):
    """The same per-document function on a Dask distributed cluster (pip install speechpub[dask]).
    The workers must see the input and output folders at the same paths (a shared filesystem)."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise SpeechpubError("", "--executor dask needs Dask: pip install 'speechpub[dask]'") from None
    if not scheduler:
        raise SpeechpubError("", "--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise SpeechpubError(scheduler, f"cannot reach the Dask scheduler: {e}") from None
    with client:
        futures = [client.submit(convert_one, job, outdir, formats, options, script, digest, pure=False)
                   for job, digest in todo]
        for fut in as_completed(futures):
            yield fut.result()
