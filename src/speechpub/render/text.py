"""The cleaned speech as plain UTF-8 text, one block per line."""
from ..outfile import write_text


def write(doc, path, options=None):
    write_text(path, doc.text() + "\n")
    return []
