"""Where speechpub runs from: a checkout (styles/ and fonts/ beside src/) or an installed package."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def checkout_root() -> Path | None:
    """The checkout holding this package (pyproject.toml beside src/speechpub), or None when it
    runs installed (a wheel, pipx, an image)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "src" / "speechpub").is_dir() else None
