"""PDF throughput on the corpus: speechpub's renderer next to LibreOffice converting the DOCX.

    .venv/bin/python bench/pdf_bench.py [--rounds N] [--workers N] [FILE...]

Both sides start from the same Documents (read, cleaned and parsed once, not timed).
speechpub renders each Document to PDF in this process (font registration, once per process,
is timed separately). LibreOffice converts the .docx files written by speechpub.render.docx
to PDF in one `soffice --convert-to pdf` call per round (its start-up shared by the batch,
its best case); without the DOCX renderer it converts the .txt inputs and says so.
A pool of forked workers (as `convert -j` runs them) is timed too, since the target is
per worker memory with several workers. Prints documents per second (wall clock, and per CPU second, which other work on a shared
machine disturbs less), the ratios, and peak memory (resource.getrusage: this process
for speechpub, the soffice children for LibreOffice). A benchmark prints figures; not a test.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from speechpub.pipeline import load  # noqa: E402
from speechpub.render import RenderOptions, render  # noqa: E402

TARGET_RATIO, TARGET_MB = 5.0, 300


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024      # ru_maxrss is in KiB on Linux


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_speechpub(docs, out: Path, rounds: int) -> tuple[float, float, float]:
    """(documents/s wall, documents/s of CPU time, first round incl. font registration in s)."""
    options = RenderOptions()
    t = time.perf_counter()
    for name, doc in docs:       # a warm worker: fonts registered, fallback coverage read
        render(doc, "pdf", out / f"{name}.pdf", options)
    warm = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for name, doc in docs:
            render(doc, "pdf", out / f"{name}.pdf", options)
    n = rounds * len(docs)
    return n / (time.perf_counter() - t), n / (time.process_time() - c), warm


def _render_one(task) -> None:
    doc, path = task
    render(doc, "pdf", Path(path))


def bench_workers(docs, out: Path, rounds: int, workers: int) -> tuple[float, float]:
    """(documents/s wall, peak MB of one worker) with a pool of forked workers, as batch -j does;
    the workers inherit this process's registered fonts."""
    import multiprocessing
    tasks = [(doc, str(out / f"{name}.pdf")) for name, doc in docs] * rounds
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_render_one, tasks[:workers], chunksize=1)     # start the workers
        t = time.perf_counter()
        pool.map(_render_one, tasks, chunksize=1)
        rate = len(tasks) / (time.perf_counter() - t)
    return rate, peak_mb(resource.RUSAGE_CHILDREN)


def bench_libreoffice(docs, sources, out: Path, rounds: int) -> tuple[float, str] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    if importlib.util.find_spec("speechpub.render.docx"):
        inputs = []
        for name, doc in docs:
            p = out / f"{name}.docx"
            render(doc, "docx", p)
            inputs.append(p)
        what = "DOCX from speechpub.render.docx"
    else:
        inputs, what = list(sources), "the .txt inputs (speechpub.render.docx not available)"
    profile = Path(tempfile.mkdtemp(prefix="pdfbench-lo-"))
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(out / "lo"), *map(str, inputs)]
    env = dict(os.environ)
    conf = ROOT / "fonts" / "fonts.conf"            # maps the Chinese font names, when installed
    if conf.exists():
        env["FONTCONFIG_FILE"] = str(conf)
    subprocess.run(cmd, check=True, capture_output=True, env=env)   # first start builds the profile
    t, c = time.perf_counter(), cpu_children()
    for _ in range(rounds):
        subprocess.run(cmd, check=True, capture_output=True, env=env)
    n = rounds * len(inputs)
    rates = n / (time.perf_counter() - t), n / (cpu_children() - c)
    shutil.rmtree(profile, ignore_errors=True)
    return (*rates, what)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="also time a pool of this many worker processes (1: skip)")
    args = ap.parse_args()
    sources = args.files or sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    docs = [(p.stem, load(p)) for p in sources]
    pages = sum(len(d.text()) for _, d in docs) / 500
    with tempfile.TemporaryDirectory(prefix="pdfbench-") as tmp:
        out = Path(tmp)
        ours, ours_cpu, warm = bench_speechpub(docs, out, args.rounds)
        mem = peak_mb()
        print(f"corpus: {len(docs)} documents, ~{pages:.0f} pages of text, {args.rounds} rounds; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"speechpub PDF:  {ours:7.2f} documents/s wall, {ours_cpu:7.2f} per CPU second "
              f"(first round with font registration: {warm:.2f} s)")
        print(f"  peak memory of this worker: {mem:.0f} MB (target < {TARGET_MB} MB: "
              f"{'ok' if mem < TARGET_MB else 'OVER'})")
        if args.workers > 1:     # before LibreOffice runs: children's peak memory is the workers'
            prate, pmem = bench_workers(docs, out, args.rounds, args.workers)
            print(f"speechpub PDF, {args.workers} workers: {prate:7.2f} documents/s wall, "
                  f"peak memory of one worker {pmem:.0f} MB")
        lo = bench_libreoffice(docs, sources, out, args.rounds)
        if lo is None:
            print("LibreOffice: soffice not found, no comparison")
            return
        rate, rate_cpu, what = lo
        print(f"LibreOffice:    {rate:7.2f} documents/s wall, {rate_cpu:7.2f} per CPU second "
              f"(converting {what}, one soffice call per round)")
        print(f"  peak memory of soffice: {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
        ratios = [("one worker, wall", ours / rate), ("one worker, CPU", ours_cpu / rate_cpu)]
        if args.workers > 1:
            ratios.append((f"{args.workers} workers, wall", prate / rate))
        for label, ratio in ratios:
            print(f"ratio ({label}): {ratio:.1f}x LibreOffice (target >= {TARGET_RATIO:.0f}x: "
                  f"{'ok' if ratio >= TARGET_RATIO else 'BELOW'})")


if __name__ == "__main__":
    main()
