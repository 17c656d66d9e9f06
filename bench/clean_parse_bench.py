"""Clean+parse throughput on the corpus (MB/s, documents/s, one core) and linearity in size.

Targets (issue 2): at least 2 MB/s on one core; a 10 MB file within 10x the time of one 1 MB
file, i.e. time linear in size (the ratio printed should be close to 1.0).
Run: .venv/bin/python bench/clean_parse_bench.py
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from speechpub.pipeline import from_source
from speechpub.read import decode

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
# Every document once: cleaning remembers the lines a rule group left as they are (within a
# process), so repeating the same documents would measure that memory, not cleaning.
CORPUS = INPUTS + sorted((ROOT / "tests" / "corpus" / "more").glob("*.txt"))


def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run_all(datas):
    for name, data in datas:
        from_source(decode(data, name), name)


def big_speech(size: int, salt: str = "") -> bytes:
    """One speech of about `size` bytes: a title, a salutation and the corpus bodies, each
    round's sentences made distinct (第N遍) so that no line repeats."""
    bodies = [p.read_text(encoding="utf-8-sig") for p in INPUTS]
    out, n, k = ["某某在某某会议上的讲话", "同志们："], 0, 0
    while n < size:
        k += 1
        for b in bodies:
            b = b.replace("。", f"，{salt}第{k}遍。")
            out.append(b)
            n += len(b.encode("utf-8"))
    return "\n".join(out).encode("utf-8")


def main():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})      # one core
    run_all([(p.name, p.read_bytes()) for p in INPUTS[:2]])          # warm up (OpenCC, regexes)
    datas = [(p.name, p.read_bytes()) for p in CORPUS[2:]]
    total = sum(len(d) for _, d in datas)
    t = timed(lambda: run_all(datas), repeat=1)
    docs = len(datas)
    print(f"corpus: {docs} documents, {total / 1e6:.2f} MB in {t:.2f} s: "
          f"{total / 1e6 / t:.2f} MB/s, {docs / t:.1f} documents/s (target >= 2 MB/s)")
    from_source(decode(big_speech(1_000_000, "甲"), "warm"), "warm")    # then lines never seen before
    one, ten = big_speech(1_000_000, "乙"), big_speech(10_000_000, "丁")
    t1 = timed(lambda: from_source(decode(one, "1MB"), "1MB"), repeat=1)
    t10 = timed(lambda: from_source(decode(ten, "10MB"), "10MB"), repeat=1)
    print(f"size: 1 MB file {t1:.2f} s ({len(one) / 1e6 / t1:.2f} MB/s); 10 MB file {t10:.2f} s "
          f"({len(ten) / 1e6 / t10:.2f} MB/s); 10 MB time / (10 x 1 MB time) = {t10 / (10 * t1):.2f} "
          "(linear: about 1.0; target: within 10x of ten 1 MB files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
