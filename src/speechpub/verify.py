"""The end-to-end text check: read the text back from a DOCX, PDF, OFD or EPUB and compare it
with the model's text, character for character (line breaks aside).

    from speechpub.verify import extract_text, compare
    diff = compare(doc.text(), extract_text(path))
    assert diff is None, diff        # "character 812 (line 9, column 40): expected '，…' got '。…'"

DOCX is read with python-docx (body paragraphs; headers and footers are not text of the
speech), PDF with pdfplumber (the characters inside the text block, in drawing order; page
numbers sit below it), OFD from its pages' TextCode elements (the same way), EPUB from its
XHTML (the h1-h6 and p of each section marked `speech`,
leaving out a header marked `generated`, which the model does not have).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SpeechpubError

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
SNIPPET = 12
_TEXT_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p"}


@dataclass(frozen=True)
class Difference:
    position: int       # index of the first differing character, line breaks left out
    line: int           # 1-based line (block) of the expected text where it falls
    column: int         # 1-based character in that line
    expected: str       # the expected text from there (a few characters)
    got: str            # the extracted text from there

    def __str__(self) -> str:
        return (f"character {self.position} (line {self.line}, column {self.column}): "
                f"expected {self.expected!r}, got {self.got!r}")


def compare(expected: str, got: str) -> Difference | None:
    """None when the texts agree once line breaks are removed; else the first difference."""
    a, b = _flat(expected), _flat(got)
    if a == b:
        return None
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line, column = _line_column(expected, i)
    return Difference(i, line, column, a[i:i + SNIPPET], b[i:i + SNIPPET])


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def _line_column(text: str, flat_index: int) -> tuple[int, int]:
    """Line and column in `text` of the character at `flat_index` of its flattened form."""
    seen = 0
    lines = text.replace("\r", "").split("\n")
    for n, line in enumerate(lines, 1):
        if flat_index < seen + len(line) or n == len(lines):
            return n, flat_index - seen + 1
        seen += len(line)
    return 1, 1


# ---- extraction ----------------------------------------------------------------------------

def extract_text(path: str | Path, style=None) -> str:
    """The speech text of an output file, one paragraph per line; the format from the suffix.
    `style` (PDF only) gives the text block; default: the bundled style."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    readers = {"docx": docx_text, "pdf": lambda p: pdf_text(p, style), "epub": epub_text,
               "ofd": lambda p: ofd_text(p, style),
               "txt": lambda p: p.read_text(encoding="utf-8").removesuffix("\n")}
    if kind not in readers:
        raise SpeechpubError(path, f"cannot extract text from a .{kind} file (known: {', '.join(readers)})")
    return readers[kind](path)


def docx_text(path: Path) -> str:
    import docx
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def pdf_text(path: Path, style=None) -> str:
    """Characters above the bottom margin (page numbers are below it), in drawing order; one
    line per page, since a PDF does not say where a paragraph ends."""
    import pdfplumber

    from .style import load_style
    from .units import mm_to_pt
    style = style or load_style()
    bottom = mm_to_pt(style.page_height_mm - style.margin_bottom_mm) + mm_to_pt(1)
    with pdfplumber.open(str(path)) as pdf:
        return "\n".join("".join(c["text"] for c in page.chars if c["top"] < bottom) for page in pdf.pages)


OFD = "{http://www.ofdspec.org/2016}"


def ofd_text(path: Path, style=None) -> str:
    """The text of an OFD's pages in page order, from its TextCode elements in drawing order,
    leaving out those whose baseline is below the text block (page numbers); one line per page."""
    import posixpath

    from .style import load_style
    style = style or load_style()
    bottom = style.page_height_mm - style.margin_bottom_mm + 1
    out = []
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("OFD.xml"))
        doc_loc = next(root.iter(OFD + "DocRoot")).text.strip().lstrip("/")
        base = posixpath.dirname(doc_loc)
        document = ET.fromstring(z.read(doc_loc))
        for page in document.iter(OFD + "Page"):
            content = ET.fromstring(z.read(posixpath.join(base, page.get("BaseLoc").lstrip("/"))))
            text = []
            for obj in content.iter(OFD + "TextObject"):
                top = float(obj.get("Boundary").split()[1])
                for code in obj.iter(OFD + "TextCode"):
                    if top + float(code.get("Y") or 0) < bottom:
                        text.append(code.text or "")
            out.append("".join(text))
    return "\n".join(out)


def epub_text(path: Path) -> str:
    """The text of every speech in reading order, one block per line."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in _spine(z):
            for sec in ET.fromstring(z.read(name)).iter(XHTML + "section"):
                if "speech" not in (sec.get("class") or "").split():
                    continue
                for el in sec.iter():
                    if el.tag.removeprefix(XHTML) in _TEXT_TAGS and \
                            "generated" not in (el.get("class") or "").split():
                        out.append("".join(el.itertext()))
    return "\n".join(out)


def _spine(z: zipfile.ZipFile) -> list[str]:
    container = ET.fromstring(z.read("META-INF/container.xml"))
    opf_name = next(container.iter(CONTAINER + "rootfile")).get("full-path")
    base = opf_name.rpartition("/")[0]
    opf = ET.fromstring(z.read(opf_name))
    hrefs = {i.get("id"): i.get("href") for i in opf.iter(OPF + "item")}
    return [f"{base}/{hrefs[r.get('idref')]}" if base else hrefs[r.get("idref")] for r in opf.iter(OPF + "itemref")]


__all__ = ["Difference", "compare", "extract_text", "docx_text", "pdf_text", "ofd_text", "epub_text"]
