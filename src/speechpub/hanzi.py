"""OpenCC converters between simplified and traditional hanzi, one per configuration per process.

Cleaning (detecting and unifying the script, matching boilerplate in either script), parsing and
word segmentation all convert with these.
"""
from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)
