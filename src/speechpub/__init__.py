"""speechpub: scraped Chinese speeches into clean documents (DOCX, PDF, EPUB)."""
from .errors import SpeechpubError
from .model import Block, Document, Meta

__version__ = "0.1.0"
__all__ = ["Block", "Document", "Meta", "SpeechpubError", "__version__"]
