"""Fonts for the OFD: the PDF's own fonts (pdf.fonts.Registered), embedded as TrueType subsets
(made from the raw tables, below), each resource named by the official family name the style gives its
class (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体), so that a reader which ignores
embedded fonts falls back to the genuine font and every other reader draws the embedded one.
"""
from __future__ import annotations

import io
import struct
import threading

from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

from ..pdf import fonts as pdf_fonts

REPLACEMENT_SUFFIX = "-replacement"     # (pdf.fonts.replacement names its □ twins so)


def source(reg) -> tuple[str, int, int | None]:
    """(file, face index, code point drawn as □ or None) of a registered font."""
    return pdf_fonts.font_file(reg)


def official_names(fonts, style) -> dict:
    """Registered font -> (resource name, family): a class font takes its class's official
    name (the first of the style's names); a fallback font keeps its own family."""
    out = {}
    for cls, reg in fonts.classes.items():
        out.setdefault(reg, (style.font_names[cls][0], reg.family))
    return out


def subset(reg, chars: set[str]) -> bytes:
    """A TrueType subset of the font with the glyphs of `chars` (a □ twin: those characters
    mapped to the square's glyph, as the PDF draws them)."""
    path, index, square = source(reg)
    return quick_subset(path, index, chars, square)


# ---- a quick subsetter for TrueType (glyf) fonts ---------------------------------------------
#
# fontTools' subsetter reads a CJK font's whole cmap and glyph order for every subset (0.15-0.3 s
# a font, a second a document). The fonts here are plain TrueType (ReportLab embeds nothing
# else), so a subset is made from the raw tables instead: each source file's cmap, loca and hmtx
# are read once per process; a subset copies the glyphs' bytes (composite glyphs' component
# numbers rewritten), and writes new loca, hmtx, cmap (format 4, and 12 beyond the BMP) and
# post (format 3, no names), with maxp, hhea and head patched. Hinting programs are kept.

_KEEP = ("OS/2", "name", "cvt ", "fpgm", "prep", "gasp")
_sources: dict = {}
_sources_lock = threading.Lock()


class _Source:
    """The raw tables of one font face, read once."""

    def __init__(self, path: str, index: int):
        from fontTools.ttLib import TTFont
        with open(path, "rb") as f:
            reader = SFNTReader(f, fontNumber=index)
            self.tables = {tag: reader[tag] for tag in reader.keys()}
        t = self.tables
        self.long_loca = struct.unpack(">h", t["head"][50:52])[0] == 1
        self.num_glyphs = struct.unpack(">H", t["maxp"][4:6])[0]
        self.n_hmetrics = struct.unpack(">H", t["hhea"][34:36])[0]
        loca = t["loca"]
        if self.long_loca:
            self.loca = struct.unpack(f">{self.num_glyphs + 1}I", loca[:4 * (self.num_glyphs + 1)])
        else:
            self.loca = [2 * v for v in struct.unpack(f">{self.num_glyphs + 1}H", loca[:2 * (self.num_glyphs + 1)])]
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            order = font.getGlyphOrder()
            ids = {name: i for i, name in enumerate(order)}
            self.cmap = {cp: ids[name] for cp, name in (font.getBestCmap() or {}).items()}
        finally:
            font.close()

    def glyph(self, gid: int) -> bytes:
        return self.tables["glyf"][self.loca[gid]:self.loca[gid + 1]]

    def metric(self, gid: int) -> bytes:
        hmtx, n = self.tables["hmtx"], self.n_hmetrics
        if gid < n:
            return hmtx[4 * gid:4 * gid + 4]
        return hmtx[4 * (n - 1):4 * (n - 1) + 2] + hmtx[4 * n + 2 * (gid - n):4 * n + 2 * (gid - n) + 2]


def _source(path: str, index: int) -> _Source:
    key = (str(path), int(index))
    with _sources_lock:
        src = _sources.get(key)
        if src is None:
            src = _sources[key] = _Source(*key)
        return src


_ARGS_WORDS, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


def _components(data: bytes) -> list[tuple[int, int]]:
    """(offset of the glyph index, glyph index) of each component of a composite glyph."""
    out, pos = [], 10
    while True:
        flags, gid = struct.unpack(">HH", data[pos:pos + 4])
        out.append((pos + 2, gid))
        pos += 4 + (4 if flags & _ARGS_WORDS else 2)
        pos += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
        if not flags & _MORE:
            return out


