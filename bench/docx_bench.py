"""DOCX throughput on the corpus: speechpub's renderer next to pandoc on the same cleaned text.

    .venv/bin/python bench/docx_bench.py [--rounds N] [FILE...]

Both sides start from the same Documents (read, cleaned and parsed once, not timed):
speechpub renders each Document to .docx; pandoc (pypandoc's bundled binary) converts the
cleaned text as Markdown (a blank line between blocks, headings as #..####) to .docx.
Prints documents per second for each and the ratio. A benchmark prints figures; it is not
a test.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from speechpub.pipeline import load  # noqa: E402
from speechpub.render import RenderOptions  # noqa: E402
from speechpub.render import docx as docx_renderer  # noqa: E402


def markdown(doc) -> str:
    """The cleaned text as Markdown: headings marked, blocks separated by blank lines."""
    out = []
    for b in doc.blocks:
        if b.kind == "title":
            out.append("# " + b.text)
        elif b.kind == "heading":
            out.append("#" * (b.level + 1) + " " + b.text)
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def rate(fn, docs, rounds: int) -> tuple[float, float]:
    """(documents per second, seconds) over rounds x docs calls of fn(i, doc)."""
    start = time.perf_counter()
    n = 0
    for r in range(rounds):
        for i, doc in enumerate(docs):
            fn(r * len(docs) + i, doc)
            n += 1
    secs = time.perf_counter() - start
    return n / secs, secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=5, help="passes over the corpus for speechpub")
    ap.add_argument("--pandoc-rounds", type=int, default=1, help="passes over the corpus for pandoc")
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    docs = [load(f) for f in files]
    blocks = sum(len(d.blocks) for d in docs)
    chars = sum(len(d.text()) for d in docs)
    options = RenderOptions()
    print(f"corpus: {len(docs)} speeches, {blocks} blocks, {chars} characters")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        t0 = time.perf_counter()
        docx_renderer.write(docs[0], out / "cold.docx", options)     # builds the cleaned template
        cold = time.perf_counter() - t0

        def ours(i, doc):
            docx_renderer.write(doc, out / f"s{i % len(docs)}.docx", options)
        ours_rate, ours_secs = rate(ours, docs, args.rounds)

        try:
            import pypandoc
            pandoc_version = pypandoc.get_pandoc_version()
        except (ImportError, OSError) as e:
            print(f"speechpub docx: {ours_rate:8.1f} documents/s ({args.rounds * len(docs)} in {ours_secs:.2f} s; "
                  f"first document with template build {cold * 1000:.0f} ms)")
            print(f"pandoc: not available ({e})")
            return
        texts = [markdown(d) for d in docs]

        def theirs(i, doc):
            pypandoc.convert_text(texts[i % len(docs)], "docx", format="markdown",
                                  outputfile=str(out / f"p{i % len(docs)}.docx"))
        theirs(0, docs[0])     # warm the binary's page cache
        pandoc_rate, pandoc_secs = rate(theirs, docs, args.pandoc_rounds)

    print(f"speechpub docx: {ours_rate:8.1f} documents/s ({args.rounds * len(docs)} in {ours_secs:.2f} s; "
          f"first document with template build {cold * 1000:.0f} ms)")
    print(f"pandoc {pandoc_version} markdown->docx: {pandoc_rate:8.1f} documents/s "
          f"({args.pandoc_rounds * len(docs)} in {pandoc_secs:.2f} s)")
    print(f"ratio speechpub/pandoc: {ours_rate / pandoc_rate:.1f}x")


if __name__ == "__main__":
    main()
