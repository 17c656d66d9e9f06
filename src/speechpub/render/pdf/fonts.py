"""Fonts for the PDF: register resolved font files in ReportLab once per process, and pick a
font for every character (the element's class font, then the other class fonts, then the
fallback fonts), so no character is ever drawn as an empty box without a warning; a character
that no font has is drawn as □ and still extracts as itself.
"""
from __future__ import annotations

import copy
import threading
from operator import add
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from ... import fonts as _fonts
from . import facecache


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


def _face_cache() -> Path:
    """ReportLab's parsed fonts are kept beside the converted fonts."""
    return _fonts.cache_dir() / "reportlab"


_lock = threading.Lock()
_registered: dict[tuple[str, int], Registered] = {}


def register(ff) -> Registered:
    """Register a font file once per process; ReportLab subsets and embeds it on use."""
    key = (str(ff.path), int(ff.subfont_index))
    with _lock:
        reg = _registered.get(key)
        if reg is None:
            name = f"sp{len(_registered)}-{Path(ff.path).stem}-{ff.subfont_index}"
            font = facecache.load_font(name, Path(ff.path), int(ff.subfont_index), _face_cache())
            _no_glyf_copy(font.face)
            _add_alias(font.face.charToGlyph, font.face.charWidths)
            pdfmetrics.registerFont(font)
            face = font.face
            reg = _registered[key] = Registered(name, ff.family, face.charToGlyph, face.charWidths,
                                                face.defaultWidth, font)
        return reg


REPLACEMENT = "\u25a1"     # □ WHITE SQUARE: drawn for a character that no font has
_replacements: dict[str, Registered] = {}


def replacement(base: Registered, cp: int) -> Registered:
    """A twin of `base` that draws code point cp as □ yet keeps cp as text: its cmap maps cp
    to the square's glyph, and ReportLab's ToUnicode map of the subset still names cp."""
    with _lock:
        reg = _replacements.get(base.name)
        if reg is None:
            font = copy.copy(base.font)
            font.face = copy.copy(base.font.face)
            font.face.charToGlyph = dict(base.cmap)
            font.face.charWidths = dict(base.widths)
            font.face.name = font.face.name + b"-Replacement"   # its own subset names in a PDF
            font.fontName = base.name + "-replacement"
            font.state = WeakKeyDictionary()
            pdfmetrics.registerFont(font)
            reg = _replacements[base.name] = Registered(font.fontName, base.family + " (□)",
                                                        font.face.charToGlyph, font.face.charWidths,
                                                        base.default_width, font)
        sq = ord(REPLACEMENT)
        reg.cmap[cp] = reg.cmap.get(sq, 0)
        reg.widths[cp] = reg.widths.get(sq, reg.default_width)
        _add_alias(reg.cmap, reg.widths)
        return reg


def font_file(reg: Registered) -> tuple[str, int, int | None]:
    """(file, face index, code point drawn instead or None) of a registered font: a □ twin
    (see replacement) is its base font's file, drawing the square. For writers that embed
    the fonts themselves (the OFD)."""
    with _lock:
        for base_name, twin in _replacements.items():
            if twin is reg:
                base = next(r for r in _registered.values() if r.name == base_name)
                return (*next(k for k, r in _registered.items() if r is base), ord(REPLACEMENT))
        for key, r in _registered.items():
            if r is reg:
                return (*key, None)
    raise KeyError(reg.name)


# ReportLab's splitString turns U+00A0 into code 32, the space, so a no-break space would
# extract as U+0020. Encoding it as an alias code point for the same glyph keeps it apart, and
# the ToUnicode map names the alias U+00A0. The alias is a lone surrogate: no text can hold one
# (no decoder yields it and no output format can write it), so it never stands for itself.
NBSP_ALIAS = 0xDFFF
_TO_ALIAS = {0xA0: NBSP_ALIAS}


