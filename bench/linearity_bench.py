"""Linearity per stage and format: a speech at 1x, 4x and 16x its size; time and ratio to 1x.

Time linear in size gives ratios near 4 and 16 (the "per unit" column near 1.0); a quadratic
path shows as 16 and 256 (per unit 4 and 16). Two shapes of growth are tried, since a quadratic
path can hide in either: more paragraphs of the usual length ("paras"), and the same number of
paragraphs, each longer ("long"); plus many one-word paragraphs ("tiny": 2,000 at 1x).

Run: .venv/bin/python bench/linearity_bench.py [--formats txt,json,docx,pdf,epub] [--base seed]
Not a test: timings depend on the machine; read the ratios.
"""
from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from pathlib import Path

from speechpub.model import Block
from speechpub.pipeline import from_source
from speechpub.read import decode
from speechpub.render import RenderOptions, render

from clean_parse_bench import timed     # (bench/ is on the path of a script run here)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed-speech-raw.txt"
SCALES = (1, 4, 16)


def grown(doc, k: int, shape: str):
    """The document with its body k times as large."""
    head = [b for b in doc.blocks if b.kind in ("title", "subtitle", "dateline", "speaker", "salutation")]
    body = [b for b in doc.blocks if b not in head]
    if shape == "tiny":
        return replace(doc, blocks=tuple(head + [Block("paragraph", "好。")] * (2000 * k)))
    if shape == "paras":
        return replace(doc, blocks=tuple(head + body * k))
    longer = [replace(b, text=b.text * k) if b.kind == "paragraph" and not b.lead_length else b for b in body]
    return replace(doc, blocks=tuple(head + longer))


def raw_grown(text: str, k: int, shape: str) -> bytes:
    lines = text.split("\n")
    if shape == "tiny":
        return "\n".join(lines[:3] + ["好。"] * (2000 * k)).encode()
    if shape == "paras":
        return "\n".join(lines[:3] + lines[3:] * k).encode()
    return "\n".join(lines[:3] + [ln * k if len(ln) > 40 else ln for ln in lines[3:]]).encode()


def report(name: str, times: list[float]) -> None:
    base = times[0] or 1e-9
    cells = "  ".join(f"{k:>2}x {t:7.3f} s ratio {t / base:6.1f} per unit {t / base / k:4.2f}"
                      for k, t in zip(SCALES, times))
    worst = max(t / base / k for k, t in zip(SCALES, times))
    flag = "  <-- grows faster than linear" if worst > 2.0 else ""
    print(f"{name:<24}{cells}{flag}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", default="txt,json,docx,pdf,epub")
    ap.add_argument("--base", default=str(SEED), help="a speech (a .txt file)")
    ap.add_argument("--times", type=int, default=8,
                    help="its body repeated this often is the 1x size (fixed costs then weigh little)")
    args = ap.parse_args()
    base = Path(args.base)
    raw = raw_grown(base.read_text(encoding="utf-8-sig"), args.times, "paras").decode()
    doc = from_source(decode(raw.encode(), base.name), base.name)
    options = RenderOptions()
    print(f"1x: {base.name} body x{args.times}, {len(doc.text())} characters in {len(doc.blocks)} blocks")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):            # warm up: fonts, pandoc, imports
            render(doc, fmt, Path(tmp) / f"warm.{fmt}", options)
        for shape in ("paras", "long", "tiny"):
            datas = [raw_grown(raw, k, shape) for k in SCALES]
            report(f"read+clean+parse/{shape}",
                   [timed(lambda d=d: from_source(decode(d, "x.txt"), "x.txt"), 2) for d in datas])
            for fmt in args.formats.split(","):
                docs = [grown(doc, k, shape) for k in SCALES]
                report(f"{fmt}/{shape}", [timed(lambda d=d: render(d, fmt, Path(tmp) / f"x.{fmt}", options), 2)
                                          for d in docs])


if __name__ == "__main__":
    main()
