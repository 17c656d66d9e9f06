"""Renderers: one module per format, all with the same signature.

    write(doc: Document, path: Path, options: RenderOptions) -> list[Warning]

A renderer writes `path` atomically (see speechpub.outfile) and returns warnings about the
output (for example characters no font covers). Formats are looked up by name here, the only
place that knows them; modules load lazily so `speechpub clean` never imports ReportLab.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpeechpubError
from ..style import Style, load_style

# name -> (module, file suffix), in the order `convert` writes them
FORMATS = {
    "txt": ("speechpub.render.text", ".txt"),
    "json": ("speechpub.render.model_json", ".json"),
    "docx": ("speechpub.render.docx", ".docx"),
    "pdf": ("speechpub.render.pdf", ".pdf"),
    "epub": ("speechpub.render.epub", ".epub"),
    "ofd": ("speechpub.render.ofd", ".ofd"),
}
# written only when asked for by name (or "all"): OFD subsets its fonts per document, a second
# a document, which would more than double the time of a default run
NOT_BY_DEFAULT = frozenset({"ofd"})


@dataclass(frozen=True)
class RenderOptions:
    style: Style = field(default_factory=load_style)   # the official style (DOCX, PDF)
    ebook_style: str | None = None                     # styles/ebook.toml when None
    embed_fonts: bool = False                          # EPUB: subset and embed fonts
    extra: dict = field(default_factory=dict)


def available() -> list[str]:
    """Formats whose renderer is installed, in writing order."""
    return [name for name, (mod, _) in FORMATS.items() if importlib.util.find_spec(mod)]


def suffix(fmt: str) -> str:
    return FORMATS[fmt][1]


def parse_formats(spec: str | None) -> list[str]:
    """'docx,pdf' -> ['docx', 'pdf']; 'all' -> every available format; None -> every
    available format but those NOT_BY_DEFAULT."""
    if not spec:
        return [f for f in available() if f not in NOT_BY_DEFAULT]
    if spec.strip() == "all":
        return available()
    names = [s.strip().lower() for s in spec.split(",") if s.strip()]
    have = available()
    for n in names:
        if n not in FORMATS:
            raise SpeechpubError("", f"unknown format {n!r} (known: {', '.join(FORMATS)})")
        if n not in have:
            raise SpeechpubError("", f"format {n!r} is not available in this installation")
    return list(dict.fromkeys(names))


def writer(fmt: str):
    """The write function of a format."""
    return importlib.import_module(FORMATS[fmt][0]).write


def render(doc, fmt: str, path: Path, options: RenderOptions | None = None) -> list:
    return list(writer(fmt)(doc, Path(path), options or RenderOptions()) or [])