def _add_alias(cmap: dict, widths: dict) -> None:
    if 0xA0 in cmap:
        cmap[NBSP_ALIAS] = cmap[0xA0]
        widths[NBSP_ALIAS] = widths.get(0xA0, widths.get(0x20, 0))


def encode(reg: "Registered", text: str, doc) -> list[tuple[int, bytes]]:
    """ReportLab's (subset, codes) runs for drawing text with the font (see NBSP_ALIAS)."""
    if "\xa0" in text:
        text = text.translate(_TO_ALIAS)
    return reg.font.splitString(text, doc)


def _utf16_hex(v: int) -> str:
    if v == NBSP_ALIAS:
        v = 0xA0
    if v <= 0xFFFF:
        return "%04X" % v
    hi, lo = divmod(v - 0x10000, 0x400)
    return "%04X%04X" % (0xD800 + hi, 0xDC00 + lo)


class _Targets(dict):
    """code point -> its ToUnicode target and the closing bracket, "4E00>", made on first use
    (once per process: building each subset's 256 lines number by number was a third of the
    time of writing its font objects)."""

    def __missing__(self, v: int) -> str:
        s = self[v] = _utf16_hex(v) + ">"
        return s


_TARGETS = _Targets()
_CODES = tuple("<%02X> <" % i for i in range(256))    # a subset's codes, one byte


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap, but characters beyond the BMP (Extension B hanzi, emoji) are
    written as UTF-16 surrogate pairs, as the PDF standard asks (ReportLab writes <2000B>)."""
    if len(subset) <= len(_CODES):
        bfchar = map(add, _CODES, map(_TARGETS.__getitem__, subset))
    else:
        bfchar = ("<%02X> <%s>" % (i, _utf16_hex(v)) for i, v in enumerate(subset))
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
        *bfchar,
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap   # looked up as a module global when a PDF is saved


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


# Per process, by the resolved font files: the layout's measurements, reused by every document
# (measuring each document's characters afresh was a tenth of the time of a PDF).
_shared: dict[tuple, tuple[dict, dict]] = {}


class FontSet:
    """The class fonts of a style plus fallbacks, with per-character choice and bookkeeping.
    One per document: the warnings (substituted, missing) are the document's own."""

    def __init__(self, style):
        files = resolve(style)
        self.files = files
        self.classes = {c: register(ff) for c, ff in files.items()}
        self._fallbacks: list | None = None     # [(font file, coverage)], read on first need
        self.substituted: dict[tuple, set] = {}  # (class family, drawn with) -> characters
        self.missing: set[str] = set()          # characters no font has
        self._picked: dict[tuple[str, str], Registered] = {}
        key = tuple(sorted((c, str(ff.path), int(ff.subfont_index)) for c, ff in files.items()))
        # memo: the layout's cache, (class, size, ...) -> {char: (font, cell, advance)};
        # odd: class -> characters its own font lacks (pick them again to record the warning)
        self.memo, self.odd = _shared.setdefault(key, ({}, {}))

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

    def pick(self, font_class: str, ch: str) -> Registered:
        """The font that draws `ch` in an element of `font_class` (the □ twin: no font has it)."""
        key = (font_class, ch)
        if key not in self._picked:
            self._picked[key] = self._pick(font_class, ch)
        return self._picked[key]

    def _pick(self, font_class: str, ch: str) -> Registered:
        cp = ord(ch)
        own = self.classes[font_class]
        if cp == NBSP_ALIAS:                 # in every cmap, yet no font has it
            self.missing.add(ch)
            return replacement(own, cp)
        if cp in own.cmap:
            return own
        similar = [self.classes[c] for c in SIMILAR.get(font_class, ()) if c in self.classes]
        reg = next((r for r in similar if cp in r.cmap), None) or self._fallback_for(font_class, cp) \
            or next((r for r in self.classes.values() if cp in r.cmap), None)
        if reg is None:
            self.missing.add(ch)
            return replacement(self.classes[font_class], cp)
        self.substituted.setdefault((own.family, reg.family), set()).add(ch)
        return reg
