"""Batch throughput: documents/s per format and for all formats together with -j 1 and -j 2,
peak memory per worker, where the time goes, and the same documents through LibreOffice
(DOCX to PDF) and pandoc (markdown to DOCX and EPUB) in the same run.

Targets (issue 6, this 2-core machine): all three formats together at least 10 speeches/s,
speed-up with -j 2 at least 1.7x, memory per worker under 300 MB.

Then issue 14's mix, real-length speeches as a user runs them: the six corpus documents and the
seed, 30 copies each in nested folders, plus three broken files (210 speeches), through the
command line, `speechpub convert -j 2 -f docx,pdf,epub`: speeches/s of the first run, where its
time goes, and the unchanged re-run's time as a share of the first (targets: >= 10/s, < 2%).
The command-line runs use compiled bytecode, as an installed speechpub does (installed_env).
Run: .venv/bin/python bench/batch_bench.py [--docs 70] [--only light|real]
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


def installed_env() -> dict:
    """The environment of the command-line runs: as after `pip install`, which compiles the
    package's bytecode (a checkout's src/ has none while PYTHONDONTWRITEBYTECODE is set here,
    and compiling it again in every run is 0.05 s that no installed copy pays). The bytecode
    goes where Python keeps it (__pycache__, ignored by git), compiled before the first run."""
    import speechpub
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(speechpub.__file__).parent)], env=env, check=True)
    return env


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
    ap.add_argument("--only", choices=("light", "real"), help="only the light mix (issue 6) or the real one (issue 14)")
    ap.add_argument("--copies", type=int, default=30, help="copies of each real-length speech (issue 14: 30)")
    args = ap.parse_args()
    if args.only != "real":
        light(args)
    if args.only != "light":
        real_mix(args.copies)
    return 0


def light(args) -> None:
    """Issue 6's mix: the fixtures repeated in one folder, run_batch in a fresh interpreter."""
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


def rerun(n: int) -> None:
    """A first run, a run with nothing changed, and one with ten inputs edited (issue 6)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        make_inputs(src, n)
        cmd = [str(Path(PY).with_name("speechpub")), "convert", str(src), "-o", str(out), "-j", "2", "--json"]
        env = installed_env()
        times = []
        for step in ("first", "unchanged", "ten edited"):
            if step == "ten edited":
                for p in sorted(src.glob("*.txt"))[:10]:
                    p.write_text(p.read_text(encoding="utf-8-sig") + "\n谢谢大家。\n", encoding="utf-8")
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - t)
            s = json.loads(r.stdout)
            print(f"  {step:<11} run of {n}: {times[-1]:6.1f} s, converted {s['converted']}, skipped {s['skipped']}")
        print(f"re-run with nothing changed: {times[1] / times[0]:.1%} of the first (target < 5%)")


# ---- issue 14: real-length speeches, nested folders, broken files, through the command line ----

BROKEN = {"broken-image.txt": b"\x89PNG\r\n\x1a\n" + bytes(64), "empty.txt": b"",       # as tests/test_batch.py
          "boilerplate-only.txt": "字体:\n浏览:\n打印本页\n关闭窗口\n".encode()}


def make_real_mix(folder: Path, copies: int = 30) -> int:
    """The corpus and the seed (tests/fixtures holds the same files as /work/shared), `copies`
    of each spread over nested folders, and three broken files among them. Returns the number
    of speeches (broken files not counted)."""
    n = 0
    for k in range(copies):
        sub = folder / f"year-{2020 + k % 5}" / f"region-{k % 3}" / f"batch-{k:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        for src in INPUTS:
            (sub / src.name).write_bytes(src.read_bytes())
            n += 1
    for i, (name, data) in enumerate(BROKEN.items()):
        where = folder / f"year-{2020 + i}" / f"region-{i}"
        where.mkdir(parents=True, exist_ok=True)
        (where / name).write_bytes(data)
    return n


def real_mix(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        n = make_real_mix(src, copies)
        cmd = [str(Path(PY).with_name("speechpub")), "convert", str(src), "-o", str(out), "-j", "2",
               "-f", "docx,pdf,epub", "--json"]
        env = installed_env()
        times, runs = [], []
        for _ in ("first", "unchanged"):
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - t)
            runs.append(json.loads(r.stdout))
        first, again = runs
        print(f"{n} real-length speeches (the corpus and the seed x {copies}, nested folders) and "
              f"{len(BROKEN)} broken files, speechpub convert -j 2 -f docx,pdf,epub, {os.cpu_count()} cores")
        print(f"  first run: {times[0]:6.1f} s, converted {first['converted']}, failed {first['failed']}: "
              f"{first['converted'] / times[0]:.1f} speeches/s (target >= 10)")
        stages = first["stage_seconds"]
        total = sum(stages.values())
        print("  where the time goes (worker seconds, both workers): " +
              ", ".join(f"{k} {v / n * 1000:.0f} ms/speech ({v / total:.0%})" for k, v in sorted(stages.items())))
        print(f"  unchanged re-run: {times[1]:.2f} s, converted {again['converted']}, skipped {again['skipped']}, "
              f"failed {again['failed']}: {times[1] / times[0]:.1%} of the first (target < 2%)")


if __name__ == "__main__":
    sys.exit(main())
