"""Shared fixtures. Real inputs live in tests/fixtures/ as they were found; never edit them."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-speech-raw.txt"
CORPUS = sorted(p for p in FIXTURES.glob("[0-9][0-9]_*.txt"))
ALL_INPUTS = [SEED, *CORPUS]


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
