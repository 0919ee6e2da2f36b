"""The firm population: who the firms are (static attributes) and in which census years they
exist. Everything is drawn column by column with numpy, so a million firms take seconds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from census_sample import config, identifiers

# Yearly chances that a firm closes, and new firms per year as a share of the population; a
# regional manufacturing census loses and gains a few percent of firms a year.
CLOSURE_RATE = 0.05
ENTRY_SHARE = 0.05
# Shares of firms whose name spelling changes in one year, and that move in one year.
RENAME_SHARE = 0.015
MOVE_SHARE = 0.02
# Pairs of distinct firms given the same name in different dongs (homonyms are common).
HOMONYM_PAIRS = 3


def _choice(rng: np.random.Generator, table: dict, n: int) -> np.ndarray:
    keys, p = config.weighted(table)
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p)]


def _pick(rng: np.random.Generator, options: list, n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def _names(rng: np.random.Generator, division: np.ndarray) -> np.ndarray:
    """Name cores: syllable pair + a business word of the division (세진정밀); a Latin prefix
    (SJ세진정밀) where the plain combinations run out."""
    vocab = config.load("vocabulary")["names"]
    n = len(division)
    stems = pd.Series(_pick(rng, vocab["first_syllables"], n)) + pd.Series(_pick(rng, vocab["second_syllables"], n))
    words = np.empty(n, dtype=object)
    for div in np.unique(division):
        m = division == div
        words[m] = _pick(rng, vocab["words_by_division"].get(div, vocab["default_words"]), int(m.sum()))
    names = (stems + pd.Series(words)).to_numpy(dtype=object)
    for _ in range(3):
        dup = pd.Series(names).duplicated().to_numpy()
        if not dup.any():
            break
        k = int(dup.sum())
        fresh = pd.Series(_pick(rng, vocab["first_syllables"], k)) + pd.Series(_pick(rng, vocab["second_syllables"], k))
        names[dup] = (fresh + pd.Series(words[dup])).to_numpy(dtype=object)
    dup = pd.Series(names).duplicated().to_numpy()
    prefixes = _pick(rng, vocab["latin_prefixes"], n)
    names[dup] = prefixes[dup] + names[dup]
    return names


def _people(rng: np.random.Generator, n: int) -> np.ndarray:
    vocab = config.load("vocabulary")["people"]
    given = vocab["given_syllables"]
    return (pd.Series(_choice(rng, vocab["surnames"], n)) + pd.Series(_pick(rng, given, n))
            + pd.Series(_pick(rng, given, n))).to_numpy(dtype=object)


def _addresses(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Area, road-name address and the complex the firm says it is in."""
    places = config.load("vocabulary")["places"]
    areas = places["areas"]
    weights = np.array([a["weight"] for a in areas], float)
    area = rng.choice(len(areas), n, p=weights / weights.sum())
    road = np.empty(n, dtype=object)
    complex_raw = np.empty(n, dtype=object)
    prefix = np.empty(n, dtype=object)
    dong = np.empty(n, dtype=object)
    for i, a in enumerate(areas):
        m = area == i
        k = int(m.sum())
        road[m] = _pick(rng, a["roads"], k)
        complex_raw[m] = _choice(rng, a["complexes"], k)
        prefix[m] = a["prefix"]
        dong[m] = a["dong"]
    number = rng.integers(1, 400, n)
    # 번길 addresses (공단1대로 123번길 45) are common off the main roads.
    side = rng.random(n) < 0.3
    sub = rng.integers(2, 90, n)
    base = pd.Series(prefix) + " " + pd.Series(road) + " "
    street = np.where(side, base + pd.Series(number).astype(str) + "번길 " + pd.Series(sub).astype(str),
                      base + pd.Series(number).astype(str))
    detail = np.where(rng.random(n) < places["detail_share"], _pick(rng, places["details"], n), "")
    address = pd.Series(street) + pd.Series(detail) + " (" + pd.Series(dong) + ")"
    return pd.DataFrame({"area": area, "dong": dong, "address": address.to_numpy(dtype=object),
                         "complex_name_raw": complex_raw})


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    vocab = config.load("vocabulary")["phones"]
    exchange = pd.Series(_pick(rng, vocab["exchanges"], n)).astype(str)
    line = pd.Series(rng.integers(0, 10000, n)).astype(str).str.zfill(4)
    mobile = "010-" + pd.Series(rng.integers(2000, 10000, n)).astype(str) + "-" + line
    return np.where(rng.random(n) < vocab["mobile_share"], mobile, "031-" + exchange + "-" + line)


