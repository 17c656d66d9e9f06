"""The ebook style: styles/ebook.toml, the ebook.css it names, and the stylesheet generated
from the two."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...errors import SpeechpubError
from ...style import styles_dir

DEFAULT_EBOOK_STYLE = "ebook.toml"


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


def css_family(names: list[str]) -> str:
    """A CSS font-family value: the names quoted, generic families as they are."""
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
        fams[cls] = css_family([*own, *stack[:-1], *fallbacks, stack[-1]])
        hstack = list(style.data.get("fonts_hant", {}).get(cls, stack))
        hant[cls] = css_family([*hstack[:-1], *fallbacks, hstack[-1]])
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
