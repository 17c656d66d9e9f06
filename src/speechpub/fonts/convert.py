"""CFF -> TrueType conversion of one font face, cached under the font cache folder.

Written by hand because ReportLab embeds only TrueType (glyf) outlines and the free
FangSong (FandolFang) and heavy Song (Noto Serif CJK) fonts are CFF; no library converts a
font end to end, but fontTools has the pieces (the recipe of fontTools' otf2ttf snippet).
"""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import SpeechpubError

CONVERTER_VERSION = 1
MAX_ERR = 1.0           # font units: well below a printer dot at 16 pt


def cff_to_ttf(src: Path, index: int, out: Path) -> None:
    """Convert face `index` of the CFF font `src` to a TrueType font file `out`."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    with TTFont(str(src), fontNumber=index) as font:
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(None)
            # cubic -> quadratic; CFF winds counter-clockwise, TrueType clockwise
            glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
            glyphs[name] = pen.glyph()
        font["loca"] = newTable("loca")
        glyf = font["glyf"] = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = glyphs
        for tag in ("CFF ", "VORG"):     # VORG is only valid beside CFF
            if tag in font:
                del font[tag]
        hmtx = font["hmtx"]
        for name, g in glyphs.items():   # left side bearing = new xMin
            if g.numberOfContours:
                g.recalcBounds(glyf)
                hmtx[name] = (hmtx[name][0], g.xMin)
        maxp = font["maxp"] = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.maxZones = 1
        for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                     "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, attr, 0)
        font["post"].formatType = 3.0    # no glyph names: CID fonts have only cidNNNNN
        font.sfntVersion = "\0\1\0\0"
        font.save(str(out))


def _stamp(src: Path, index: int) -> dict:
    st = src.stat()
    return {"source": str(src), "index": index, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "converter": CONVERTER_VERSION}


def cached_path(src: Path, index: int, cache: Path, stem: str) -> Path | None:
    """The converted file when the cache holds an up-to-date one, else None."""
    out, stamp = cache / f"{stem}.ttf", cache / f"{stem}.json"
    if not (out.is_file() and stamp.is_file()):
        return None
    try:
        old = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not src.exists():             # source gone (e.g. package removed): keep using the copy
        return out if old.get("converter") == CONVERTER_VERSION else None
    return out if _same(old, _stamp(src, index)) else None


def _same(old: dict, new: dict) -> bool:
    """The stamps describe the same source file: the same size, time, face and converter, and the
    same path once links are resolved. (A cache shared by checkouts through a symbolic link names
    its own src/ folder by each checkout's path; comparing the spelling made every checkout convert
    the font again, 30 s each time, and undo the others' copy.)"""
    if {k: v for k, v in old.items() if k != "source"} != {k: v for k, v in new.items() if k != "source"}:
        return False
    if old.get("source") == new["source"]:
        return True
    try:
        return Path(old.get("source", "")).resolve() == Path(new["source"]).resolve()
    except (OSError, RuntimeError):
        return False


def convert_cached(src: Path, index: int, cache: Path, stem: str, echo=None) -> Path:
    """Convert once: reuse cache/<stem>.ttf while its JSON stamp matches the source."""
    hit = cached_path(src, index, cache, stem)
    if hit:
        return hit
    try:
        cache.mkdir(parents=True, exist_ok=True)
        return _convert_locked(src, index, cache, stem, echo)
    except OSError as e:
        raise SpeechpubError(cache, f"cannot write the font cache ({e.strerror or e}); "
                                    "set SPEECHPUB_FONT_CACHE to a writable folder") from None


def _convert_locked(src: Path, index: int, cache: Path, stem: str, echo) -> Path:
    with _lock(cache / f"{stem}.lock"):
        hit = cached_path(src, index, cache, stem)   # another process may have finished it
        if hit:
            return hit
        if echo:
            echo(f"converting {src.name} (face {index}) to TrueType; this takes 15-60 s once")
        t = time.monotonic()
        out = cache / f"{stem}.ttf"
        tmp = out.with_suffix(f".tmp{os.getpid()}")
        try:
            cff_to_ttf(src, index, tmp)
            os.replace(tmp, out)
        except OSError:
            raise
        except Exception as e:      # a damaged font: fontTools raises many kinds
            raise SpeechpubError(src, f"cannot convert this CFF font to TrueType: {e!r}") from None
        finally:
            tmp.unlink(missing_ok=True)
        (cache / f"{stem}.json").write_text(json.dumps(_stamp(src, index)), encoding="utf-8")
        if echo:
            echo(f"  wrote {out} in {time.monotonic() - t:.0f} s")
        return out


@contextmanager
def _lock(path: Path):
    """An exclusive file lock so parallel workers do not convert the same font twice."""
    try:
        import fcntl
    except ImportError:              # Windows: no lock, the atomic rename still keeps files whole
        yield
        return
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