def _emails(rng: np.random.Generator, n: int) -> np.ndarray:
    vocab = config.load("vocabulary")["phones"]
    letters = np.array(list("abcdefghijklmnoprstuwyz"))
    local = pd.Series(["".join(x) for x in letters[rng.integers(0, len(letters), (n, 6))]])
    local = local + pd.Series(rng.integers(0, 100, n)).astype(str).where(rng.random(n) < 0.5, "")
    domain = pd.Series(_choice(rng, vocab["email_domains"], n))
    own = domain == "company"
    domain[own] = local[own].str.slice(0, 4) + ".co.kr"
    return (local + "@" + domain).to_numpy(dtype=object)


def build_firms(n_firms: int, seed: int, years: tuple[int, ...]) -> pd.DataFrame:
    """One row per firm ever present in `years`: identity, industry, place, size parameters,
    and its life (birth_year = founding year, closure_year = first year it is gone)."""
    if n_firms < 1:
        raise ValueError("n_firms must be at least 1")
    rng = config.stream(seed, "firms")
    n = n_firms
    first, later = years[0], list(years[1:])
    ksic = config.load("ksic_weights")["entries"]
    w = np.array([e["weight"] for e in ksic], float)
    entry = rng.choice(len(ksic), n, p=w / w.sum())
    division = np.array([e["ksic10"][:2] for e in ksic], dtype=object)[entry]

    # Chain membership from the entry's probabilities (automotive first, then electronics).
    p_auto = np.array([e["chains"].get("automotive", 0.0) for e in ksic])[entry]
    p_elec = np.array([e["chains"].get("electronics", 0.0) for e in ksic])[entry]
    u = rng.random(n)
    chain = np.where(u < p_auto, "automotive", np.where(u < p_auto + p_elec * (1 - p_auto), "electronics", ""))
    levels_cfg = config.load("customers")["levels"]
    level = np.where(chain != "", _choice(rng, levels_cfg, n).astype(int), 0)

    # Entrants are founded in the year they enter; incumbents are 0-45 years old at the first year.
    entry_year = np.full(n, first)
    start = n
    for y in reversed(later):
        k = min(round(ENTRY_SHARE * n), start - 1)  # at least one incumbent
        entry_year[start - k:start] = y
        start -= k
    age = np.minimum(rng.gamma(2.0, 7.0, n), 45).astype(int)
    founded_year = np.where(entry_year > first, entry_year, first - age)
    day_of_year = rng.integers(0, 365, n)
    founded = (pd.to_datetime(pd.Series(founded_year).astype(str) + "-01-01")
               + pd.to_timedelta(day_of_year, unit="D")).to_numpy()
    closure = np.full(n, np.nan)
    for y in later:
        alive = np.isnan(closure) & (entry_year < y)
        closes = alive & (rng.random(n) < CLOSURE_RATE)
        closure[closes] = y

    is_corp = rng.random(n) < config.load("vocabulary")["names"]["corporate_share"]
    ids = config.load("vocabulary")["identifiers"]
    brn = identifiers.make_brns(rng, is_corp, ids["brn_offices"], ids["brn_corporate_types"])
    crn = np.where(is_corp, identifiers.make_crns(rng, n, ids["crn_offices"], ids["crn_kinds"]), None)
    forms = config.load("vocabulary")["names"]["corporate_forms"]
    form = np.where(is_corp, _choice(rng, forms, n), "{n}")
    renamed_form = np.where(is_corp, _choice(rng, forms, n), "{n}")
    rename_year = np.where((rng.random(n) < RENAME_SHARE) & bool(later), rng.choice(later or [first], n), 0)
    core = _names(rng, division)
    # Some renames are a respacing of the core (세진정밀 -> 세진 정밀) rather than a legal form.
    respace = rng.random(n) < 0.4
    renamed_core = np.where(respace, pd.Series(core).str.slice(0, 2) + " " + pd.Series(core).str.slice(2), core)

    place = _addresses(rng, n)
    moved = _addresses(rng, n)
    move_year = np.where((rng.random(n) < MOVE_SHARE) & bool(later), rng.choice(later or [first], n), 0)

    products = np.array([e["products"] for e in ksic], dtype=object)[entry]
    main_products = np.array([p[i % len(p)] for p, i in zip(products, rng.integers(0, 6, n), strict=True)], dtype=object)
    two = rng.random(n) < 0.35
    second = np.array([p[(i + 1) % len(p)] for p, i in zip(products, rng.integers(0, 6, n), strict=True)], dtype=object)
    main_products = np.where(two & (second != main_products), main_products + ", " + second, main_products)

    # Size: employees lognormal around a median of ~11; services a little smaller.
    manufacturing = np.isin(division, [f"{d}" for d in range(10, 35)])
    employees = np.maximum(1, np.round(rng.lognormal(np.log(np.where(manufacturing, 11, 7)), 0.95, n)))
    firms = pd.DataFrame({
        "true_firm_id": np.arange(1, n + 1, dtype=np.int64),
        "ksic_entry": entry,
        "division": division,
        "chain": chain,
        "level": level,
        "is_corp": is_corp,
        "name_core": core,
        "name_form": form,
        "renamed_core": renamed_core,
        "renamed_form": renamed_form,
        "rename_year": rename_year,
        "representative_name": _people(rng, n),
        "founded_date": founded,
        "birth_year": founded_year,
        "entry_year": entry_year,
        "closure_year": pd.array(np.where(np.isnan(closure), pd.NA, closure), dtype="Int64"),
        "brn": brn,
        "crn": crn,
        "area": place["area"].to_numpy(),
        "dong": place["dong"].to_numpy(),
        "address": place["address"].to_numpy(),
        "complex_name_raw": place["complex_name_raw"].to_numpy(),
        "moved_address": moved["address"].to_numpy(),
        "moved_dong": moved["dong"].to_numpy(),
        "moved_complex": moved["complex_name_raw"].to_numpy(),
        "move_year": move_year,
        "main_products": main_products,
        "phone": _phones(rng, n),
        "email": _emails(rng, n),
        "employees_base": employees.astype(np.int64),
        "female_share": rng.beta(2.0, 5.0, n),
        "foreign_share": np.where(manufacturing, rng.beta(1.2, 6.0, n), rng.beta(0.5, 12.0, n)),
        # Revenue per worker (백만원): small Korean manufacturers sell ~1.5-3억 per worker.
        "productivity": rng.lognormal(np.log(220), 0.55, n),
        "export_share": np.where(rng.random(n) < 0.3, rng.beta(1.5, 4.0, n), 0.0),
        "rnd_share": np.where(rng.random(n) < 0.45, rng.beta(1.2, 40.0, n), 0.0),
        "asset_ratio": rng.lognormal(np.log(0.8), 0.5, n),
    })
    _make_homonyms(firms, rng)
    return firms


