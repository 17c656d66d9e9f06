"""EPUB 3 through pandoc: the model becomes pandoc's JSON AST, pandoc runs with --sandbox.

What pandoc 3.9's --sandbox allows (tested): files named by --epub-embed-font, --template and
--metadata-file are read (whatever they are); files named by --css and --epub-cover-image are
refused ("not found in resource path"), even as data: URIs; an image path inside the document
is not fetched (a warning, no file in the EPUB), while a data: URI image is decoded (no IO).
The AST we build holds no images. So pandoc writes its default stylesheet and `_finish`
swaps in ours (styles/ebook.css plus rules generated from styles/ebook.toml) and adds the
generated SVG cover as it copies the zip; font subsets go in through --epub-embed-font.

Visual check (apt-get install chromium): unzip a book and run
    chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$(mktemp -d) \
        --screenshot=out.png --window-size=800,1100 EPUB/text/ch001.xhtml
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import tempfile
import time
import tomllib
import uuid
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..errors import SpeechpubError
from ..model import Document, Warning
from ..outfile import atomic_path
from ..style import styles_dir
from . import pandoc_ast as ast

DEFAULT_EBOOK_STYLE = "ebook.toml"
_HANT_REGIONS = ("TW", "HK", "MO")
_ASCII = "".join(map(chr, range(0x21, 0x7F)))


# ---- the ebook style -------------------------------------------------------------------

@dataclass(frozen=True)
class EbookStyle:
    path: Path
    data: dict
    css: str            # ebook.css, as written

    def element(self, name: str) -> dict:
        return self.data.get("elements", {}).get(name, {})

    def stack(self, font_class: str) -> list[str]:
        return list(self.data.get("fonts", {}).get(font_class, ["serif"]))

    def book(self, key: str, default=None):
        return self.data.get("book", {}).get(key, default)


def load_ebook_style(path: str | Path | None = None) -> EbookStyle:
    p = Path(path) if path else styles_dir() / DEFAULT_EBOOK_STYLE
    return _load_style(str(p))


@lru_cache(maxsize=8)
def _load_style(path: str) -> EbookStyle:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        css = (p.parent / data.get("css", "ebook.css")).read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise SpeechpubError(p, f"ebook style file not found: {e.filename}") from None
    except tomllib.TOMLDecodeError as e:
        raise SpeechpubError(p, f"not a valid TOML style file: {e}") from None
    for name, el in data.get("elements", {}).items():
        if el.get("font") not in data.get("fonts", {}):
            raise SpeechpubError(p, f"style key elements.{name}.font names no class in [fonts]")
    return EbookStyle(p, data, css)


def _css_family(names: list[str]) -> str:
    generic = ("serif", "sans-serif", "monospace", "cursive", "fantasy")
    return ", ".join(n if n in generic else '"' + n.replace('"', "") + '"' for n in names)


# element -> the CSS selector of its text in pandoc's XHTML
_SELECTORS = {
    "title": "h1.title, .titlepage .title",
    "subtitle": "div.subtitle p, .titlepage .subtitle",
    "dateline": "div.dateline p, .titlepage .dateline",
    "speaker": "div.speaker p, .titlepage .speaker",
    "salutation": "div.salutation p",
    "paragraph": "div.paragraph p",
    "heading1": "h2.h1", "heading2": "h3.h2", "heading3": "h4.h3", "heading4": "h5.h4",
    "closing": "div.closing p",
    "note": "div.note p",
}


_HANT_LANGS = ("zh-Hant", "zh-TW", "zh-HK", "zh-MO")


def style_css(style: EbookStyle, embedded: dict[str, str] | None = None) -> str:
    """ebook.css, then @font-face rules and one rule per element from ebook.toml; text in
    traditional script takes the [fonts_hant] stacks.

    `embedded` maps a font class (or fallback1, fallback2 ...) to its embedded subset's file."""
    embedded = embedded or {}
    out = [style.css.rstrip(), "", "/* generated from " + style.path.name + " */"]
    for key, name in embedded.items():
        out.append(f'@font-face {{ font-family: "speechpub-{key}"; src: url("../fonts/{name}"); }}')
    fallbacks = [f"speechpub-{k}" for k in embedded if k.startswith("fallback")]
    fams, hant = {}, {}
    for cls in style.data.get("fonts", {}):
        own = [f"speechpub-{cls}"] if cls in embedded else []
        stack = style.stack(cls)
        fams[cls] = _css_family([*own, *stack[:-1], *fallbacks, stack[-1]])
        hstack = list(style.data.get("fonts_hant", {}).get(cls, stack))
        hant[cls] = _css_family([*hstack[:-1], *fallbacks, hstack[-1]])
    text = style.data.get("text", {})
    body = style.element("paragraph").get("font", "fangsong")
    out.append(f"body {{ font-family: {fams[body]}; line-height: {text.get('line_height', 1.8)}; }}")
    out.append(", ".join(f"body:lang({lang})" for lang in _HANT_LANGS) + f" {{ font-family: {hant[body]}; }}")
    out.append(f"p {{ margin: {text.get('paragraph_space_em', 0.3)}em 0; }}")
    for name, sel in _SELECTORS.items():
        el = style.element(name)
        if not el:
            continue
        weight = "bold" if el.get("bold") else "normal"
        out.append(f"{sel} {{ font-family: {fams[el['font']]}; font-size: {el.get('size_em', 1)}em; "
                   f"text-align: {el.get('align', 'justify')}; text-indent: {el.get('indent_chars', 0)}em; "
                   f"font-weight: {weight}; }}")
        if name.startswith("heading"):
            lead = f"span.lead{name[-1]}"
            out.append(f"{lead} {{ font-family: {fams[el['font']]}; font-weight: {weight}; }}")
            sel += ", " + lead
        out.append(", ".join(f":lang({lang}) {part.strip()}" for lang in _HANT_LANGS for part in sel.split(","))
                   + f" {{ font-family: {hant[el['font']]}; }}")
    return "\n".join(out) + "\n"


