"""EPUB 3 through pandoc.

writer: the model as pandoc's JSON AST (pandoc_ast), pandoc run and its zip finished; book: the
book's own texts (BookInfo, language, dates, title and copyright page lines); style: the ebook
style; fonts: subsets to embed; cover: the generated SVG cover.
"""
from .writer import write, write_book

__all__ = ["write", "write_book"]
