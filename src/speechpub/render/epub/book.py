"""What a book says about itself: BookInfo, the language and script of its speeches, and the
texts of its title and copyright pages from ebook.toml's [book] table (the PDF and DOCX books
use these texts too)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ... import __version__
from ...model import Document
from .style import EbookStyle

_HANT_REGIONS = ("TW", "HK", "MO")


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


def is_hant(lang: str) -> bool:
    parts = lang.split("-")
    return "Hant" in parts or parts[-1].upper() in _HANT_REGIONS


def translator(lang: str):
    """Converts the style's simplified texts for a book in traditional script."""
    if not is_hant(lang):
        return lambda s: s
    from ...hanzi import converter
    return converter("s2twp").convert


# ---- dates, title page and copyright page texts ----------------------------------------

def iso_date(s: str) -> str:
    """s if it is an ISO date (2020, 2020-03 or 2020-03-06), else ""."""
    return s if re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", s or "") else ""


def chinese_date(iso: str) -> str:
    """2020-03-06 -> 2020年3月6日 (other text as it is)."""
    if not iso_date(iso):
        return iso
    parts = [int(x) for x in iso.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


def editor_line(info: BookInfo, style: EbookStyle, say) -> str:
    return say(style.book("editor_line", "{editor}")).format(editor=info.editor)


def year_span(docs) -> str:
    years = sorted(d.meta.date[:4] for d in docs if iso_date(d.meta.date))
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