# ---- language --------------------------------------------------------------------------

def language(meta) -> str:
    """The BCP 47 tag of a speech: meta.language when it agrees with the script, else
    zh-Hans / zh-Hant with the region (zh-Hant-TW)."""
    hant = meta.script == "traditional"
    tag = (meta.language or "").strip()
    parts = tag.split("-")
    if parts[0].lower() == "zh" and len(parts) > 1:
        sub = parts[1]
        if sub.lower() in ("hans", "hant"):
            if (sub.lower() == "hant") == hant:
                return tag
        elif sub.upper() in _HANT_REGIONS and hant or sub.upper() in ("CN", "SG") and not hant:
            return tag
    region = (meta.region or "").upper()
    base = "zh-Hant" if hant else "zh-Hans"
    return f"{base}-{region}" if region else base


def book_language(docs: list[Document]) -> str:
    """The most common tag among the speeches (the first on a tie)."""
    tags = [language(d.meta) for d in docs]
    return max(tags, key=tags.count) if tags else "zh-Hans"


# ---- pandoc ----------------------------------------------------------------------------

def pandoc_path() -> str:
    import pypandoc
    try:
        return pypandoc.get_pandoc_path()
    except OSError as e:
        raise SpeechpubError("", f"pandoc not found: {e}; install pypandoc-binary") from None


@lru_cache(maxsize=1)
def check_pandoc() -> str:
    """The pandoc binary, after checking once that it reads our AST's API version."""
    exe = pandoc_path()
    run = subprocess.run([exe, "--sandbox", "-f", "markdown", "-t", "json"], input=b"",
                         capture_output=True, timeout=60)
    try:
        have = json.loads(run.stdout)["pandoc-api-version"]
    except (ValueError, KeyError):
        raise SpeechpubError("", f"{exe} did not answer as pandoc: {run.stderr.decode(errors='replace')[:200]}") from None
    if have[:2] != ast.API_VERSION[:2]:
        want = ".".join(map(str, ast.API_VERSION[:2]))
        raise SpeechpubError("", f"pandoc at {exe} speaks pandoc API {'.'.join(map(str, have))}, "
                                 f"speechpub builds API {want}; install a pypandoc-binary with pandoc 3.x")
    return exe


