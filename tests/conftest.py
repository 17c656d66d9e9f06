"""Shared fixtures. Real inputs live in tests/fixtures/ as they were found; never edit them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-speech-raw.txt"
CORPUS = sorted(p for p in FIXTURES.glob("[0-9][0-9]_*.txt"))
ALL_INPUTS = [SEED, *CORPUS]
HAN = re.compile(r"[\u3400-\u9fff]")


def unremoved_hanzi(raw: str, doc) -> str:
    """The input's hanzi minus those of every removed span (found on its own line), in order.
    Removed spans are recorded as cleaning saw them (an entity may be decoded by then), so the
    accounting is done on hanzi, which cleaning never alters."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    hanzi = ["".join(HAN.findall(line)) for line in lines]
    for r in doc.removed:
        i, h = r.line - 1, "".join(HAN.findall(r.text))
        assert h in hanzi[i], f"removed text not found on line {r.line}: {r.text!r}"
        hanzi[i] = hanzi[i].replace(h, "", 1)
    return "".join(hanzi)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/golden from the current code")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def seed_doc():
    from speechpub.pipeline import load
    return load(SEED)


@pytest.fixture(scope="session")
def corpus_docs():
    from speechpub.pipeline import load
    return {p.name: load(p) for p in ALL_INPUTS}
