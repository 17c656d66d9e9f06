"""ReportLab's reading of a font file, kept in the user's cache folder.

ReportLab parses a TrueType font's cmap, widths and glyph offsets in pure Python, two bytes a
call: about 0.2 s for each CJK font, so 1 s before a batch's workers could start and before
a single `convert` could draw. What it read is saved here per font file (keyed by the file's
path, size and modification time, its face and ReportLab's version) and read back in a
tenth of the time. The data is pickled, and read back with an unpickler that builds only plain
containers and ReportLab's name strings, so a tampered cache file cannot run code; a cache
that cannot be read or written is ignored (the font is parsed as before). The font file itself
is mapped into memory, not read (_map).
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import mmap
import pickle
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from ...outfile import write_bytes

FORMAT = 2
_SKIP_FACE = {"_ttf_data", "_pdfScale"}     # the file's bytes are read again; the scale rebuilt
# glyph -> characters: built and used by ReportLab's parse alone (TTFontFile.extractInfo), then
# 30,000 lists a CJK font that nothing reads; not kept (tests/test_fonts.py checks ReportLab)
_PARSE_ONLY = {"glyphToChar"}
_SKIP_FONT = {"face", "state", "fontName"}
_ALLOWED = {("reportlab.pdfbase.ttfonts", "TTFNameBytes"), ("reportlab.pdfbase.ttfonts", "TTEncoding"),
            ("builtins", "set"), ("builtins", "frozenset")}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a font cache")
        return super().find_class(module, name)


def _cache_file(folder: Path, path: Path, index: int) -> Path | None:
    try:
        st = path.stat()
    except OSError:
        return None
    key = f"{FORMAT}|{reportlab.Version}|{path.resolve()}|{index}|{st.st_size}|{st.st_mtime_ns}"
    return folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


@contextlib.contextmanager
def _collector_off():
    """Read the tables without the cyclic collector going through their 100,000 new objects
    again and again meanwhile (they hold no cycles): 2-3x faster."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _map(path: Path):
    """The font file's bytes, mapped rather than read: a process holds only the pages it
    reads (the tables and the glyphs it draws), not 5-30 MB a font, and the pages are the
    system's file cache, shared by every worker. Font files are replaced, not rewritten in
    place, by package managers and by `speechpub fonts install`, so the mapping stays valid."""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _scale(units_per_em: int):
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult            # ReportLab's own expression


def load_font(name: str, path: Path, index: int, folder: Path | None) -> TTFont:
    """ReportLab's TTFont for the face, from the cache when it holds it (then saved there)."""
    cached = _cache_file(folder, path, index) if folder is not None else None
    if cached is not None:
        try:
            face = TTFontFace.__new__(TTFontFace)
            with open(cached, "rb") as f, _collector_off():
                face_state, font_state = _Unpickler(f).load()
                face.__dict__.update(face_state)
            face._ttf_data = _map(path)
            face._pdfScale = _scale(face.unitsPerEm)
            font = TTFont.__new__(TTFont)
            font.__dict__.update(font_state)
            font.fontName, font.face, font.state = name, face, WeakKeyDictionary()
            return font
        except (OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError, AttributeError,
                KeyError, IndexError):
            pass
    font = TTFont(name, str(path), subfontIndex=index)
    if cached is not None:
        _save(cached, font)
    with contextlib.suppress(OSError, ValueError):
        font.face._ttf_data = _map(path)
    for key in _PARSE_ONLY:
        font.face.__dict__.pop(key, None)
    return font


def _save(cached: Path, font: TTFont) -> None:
    face_state = {k: v for k, v in font.face.__dict__.items() if k not in _SKIP_FACE | _PARSE_ONLY}
    font_state = {k: v for k, v in font.__dict__.items() if k not in _SKIP_FONT}
    try:
        data = pickle.dumps((face_state, font_state), protocol=pickle.HIGHEST_PROTOCOL)
        _Unpickler(io.BytesIO(data)).load()          # only what the loader accepts is kept
        write_bytes(cached, data)
    except (OSError, pickle.PicklingError, pickle.UnpicklingError, TypeError, AttributeError):
        pass


__all__ = ["load_font"]
