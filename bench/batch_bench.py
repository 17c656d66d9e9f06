"""Batch throughput: documents/s per format and for all formats together with -j 1 and -j 2,
peak memory per worker, where the time goes, and the same documents through LibreOffice
(DOCX to PDF) and pandoc (markdown to DOCX and EPUB) in the same run.

Targets (issue 6, this 2-core machine): all three formats together at least 10 speeches/s,
speed-up with -j 2 at least 1.7x, memory per worker under 300 MB.
Run: .venv/bin/python bench/batch_bench.py [--docs 70]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
PY = sys.executable

# One configuration, run in a fresh interpreter so memory figures are its own.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from speechpub.batch import run_batch
from speechpub.render import RenderOptions
src, out, fmts, jobs = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
t = time.perf_counter()
s = run_batch([Path(src)], Path(out), fmts, RenderOptions(), jobs=jobs, force=True)
dt = time.perf_counter() - t
self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "converted": s.converted, "failed": len(s.failed), "stages": s.stages,
                  "worker_mb": self_mb if jobs == 1 else kids_mb, "parent_mb": self_mb}))
"""


def make_inputs(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        src = INPUTS[i % len(INPUTS)]
        (folder / f"{i:04d}-{src.name}").write_bytes(src.read_bytes())


def run(src: Path, fmts: str, jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([PY, "-c", CHILD, str(src), out, fmts, str(jobs)], capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"batch run failed: {r.stderr[-2000:]}")
        return json.loads(r.stdout.strip().splitlines()[-1])


def baselines(src: Path, n: int) -> dict:
    """LibreOffice DOCX->PDF and pandoc markdown->DOCX/EPUB on the same documents."""
    import pypandoc

    from speechpub.pipeline import load
    from speechpub.render import render

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = [load(p) for p in sorted(src.glob("*.txt"))]
        for i, d in enumerate(docs):
            render(d, "docx", tmp / f"{i:04d}.docx")
            (tmp / f"{i:04d}.md").write_text("\n\n".join(b.text for b in d.blocks), encoding="utf-8")
        pandoc = pypandoc.get_pandoc_path()
        for fmt in ("docx", "epub"):
            t = time.perf_counter()
            for md in sorted(tmp.glob("*.md")):
                subprocess.run([pandoc, "-f", "markdown", "-o", str(md.with_suffix(f".pandoc.{fmt}")), str(md),
                                "--metadata", "title=speech"], check=True, capture_output=True)
            out[f"pandoc md->{fmt}"] = n / (time.perf_counter() - t)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            pdfdir = tmp / "lo"
            t = time.perf_counter()
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            "pdf", "--outdir", str(pdfdir), *map(str, sorted(tmp.glob("*.docx")))],
                           check=True, capture_output=True)
            out["LibreOffice docx->pdf"] = n / (time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=70)
    ap.add_argument("--rerun-docs", type=int, default=1000, help="speeches for the re-run figure (0: skip)")
    args = ap.parse_args()
    n = args.docs
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        make_inputs(src, n)
        run(src, "txt", 1)                                  # warm the font cache and imports
        print(f"{n} speeches (the seed and corpus repeated), {os.cpu_count()} cores")
        rates, results = {}, {}
        for fmts in ("docx", "pdf", "epub", "docx,pdf,epub"):
            for jobs in (1, 2):
                r = run(src, fmts, jobs)
                rate = r["converted"] / r["seconds"]
                rates[(fmts, jobs)] = rate
                results[(fmts, jobs)] = r
                print(f"  {fmts:<14} -j {jobs}: {rate:6.1f} docs/s   worker peak {r['worker_mb']:5.0f} MB")
        all1, all2 = rates[("docx,pdf,epub", 1)], rates[("docx,pdf,epub", 2)]
        worker_mb = max(r["worker_mb"] for r in results.values())
        print(f"all three formats: {all2:.1f} speeches/s with -j 2 (target >= 10); speed-up -j 2 / -j 1 = "
              f"{all2 / all1:.2f}x (target >= 1.7); peak memory per worker {worker_mb:.0f} MB (target < 300)")
        print("baselines on the same documents:")
        for name, rate in baselines(src, n).items():
            ours = rates[("pdf", 1)] if "pdf" in name else rates[(name[-4:].strip(">"), 1)]
            print(f"  {name:<22} {rate:6.1f} docs/s   speechpub -j 1: {ours / rate:5.1f}x")
        stages = results[("docx,pdf,epub", 1)]["stages"]
        total = sum(stages.values())
        print("where the time goes (-j 1, all formats): " +
              ", ".join(f"{k} {v / n * 1000:.0f} ms/doc ({v / total:.0%})" for k, v in sorted(stages.items())))
    if args.rerun_docs:
        rerun(args.rerun_docs)
    return 0


def rerun(n: int) -> None:
    """A first run, a run with nothing changed, and one with ten inputs edited (issue 6)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        make_inputs(src, n)
        cmd = [str(Path(PY).with_name("speechpub")), "convert", str(src), "-o", str(out), "-j", "2", "--json"]
        times = []
        for step in ("first", "unchanged", "ten edited"):
            if step == "ten edited":
                for p in sorted(src.glob("*.txt"))[:10]:
                    p.write_text(p.read_text(encoding="utf-8-sig") + "\n谢谢大家。\n", encoding="utf-8")
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            s = json.loads(r.stdout)
            print(f"  {step:<11} run of {n}: {times[-1]:6.1f} s, converted {s['converted']}, skipped {s['skipped']}")
        print(f"re-run with nothing changed: {times[1] / times[0]:.1%} of the first (target < 5%)")


if __name__ == "__main__":
    sys.exit(main())
