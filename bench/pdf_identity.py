"""Render the test corpus to PDF and OFD, and PDF books, into a folder, to compare two trees'
output byte for byte (a speed-up that must not change a byte: render.pdf.subset).

    SOURCE_DATE_EPOCH=1700000000 PYTHONPATH=<tree>/src python bench/pdf_identity.py OUT
    python bench/pdf_identity.py --compare OUT_A OUT_B

Renders every tests/fixtures/*.txt and tests/corpus/more/*.txt (pipeline.load, then
render(doc, "pdf"/"ofd")), a PDF book of the fixtures and one of the whole corpus. The clock
is fixed (the XMP packet, the OFD's date and its zip entries read the time of day; ReportLab's
dates follow SOURCE_DATE_EPOCH) and the OFD's random DocID counts up, so two runs of one tree
give the same bytes. Not a test: prints figures.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import sys
import time
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]


class FixedClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "1700000000")), tz or timezone.utc)


def render_all(out: Path) -> None:
    from speechpub import book
    from speechpub.pipeline import load
    from speechpub.render import RenderOptions, render
    import speechpub.render.pdf.writer as pdf_writer
    import speechpub.render.ofd.package as ofd_package
    pdf_writer.datetime = ofd_package.datetime = FixedClock
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
    zipfile.time = SimpleNamespace(time=lambda: epoch, localtime=time.gmtime)  # the OFD's entries
    ids = itertools.count(1)
    ofd_package.uuid = SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(ids)))   # its DocID
    out.mkdir(parents=True, exist_ok=True)
    options = RenderOptions()
    sources = sorted((ROOT / "tests" / "fixtures").glob("*.txt")) + sorted((ROOT / "tests" / "corpus" / "more").glob("*.txt"))
    docs = [(p, load(p)) for p in sources]
    t = time.perf_counter()
    for p, doc in docs:
        render(doc, "pdf", out / f"{p.parent.name}-{p.stem}.pdf", options)
        render(doc, "ofd", out / f"{p.parent.name}-{p.stem}.ofd", options)
    fixtures = [d for p, d in docs if p.parent.name == "fixtures"]
    for name, chosen in (("book-fixtures", fixtures), ("book-all", [d for _, d in docs])):
        vol = book.Volume(title="", editor="编者", docs=tuple(book.ordered(chosen, "date")))
        book.write(vol, out / f"{name}.pdf", "pdf", options)
    print(f"{len(list(out.iterdir()))} files in {out} ({time.perf_counter() - t:.1f} s)")


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, nargs="+")
    ap.add_argument("--compare", action="store_true", help="compare two output folders")
    args = ap.parse_args()
    if not args.compare:
        render_all(args.out[0])
        return
    a, b = (digests(p) for p in args.out)
    differ = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
    kinds = {s: sum(n.endswith(s) for n in a) for s in (".pdf", ".ofd")}
    print(f"{len(a)} and {len(b)} files ({kinds}); {len(a) - len(differ)} identical, {len(differ)} differ")
    for n in differ:
        print("  differs:", n)
    sys.exit(1 if differ or not a else 0)


if __name__ == "__main__":
    main()
