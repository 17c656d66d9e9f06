"""DOCX in official speech-manuscript style (GB/T 9704).

writer: the document, paragraph by paragraph, and the title's balanced lines; parts: the XML
parts built from the Style (styles, font table, settings, footers) and the cleaned template.
"""
from .writer import warm_up, write

__all__ = ["warm_up", "write"]
