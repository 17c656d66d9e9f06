"""The OFD renderer (GB/T 33190-2016, the national fixed-layout format for electronic official
documents): the PDF's pages, drawn from the same positioned glyphs (render.placement), with the
PDF's fonts embedded as subsets under their official family names.
"""
from __future__ import annotations

from pathlib import Path

from ... import __version__
from ...model import Warning as DocWarning
from ...outfile import atomic_path
from ..pdf import placement
from ..pdf.writer import Sheet
from .package import Package

__all__ = ["write", "write_book", "doc_info"]


def doc_info(doc) -> dict:
    m = doc.meta
    return {"title": m.title or Path(doc.source).stem or "speech", "author": m.speaker,
            "subject": m.occasion, "date": m.date, "language": m.language,
            "version": __version__}


def write(doc, path: Path, options) -> list[DocWarning]:
    sheet = Sheet(options.style)       # the PDF's layout, fonts and geometry
    pages = sheet.layout(doc)
    with atomic_path(Path(path)) as tmp:
        pkg = Package(tmp, sheet.style, sheet.fonts, sheet.geo)
        try:
            pkg.new_document()
            for page in placement.place(pages, sheet.style, sheet.fonts, sheet.geo):
                pkg.add_page(page)
            pkg.close(doc_info(doc))
        except BaseException:
            pkg.abort()
            raise
    return sheet.warnings() + _dropped(pkg)


def write_book(docs, titles, path: Path, options, info: dict) -> list[DocWarning]:
    """Many speeches in one OFD: each opens on a recto (a blank verso before it when needed),
    pages numbered on from the last; the outline has each speech's title with its headings
    under it. Pages are laid out, drawn and written one speech at a time."""
    sheet = Sheet(options.style)
    with atomic_path(Path(path)) as tmp:
        pkg = Package(tmp, sheet.style, sheet.fonts, sheet.geo)
        try:
            number = 1
            for doc, title in zip(docs, titles):
                if (number - 1) % 2:
                    pkg.add_blank()
                    number += 1
                pages = sheet.layout(doc)
                pkg.new_document()
                for k, page in enumerate(placement.place(pages, sheet.style, sheet.fonts, sheet.geo, number)):
                    pkg.add_page(page, outline_base=1, title=title if k == 0 else None)
                number += len(pages)
            pkg.close(info)
        except BaseException:
            pkg.abort()
            raise
    return sheet.warnings() + _dropped(pkg)


def _dropped(pkg: Package) -> list[DocWarning]:
    if not pkg.dropped:
        return []
    return [DocWarning("ofd-control-characters",
                       f"{pkg.dropped} control character(s) that XML cannot carry were left out of the OFD")]
