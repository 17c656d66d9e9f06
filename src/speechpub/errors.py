"""The one exception a user sees: a bad input or a bad option, reported in one line."""


class SpeechpubError(Exception):
    """A user's mistake or a bad input. The CLI prints `path: message` and exits with 2."""

    def __init__(self, path, message: str):
        super().__init__(message)
        self.path = str(path) if path is not None else ""
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
