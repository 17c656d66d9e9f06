"""What speechpub reads from a font file, kept once per file in the user's cache folder.

Reading a font's faces (their name tables) or a face's coverage (a CJK cmap of 30,000 code
points) with fontTools costs 5-150 ms a file. Every process that lays out a speech searches the
font folders, and the first character no class font has makes it read every fallback font's
coverage: 0.3-1.5 s before a page, in every `convert` and every batch worker. As fontconfig
does with its cache, the facts are kept per file, keyed by the file's path, size and
modification time, as small JSON files; one that cannot be read or written is ignored (the
font is read as before). fontconfig itself is not asked: it may be absent, and it does not
report what speechpub needs (the fsType licence bits, whether a face has glyf outlines).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..outfile import write_bytes

FORMAT = 1
T = TypeVar("T")

__all__ = ["remembered", "ranges", "from_ranges"]


def _file(folder: Path, kind: str, path: Path, part: str) -> Path | None:
    try:
        st = path.stat()
        where = path.resolve()
    except (OSError, RuntimeError):
        return None
    key = f"{FORMAT}|{kind}|{where}|{part}|{st.st_size}|{st.st_mtime_ns}"
    return folder / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def remembered(folder: Path | None, kind: str, path: Path, part: str, read: Callable[[], T],
               dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
    """read() for the font file `path` (`part`: which face, or ""), from the cache folder when
    it holds the answer for this very file (then saved there as dump(answer), as JSON)."""
    cached = _file(folder, kind, path, part) if folder is not None else None
    if cached is not None:
        try:
            return load(json.loads(cached.read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass
    value = read()
    if cached is not None:
        _save(cached, dump(value))
    return value


def _save(cached: Path, data: Any) -> None:
    try:
        write_bytes(cached, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass


def ranges(points) -> list[list[int]]:
    """Code points as [first, last] runs (a CJK cmap is a few hundred of them)."""
    out: list[list[int]] = []
    for cp in sorted(points):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def from_ranges(runs) -> frozenset[int]:
    return frozenset(cp for first, last in runs for cp in range(int(first), int(last) + 1))