# the sandbox also keeps pandoc from its translation files: its own labels (the hidden
# landmarks) stay English; the contents title comes from ebook.toml
_SANDBOX_NOISE = re.compile(r"Could not load translations|has no translation defined")


def run_pandoc(doc_ast: dict, out: Path, args: list[str]) -> list[str]:
    """Write `out` with pandoc in its sandbox; returns pandoc's warnings."""
    exe = check_pandoc()
    cmd = [exe, "--sandbox", "-f", "json", "-t", "epub3", "--wrap=none", "-o", str(out), *args]
    run = subprocess.run(cmd, input=json.dumps(doc_ast, ensure_ascii=False).encode("utf-8"),
                         capture_output=True, timeout=600)
    if run.returncode != 0:
        raise SpeechpubError(out, f"pandoc failed ({run.returncode}): {run.stderr.decode(errors='replace')[:500]}")
    said: list[str] = []
    for line in run.stderr.decode(errors="replace").splitlines():
        if said and line[:1].isspace():          # a message's continuation line
            said[-1] += " " + line.strip()
        elif line.strip():
            said.append(line.strip())
    return [m for m in said if not _SANDBOX_NOISE.search(m)]


# ---- the book --------------------------------------------------------------------------

@dataclass(frozen=True)
class BookInfo:
    title: str
    editor: str = ""          # a collected volume's editor (dc:creator, role edt)
    speaker: str = ""         # a single speech's speaker line, as shown (with position)
    creator: str = ""         # the speaker's name (dc:creator, role aut)
    subtitle: str = ""
    date: str = ""            # ISO
    dateline: str = ""        # as shown on the title page
    subjects: tuple = ()
    single: bool = False


def write(doc: Document, path: Path, options) -> list[Warning]:
    """One speech as one EPUB 3."""
    from ..pipeline import fallback_title
    m = doc.meta
    dateline = next((b.text for b in doc.blocks if b.kind == "dateline"), _chinese_date(m.date))
    speaker = next((b.text for b in doc.blocks if b.kind == "speaker"), m.speaker)   # with position
    info = BookInfo(title=fallback_title(doc), speaker=speaker, subtitle=m.subtitle,
                    creator=m.speaker, date=m.date, dateline=dateline,
                    subjects=tuple(s for s in (m.occasion, m.kind) if s), single=True)
    return write_book([doc], path, options, info)


def write_book(docs: list[Document], path: Path, options, info: BookInfo) -> list[Warning]:
    """Speeches, in the order given, as one EPUB 3 (one pandoc call)."""
    from ..pipeline import fallback_title
    style = load_ebook_style(getattr(options, "ebook_style", None))
    lang = book_language(docs)
    say = translator(lang)
    warnings: list[Warning] = []
    blocks = [_title_page(info, style, say)]
    if not info.single:
        blocks.append(_colophon(docs, info, style, say))
    for i, d in enumerate(docs, 1):
        blocks.append(ast.chapter(d, f"s{i:03d}", fallback_title(d), language(d.meta)))
    doc_ast = ast.document(_metadata(docs, info, lang, style, say), blocks)
    depth = style.book("toc_depth_single" if info.single else "toc_depth_book", 2)
    args = ["--toc", f"--toc-depth={depth}", "--split-level=1", "--epub-title-page=false"]
    with tempfile.TemporaryDirectory(prefix="speechpub-epub-") as tmp:
        embedded, files = {}, None
        if getattr(options, "embed_fonts", False):
            files = _font_files(options)
            every = "".join(ast.strings(doc_ast)) + _ASCII   # ASCII: pandoc's own labels
            embedded, font_warnings = embed_fonts(docs, info, style, options, Path(tmp), every)
            warnings += font_warnings
            args += [f"--epub-embed-font={Path(tmp) / name}" for name in embedded.values()]
        raw = Path(tmp) / "pandoc.epub"
        warnings += [Warning("pandoc", line) for line in run_pandoc(doc_ast, raw, args)]
        with atomic_path(Path(path)) as out:
            _finish(raw, out, style_css(style, embedded), cover_svg(info, style, say, files),
                    cover_page(info.title, lang, say), front=len(blocks) - len(docs),
                    keep_vs15=any(VS15 in d.text() for d in docs))
    return warnings