def _make_homonyms(firms: pd.DataFrame, rng: np.random.Generator) -> None:
    """Give a few pairs of firms in different dongs the same name, as happens in real censuses."""
    n = len(firms)
    if n < 4:
        return
    candidates = rng.permutation(n)
    pairs = 0
    used: set[int] = set()
    for a in candidates[: min(n, 200)]:
        if pairs >= HOMONYM_PAIRS:
            break
        if a in used:
            continue
        others = np.flatnonzero((firms["dong"].to_numpy() != firms.at[a, "dong"])
                                & (firms["division"].to_numpy() == firms.at[a, "division"]))
        others = [o for o in others if o not in used and o != a]
        if not others:
            continue
        b = others[int(rng.integers(0, len(others)))]
        firms.loc[b, ["name_core", "renamed_core"]] = firms.loc[a, ["name_core", "name_core"]].to_numpy()
        firms.loc[b, "name_form"] = firms.at[a, "name_form"]
        firms.loc[[a, b], ["rename_year", "move_year"]] = 0
        used.update((a, b))
        pairs += 1
    firms["homonym"] = False
    firms.loc[sorted(used), "homonym"] = True


def presence(firms: pd.DataFrame, year: int) -> np.ndarray:
    """Mask of firms present in a census year."""
    closure = firms["closure_year"].to_numpy(dtype=float, na_value=np.inf)
    return (firms["entry_year"].to_numpy() <= year) & (year < closure)
