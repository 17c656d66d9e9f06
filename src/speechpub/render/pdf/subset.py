"""ReportLab's TrueType subsetter (TTFontFile.makeSubset) rewritten for speed, byte for byte the
same font file; render.pdf.tuning installs it process-wide.

Why hand-written: ReportLab builds each 256-glyph subset in pure Python that reads the font two
bytes per method call (seek, read_short, ...) and splices each table anew, and it checksums the
finished file once more; a speech's PDF has about eight subsets, so that was a third of saving
it. Here the glyph offsets and metrics ReportLab parsed on registration are used as they are;
the tables that every subset copies (name, OS/2, hinting programs, post, and the fixed parts of
hhea, maxp, head) are cut and checksummed once per face; each glyph, when first used, is noted
once per process with its checksum (a view of the font's data, not a copy: a few hundred bytes
a glyph, at most the font's glyph count), so a subset is mostly map() calls over its glyphs
run in C; and the checksums of glyf and of the whole file are sums of their parts' (every glyph
and table is padded to four bytes), where ReportLab reads every byte twice more.

The output must stay exactly ReportLab's (the same tables in the same order, cmap format 6
(1, 0), post format 3, the loca format ReportLab picks, its hmtx run compression, even its
truncated scaled advance for glyphs past numberOfHMetrics); tests/test_pdf.py compares the two
on every installed font, so that a ReportLab upgrade that changes its subsets is caught. Faces
this code does not expect (a composite glyph shorter than its component records, a missing
table) are left to ReportLab's own subsetter.
"""
from __future__ import annotations

import threading
from itertools import accumulate, chain, count, dropwhile, repeat
from operator import add, and_, itemgetter, neg, rshift
from struct import Struct, pack, pack_into
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import add32, calcChecksum
from reportlab.pdfbase.ttfonts import TTFontFile

reportlab_make_subset = TTFontFile.makeSubset      # ReportLab's own, as the reference

# composite glyph component flags (the TrueType spec; ReportLab's GF_* names)
ARGS_ARE_WORDS, HAVE_SCALE, MORE_COMPONENTS, HAVE_XY_SCALE, HAVE_2X2 = 0x01, 0x08, 0x20, 0x40, 0x80
_USHORT2 = Struct(">HH")
_PADS = (b"", b"\0", b"\0\0", b"\0\0\0")
# fields of a glyph's info (see _add_glyphs)
_BYTES_AND_PADDING, _PADDED_LENGTH, _CHECKSUM = itemgetter(0, 1), itemgetter(2), itemgetter(3)
_ADVANCE, _LSB, _METRICS = itemgetter(4), itemgetter(5), itemgetter(4, 5)
_FIRST, _SECOND, _FIRST_BYTE = itemgetter(0), itemgetter(1), itemgetter(slice(0, 1))
_PLUS_1 = (1).__add__
_CONTOURS = bytes(range(0x80))      # a glyph's first byte when its numberOfContours >= 0
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")    # copied whole, as ReportLab does


class Unexpected(Exception):
    """A face or glyph this subsetter leaves to ReportLab's."""


class Face:
    """What every subset of one font face shares, cut from ReportLab's parsed face once."""

    def __init__(self, face):
        table = face.table
        for tag in ("glyf", "post", "hhea", "maxp", "head"):
            if tag not in table:
                raise Unexpected(tag)
        data = face._ttf_data
        glyf = table["glyf"]
        if face.glyphPos[-1] > glyf["length"]:
            raise Unexpected("loca points past the glyf table")
        self.view = memoryview(data)[glyf["offset"]:glyf["offset"] + glyf["length"]]
        self.glyph_pos = face.glyphPos
        self.glyphs: dict[int, tuple] = {}     # glyph -> its info (_add_glyphs), as first used
        self.composite: set[int] = set()       # composite glyphs among them
        self.components: dict[int, tuple] = {}  # composite glyph -> its components (_components)
        self.hmetrics = face.hmetrics

        def raw(tag):
            pos, length = table[tag]["offset"], table[tag]["length"]
            return bytes(data[pos:pos + length])
        fixed = {tag: raw(tag) for tag in _COPIED if tag in table}
        fixed["post"] = b"\x00\x03\x00\x00" + raw("post")[4:16] + b"\x00" * 16
        hhea, maxp, head = raw("hhea"), raw("maxp"), raw("head")
        self.hhea = (hhea[:34], hhea[36:])
        self.maxp = (maxp[:4], maxp[6:])
        head = head[:8] + b"\0\0\0\0" + head[12:]         # checkSumAdjustment, set last
        self.heads = [head[:50] + pack(">H", fmt) + head[52:] for fmt in (0, 1)]
        self.head_sums = [calcChecksum(h) for h in self.heads]
        self.fixed = {tag: (d, calcChecksum(d)) for tag, d in fixed.items()}
        self.tags = sorted([*fixed, "hmtx", "hhea", "maxp", "cmap", "glyf", "loca", "head"])
        n = len(self.tags)
        search, selector = 1, 0
        while search * 2 <= n:
            search, selector = search * 2, selector + 1
        self.header = pack(">lHHHH", 0x00010000, n, search * 16, selector, n * 16 - search * 16)


