"""Collected volumes: many speeches in one EPUB (or one PDF / DOCX), in a chosen order."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SpeechpubError
from .model import Document, Warning

ORDERS = ("date", "name", "input")
BOOK_FORMATS = ("epub", "pdf", "docx")
DEFAULT_TITLE = "讲话汇编"


@dataclass(frozen=True)
class Volume:
    title: str
    editor: str
    docs: tuple[Document, ...]


def collect(sources, script: str = "auto") -> tuple[list[Document], list]:
    """Load every speech under `sources` (files, or folders searched for *.txt) in input order.

    Returns (documents, skipped) where skipped holds (path, reason) pairs."""
    from .batch import find_inputs
    from .pipeline import load
    jobs, skipped = find_inputs([Path(s) for s in sources])
    if not jobs:
        raise SpeechpubError(", ".join(map(str, sources)), "no input files found (folders are searched for *.txt)")
    return [load(j.source, script=script) for j in jobs], skipped


def ordered(docs: list[Document], order: str = "date") -> list[Document]:
    """date: by speech date, undated speeches last; name: by file name; input: as given.
    Ties keep the input order."""
    if order == "input":
        return list(docs)
    if order == "name":
        return sorted(docs, key=lambda d: Path(d.source).name)
    if order == "date":
        return sorted(docs, key=lambda d: (not d.meta.date, d.meta.date))
    raise SpeechpubError("", f"unknown order {order!r} (known: {', '.join(ORDERS)})")


def format_of(path: Path, fmt: str | None) -> str:
    """The book's format: as given, else from the output file's suffix."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in BOOK_FORMATS:
        raise SpeechpubError(path, f"cannot tell the book format; use -f {' | '.join(BOOK_FORMATS)}")
    return fmt


def write(volume: Volume, path: Path, fmt: str, options) -> list[Warning]:
    """Write the volume as one file of format `fmt`."""
    if not volume.docs:
        raise SpeechpubError(path, "a book needs at least one speech")
    if fmt == "epub":
        from .render import epub
        return epub.write_book(list(volume.docs), Path(path), options, book_info(volume))
    if fmt in ("pdf", "docx"):
        raise SpeechpubError(path, f"book -f {fmt} is not available yet; use -f epub")
    raise SpeechpubError(path, f"unknown book format {fmt!r}")


def book_info(volume: Volume):
    from .render.epub import BookInfo, book_language, translator, year_span
    title = volume.title or translator(book_language(list(volume.docs)))(DEFAULT_TITLE)
    dates = sorted(d.meta.date for d in volume.docs if d.meta.date)
    return BookInfo(title=title, editor=volume.editor, date=dates[-1] if dates else "",
                    dateline=year_span(list(volume.docs)))
