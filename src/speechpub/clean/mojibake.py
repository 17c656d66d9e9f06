"""UTF-8 read as GBK inside a sentence (厕所革命 shown as 鍘曟墍闈╁懡), found by its features: a run
of mostly rare hanzi whose GB18030 bytes are valid UTF-8 that reads as common hanzi.

A run that reads back whole is repaired (an audited change, rule `mojibake`); one whose bytes
were partly lost (U+FFFD, one byte each) is left as it is and reported with what it likely said.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Line

MAX_RUN = 60            # characters of one garbled run
LOST = "\ufffd"


def _lead_chars() -> str:
    """The characters whose GBK bytes open a three-byte UTF-8 sequence (E0-EF and a continuation
    byte): where a run of garbled text starts."""
    return "".join(bytes((lead, trail)).decode("gb18030", errors="ignore")
                   for lead in range(0xE0, 0xF0) for trail in range(0x80, 0xC0))


_LEADS = frozenset(_lead_chars())
_LEAD = re.compile("[" + re.escape("".join(sorted(_LEADS))) + "]")


def common(c: str) -> bool:
    """A hanzi of GB2312's first level (the 3,755 everyday characters) or a full-width mark."""
    if "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e":
        return True
    try:
        b = c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    reading: str        # what the bytes say; ? where a lost byte was
    whole: bool         # no byte lost: the reading is the original text


def runs(text: str) -> list[Run]:
    """The garbled runs of a line, in order."""
    out = []
    m = _LEAD.search(text)
    while m:
        run = _run_at(text, m.start())
        if run:
            out.append(run)
        m = _LEAD.search(text, run.end if run else m.start() + 1)
    return out


def _run_at(text: str, i: int) -> Run | None:
    second = text[i + 1:i + 2]
    if not second or second != LOST and not 0x80 <= second.encode("gb18030")[0] < 0xC0:
        return None                     # the third byte of the sequence is no continuation
    data, ends, lost = bytearray(), [], set()
    for c in text[i:i + MAX_RUN]:
        if c == LOST:
            lost.add(len(data))
            data.append(0x80)
        elif c.isascii():
            break
        else:
            data += c.encode("gb18030")
        ends.append(len(data))
    reading, used = _read(bytes(data), lost)
    n = sum(1 for e in ends if e <= used)
    while n and ends[n - 1] != used:            # a char half in the run: its first byte ended it
        used, n = ends[n - 1], n - 1
        reading, used = _read(bytes(data[:used]), lost)
        n = sum(1 for e in ends if e <= used)
    src = text[i:i + n]
    known = [c for c in reading if c != "?"]
    hanzi = [c for c in known if "\u4e00" <= c <= "\u9fff"]
    if len(hanzi) < 2 or len(src) < 3 or sum(map(common, src)) * 2 > len(src):
        return None
    if sum(map(common, known)) < 0.75 * len(known) or len(hanzi) < 0.75 * len(known):
        return None
    whole = not lost.intersection(range(used)) and all(map(common, known))
    return Run(i, i + n, reading, whole)


def _read(data: bytes, lost: set) -> tuple[str, int]:
    """The UTF-8 characters at the start of data (? for one that lost a byte) and how many bytes
    they take: up to the first byte that cannot continue it."""
    out, k = [], 0
    while k < len(data):
        b = data[k]
        n = 1 if b < 0x80 else 2 if 0xC2 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if 0xF0 <= b < 0xF5 else 0
        if not n or k + n > len(data) or b < 0x80 and k not in lost:
            break
        chunk = data[k:k + n]
        if lost.intersection(range(k, k + n)):
            out.append("?")
        else:
            try:
                out.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                break
        k += n
    return "".join(out), k


def repair(lines, ctx):
    """Runs that read back whole become their reading; each is a change and a warning names it."""
    out, done = [], []
    for line in lines:
        text = line.text
        for run in reversed([r for r in runs(text) if r.whole]):
            ctx.change("mojibake", line.no, text[run.start:run.end], run.reading)
            done.append(f"line {line.no}: {text[run.start:run.end]} -> {run.reading}")
            text = text[:run.start] + run.reading + text[run.end:]
        out.append(Line(text, line.no) if text != line.text else line)
    if done:
        ctx.warn("mojibake_repaired", f"{len(done)} place(s) of UTF-8 read as GBK repaired (the changes keep "
                                      f"the original): {'; '.join(done[:8])}", "warning")
    return out


def damaged(lines) -> list[tuple[int, str, str, int, int]]:
    """(line, snippet, what, start, end) for each garbled run left as it is (start, end: the run's
    place in the line)."""
    out = []
    for line in lines:
        for run in runs(line.text):
            if not run.whole:
                snippet = line.text[max(0, run.start - 4):run.end + 4]
                out.append((line.no, snippet, f"UTF-8 read as GBK, likely {run.reading}" + (" (? a lost character)" if "?" in run.reading else ""), run.start, run.end))
    return out
