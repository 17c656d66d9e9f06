"""The pipeline: read -> clean -> parse. Every command is a composition of these stages."""
from __future__ import annotations

import os

from .clean import clean
from .model import Document
from .parse import parse
from .read import Source, decode, read_file

SCRIPTS = ("auto", "simplified", "traditional", "keep")


def load(path: str | os.PathLike, script: str = "auto") -> Document:
    """Read, clean and parse one speech file into a Document."""
    return from_source(read_file(path), str(path), script)


def from_text(text: str, source: str = "<text>", script: str = "auto") -> Document:
    """Clean and parse text that is already decoded (tests, library use)."""
    return from_source(decode(text.encode("utf-8"), source), source, script)


def from_source(src: Source, source: str, script: str = "auto") -> Document:
    cleaned = clean(src.text, script=script, source=source, encoding=src.encoding)
    doc = parse(cleaned, source=source, encoding=src.encoding)
    return doc.with_warnings(src.warnings) if src.warnings else doc
