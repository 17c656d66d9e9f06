"""Coverage-guided fuzzing of read + clean + parse with atheris.

    .venv/bin/python tests/fuzz/fuzz_pipeline.py -max_total_time=600 tests/fuzz/corpus

A SpeechpubError is an expected answer to a bad input (one clear line for the user); any other
exception is a crash: libFuzzer stops and writes the input to crash-<sha1>. Turn each crash into
a case in tests/test_regressions.py. An empty corpus folder is seeded from tests/fixtures/*.txt
(each file cut into pieces of a few KB at line ends, so that executions stay fast).
With FUZZ_IDEMPOTENT=1 a cleaned text that cleans to something else is a crash too.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["speechpub"]):
    from speechpub.errors import SpeechpubError
    from speechpub.pipeline import from_source, from_text
    from speechpub.read import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PIECE = 4096
MAX_LEN = 8192
IDEMPOTENT = os.environ.get("FUZZ_IDEMPOTENT") == "1"


def check(data: bytes) -> None:
    """One input through the three stages; the model must be well formed."""
    try:
        doc = from_source(decode(data, "fuzz.txt"), "fuzz.txt")
    except SpeechpubError:
        return
    for block in doc.blocks:
        if not block.text or "\n" in block.text:
            raise AssertionError(f"bad block {block!r}")
        if block.lead_length is not None and not 0 < block.lead_length <= len(block.text):
            raise AssertionError(f"run-in heading longer than its paragraph: {block!r}")
    if IDEMPOTENT:
        text = doc.text()
        again = from_text(text, "again.txt").text()
        if again != text:
            raise AssertionError(f"cleaning twice changes the text: {text!r} -> {again!r}")


def TestOneInput(data: bytes) -> None:
    check(data)


def seed(corpus: Path) -> None:
    """Fill an empty corpus folder with the fixtures, whole and in pieces."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for path in sorted(FIXTURES.glob("*.txt")):
        data = path.read_bytes()
        (corpus / f"{path.stem}.whole").write_bytes(data)
        start = n = 0
        while start < len(data):
            end = data.find(b"\n", start + PIECE)
            end = len(data) if end < 0 else end + 1
            (corpus / f"{path.stem}.{n:03d}").write_bytes(data[start:end])
            start, n = end, n + 1


def main(argv: list[str]) -> None:
    for arg in argv[1:]:
        if not arg.startswith("-"):
            if not Path(arg).is_file():         # a corpus folder, not a crash file to rerun
                seed(Path(arg))
            break
    if not any(a.startswith("-max_len=") for a in argv):
        argv = argv + [f"-max_len={MAX_LEN}"]
    if not any(a.startswith("-timeout=") for a in argv):
        argv = argv + ["-timeout=20"]       # a hang is a crash too
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
