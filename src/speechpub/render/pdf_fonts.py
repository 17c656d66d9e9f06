"""Fonts for the PDF: register resolved font files in ReportLab once per process, and pick a
font for every character (the element's class font, then the other class fonts, then the
fallback fonts), so no character is ever drawn as an empty box without a warning.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import fonts as _fonts


def resolve(style) -> dict:
    return _fonts.resolve(style)


def fallback_files() -> list:
    return list(_fonts.fallback_fonts())


def coverage(ff) -> frozenset:
    """A font file's code points, without registering it (registering costs memory)."""
    return _fonts.covers(ff)


# Fallback order: the closest class fonts first, then fallback fonts of a similar style, so a
# missing character in body text is drawn in a regular serif, never in the heavy title face.
SIMILAR = {"fangsong": ("song",), "song": ("fangsong",), "kai": (), "hei": (), "song-heavy": ()}
STYLE_WORDS = {"fangsong": ("ming", "song", "sung", "serif"), "song": ("ming", "song", "sung", "serif"),
               "kai": ("kai",), "hei": ("hei", "sans"), "song-heavy": ("serif", "song", "ming")}


@dataclass(eq=False)
class Registered:
    name: str                    # the ReportLab font name
    family: str
    cmap: dict                   # covered code point -> glyph (ReportLab's own table)
    widths: dict                 # code point -> advance in 1/1000 em
    default_width: float
    font: TTFont


_lock = threading.Lock()
_registered: dict[tuple[str, int], Registered] = {}


def register(ff) -> Registered:
    """Register a font file once per process; ReportLab subsets and embeds it on use."""
    key = (str(ff.path), int(ff.subfont_index))
    with _lock:
        reg = _registered.get(key)
        if reg is None:
            name = f"sp{len(_registered)}-{Path(ff.path).stem}-{ff.subfont_index}"
            font = TTFont(name, str(ff.path), subfontIndex=ff.subfont_index)
            _no_glyf_copy(font.face)
            pdfmetrics.registerFont(font)
            face = font.face
            reg = _registered[key] = Registered(name, ff.family, face.charToGlyph, face.charWidths,
                                                face.defaultWidth, font)
        return reg


class _Slices:
    """A table read through a memoryview: each slice is copied alone, as bytes."""

    def __init__(self, view: memoryview):
        self.view = view

    def __getitem__(self, key) -> bytes:
        return bytes(self.view[key])


def _no_glyf_copy(face) -> None:
    """ReportLab copies the whole glyf table (7-30 MB for CJK fonts) for every 256-glyph subset
    it writes; hand it a view instead, so only the glyphs it takes are copied."""
    get_table = face.get_table

    def table(tag, _get=get_table, _face=face):
        if tag != "glyf":
            return _get(tag)
        pos, length = _face.get_table_pos(tag)
        return _Slices(memoryview(_face._ttf_data)[pos:pos + length])
    face.get_table = table


def advance(reg: Registered, ch: str, size: float) -> float:
    """The glyph's advance in points at `size`."""
    return reg.widths.get(ord(ch), reg.default_width) * size / 1000.0


class FontSet:
    """The class fonts of a style plus fallbacks, with per-character choice and bookkeeping."""

    def __init__(self, style):
        files = resolve(style)
        self.files = files
        self.classes = {c: register(ff) for c, ff in files.items()}
        self._fallbacks: list | None = None     # [(font file, coverage)], read on first need
        self.substituted: dict[tuple, set] = {}  # (class family, drawn with) -> characters
        self.missing: set[str] = set()          # characters no font has
        self._picked: dict[tuple[str, str], Registered | None] = {}
        self.memo: dict = {}                    # layout's cache: (class, size) -> {char: (font, cell)}

    def _fallback_for(self, font_class: str, cp: int) -> Registered | None:
        """The first fallback file (in the class's order) that has cp, registered on demand."""
        if self._fallbacks is None:
            self._fallbacks = [(ff, coverage(ff)) for ff in fallback_files()]
        words = STYLE_WORDS.get(font_class, ())
        alike = sorted(self._fallbacks, key=lambda f: not any(w in f[0].family.lower() for w in words))
        for ff, cov in alike:
            if cp in cov:
                try:
                    return register(ff)
                except Exception:            # an unreadable fallback is skipped, never fatal
                    continue
        return None

    def pick(self, font_class: str, ch: str) -> Registered | None:
        """The font that draws `ch` in an element of `font_class` (None: no font has it)."""
        key = (font_class, ch)
        if key not in self._picked:
            self._picked[key] = self._pick(font_class, ch)
        return self._picked[key]

    def _pick(self, font_class: str, ch: str) -> Registered | None:
        cp = ord(ch)
        own = self.classes[font_class]
        if cp in own.cmap:
            return own
        similar = [self.classes[c] for c in SIMILAR.get(font_class, ()) if c in self.classes]
        reg = next((r for r in similar if cp in r.cmap), None) or self._fallback_for(font_class, cp) \
            or next((r for r in self.classes.values() if cp in r.cmap), None)
        if reg is None:
            self.missing.add(ch)
        else:
            self.substituted.setdefault((own.family, reg.family), set()).add(ch)
        return reg
