"""Fonts embedded in an EPUB: subsets of the characters each of the style's embed classes sets,
and of fallback fonts for the characters those lack; a font whose licence bits forbid it is
not embedded (a warning says so)."""
from __future__ import annotations

import logging
from pathlib import Path

from ...model import Document, Warning
from .book import BookInfo, book_language, editor_line, is_hant, language, translator
from .style import EbookStyle


def _element_of(kind: str, level) -> str:
    return f"heading{level}" if kind == "heading" else kind


def chars_by_class(docs: list[Document], info: BookInfo, style: EbookStyle, every: str = "") -> dict:
    """Characters each font class sets. The body class gets `every` character of the book
    (contents, colophon and anything unstyled fall back to it)."""
    body = style.element("paragraph").get("font", "fangsong")
    sets: dict[str, set] = {body: set(every)}

    def add(element: str, text: str):
        sets.setdefault(style.element(element).get("font", body), set()).update(text)
        sets[body].update(text)

    add("title", info.title)
    for el, text in (("subtitle", info.subtitle), ("speaker", info.speaker), ("dateline", info.dateline)):
        add(el, text)
    if info.editor:
        add("speaker", editor_line(info, style, translator(book_language(docs))))
    for d in docs:
        for i, b in enumerate(d.blocks):
            el = "title" if b.kind == "title" and i == 0 else _element_of(b.kind, b.level)
            add(el, b.text)
            if b.lead_length:
                add(f"heading{b.lead_level}", b.lead)
    return {cls: "".join(sorted(c for c in chars if not c.isspace())) for cls, chars in sets.items()}


def font_files(options) -> dict:
    """font class -> FontFile from speechpub.fonts.resolve (None when it is unavailable)."""
    try:
        from ... import fonts
    except ImportError:
        return {}
    found = fonts.resolve(options.style)
    if isinstance(found, dict):
        return {k: v for k, v in found.items() if v is not None}
    return {f.font_class: f for f in found if f is not None}


def subset_font(src: Path, index: int, text: str, out: Path, flavor: str | None) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    opts = subset.Options()
    opts.flavor = flavor
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(text=text)
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)     # not "BDF NOT subset; dropped" for every font
    try:
        with TTFont(str(src), fontNumber=index or 0, lazy=True) as font:
            sub.subset(font)
            font.flavor = flavor
            font.save(str(out))
    finally:
        log.setLevel(level)


def may_embed(path: Path, index: int) -> str:
    """'' when the font's licence bits (OS/2 fsType) allow embedding a subset, else why not."""
    from fontTools.ttLib import TTFont
    with TTFont(str(path), fontNumber=index or 0, lazy=True) as font:
        fs = font["OS/2"].fsType if "OS/2" in font else 0
    if fs & 0x000F == 0x0002:
        return "its licence forbids embedding (fsType restricted)"
    if fs & 0x0100:
        return "its licence forbids subsetting"
    return ""


def embed_fonts(docs, info, style: EbookStyle, options, tmp: Path, every: str = ""):
    """Subset the style's embed classes to the characters they set, and fallback fonts to
    the characters those lack and to text in traditional script; files go into tmp.

    Returns ({font class or fallbackN: file name}, warnings)."""
    from ... import fonts
    warnings = []
    files = font_files(options)
    fmt = style.data.get("embed", {}).get("format", "woff")
    flavor = fmt if fmt != "ttf" else None
    texts = chars_by_class(docs, info, style, every)
    rest = {c for d in docs if is_hant(language(d.meta)) for c in d.text() if not c.isspace()}
    embedded, added = {}, 0
    for cls in style.data.get("embed", {}).get("classes", []):
        if not texts.get(cls):
            continue
        ff = files.get(cls)
        if ff is None:
            warnings.append(Warning("epub-font-missing", f"no font file for {cls}; not embedded"))
            continue
        why = may_embed(Path(ff.path), ff.subfont_index)
        if why:
            warnings.append(Warning("epub-font-licence", f"{ff.family} ({cls}) not embedded: {why}"))
            continue
        embedded[cls] = f"{cls}.{fmt}"
        subset_font(Path(ff.path), ff.subfont_index, texts[cls], tmp / embedded[cls], flavor)
        added += (tmp / embedded[cls]).stat().st_size
        rest |= {c for c in texts[cls] if ord(c) not in fonts.covers(ff)}
    rest = {c for c in rest if c.isprintable() and not c.isspace() and ord(c) > 0x2000}
    for i, ff in enumerate(fonts.fallback_fonts() if rest else (), 1):
        mine = "".join(sorted(c for c in rest if ord(c) in fonts.covers(ff)))
        if not mine or may_embed(Path(ff.path), ff.subfont_index):
            continue
        embedded[f"fallback{i}"] = f"fallback{i}.{fmt}"
        subset_font(Path(ff.path), ff.subfont_index, mine, tmp / f"fallback{i}.{fmt}", flavor)
        added += (tmp / f"fallback{i}.{fmt}").stat().st_size
        rest -= set(mine)
    if rest:
        warnings.append(Warning("epub-font-coverage", f"{len(rest)} characters in no embedded font: "
                                                      + "".join(sorted(rest))[:40]))
    if embedded:
        warnings.append(Warning("epub-fonts-embedded",
                                f"embedded {', '.join(embedded)} subsets: {added / 1024:.0f} KB added",
                                "info"))
    return embedded, warnings
