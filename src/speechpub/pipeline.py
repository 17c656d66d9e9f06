"""The pipeline: read -> clean -> parse. Every command is a composition of these stages."""
from __future__ import annotations

import os

from . import corrections as _corrections
from .clean import clean
from .corrections import Corrections, Editor
from .model import SCRIPTS, Document  # noqa: F401 (SCRIPTS: speechpub.pipeline.SCRIPTS as before)
from .parse import parse
from .read import Source, decode, read_file


def load(path: str | os.PathLike, script: str = "auto", corrections: Corrections | None = None) -> Document:
    """Read, clean and parse one speech file into a Document.

    The editor's sidecar (NAME.speechpub.toml next to NAME.txt) is applied when there is one;
    `corrections=` passes corrections explicitly instead (`Corrections()` for none)."""
    if corrections is None:
        corrections = _corrections.load(path)
    return from_source(read_file(path), str(path), script, corrections)


def from_text(text: str, source: str = "<text>", script: str = "auto",
              corrections: Corrections | None = None) -> Document:
    """Clean and parse text that is already decoded (tests, library use); no sidecar is read."""
    return from_source(decode(text.encode("utf-8"), source), source, script, corrections)


def from_source(src: Source, source: str, script: str = "auto", corrections: Corrections | None = None) -> Document:
    editor = Editor(corrections) if corrections is not None and not corrections.is_empty() else None
    cleaned = clean(src.text, script=script, source=source, encoding=src.encoding, editor=editor)
    doc = parse(cleaned, source=source, encoding=src.encoding, editor=editor)
    warnings = list(src.warnings) + (editor.unused() if editor else [])
    return doc.with_warnings(warnings) if warnings else doc

