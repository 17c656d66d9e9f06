"""The PDF renderer: a print-ready A4 PDF in official style (GB/T 9704), drawn with ReportLab.

writer: drawing pages and metadata; layout: blocks to grid rows to pages; fonts: the style's
fonts registered with ReportLab; tuning: ReportLab set up for speed.
"""
from .writer import warm_up, write

__all__ = ["warm_up", "write"]
