"""Progress and the summary of a batch: a live bar on a terminal, plain lines otherwise."""
from __future__ import annotations

import sys
import time

import click


class Progress:
    """Called by batch.run_batch: ("start", todo, skipped) once, then ("done", outcome) each."""

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.total = self.done = self.failed = 0
        self.start = time.perf_counter()
        self.last_line = 0.0

    def __call__(self, event, *args):
        if self.quiet:
            return
        if event == "start":
            self.total, skipped = args
            self.start = time.perf_counter()
            if skipped:
                self._line(f"{skipped} unchanged, skipped")
            if not self.total:
                self._line("nothing to convert")
            return
        outcome = args[0]
        self.done += 1
        self.failed += bool(outcome.error)
        if outcome.error:
            self._clear()
            self._line(f"failed {outcome.source}: {outcome.error}")
        if self.tty:
            self._bar()
        elif time.perf_counter() - self.last_line >= 2 or self.done == self.total:
            self._line(self._status())

    def _status(self) -> str:
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        return (f"{self.done}/{self.total} documents, {self.failed} failed, {rate:.1f} docs/s, "
                f"ETA {eta:.0f} s")

    def _bar(self):
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self._status()}\x1b[K")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()

    def _clear(self):
        if self.tty:
            self.stream.write("\r\x1b[K")

    def _line(self, text):
        self.last_line = time.perf_counter()
        click.echo(text, file=self.stream)


def summary_table(summary) -> str:
    rows = [("converted", summary.converted), ("unchanged, skipped", summary.skipped),
            ("failed", len(summary.failed)), ("outputs pruned", summary.pruned),
            ("time", f"{summary.seconds:.1f} s"), ("rate", f"{summary.rate:.1f} documents/s")]
    out = [f"  {k:<20}{v}" for k, v in rows if k != "outputs pruned" or summary.pruned]
    if summary.interrupted:
        out.append("  interrupted: run the same command again to finish")
    if summary.failed:
        out.append("failures:")
        out.extend(f"  {src}: {err}" for src, err in summary.failed)
    return "\n".join(out)
