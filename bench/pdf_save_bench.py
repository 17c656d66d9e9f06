"""The time of saving a PDF alone (canvas.save: font subsets, objects, compression), per speech.

    PYTHONPATH=src .venv/bin/python bench/pdf_save_bench.py [--rounds N] [FILE...]

Each speech is laid out and drawn (not timed), then saved (timed); the first round is a fresh
process's (fonts registered, but no glyph used yet), the later ones reuse what the first kept.
Prints ms per save for the first round and the best later round, and ms per whole PDF
(render()) for comparison. Default: tests/fixtures and tests/corpus/more. Not a test.
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
from speechpub.render import RenderOptions, render  # noqa: E402
from speechpub.render.pdf import fonts as pdf_fonts  # noqa: E402
from speechpub.render.pdf.writer import Sheet, _metadata  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sources = args.files or sorted((ROOT / "tests" / "fixtures").glob("*.txt")) + \
        sorted((ROOT / "tests" / "corpus" / "more").glob("*.txt"))
    docs = [load(p) for p in sources]
    options = RenderOptions()
    pdf_fonts.FontSet(options.style)                       # register the class fonts
    with tempfile.TemporaryDirectory(prefix="pdfsave-") as tmp:
        out = Path(tmp) / "x.pdf"
        saves = []
        for _ in range(args.rounds):
            spent = 0.0
            for doc in docs:
                sheet = Sheet(options.style)
                pages = sheet.layout(doc)
                c = sheet.open(out, doc.meta.language)
                _metadata(c, doc)
                sheet.draw(pages)
                t = time.process_time()
                c.save()
                spent += time.process_time() - t
            saves.append(spent * 1000 / len(docs))
        whole = []
        for _ in range(args.rounds):
            t = time.process_time()
            for doc in docs:
                render(doc, "pdf", out, options)
            whole.append((time.process_time() - t) * 1000 / len(docs))
    print(f"{len(docs)} speeches; CPU ms per save: first round {saves[0]:.2f}, best later "
          f"{min(saves[1:] or saves):.2f}; CPU ms per whole PDF (best of {args.rounds}): {min(whole):.2f}")


if __name__ == "__main__":
    main()
