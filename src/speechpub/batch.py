"""Batch conversion: find inputs, plan safe output names, convert each, report failures."""
from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from .errors import SpeechpubError
from .pipeline import load
from .render import render, suffix

INPUT_SUFFIXES = (".txt",)
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class Job:
    source: Path
    out_stem: Path          # output path without suffix, inside the output folder


@dataclass
class Result:
    converted: list = field(default_factory=list)
    failed: list = field(default_factory=list)      # (source, message)
    skipped: list = field(default_factory=list)     # (source, reason)
    seconds: float = 0.0


def safe_name(name: str) -> str:
    """A file name that is valid on Linux, macOS and Windows."""
    name = _UNSAFE.sub("_", name).strip().rstrip(".")
    if not name or name in (".", ".."):
        name = "speech"
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    return name[:150]


def find_inputs(sources: list[Path]) -> tuple[list[Job], list]:
    """Expand files and folders into jobs; folders are searched for .txt files recursively.

    Symbolic links that point outside their input folder are not followed."""
    jobs, skipped = [], []
    for src in sources:
        if src.is_dir():
            root = src.resolve()
            for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    p = Path(dirpath) / name
                    if name.startswith(".") or p.suffix.lower() not in INPUT_SUFFIXES:
                        continue
                    if p.is_symlink() and not _inside(p.resolve(), root):
                        skipped.append((p, "symbolic link to a file outside the input folder"))
                        continue
                    rel = p.relative_to(src)
                    parts = [safe_name(x) for x in rel.parent.parts] + [safe_name(p.stem)]
                    jobs.append(Job(p, Path(*parts)))
        else:
            jobs.append(Job(src, Path(safe_name(src.stem))))
    return _dedupe(jobs), skipped


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _dedupe(jobs: list[Job]) -> list[Job]:
    """Two inputs that would write the same output name get -2, -3, ... (case-insensitively)."""
    seen: set[str] = set()
    out = []
    for job in jobs:
        stem, n = job.out_stem, 1
        while str(stem).lower() in seen:
            n += 1
            stem = job.out_stem.with_name(f"{job.out_stem.name}-{n}")
        seen.add(str(stem).lower())
        out.append(Job(job.source, stem))
    return out


def convert_one(job: Job, outdir: Path, formats: list[str], options, script: str = "auto") -> list:
    """Convert one input to every format; returns the output paths."""
    doc = load(job.source, script=script)
    outputs = []
    for fmt in formats:
        path = outdir / job.out_stem.with_name(job.out_stem.name + suffix(fmt))
        render(doc, fmt, path, options)
        outputs.append(path)
    return outputs


def run_convert(sources, outdir: Path, formats, options, script="auto", quiet=False) -> Result:
    start = time.perf_counter()
    jobs, skipped = find_inputs(sources)
    result = Result(skipped=skipped)
    if not jobs:
        raise SpeechpubError(", ".join(map(str, sources)), "no input files found (folders are searched for *.txt)")
    for job in jobs:
        try:
            convert_one(job, outdir, formats, options, script)
            result.converted.append(job.source)
            if not quiet:
                click.echo(f"{job.source} -> {outdir / job.out_stem}.{{{','.join(formats)}}}")
        except SpeechpubError as e:
            result.failed.append((job.source, e.message))
            click.echo(f"speechpub: {e}", err=True)
    result.seconds = time.perf_counter() - start
    if not quiet:
        for p, why in skipped:
            click.echo(f"skipped {p}: {why}", err=True)
        click.echo(f"{len(result.converted)} converted, {len(result.failed)} failed "
                   f"in {result.seconds:.1f} s", err=False)
    sys.stdout.flush()
    return result