def is_hant(lang: str) -> bool:
    parts = lang.split("-")
    return "Hant" in parts or parts[-1].upper() in _HANT_REGIONS


def translator(lang: str):
    """Converts the style's simplified texts for a book in traditional script."""
    if not is_hant(lang):
        return lambda s: s
    import opencc
    conv = opencc.OpenCC("s2twp")
    return conv.convert


def _identifier(docs: list[Document], info: BookInfo) -> str:
    """A stable urn:uuid: the same speeches and title give the same identifier."""
    key = info.title + "\n" + "\n".join(d.text() for d in docs)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "speechpub:" + key))


def _iso_date(s: str) -> str:
    return s if re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", s or "") else ""


def _chinese_date(iso: str) -> str:
    """2020-03-06 -> 2020年3月6日 (other text as it is)."""
    if not _iso_date(iso):
        return iso
    parts = [int(x) for x in iso.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


def _metadata(docs, info: BookInfo, lang: str, style: EbookStyle, say) -> dict:
    meta = {
        "title": ast.meta_inlines(info.title),
        "lang": ast.meta_str(lang),
        "identifier": ast.meta_str(_identifier(docs, info)),
        "toc-title": ast.meta_inlines(say(style.book("toc_title", "目录"))),
        "pagetitle": ast.meta_inlines(info.title),
    }
    creators = []
    if info.creator:
        creators.append(ast.meta_map({"role": ast.meta_str("aut"), "text": ast.meta_inlines(info.creator)}))
    if info.editor:
        creators.append(ast.meta_map({"role": ast.meta_str("edt"), "text": ast.meta_inlines(info.editor)}))
    if creators:
        meta["creator"] = ast.meta_list(creators)
    if info.subtitle:
        meta["subtitle"] = ast.meta_inlines(info.subtitle)
    date = _iso_date(info.date)
    if date:
        meta["date"] = ast.meta_str(date)
    if info.subjects:
        meta["subject"] = ast.meta_list([ast.meta_inlines(s) for s in info.subjects])
    return meta


def _line(text: str, cls: str) -> dict:
    return ast.div([ast.para(ast.str_(text))], [cls])


def _title_page(info: BookInfo, style: EbookStyle, say) -> dict:
    """The title page: title, subtitle, speaker or editor, date line; not in the contents."""
    lines = [ast.header(1, ast.str_(info.title), "titlepage", ["title", "unlisted", "unnumbered"],
                        [("epub:type", "titlepage")])]
    if info.subtitle:
        lines.append(_line(info.subtitle, "subtitle"))
    if info.speaker:
        lines.append(_line(info.speaker, "speaker"))
    if info.editor:
        lines.append(_line(editor_line(info, style, say), "editor"))
    if info.dateline:
        lines.append(_line(info.dateline, "dateline"))
    return ast.div(lines, ["section", "titlepage"])


def editor_line(info: BookInfo, style: EbookStyle, say) -> str:
    return say(style.book("editor_line", "{editor}")).format(editor=info.editor)


def year_span(docs) -> str:
    years = sorted(d.meta.date[:4] for d in docs if _iso_date(d.meta.date))
    if not years:
        return ""
    return years[0] + "年" if years[0] == years[-1] else f"{years[0]}—{years[-1]}年"


def colophon_lines(docs, info: BookInfo, style: EbookStyle, say) -> list[str]:
    """The copyright page: its title, then the style's lines filled in (a line about the
    editor only when there is one)."""
    values = {"title": info.title, "editor": info.editor, "count": len(docs),
              "span": year_span(docs), "version": __version__}
    lines = [say(style.book("colophon_title", "版权信息"))]
    for tmpl in style.book("colophon", []):
        if "{editor}" not in tmpl or info.editor:
            lines.append(say(tmpl).format(**values).rstrip("，, "))
    return lines


def _colophon(docs, info: BookInfo, style: EbookStyle, say) -> dict:
    title, *lines = colophon_lines(docs, info, style, say)
    head = ast.header(1, ast.str_(title), "colophon", ["unlisted", "unnumbered"], [("epub:type", "copyright-page")])
    return ast.div([head, *(_line(text, "colophon-line") for text in lines)], ["section", "colophon"])


# ---- after pandoc ----------------------------------------------------------------------

VS15 = "\ufe0e"
_ADDED_VS15 = re.compile("(?<=[\u2194\u21a9])\ufe0e")


def _finish(raw: Path, out: Path, css: str, cover: str, cover_page: str, front: int,
            keep_vs15: bool = False) -> None:
    """Copy pandoc's EPUB with our stylesheet in place of its default, and a cover (image and
    page). pandoc's HTML writer appends U+FE0E (text presentation) to ↔ and ↩; unless the
    speech has that selector itself, it is taken out again so the text stays the speech's."""
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith(".xhtml") and not keep_vs15 and VS15.encode() in data:
                data = _ADDED_VS15.sub("", data.decode("utf-8")).encode("utf-8")
            if item.filename == "EPUB/styles/stylesheet1.css":
                data = css.encode("utf-8")
            elif item.filename == "EPUB/content.opf":
                data = _fix_opf(data.decode("utf-8"), front).encode("utf-8")
            method = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(_entry(item.filename), data, compress_type=method)
            if item.filename == "EPUB/content.opf":
                for name, text in (("EPUB/media/cover.svg", cover), ("EPUB/text/cover.xhtml", cover_page)):
                    zout.writestr(_entry(name), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)


def cover_page(title: str, lang: str, say) -> str:
    """The first page of the spine: the cover image, full height."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head>
  <meta charset="utf-8" />
  <title>{_esc(say("封面"))}</title>
  <style>html, body {{ margin: 0; padding: 0; height: 100%; text-align: center; }}
  img {{ display: block; margin: 0 auto; height: 100%; max-width: 100%; object-fit: contain; }}</style>
</head>
<body epub:type="cover">
<img src="../media/cover.svg" alt="{_esc(title)}" />
</body>
</html>
"""


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info


def _fix_opf(opf: str, front: int) -> str:
    """Add the cover image; put the contents after the `front` front-matter pages (pandoc puts
    it first); date dcterms:modified (the sandbox's clock says 1970)."""
    items = ('<item id="cover-image" href="media/cover.svg" media-type="image/svg+xml" properties="cover-image" />\n'
             '    <item id="cover_xhtml" href="text/cover.xhtml" media-type="application/xhtml+xml" />')
    opf = opf.replace("</manifest>", f"  {items}\n  </manifest>", 1)
    opf = re.sub(r"(<spine[^>]*>\n)", r'\g<1>    <itemref idref="cover_xhtml" />\n', opf, count=1)
    opf = opf.replace("</metadata>", '  <meta name="cover" content="cover-image" />\n  </metadata>', 1)
    nav = '<itemref idref="nav" />'
    if nav in opf and front:
        opf = opf.replace(f"    {nav}\n", "", 1)
        last = f'<itemref idref="ch{front:03d}_xhtml" />'
        opf = opf.replace(last, f"{last}\n    {nav}", 1)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    return re.sub(r'(<meta property="dcterms:modified">)[^<]*', rf"\g<1>{stamp}", opf, count=1)


# ---- fonts -----------------------------------------------------------------------------

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


def _font_files(options) -> dict:
    """font class -> FontFile from speechpub.fonts.resolve (None when it is unavailable)."""
    try:
        from .. import fonts
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


def _may_embed(path: Path, index: int) -> str:
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
    from .. import fonts
    warnings = []
    files = _font_files(options)
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
        why = _may_embed(Path(ff.path), ff.subfont_index)
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
        if not mine or _may_embed(Path(ff.path), ff.subfont_index):
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


# ---- the cover -------------------------------------------------------------------------

_BREAK_BEFORE = "在关于对——（("
_BREAK_AFTER = "的上，、：:"


def title_lines(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, of near-equal length, broken where a phrase
    ends (after 的/上/，, before 在/关于) when one is near the middle."""
    if len(text) <= width:
        return [text]
    n = -(-len(text) // width)
    target = len(text) / n
    best, best_score = None, None
    for i in range(max(1, len(text) - (n - 1) * width), min(width, len(text) - 1) + 1):
        score = abs(i - target) - 2.5 * (text[i] in _BREAK_BEFORE or text[i - 1] in _BREAK_AFTER)
        if best_score is None or score < best_score:
            best, best_score = i, score
    return [text[:best], *title_lines(text[best:], width)]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cover_svg(info: BookInfo, style: EbookStyle, say=str, files: dict | None = None) -> str:
    """A generated cover: the title on a red field, speaker or editor and date below.

    With `files` (font class -> FontFile, when fonts are embedded) the lines are drawn as glyph
    outlines, so the cover needs no font on the reader; else as text in the style's stacks."""
    c = style.data.get("cover", {})
    bg, band, ink, gold = (c.get(k, d) for k, d in (("paper", "#f4efe4"), ("band", "#9b1c1c"),
                                                   ("ink", "#2b2b2b"), ("title_ink", "#f6e7b4")))
    title_cls = style.element("title").get("font", "song-heavy")
    lines = title_lines(info.title, int(c.get("title_chars_per_line", 10)))
    size = c.get("title_size", 48) * (1 if len(lines) <= 3 else 5 / 6)
    top = 300 - (len(lines) - 1) * size * 0.65
    rows = [(line, title_cls, size, gold, top + i * size * 1.3) for i, line in enumerate(lines)]
    y = 610
    for text in (info.speaker, info.editor and editor_line(info, style, say), info.dateline):
        if text:
            rows.append((text, "kai", c.get("line_size", 28), ink, y))
            y += 50
    paths = _outlines(rows, files or {})
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="800" viewBox="0 0 600 800">',
           f'<rect width="600" height="800" fill="{bg}"/>',
           f'<rect x="0" y="90" width="600" height="430" fill="{band}"/>',
           f'<rect x="30" y="110" width="540" height="390" fill="none" stroke="{gold}" stroke-width="2"/>']
    for (text, cls, size, fill, y), drawn in zip(rows, paths):
        if drawn:
            out.append(f'<g role="img" aria-label="{_esc(text)}" fill="{fill}">{drawn}</g>')
        else:
            family = _css_family(style.stack(cls)).replace('"', "'")
            out.append(f'<text x="300" y="{y:.0f}" font-family="{family}" font-size="{size}" fill="{fill}" '
                       f'text-anchor="middle">{_esc(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _outlines(rows, files: dict) -> list[str]:
    """SVG paths of each (text, class, size, fill, baseline) row, centred on x=300; '' for a
    row whose font is missing or lacks one of its characters."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont
    out = [""] * len(rows)
    for cls in {r[1] for r in rows}:
        ff = files.get(cls)
        if ff is None or _may_embed(Path(ff.path), ff.subfont_index):
            continue
        with TTFont(str(ff.path), fontNumber=ff.subfont_index or 0, lazy=True) as font:
            cmap, glyphs, upem = font.getBestCmap(), font.getGlyphSet(), font["head"].unitsPerEm
            for k, (text, rcls, size, _, y) in enumerate(rows):
                if rcls != cls or any(ord(ch) not in cmap for ch in text):
                    continue
                scale = size / upem
                x = 300 - sum(glyphs[cmap[ord(ch)]].width for ch in text) * scale / 2
                parts = []
                for ch in text:
                    g = glyphs[cmap[ord(ch)]]
                    pen = SVGPathPen(glyphs)
                    g.draw(pen)
                    if pen.getCommands():
                        parts.append(f'<path transform="translate({x:.1f} {y:.1f}) scale({scale:.5f} {-scale:.5f})" '
                                     f'd="{pen.getCommands()}"/>')
                    x += g.width * scale
                out[k] = "".join(parts)
    return out