_faces: WeakKeyDictionary = WeakKeyDictionary()    # ReportLab's face -> Face
_faces_lock = threading.Lock()


def _face(face) -> Face:
    f = _faces.get(face)
    if f is None:
        with _faces_lock:
            f = _faces.get(face)
            if f is None:
                f = _faces[face] = Face(face)
    return f


def make_subset(self, subset):
    """TTFontFile.makeSubset, the same bytes (see the module's docstring)."""
    try:
        return _make_subset(_face(self), self.charToGlyph, subset)
    except Unexpected:
        return reportlab_make_subset(self, subset)


def _add_glyphs(f: Face, glyphs) -> None:
    """Note the glyphs' infos in f.glyphs: (bytes, padding, padded length, checksum, advance,
    lsb), the bytes a view of the font's data, not a copy; composite glyphs in f.composite."""
    glyphs = list(glyphs)
    if not glyphs:
        return
    gp = f.glyph_pos
    views = list(map(f.view.__getitem__, map(slice, map(gp.__getitem__, glyphs),
                                               map(gp.__getitem__, map(_PLUS_1, glyphs)))))
    lengths = list(map(len, views))
    metrics = list(map(f.hmetrics.__getitem__, glyphs))
    if b"".join(map(_FIRST_BYTE, views)).translate(None, _CONTOURS):   # numberOfContours < 0
        f.composite.update(g for g, v in zip(glyphs, views) if v and v[0] >= 0x80)
    f.glyphs.update(zip(glyphs, zip(      # (last: another thread may be reading f.glyphs)
        views,
        map(_PADS.__getitem__, map(and_, map(neg, lengths), repeat(3))),
        map(and_, map(add, lengths, repeat(3)), repeat(~3)),
        map(calcChecksum, map(bytes, views)),
        map(int, map(_FIRST, metrics)),
        map(int, map(_SECOND, metrics)))))


