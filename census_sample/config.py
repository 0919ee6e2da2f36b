"""The generator's configuration files (config/samplegen/*.yaml), loaded once per process."""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
import yaml

from pipeline.settings import PACKAGE_ROOT

CONFIG_DIR = PACKAGE_ROOT / "config" / "samplegen"


@lru_cache(maxsize=8)
def load(name: str) -> dict:
    """config/samplegen/<name>.yaml as a dict."""
    with open(CONFIG_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def weighted(table: dict) -> tuple[list, np.ndarray]:
    """Keys and probabilities of a {value: weight} table."""
    keys = list(table)
    weights = np.array([float(table[k]) for k in keys])
    return keys, weights / weights.sum()


def for_year(table: dict, year: int) -> dict:
    """The entry of a {year or 'default': value} table that applies to `year`."""
    return table.get(year, table.get(str(year), table["default"]))


def delivery_spec(year: int) -> dict:
    """The delivery layout of a census year: the year's own entry, else the latest earlier one
    (so a generator run for 2025 delivers like 2024)."""
    specs = load("deliveries")
    known = sorted(int(y) for y in specs)
    earlier = [y for y in known if y <= year] or known[:1]
    return specs[earlier[-1]]


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per purpose, so adding draws to one part of the generator
    does not shift the values of every other part."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])
