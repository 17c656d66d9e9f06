"""OFD throughput next to the PDF's, on the same documents, in one process.

    .venv/bin/python bench/ofd_bench.py [--rounds N] [FILE...]

Default input: the fixtures and tests/corpus/more. Documents are read, cleaned and parsed once
(not timed). A first round warms both renderers up (fonts registered, the OFD's font tables
read); then each round renders every document to PDF, then to OFD. Prints documents per second
(wall clock and per CPU second, which other work on a shared machine disturbs less), pages per
second, the ratio OFD/PDF (target: at least 1) and the peak memory of this process.
A benchmark prints figures; not a test.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from speechpub.pipeline import load  # noqa: E402
from speechpub.render import RenderOptions, render  # noqa: E402


def pages_of(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return z.read("Doc_0/Document.xml").count(b"<ofd:Page ")


def timed(fmt: str, docs, out: Path, options, rounds: int) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for name, doc in docs:
            render(doc, fmt, out / f"{name}.{fmt}", options)
    n = rounds * len(docs)
    return n / (time.perf_counter() - t), n / (time.process_time() - c)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "tests/fixtures").glob("*.txt")) + \
        sorted((ROOT / "tests/corpus/more").glob("*.txt"))
    docs = [(f.stem, load(f)) for f in files]
    options = RenderOptions()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t = time.perf_counter()
        for name, doc in docs:
            render(doc, "pdf", out / f"{name}.pdf", options)
            render(doc, "ofd", out / f"{name}.ofd", options)
        warm = time.perf_counter() - t
        pages = sum(pages_of(out / f"{name}.ofd") for name, _ in docs)
        pdf_wall, pdf_cpu = timed("pdf", docs, out, options, args.rounds)
        ofd_wall, ofd_cpu = timed("ofd", docs, out, options, args.rounds)
    per_doc = pages / len(docs)
    print(f"{len(docs)} documents, {pages} pages, {args.rounds} rounds (warm-up round, both formats: {warm:.1f} s)")
    print(f"  PDF  {pdf_wall:7.1f} documents/s  ({pdf_cpu:6.1f} per CPU second, {pdf_wall * per_doc:7.1f} pages/s)")
    print(f"  OFD  {ofd_wall:7.1f} documents/s  ({ofd_cpu:6.1f} per CPU second, {ofd_wall * per_doc:7.1f} pages/s)")
    print(f"  OFD/PDF  {ofd_wall / pdf_wall:.2f} (wall), {ofd_cpu / pdf_cpu:.2f} (CPU); target at least 1")
    print(f"  peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