def _make_subset(f: Face, char_to_glyph: dict, subset) -> bytes:
    # (loops over the glyphs are map() calls, run in C: a subset has up to 256 glyphs)
    # new glyph -> old: 0 (the missing glyph) first, then in the order of the codes
    gids = list(map(char_to_glyph.get, subset, repeat(0)))
    glyph_map = list(dict.fromkeys([0, *gids]))
    cache = f.glyphs
    _add_glyphs(f, set(glyph_map).difference(cache))   # glyphs this process has not used yet
    if f.composite.isdisjoint(glyph_map):
        infos = list(map(cache.__getitem__, glyph_map))
        old_to_new = dict(zip(glyph_map, count()))
    else:
        glyph_map, infos, old_to_new = _with_components(f, glyph_map)
    codes = list(map(old_to_new.__getitem__, gids))
    num_glyphs = len(glyph_map)

    # glyf (its checksum: the sum of its glyphs', each padded to four bytes) and loca
    glyf = list(chain.from_iterable(map(_BYTES_AND_PADDING, infos)))
    glyf_sum = sum(map(_CHECKSUM, infos)) & 0xFFFFFFFF
    offsets = list(accumulate(map(_PADDED_LENGTH, infos), initial=0))
    glyf_size = offsets[-1]
    if (glyf_size + 1) >> 1 > 0xFFFF:
        loc_format, loca = 1, pack(">%dL" % len(offsets), *offsets)
    else:
        loc_format, loca = 0, pack(">%dH" % len(offsets), *map(rshift, offsets, repeat(1)))

    # hmtx: (advance, lsb) pairs up to the trailing run of one advance, then lsbs only
    aws = list(map(_ADVANCE, infos))
    run = num_glyphs - len(list(dropwhile(aws[-1].__eq__, reversed(aws))))
    n_hmetrics = num_glyphs - run + 1 if run < num_glyphs else 1
    hmtx = pack(">%dH" % (n_hmetrics + num_glyphs),
                *chain.from_iterable(map(_METRICS, infos[:n_hmetrics])), *map(_LSB, infos[n_hmetrics:]))

    cmap = pack(">%dH" % (11 + len(codes)), 0, 1, 1, 0, 0, 12, 6, 10 + 2 * len(codes), 0, 0,
                len(codes), *codes)
    hhea = f.hhea[0] + pack(">H", n_hmetrics) + f.hhea[1]
    maxp = f.maxp[0] + pack(">H", num_glyphs) + f.maxp[1]
    made = {"hmtx": hmtx, "hhea": hhea, "maxp": maxp, "cmap": cmap, "loca": loca}

    # the file (TTFontMaker.makeStream): header, table directory, tables padded to four bytes;
    # the file's checksum is the sum of the tables' and the directory's
    directory, parts = [f.header], []
    offset = len(f.header) + 16 * len(f.tags)
    total = 0
    for tag in f.tags:
        if tag == "glyf":
            size, checksum = glyf_size, glyf_sum
            parts += glyf
        else:
            if tag in made:
                table = made[tag]
                checksum = calcChecksum(table)
            elif tag == "head":
                table, checksum = f.heads[loc_format], f.head_sums[loc_format]
                head_at = len(parts)
            else:
                table, checksum = f.fixed[tag]
            size = len(table)
            parts.append(table)
            if size & 3:
                parts.append(_PADS[-size & 3])
        directory.append(tag.encode("latin1") + pack(">LLL", checksum, offset, size))
        total += checksum
        offset += (size + 3) & ~3
    header = b"".join(directory)
    total = add32(total & 0xFFFFFFFF, calcChecksum(header))
    head = parts[head_at]
    parts[head_at] = head[:8] + pack(">L", add32(0xB1B0AFBA, -total)) + head[12:]
    return b"".join([header, *parts])


def _with_components(f: Face, glyph_map: list) -> tuple[list, list, dict]:
    """For a subset with composite glyphs: the glyph map with their components appended as
    found (ReportLab's order: the composite glyphs in the map's order, then those among the
    components as appended), the glyphs' infos (see _add_glyphs; composite glyphs renumbered)
    and the map old glyph -> new."""
    cache, composite = f.glyphs, f.composite
    glyph_map = list(glyph_map)
    seen = set(glyph_map)
    wave = [g for g in glyph_map if g in composite]
    renumber = []
    while wave:                       # composite glyphs, then those among their components
        renumber += wave
        found = []
        for old in wave:
            for _, comp in f.components.get(old) or _components(f, old):
                if comp not in seen:
                    seen.add(comp)
                    found.append(comp)
        glyph_map += found
        _add_glyphs(f, [g for g in found if g not in cache])
        wave = [g for g in found if g in composite]
    old_to_new = dict(zip(glyph_map, count()))
    infos = list(map(cache.__getitem__, glyph_map))
    for old in renumber:
        i = old_to_new[old]
        info = infos[i]
        glyph = bytearray(info[0])
        for pos, comp in f.components[old]:
            pack_into(">H", glyph, pos, old_to_new[comp])
        glyph = bytes(glyph)
        infos[i] = (glyph, info[1], info[2], calcChecksum(glyph), info[4], info[5])
    return glyph_map, infos, old_to_new


def _components(f: Face, g: int) -> tuple:
    """((offset of the glyph number, glyph) for each component) of composite glyph g, kept in
    f.components."""
    glyph = f.glyphs[g][0]
    out = []
    p, end = 10, len(glyph)
    flags = MORE_COMPONENTS
    while flags & MORE_COMPONENTS:
        if p + 4 > end:
            raise Unexpected("a composite glyph runs past its end")
        flags, comp = _USHORT2.unpack_from(glyph, p)
        out.append((p + 2, comp))
        p += 8 if flags & ARGS_ARE_WORDS else 6
        if flags & HAVE_SCALE:
            p += 2
        elif flags & HAVE_XY_SCALE:
            p += 4
        elif flags & HAVE_2X2:
            p += 8
    out = f.components[g] = tuple(out)
    return out
