"""The document model as JSON (the same object `speechpub inspect --json` prints)."""
import json

from ..outfile import write_text


def dumps(doc) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"


def write(doc, path, options=None):
    write_text(path, dumps(doc))
    return []
