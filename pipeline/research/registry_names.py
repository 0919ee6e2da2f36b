"""Customer names that may reach researchers: only firms of the OEM registry
(config/oem_registry.yaml: OEMs and large suppliers outside the census, public knowledge).
Any other customer name can be a census firm's own name, which identifies that firm."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

_LEGAL_FORMS = re.compile(r"\(주\)|㈜|주식회사|\(유\)|유한회사|\s+")


def normalise(name: str) -> str:
    return _LEGAL_FORMS.sub("", name).lower()


def registry_names(config_dir: Path) -> dict[str, str]:
    """Normalised name or alias -> the registry's name."""
    with open(config_dir / "oem_registry.yaml", encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    out: dict[str, str] = {}
    for chain in raw.get("chains", {}).values():
        for entry in [*chain.get("oems", []), *chain.get("suppliers", [])]:
            for name in [entry["name"], *entry.get("aliases", [])]:
                out[normalise(str(name))] = entry["name"]
    return out


def registered_only(series: pd.Series, names: dict[str, str]) -> pd.Series:
    """The registry name where the value names a registry firm, else missing."""
    return series.map(lambda v: names.get(normalise(v)) if isinstance(v, str) else None).astype("object")
