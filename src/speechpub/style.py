"""Style files (styles/*.toml) loaded into a typed, validated Style.

Renderers read every layout number from here; a bad file gives one error naming the key.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import SpeechpubError
from .model import Block
from .paths import checkout_root
from .units import mm_to_pt

FONT_CLASSES = ("fangsong", "song-heavy", "hei", "kai", "song")
ALIGNS = ("left", "center", "right", "justify")
ELEMENTS = (
    "title", "subtitle", "dateline", "speaker", "salutation", "paragraph",
    "heading1", "heading2", "heading3", "heading4", "closing", "note",
)
DATE_FORMS = ("keep", "chinese", "arabic")


def styles_dir() -> Path:
    """The bundled styles (SPEECHPUB_STYLES overrides them): the checkout's styles/ folder, or
    installed, the package speechpub.styles that pyproject.toml builds from that folder."""
    env = os.environ.get("SPEECHPUB_STYLES")
    if env:
        return Path(env)
    root = checkout_root()
    if root is not None:
        return root / "styles"
    return Path(str(resources.files("speechpub.styles").joinpath(DEFAULT_STYLE))).parent


DEFAULT_STYLE = "gbt9704.toml"


@dataclass(frozen=True)
class Element:
    font: str
    size_pt: float
    align: str
    indent_chars: float
    bold: bool = False
    space_before_lines: float = 0
    space_after_lines: float = 0
    options: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PageNumber:
    font: str
    size_pt: float
    format: str
    below_block_mm: float
    odd: str
    even: str
    inset_chars: float
    first_page: bool


@dataclass(frozen=True)
class Style:
    name: str
    path: str
    page_width_mm: float
    page_height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    lines_per_page: int
    chars_per_line: int
    line_pitch_twips: int
    font_names: dict        # class -> tuple of names, genuine first
    font_folder: str
    elements: dict          # element name -> Element
    page_number: PageNumber
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def block_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def block_height_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def char_pitch_pt(self) -> float:
        """Advance of one grid character: the block width over chars_per_line."""
        return mm_to_pt(self.block_width_mm) / self.chars_per_line

    @property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / 20.0

    def element(self, block: Block) -> Element:
        """The element style of a block (headings by level)."""
        if block.kind == "heading":
            return self.elements[f"heading{block.level}"]
        return self.elements[block.kind]

    def lead_element(self, block: Block) -> Element | None:
        """The heading style of a paragraph's run-in heading, if it has one."""
        return self.elements[f"heading{block.lead_level}"] if block.lead_level else None

    def section(self, name: str) -> dict:
        """A renderer's own table ([docx], [pdf], ...), empty when absent."""
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}


def load_style(path: str | os.PathLike | None = None) -> Style:
    """Load and validate a style file; None means the bundled official style."""
    p = Path(path) if path else styles_dir() / DEFAULT_STYLE
    return _load_cached(str(p.resolve()) if p.exists() else str(p))


@lru_cache(maxsize=16)
def _load_cached(path: str) -> Style:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpeechpubError(p, "style file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SpeechpubError(p, f"cannot read style file: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise SpeechpubError(p, f"not a valid TOML style file: {e}") from None
    return _build(data, p)


class _Reader:
    """Typed access to nested keys; every error names the dotted key."""

    def __init__(self, data: dict, path: Path):
        self.data, self.path = data, path

    def get(self, key: str, kind, default=...):
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is not ...:
                    return default
                raise SpeechpubError(self.path, f"style key {key} is missing")
            node = node[part]
        if kind is float:
            ok = isinstance(node, (int, float)) and not isinstance(node, bool)
        elif kind is int:
            ok = isinstance(node, int) and not isinstance(node, bool)
        else:
            ok = isinstance(node, kind)
        if not ok:
            want = {float: "a number", int: "an integer", str: "a string", bool: "true or false",
                    list: "a list", dict: "a table"}[kind]
            raise SpeechpubError(self.path, f"style key {key} must be {want}, not {node!r}")
        return float(node) if kind is float else node

    def positive(self, key: str, kind=float, default=...):
        v = self.get(key, kind, default)
        if v <= 0:
            raise SpeechpubError(self.path, f"style key {key} must be greater than 0, not {v}")
        return v

    def choice(self, key: str, choices, default=...):
        v = self.get(key, str, default)
        if v not in choices:
            raise SpeechpubError(self.path, f"style key {key} must be one of {', '.join(choices)}, not {v!r}")
        return v


def _build(data: dict, path: Path) -> Style:
    r = _Reader(data, path)
    font_names = {}
    for cls in FONT_CLASSES:
        names = r.get(f"fonts.{cls}.names", list)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise SpeechpubError(path, f"style key fonts.{cls}.names must be a non-empty list of font names")
        font_names[cls] = tuple(names)
    elements = {}
    for name in ELEMENTS:
        k = f"elements.{name}"
        table = r.get(k, dict)
        elements[name] = Element(
            font=r.choice(f"{k}.font", FONT_CLASSES),
            size_pt=r.positive(f"{k}.size_pt"),
            align=r.choice(f"{k}.align", ALIGNS),
            indent_chars=r.get(f"{k}.indent_chars", float, 0.0),
            bold=r.get(f"{k}.bold", bool, False),
            space_before_lines=r.get(f"{k}.space_before_lines", float, 0.0),
            space_after_lines=r.get(f"{k}.space_after_lines", float, 0.0),
            options=dict(table),
        )
    r.choice("elements.dateline.date_form", DATE_FORMS, "keep")
    pn = "page_number"
    page_number = PageNumber(
        font=r.choice(f"{pn}.font", FONT_CLASSES),
        size_pt=r.positive(f"{pn}.size_pt"),
        format=r.get(f"{pn}.format", str),
        below_block_mm=r.get(f"{pn}.below_block_mm", float),
        odd=r.choice(f"{pn}.odd", ("left", "center", "right")),
        even=r.choice(f"{pn}.even", ("left", "center", "right")),
        inset_chars=r.get(f"{pn}.inset_chars", float, 0.0),
        first_page=r.get(f"{pn}.first_page", bool, True),
    )
    if "{n}" not in page_number.format:
        raise SpeechpubError(path, "style key page_number.format must contain {n}")
    style = Style(
        name=r.get("name", str, path.stem),
        path=str(path),
        page_width_mm=r.positive("page.width_mm"),
        page_height_mm=r.positive("page.height_mm"),
        margin_top_mm=r.get("page.margin_top_mm", float),
        margin_bottom_mm=r.get("page.margin_bottom_mm", float),
        margin_left_mm=r.get("page.margin_left_mm", float),
        margin_right_mm=r.get("page.margin_right_mm", float),
        lines_per_page=r.positive("grid.lines_per_page", int),
        chars_per_line=r.positive("grid.chars_per_line", int),
        line_pitch_twips=r.positive("grid.line_pitch_twips", int),
        font_names=font_names,
        font_folder=r.get("fonts.folder", str, ""),
        elements=elements,
        page_number=page_number,
        raw=data,
    )
    if style.block_width_mm <= 0 or style.block_height_mm <= 0:
        raise SpeechpubError(path, "style keys page.margin_*_mm leave no room for the text block")
    return style
