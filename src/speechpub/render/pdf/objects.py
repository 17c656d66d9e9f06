"""ReportLab's formatting of PDF objects (reportlab.pdfbase.pdfdoc: format, PDFDictionary.format,
PDFName, pdfdocEnc) again by hand for the common cases, the same bytes; render.pdf.tuning
installs it process-wide. Anything unusual goes to ReportLab's own code.

Hand-written because ReportLab's is generic: every string it writes goes through its
'extpdfdoc' codec (a Python codec, about 1.4 us a call, 80 us for an xref), every dictionary
key is escaped by PDFName character by character and encoded again for every dictionary, and
format() asks isinstance() before the exact types it meets most (str, bytes, int, float).
Here: an ASCII string without the codes the codec refuses (0x18-0x1F) is encoded as ASCII,
which is what the codec gives it; names and dictionary keys are kept once formatted.
"""
from __future__ import annotations

import re

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

reportlab_format = pdfdoc.format
reportlab_pdfdoc_enc = pdfdoc.pdfdocEnc
reportlab_name = pdfdoc.PDFName
reportlab_format_dictionary = pdfdoc.PDFDictionary.format

_PDFObject = pdfdoc.PDFObject
_refused = re.compile("[\x18-\x1f]").search     # ASCII the pdfdoc codec has no byte for
_LO, _HI = reportlab_name.__defaults__            # (PDFName's default range, "!" and "~")
KEEP = 4096                                       # names and keys kept, at most, of each
_names: dict[str, str] = {}
_keys: dict[str, bytes] = {}


def pdfdoc_enc(x):
    """pdfdoc.pdfdocEnc: a string in ReportLab's pdfdoc encoding, bytes as they are."""
    if type(x) is str and x.isascii() and not _refused(x):
        return x.encode("ascii")
    return reportlab_pdfdoc_enc(x)


def name(data, lo=_LO, hi=_HI):
    """pdfdoc.PDFName ("/" and the name, its odd characters as #xx), kept once made."""
    if type(data) is str and lo is _LO and hi is _HI:
        made = _names.get(data)
        if made is None:
            made = reportlab_name(data)
            if len(_names) < KEEP:
                _names[data] = made
        return made
    return reportlab_name(data, lo, hi)


def format(element, document, toplevel=0):  # noqa: A001 (pdfdoc.format's name)
    """pdfdoc.format: one PDF object's bytes; the exact types met most asked first."""
    t = type(element)
    if t is str:
        if element.isascii() and not _refused(element):
            return element.encode("ascii")
        return reportlab_pdfdoc_enc(element)
    if t is bytes:
        return element
    if t is int or t is float:
        return fp_str(element).encode("ascii")           # (digits, "." and "-" only)
    if isinstance(element, _PDFObject):
        if not toplevel and hasattr(element, "__RefOnly__"):
            return document.Reference(element).format(document)
        f = element.format(document)
        if not rl_config.invariant and rl_config.pdfComments and hasattr(element, "__Comment__"):
            f = pdfdoc_enc("%% %s\n" % element.__Comment__) + f
        return f
    return reportlab_format(element, document, toplevel)


def _key(k) -> bytes:
    """A dictionary key's name and the space after it, as ReportLab writes them."""
    made = reportlab_pdfdoc_enc(reportlab_name(k)) + b" "
    if type(k) is str and len(_keys) < KEEP:
        _keys[k] = made
    return made


def format_dictionary(self, document, IND=b"\n "):
    """PDFDictionary.format for a plain dict: its keys sorted, each string key's name
    formatted once per process, its values through format() above."""
    d = self.dict
    if type(d) is not dict:                       # (an OrderedDict keeps its order)
        return reportlab_format_dictionary(self, document, IND)
    keys = list(d)
    keys.sort()             # (keys that are not strings: ReportLab's names, not kept, or its error)
    got = _keys.get
    L = [(got(k) or _key(k)) + format(d[k], document) for k in keys]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        L = IND.join(L)
    elif len(L) > 6:                              # ReportLab breaks the line every 6 entries
        L = b" \n  ".join([b" ".join(L[i:i + 6]) for i in range(0, len(L), 6)])
    else:
        L = b" ".join(L)
    return b"<<\n" + L + b"\n>>"
