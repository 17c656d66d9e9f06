"""A book of 500 speeches (the test corpus repeated under different names) in one pandoc call.

    .venv/bin/python bench/epub_bench.py [--count 500] [--embed-fonts] [--keep DIR]

Runs pinned to one core; prints the time to parse, to write the EPUB, its size and the
peak memory of pandoc and of
this process. Not a timed test: the target is under 60 s and 1 GB.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from speechpub.book import Volume, collect, ordered, write
from speechpub.render import RenderOptions

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--embed-fonts", action="store_true")
    ap.add_argument("--keep", help="folder to keep the book in")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # pandoc inherits it
    corpus = sorted(FIXTURES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i in range(args.count):
            p = corpus[i % len(corpus)]
            shutil.copyfile(p, src / f"{i:04d}_{p.name}")
        t0 = time.perf_counter()
        docs, _ = collect([src])
        t1 = time.perf_counter()
        out = Path(args.keep or tmp) / f"book-{args.count}.epub"
        warnings = write(Volume("讲话汇编", "基准测试", tuple(ordered(docs, "date"))), out, "epub",
                         RenderOptions(embed_fonts=args.embed_fonts))
        t2 = time.perf_counter()
        size = out.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # KB -> MB (Linux)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(d.text()) for d in docs)
    print(f"speeches      {len(docs)} ({chars:,} characters)")
    print(f"parse         {t1 - t0:6.1f} s")
    print(f"epub          {t2 - t1:6.1f} s  (one pandoc call{', fonts embedded' if args.embed_fonts else ''})")
    print(f"size          {size / 1e6:6.1f} MB")
    print(f"pandoc peak   {peak:6.0f} MB resident")
    print(f"python peak   {own:6.0f} MB resident (parsing included)")
    for w in warnings:
        print(f"{w.level}: {w.message}")
    return 0 if t2 - t1 < 60 and max(peak, own) < 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