def _cmap(mapping: dict[int, int]) -> bytes:
    """A cmap table: (3,1) format 4 for the BMP, and (3,10) format 12 when a code point is beyond it."""
    bmp = sorted((cp, g) for cp, g in mapping.items() if cp < 0xFFFF)
    segs: list[list[int]] = []                    # [start, end, delta]
    for cp, g in bmp:
        if segs and cp == segs[-1][1] + 1 and (g - cp) % 65536 == segs[-1][2]:
            segs[-1][1] = cp
        else:
            segs.append([cp, cp, (g - cp) % 65536])
    segs.append([0xFFFF, 0xFFFF, 1])
    n = len(segs)
    search = 2 ** (n.bit_length() - 1)
    body = struct.pack(f">{n}H", *(s[1] for s in segs)) + b"\0\0" + struct.pack(f">{n}H", *(s[0] for s in segs)) \
        + struct.pack(f">{n}H", *(s[2] for s in segs)) + b"\0\0" * n
    head = struct.pack(">7H", 4, 14 + len(body), 0, 2 * n, 2 * search, search.bit_length() - 1, 2 * n - 2 * search)
    fmt4 = head + body
    subtables = [(3, 1, fmt4)]
    if any(cp > 0xFFFF for cp in mapping):
        groups: list[list[int]] = []
        for cp, g in sorted(mapping.items()):
            if groups and cp == groups[-1][1] + 1 and g == groups[-1][2] + (cp - groups[-1][0]):
                groups[-1][1] = cp
            else:
                groups.append([cp, cp, g])
        fmt12 = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups)) + \
            b"".join(struct.pack(">III", *g) for g in groups)
        subtables.append((3, 10, fmt12))
    out = struct.pack(">HH", 0, len(subtables))
    offset = 4 + 8 * len(subtables)
    for pid, eid, data in subtables:
        out += struct.pack(">HHI", pid, eid, offset)
        offset += len(data)
    return out + b"".join(d for *_, d in subtables)


def quick_subset(path: str, index: int, chars: set[str], square: int | None = None) -> bytes:
    """The TrueType subset of the face with the glyphs of `chars` (with `square`: all of them
    drawn with the glyph of that code point)."""
    src = _source(path, index)
    cps = {ord(ch) for ch in chars}
    if square is not None:
        g = src.cmap.get(square, 0)
        wanted = {cp: g for cp in cps}
    else:
        wanted = {cp: src.cmap[cp] for cp in cps if cp in src.cmap}
    keep, todo = {0}, list(set(wanted.values()))
    while todo:                                   # the glyphs and their components
        gid = todo.pop()
        if gid in keep:
            continue
        keep.add(gid)
        data = src.glyph(gid)
        if len(data) >= 10 and data[0] & 0x80:       # numberOfContours < 0: a composite glyph
            todo += [c for _, c in _components(data) if c not in keep]
    order = sorted(keep)
    new = {old: i for i, old in enumerate(order)}
    glyf, loca = [], [0]
    for old in order:
        data = src.glyph(old)
        if len(data) >= 10 and data[0] & 0x80:
            buf = bytearray(data)
            for pos, c in _components(data):
                buf[pos:pos + 2] = struct.pack(">H", new[c])
            data = bytes(buf)
        data += b"\0" * (-len(data) % 4)
        glyf.append(data)
        loca.append(loca[-1] + len(data))
    t = src.tables
    n = len(order)
    tables = {tag: t[tag] for tag in _KEEP if tag in t}
    tables["glyf"] = b"".join(glyf)
    tables["loca"] = struct.pack(f">{n + 1}I", *loca)
    tables["hmtx"] = b"".join(src.metric(old) for old in order)
    tables["hhea"] = t["hhea"][:34] + struct.pack(">H", n) + t["hhea"][36:]
    tables["maxp"] = t["maxp"][:4] + struct.pack(">H", n) + t["maxp"][6:]
    tables["head"] = t["head"][:8] + b"\0\0\0\0" + t["head"][12:50] + struct.pack(">h", 1) + t["head"][52:]
    tables["post"] = struct.pack(">I", 0x00030000) + t["post"][4:32]
    tables["cmap"] = _cmap({cp: new[g] for cp, g in wanted.items()})
    buf = io.BytesIO()
    writer = SFNTWriter(buf, len(tables))
    for tag in sorted(tables):
        writer[tag] = tables[tag]
    writer.close()
    return buf.getvalue()
