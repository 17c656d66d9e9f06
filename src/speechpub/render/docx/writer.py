"""DOCX in official speech-manuscript style (GB/T 9704), laid out from the Style.

Every paragraph carries one style named after its element (Title, Dateline, Salutation,
Normal for body text, heading 1-4 with outline levels); the styles hold fonts, sizes,
indents and the 22 x 28 grid, all from styles/*.toml. A run-in heading's heading part gets
its heading font as direct formatting. The page setup, footers (— N —, odd right / even
left) and styles come from a template built once per style and language (parts, beside this module).
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import re
import unicodedata
from pathlib import Path

from docx import Document as open_docx
from lxml import etree

from ...errors import SpeechpubError
from ...model import Block, Document, Warning
from ...outfile import atomic_path
from ...typeset import linebreak, words
from ...units import mm_to_pt, pt_to_twips
from . import parts as X

# [docx] keys of a style file and their values when the table or a key is absent: numbers, and
# one switch (overflow_punct, the w:overflowPunct written in every paragraph style; see the style file).
DEFAULTS = {"header_mm": 15.0, "title_slack_chars": 0.5, "line_slack_pt": 2.0, "overflow_punct": True}
CORE_MAX = 255

_SPACE = re.compile(r"\s")
_TEMPLATES: dict = {}   # (id(style), language) -> (style, bytes)


def docx_options(style) -> dict:
    """The style's [docx] table over the defaults; a bad value is an error naming the key."""
    opts = dict(DEFAULTS)
    for key, value in style.section("docx").items():
        if key not in DEFAULTS:
            raise SpeechpubError(style.path, f"style key docx.{key} is unknown "
                                             f"(known: {', '.join(sorted(DEFAULTS))})")
        if isinstance(DEFAULTS[key], bool):
            if not isinstance(value, bool):
                raise SpeechpubError(style.path, f"style key docx.{key} must be true or false, "
                                                 f"not {value!r}")
            opts[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise SpeechpubError(style.path, f"style key docx.{key} must be a number of 0 or more, "
                                             f"not {value!r}")
        opts[key] = float(value)
    return opts


def template_bytes(style, language: str) -> bytes:
    """The cleaned template for a style and language, built once per process."""
    key = (id(style), language)
    hit = _TEMPLATES.get(key)
    if hit is None or hit[0] is not style:
        hit = (style, X.build_template(style, language, docx_options(style)))
        _TEMPLATES[key] = hit
    return hit[1]


_OPENED: dict = {}      # (id(style), language) -> (template bytes, the template opened)


def opened_template(style, language: str):
    """The template as a python-docx Document of its own: opened (every part parsed) once per
    style and language, then copied for each document, in a third of the time of opening it."""
    data = template_bytes(style, language)
    key = (id(style), language)
    hit = _OPENED.get(key)
    if hit is None or hit[0] is not data:
        hit = _OPENED[key] = (data, open_docx(io.BytesIO(data)))
    return copy.deepcopy(hit[1])


def write(doc: Document, path: Path, options) -> list[Warning]:
    style = options.style
    language = doc.meta.language or "zh-CN"
    out = opened_template(style, language)
    body = out.element.body
    sect = body.find(X.w("sectPr"))
    date_form = style.elements["dateline"].options.get("date_form", "keep")
    opts = docx_options(style)

    dropped = 0
    title_end = X.title_block_end(doc.blocks)
    title_after = style.elements["title"].space_after_lines
    for i, block in enumerate(doc.blocks):
        text, n = X.strip_forbidden(block.text)
        dropped += n
        lead_len = block.lead_length
        if n and lead_len:
            lead_len = len(X.strip_forbidden(block.text[:lead_len])[0])
        if block.kind == "dateline" and date_form != "keep":
            text = convert_dates(text, date_form)
        p = _paragraph(block, text, lead_len, style, opts)
        if i == title_end and title_after:
            X.spacing_after(p.find(X.w("pPr")), title_after, style.line_pitch_twips)
        sect.addprevious(p)

    if not doc.blocks:      # Word wants at least one paragraph in a body
        sect.addprevious(etree.Element(X.w("p")))

    cp = out.core_properties
    meta = doc.meta
    title = meta.title or next((b.text for b in doc.blocks if b.kind == "title"), "")
    # core properties hold at most 255 characters (python-docx refuses more): a longer value is
    # cut there; the document's text keeps it whole
    cp.title = X.strip_forbidden(title)[0][:CORE_MAX]
    cp.author = X.strip_forbidden(meta.speaker)[0][:CORE_MAX]
    cp.subject = X.strip_forbidden(meta.occasion)[0][:CORE_MAX]
    cp.language = language
    when = _parse_date(meta.date)
    if when is not None:
        cp.created = when
        cp.modified = when
    else:
        for tag in ("created", "modified"):
            el = cp._element.find(f"{{http://purl.org/dc/terms/}}{tag}")  # noqa: SLF001
            if el is not None:
                cp._element.remove(el)  # noqa: SLF001

    with atomic_path(path) as tmp:
        out.save(str(tmp))

    warnings = []
    if dropped:
        warnings.append(Warning(
            "docx-control-characters",
            f"{dropped} control character(s) that XML cannot carry were left out of the DOCX"))
    return warnings


def _level(n) -> int:
    """Heading levels outside 1-4 take the nearest of them."""
    return min(max(int(n or 1), 1), 4)


def element_name(block: Block) -> str:
    return f"heading{_level(block.level)}" if block.kind == "heading" else block.kind


def _paragraph(block: Block, text: str, lead_len, style, opts):
    name = element_name(block)
    p = etree.Element(X.w("p"))
    ppr = X.sub(p, "pPr")
    sid = X.STYLE_IDS[name][0]
    if sid != "Normal":
        X.sub(ppr, "pStyle", val=sid)
    if block.kind in ("title", "subtitle"):
        el = style.elements[block.kind]
        # a subtitle is part of the title: it balances like the title unless told otherwise
        balance = el.options.get("balance_lines", style.elements["title"].options.get("balance_lines", False))
        if balance:
            advance = el.size_pt + X.char_spacing_twips(style, el.size_pt, opts["line_slack_pt"]) / 20
            inset = title_inset_twips(text, style, advance, opts["title_slack_chars"])
            if inset:
                X.sub(ppr, "ind", left=inset, right=inset)
    if block.kind == "paragraph" and block.lead_level and lead_len:
        lead_el = style.elements[f"heading{_level(block.lead_level)}"]
        body_el = style.elements["paragraph"]
        rpr = etree.Element(X.w("rPr"))
        X.run_props(rpr, style, lead_el.font, lead_el.size_pt, lead_el.bold,
                    base_size=body_el.size_pt, slack_pt=opts["line_slack_pt"])
        _run(p, text[:lead_len], rpr)
        if text[lead_len:]:
            _run(p, text[lead_len:])
    elif text:
        _run(p, text)
    return p


def _run(p, text: str, rpr=None):
    r = X.sub(p, "r")
    if rpr is not None:
        r.append(rpr)
    t = X.sub(r, "t")
    if _SPACE.search(text):                # keep every space as it is
        t.set(X.XML_SPACE, "preserve")
    t.text = text
    return r


# -- title balancing ---------------------------------------------------------------------

# Estimates of how a word processor sets mixed text (not style numbers): a half-width
# digit or letter is a little over half an em in most CJK fonts, and Word and LibreOffice
# add about a quarter em between Chinese and Western characters (w:autoSpaceDE/DN).
NARROW_EM = 0.55
AUTOSPACE_EM = 0.25


def char_ems(text: str) -> list[float]:
    """Estimated width of each character in ems: wide and ambiguous (CJK punctuation) 1, others
    NARROW_EM, plus AUTOSPACE_EM on a character that changes between the two."""
    out, prev = [], None
    for c in text:
        wide = unicodedata.east_asian_width(c) in "WFA"
        w = 1.0 if wide else NARROW_EM
        if prev is not None and wide != prev and not c.isspace():
            w += AUTOSPACE_EM
        out.append(w)
        prev = wide
    return out


def title_inset_twips(text: str, style, size_pt: float, slack_chars: float) -> int:
    """Left and right indent that makes a long title wrap into balanced lines, the upper
    line at least as long as the next (no break characters, so the text stays intact), and if
    it can, every line ending between two words (GB/T 9704 7.3.1). size_pt is the advance of
    one full-width character."""
    block_pt = mm_to_pt(style.block_width_mm)
    ems = char_ems(text)
    width = sum(ems)
    per_line = block_pt / size_pt
    if width <= per_line:
        return 0
    lines = math.ceil(width / per_line)
    measure = _word_measure(text, ems, per_line, lines, slack_chars) if lines <= linebreak.WORD_BREAK_LINES else None
    target = measure if measure is not None else math.ceil(width / lines) + slack_chars
    avail = min(block_pt, target * size_pt)
    return max(0, pt_to_twips((block_pt - avail) / 2))


def _word_measure(text: str, ems: list[float], per_line: float, lines: int, slack: float) -> float | None:
    """The measure (in ems) at which a word processor's greedy wrap sets the text in `lines`
    lines that all end between words, the most balanced such; None if there is none."""
    cuts = words.boundaries(text)
    ends = [e for _, e in linebreak.groups(text)]      # where a line may end at all
    pre = [0.0]
    for w in ems:
        pre.append(pre[-1] + w)
    best = None
    for cut in sorted(e for e in ends if e in cuts):
        if pre[cut] > per_line:
            break
        measure = min(pre[cut] + slack, per_line)
        breaks, start = [], 0
        for a, b in zip(ends, ends[1:]):               # greedy, group by group
            if pre[b] - pre[start] > measure:
                breaks.append(a)
                start = a
        widths = [pre[b] - pre[a] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        if len(widths) == lines and max(widths) <= measure and all(b in cuts for b in breaks):
            spread = max(widths) - min(widths)
            if best is None or spread < best[0]:
                best = (spread, measure)
    return best[1] if best else None


# -- dates -------------------------------------------------------------------------------

_CN_DIGIT = "〇一二三四五六七八九"
_CN_VALUE = {c: i for i, c in enumerate(_CN_DIGIT)} | {"○": 0, "零": 0, "O": 0, "０": 0}
_CN_DATE = re.compile(r"([〇○零O０一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                      r"(?:([一二三四五六七八九十]{1,3})日)?")
_AR_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")


def _cn_small(s: str) -> int:
    """'十' 10, '十二' 12, '二十一' 21, '三' 3."""
    if "十" not in s:
        return _CN_VALUE[s]
    tens, _, ones = s.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def _cn_of(n: int) -> str:
    if n < 10:
        return _CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")


def convert_dates(text: str, form: str) -> str:
    """Dates in a date line as Arabic (2011年11月21日) or Chinese numerals (二〇一一年十一月二十一日)."""
    if form == "arabic":
        def ar(m):
            y = "".join(str(_CN_VALUE[c]) for c in m.group(1))
            s = f"{y}年{_cn_small(m.group(2))}月"
            return s + (f"{_cn_small(m.group(3))}日" if m.group(3) else "")
        return _CN_DATE.sub(ar, text)
    if form == "chinese":
        def cn(m):
            y = "".join(_CN_DIGIT[int(c)] for c in m.group(1))
            s = f"{y}年{_cn_of(int(m.group(2)))}月"
            return s + (f"{_cn_of(int(m.group(3)))}日" if m.group(3) else "")
        text = _AR_DATE.sub(cn, text)
        # a Chinese-numeral date written with ○ or O takes the proper 〇 (U+3007)
        return _CN_DATE.sub(lambda m: m.group(0).translate(str.maketrans("○O０零", "〇〇〇〇")), text)
    return text


def _parse_date(iso: str):
    try:
        d = _dt.date.fromisoformat(iso.strip()) if iso else None
    except ValueError:
        return None
    return _dt.datetime(d.year, d.month, d.day) if d else None


def warm_up(options) -> None:
    """Read the word list titles are broken by (see render.pdf.writer.warm_up)."""
    words.load()
