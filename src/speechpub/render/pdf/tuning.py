"""Process-wide ReportLab settings for speed, applied on import by render.pdf, so every PDF the
process writes (book.py's front matter too) gets them. None changes what a viewer shows.

Measured with bench/pdf_bench.py on the corpus: compressing the font subsets was a fifth of
the time of a PDF with zlib; formatting the subsets' width arrays number by number, a twentieth.
Making the font subsets themselves (TTFontFile.makeSubset, pure Python reading the font two
bytes per call) was the largest part of saving a PDF: render.pdf.subset does it again by hand,
the same bytes.
"""
from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, ttfonts

from . import objects, subset

try:
    # ISA-L's deflate at level 1: about 7x faster than zlib's level 1, and smaller output
    from isal.isal_zlib import compress as _compress
except ImportError:          # no isal wheel for this platform: the standard library's zlib
    from zlib import compress as _compress
LEVEL = 1                    # the fastest level of either (both: 0 stores, 1 compresses)


def flate(data) -> bytes:
    return _compress(data.encode("utf8") if isinstance(data, str) else data, LEVEL)


_format_array = pdfdoc.PDFArray.format
_NUMBER = (int, float)


def format_array(self, document, IND=b"\n "):
    """PDFArray.format with one C call per ten numbers for an array of numbers only (a font
    subset's 256 widths); the same bytes as ReportLab's own formatting."""
    seq = self.sequence
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced" \
            or not all(type(e) in _NUMBER for e in seq):
        return _format_array(self, document, IND)
    return b"[ " + b" \n  ".join(fp_str(*seq[i:i + 10]).encode("ascii")
                                 for i in range(0, len(seq), 10)) + b" ]"


pdfdoc.PDFZCompress.encode = flate      # its one shared Flate filter (zlib at level 6)
pdfdoc.PDFArray.format = format_array
ttfonts.TTFontFile.makeSubset = subset.make_subset   # (ReportLab's: subset.reportlab_make_subset)
rl_config.useA85 = 0                    # binary streams: smaller, and its ASCII85 is slow Python
pdfdoc.pdfdocEnc = objects.pdfdoc_enc   # (ReportLab's: objects.reportlab_pdfdoc_enc, and so on)
pdfdoc.PDFName = objects.name
pdfdoc.format = objects.format
pdfdoc.PDFDictionary.format = objects.format_dictionary
