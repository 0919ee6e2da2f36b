"""Directory fields of the synthetic census (config/samplegen/directory.yaml): publication
consent (공개동의, most firms N), the firm's own English name (some firms), and a business
e-mail given for publication (공개 연락처, only consenting firms)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config


def _choice(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    keys, p = config.weighted(table)
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p)]


def english_core(core: str, spec: dict) -> str | None:
    """세진정밀 -> Sejin Precision: the first two syllables romanised as one word, then the
    business word in English. None when a part has no spelling (e.g. a Latin-prefixed core)."""
    core = core.replace(" ", "")
    stem, word = core[:2], core[2:]
    parts = [spec["syllables"].get(ch) for ch in stem]
    english = spec["words"].get(word)
    if None in parts or english is None:
        return None
    return parts[0] + parts[1].lower() + " " + english


def add_fields(firms: pd.DataFrame, seed: int) -> None:
    """Adds publication_consent ('Y'/'N'), firm_name_en (None when not reported) and
    directory_contact (None unless consenting) to `firms`, from their own random stream."""
    spec = config.load("directory")
    rng = config.stream(seed, "directory")
    n = len(firms)
    consent = rng.random(n) < spec["consent_share"]
    share = np.where(consent, spec["english_name_share"]["consenting"], spec["english_name_share"]["other"])
    wants_name = rng.random(n) < share
    suffix = _choice(rng, spec["corporate_suffixes"], n)
    mailbox = _choice(rng, spec["mailboxes"], n)
    cores = [english_core(c, spec) for c in firms["name_core"]]
    names = np.array([None] * n, dtype=object)
    emails = np.array([None] * n, dtype=object)
    is_corp = firms["is_corp"].to_numpy()
    ids = firms["true_firm_id"].to_numpy()
    for i, core in enumerate(cores):
        if core is None:
            continue
        if wants_name[i]:
            names[i] = f"{core} {suffix[i]}" if is_corp[i] else core
        if consent[i]:
            # The firm's own domain: its romanised stem plus the firm number keeps domains distinct.
            domain = core.split(" ")[0].lower() + str(ids[i] % 1000)
            emails[i] = f"{mailbox[i]}@{domain}.co.kr"
    firms["publication_consent"] = np.where(consent, "Y", "N")
    firms["firm_name_en"] = names
    firms["directory_contact"] = emails


def consent_cells(consent: np.ndarray, year: int) -> np.ndarray:
    """Y/N as the year's contractor writes it (동의/미동의 in 2023)."""
    spelled = config.for_year({**config.load("directory")["consent_spellings"], "default": {"Y": "Y", "N": "N"}}, year)
    return np.array([spelled.get(c, c) if isinstance(c, str) else None for c in consent], dtype=object)
