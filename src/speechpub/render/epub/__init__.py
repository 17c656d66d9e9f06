"""EPUB 3 through pandoc.

writer: the model as pandoc's JSON AST (pandoc_ast), pandoc run (pandoc, pandoc_serve.lua) and
its zip finished; book: the book's own texts (BookInfo, language, dates, title and copyright
page lines); style: the ebook style; fonts: subsets to embed; cover: the generated SVG cover.

The writer is imported on first use, so that reading the ebook style (the command line checks
it before a batch) does not load pandoc's side and the title word list.
"""

__all__ = ["write", "write_book"]


def __getattr__(name: str):
    if name in __all__:
        from . import writer
        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
